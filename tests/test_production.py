"""Production settings (issue #10): the documented variables pass ``check --deploy`` with no
warning, the app refuses to start without SECRET_KEY, a live gunicorn with DEBUG off serves the
static files (hashed, compressed) behind the documented proxy headers, every page has a CSP
and what a signed-in user sees is never cached."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
HOST = "danhgia.laocai.gov.vn"


def documented_env():
    """The production variables of docs/deploy.md, the block between its production-env markers."""
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    block = text.split("<!-- production-env: begin -->")[1].split("<!-- production-env: end -->")[0]
    env = {}
    for line in block.splitlines():
        match = re.fullmatch(r"([A-Z0-9_]+)=(.*)", line.strip())
        if match:
            name, value = match.groups()
            env[name] = secrets.token_urlsafe(50) if value.startswith("$(") else value
    return env


def process_env(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    env.update(overrides)
    return env


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_documented_production_variables_pass_check_deploy():
    env = documented_env()
    for name in ("SECRET_KEY", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "TRUSTED_PROXY_COUNT",
                 "REQUIRE_2FA"):
        assert name in env, name
    assert env["DEBUG"] == "0"
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=process_env(**env))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    # Without the documented variables the same check fails (the test can fail).
    bare = manage("check", "--deploy", "--fail-level", "WARNING", env=process_env(SECRET_KEY=env["SECRET_KEY"]))
    assert bare.returncode != 0 and "security.W004" in bare.stderr + bare.stdout


def test_no_start_without_secret_key_unless_debug():
    result = manage("check", env=process_env())
    assert result.returncode != 0
    assert "SECRET_KEY chưa được đặt" in result.stderr
    assert manage("check", env=process_env(DEBUG="1")).returncode == 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https",
                                             "X-Forwarded-For": "203.0.113.5", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


@pytest.fixture
def gunicorn(tmp_path):
    env = process_env(**{**documented_env(), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                         "STATIC_ROOT": str(tmp_path / "static"), "MEDIA_ROOT": str(tmp_path / "media"), "EMAIL_HOST": ""})
    collected = manage("collectstatic", "--noinput", "-v0", env=env)
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(240):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.25)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_live_gunicorn_with_debug_off_serves_static_files(gunicorn):
    port = gunicorn
    response, body = get(port, "/static/css/app.css")
    assert response.status == 200
    assert body == (ROOT / "static" / "css" / "app.css").read_bytes()
    assert response.getheader("Content-Type").startswith("text/css")

    page, html = get(port, "/dang-nhap/")
    assert page.status == 200
    text = html.decode()
    hashed = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', text).group(1)
    assert page.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in page.getheader("Content-Security-Policy")
    assert page.getheader("X-Frame-Options") == "DENY"
    assert "__Host-csrftoken=" in page.getheader("Set-Cookie") and "Secure" in page.getheader("Set-Cookie")

    static, body = get(port, hashed, {"Accept-Encoding": "gzip"})
    assert static.status == 200
    assert "immutable" in static.getheader("Cache-Control") and "max-age=315360000" in static.getheader("Cache-Control")
    assert static.getheader("Content-Encoding") == "gzip"
    assert get(port, "/static/css/khong-co.css")[0].status == 404

    # A plain HTTP request (no X-Forwarded-Proto from nginx) is sent to HTTPS.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/dang-nhap/", headers={"Host": HOST})
    redirect = connection.getresponse()
    assert redirect.status == 301 and redirect.getheader("Location") == f"https://{HOST}/dang-nhap/"
    connection.close()


def test_pages_and_downloads_of_signed_in_users_are_not_cached(world, client):
    client.force_login(world.staff_a)
    for url in (reverse("home"), reverse("assessment:form", args=[world.form_a.pk]),
                reverse("assessment:history", args=[world.form_a.pk]), reverse("assessment:offline", args=[world.form_a.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
    client.logout()
    # A public page stays cacheable.
    anonymous = client.get(reverse("reports:verify"))
    assert anonymous.status_code == 200 and "no-store" not in anonymous.get("Cache-Control", "")
    assert "Content-Security-Policy" in anonymous


def test_templates_have_no_inline_scripts_or_event_handlers():
    templates = [p for d in ("templates", "accounts", "assessment", "criteria", "reports", "units")
                 for p in (ROOT / d).rglob("*.html")]
    assert len(templates) > 10
    offenders = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(f"{path.relative_to(ROOT)}: {tag}")
        offenders += [f"{path.relative_to(ROOT)}: {m}" for m in re.findall(r"\son[a-z]+\s*=\s*[\"']", text)]
        offenders += [f"{path.relative_to(ROOT)}: javascript: URL" for _ in re.findall(r"javascript:", text)]
    assert offenders == []
