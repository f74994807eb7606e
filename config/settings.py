"""One settings module, driven by environment variables.

Defaults suit a developer's machine: SQLite next to the code, DEBUG off unless
``DEBUG=1``. Production sets ``SECRET_KEY``, ``ALLOWED_HOSTS`` and usually
``DATABASE_URL`` (e.g. ``postgres://user@host:5432/name``).
"""

import contextlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# pytest sets PYTEST_VERSION: tests run without a production secret.
RUNNING_TESTS = "PYTEST_VERSION" in os.environ

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or RUNNING_TESTS):
        raise ImproperlyConfigured(
            "SECRET_KEY chưa được đặt: ứng dụng không chạy với khoá phát triển khi DEBUG tắt. "
            "Đặt biến môi trường SECRET_KEY (xem docs/deploy.md), hoặc DEBUG=1 khi phát triển.")
    # Only for development (DEBUG=1), tests and the demo.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "simple_history",
    "pgtrigger",
    "units",
    "criteria",
    "assessment",
    "reports",
    "django_tasks",
    "django_tasks_db",
    "jobs",
    "notifications",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "safety",
]

MIDDLEWARE = [
    "config.observability.RequestIdMiddleware",
    # First: refuses oversized bodies, NUL bytes and floods of the verification page before anything reads them.
    "safety.middleware.RequestLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.security.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context.unread",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock (up to 20 s) instead of failing with "database is locked";
    # tests use a file too, as an in-memory database cannot make two requests wait for each other.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The password policy (accounts/validators.py, Vietnamese messages).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese number format: 2,87 and 1.234.567 (Django's "vi" locale has no
# thousands separator, so it is set here).
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]
# Vietnamese for third-party admin screens that ship without it (import-export, simple-history, axes).
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Evidence files: size limit and the types accepted, checked by content.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "20")) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Sessions end after SESSION_COOKIE_AGE seconds without activity, and with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(2 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

IMPORT_EXPORT_USE_TRANSACTIONS = True
# History is read in the admin, never restored (config.history_admin refuses the save too).
SIMPLE_HISTORY_REVERT_DISABLED = True
# Imports read only CSV, TSV and inspected xlsx; exports escape formula-like text (safety/exchange.py).
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_TMP_STORAGE_CLASS = "safety.exchange.UploadTempStorage"

# Logs: plain text by default, one JSON object a line with LOG_FORMAT=json (for a log collector);
# every line carries the request id (X-Request-ID from the proxy, or a new one).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "text"},
                 # For loggers whose message already is one JSON object (the security log).
                 "plain": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Digital signatures: the organisation's seal for server-side signing (optional), and the
# certificates trusted when checking signatures (PEM or DER files, separated by commas).
SEAL_PKCS12_PATH = os.environ.get("SEAL_PKCS12_PATH", "")
SEAL_PKCS12_PASSPHRASE = os.environ.get("SEAL_PKCS12_PASSPHRASE", "")
SIGNATURE_TRUST_ROOTS = [p for p in os.environ.get("SIGNATURE_TRUST_ROOTS", "").split(",") if p]
# Signature trust (TT 15/2025/TT-BKHCN): a directory of trusted root certificates (*.pem, *.crt,
# *.cer, *.der) and revocation lists (*.crl) the administrator replaces as files; whether to fetch
# CRL/OCSP over the network; and whether an upload whose signer is not trusted is refused.
SIGNATURE_TRUST_DIR = os.environ.get("SIGNATURE_TRUST_DIR", "")
SIGNATURE_FETCH_REVOCATION = env_bool("SIGNATURE_FETCH_REVOCATION", default=True)
SIGNATURE_REQUIRE_TRUSTED = env_bool("SIGNATURE_REQUIRE_TRUSTED")
SIGNED_PDF_MAX_BYTES = int(os.environ.get("SIGNED_PDF_MAX_MB", "30")) * 1024 * 1024

# --- Accounts, security log and production hardening (accounts/, docs/deploy.md) ---------------
# Two-factor authentication (django-otp): required for reviewers, leaders and administrators
# when REQUIRE_2FA=1, optional for unit staff.
REQUIRE_2FA = env_bool("REQUIRE_2FA")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Đánh giá CNTT")
# A session ends this many seconds after its login however active it is (the idle limit is
# SESSION_COOKIE_AGE).
SESSION_ABSOLUTE_AGE = int(os.environ.get("SESSION_ABSOLUTE_AGE", str(12 * 3600)))

# Lock-out: AXES_FAILURE_LIMIT per account from one address, AXES_ADDRESS_FAILURE_LIMIT for all
# accounts together from one address (password spraying), AXES_ACCOUNT_FAILURE_LIMIT for one
# account from all addresses together.
AXES_HANDLER = "accounts.lockout.AccountAndAddressHandler"
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("AXES_ACCOUNT_FAILURE_LIMIT", "10"))
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
# Number of reverse proxies (nginx) in front of gunicorn: the client address is read from
# X-Forwarded-For that many places from the right, and X-Forwarded-Proto tells HTTPS.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HTTPS: redirect, HSTS, Secure cookies with the __Host- prefix (bound to this host, path /).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
# A load balancer's health probe over plain HTTP is answered, not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files;
# style attributes (indentation of criteria rows) are allowed. The one hash is django-import-export's
# inline "select all" handler of its export page (onchange="onSelectToggleChange(event)").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-hashes'", "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Background jobs (django.tasks API through django-tasks, database backend) -------------------
# Workers: `manage.py worker` (db_worker plus stale-job recovery and scheduled reminders).
# TASKS_BACKEND=immediate runs jobs inside the request (development without a worker).
TASKS = {"default": {"BACKEND": {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}[os.environ.get("TASKS_BACKEND", "database")]}}
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "2"))
JOBS_STALE_SECONDS = int(os.environ.get("JOBS_STALE_SECONDS", "60"))
JOBS_MAINTENANCE_SECONDS = float(os.environ.get("JOBS_MAINTENANCE_SECONDS", "30"))

# --- Stateless app servers: sessions in the database, files through STORAGES -------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# STORAGE_BACKEND=s3 keeps uploaded files in S3-compatible object storage (django-storages);
# the default is the MEDIA_ROOT directory (shared between servers, e.g. over NFS).
if os.environ.get("STORAGE_BACKEND", "filesystem") == "s3":
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ.get("S3_BUCKET", ""),
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "default_acl": None, "querystring_auth": True, "file_overwrite": False,
    }}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Static files: WhiteNoise serves what `manage.py collectstatic` gathered in STATIC_ROOT, with
# hashed names (cached for a year) and gzip/brotli copies.
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
}

# --- E-mail notifications ------------------------------------------------------------------------
# SMTP from the environment; without EMAIL_HOST the messages are printed (console backend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Đánh giá ứng dụng CNTT <khong-tra-loi@localhost>")
# Links in e-mails point here (the address users open), e.g. https://danhgia.example.gov.vn
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(2 * 3600)))

# The security log is also written to the application log as one JSON object per line.
LOGGING.setdefault("loggers", {})["security"] = {
    "handlers": ["plain"], "level": os.environ.get("SECURITY_LOG_LEVEL", "INFO"), "propagate": False}

# --- Hostile input (safety app): request-body limits, verification-page rate limit, temp files ---
# Every request body is capped (413 beyond); uploads of files are capped per path prefix.
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_MB", "2")) * 1024 * 1024
REQUEST_BODY_LIMITS = {
    "/phieu/": 32 * 1024 * 1024,          # evidence files (20 MB) and offline workbooks, with form overhead
    "/ky-danh-gia/": 12 * 1024 * 1024,    # the period-wide workbook
    "/cong-bo/": 32 * 1024 * 1024,        # signed annexes
    "/xac-minh/": 32 * 1024 * 1024,       # a copy of an annex to check
    "/quan-tri/": 12 * 1024 * 1024,       # import-export files
}
VERIFY_PATH = "/xac-minh/"
VERIFY_RATE_LIMIT = int(os.environ.get("VERIFY_RATE_LIMIT", "30"))
VERIFY_RATE_WINDOW = int(os.environ.get("VERIFY_RATE_WINDOW", "60"))
BULK_MAX_BYTES = int(os.environ.get("BULK_MAX_MB", "10")) * 1024 * 1024
# Temporary uploads go to a folder of their own, so those of a killed request can be found and removed
# (manage.py remove_stale_files).
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR", str(BASE_DIR / "var" / "upload-tmp"))
# (a read-only checkout: the deployment points FILE_UPLOAD_TEMP_DIR elsewhere)
with contextlib.suppress(OSError):
    Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
# History reasons are text (a reviewer's reason has no 100-character limit); see safety/text.py for the limits.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# Imported xlsx files are parsed with defusedxml (openpyxl uses it when installed).
