"""Request ids in every log line, JSON logs, and the health check.

The id comes from the proxy's ``X-Request-ID`` header when it is sane (so nginx and the app log
the same id), otherwise a new one; it is echoed in the response header.
"""

import contextvars
import json
import logging
import re
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

_request_id = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def current_request_id():
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            # Django logs 4xx/5xx after the middleware has returned, with the request attached.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, and the exception."""

    def format(self, record):
        data = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                "logger": record.name, "message": record.getMessage(),
                "request_id": getattr(record, "request_id", _request_id.get())}
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            data["path"] = request.path
            data["method"] = request.method
        status = getattr(record, "status_code", None)
        if status is not None:
            data["status"] = status
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


@never_cache
def healthz(request):
    """Database and file storage reachable; no login, no personal data. 503 when either is not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"lỗi: {type(exc).__name__}"
    try:
        name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        with default_storage.open(name, "rb") as handle:
            readable = handle.read() == b"ok"
        default_storage.delete(name)
        checks["storage"] = "ok" if readable else "lỗi: đọc lại không khớp"
    except Exception as exc:
        checks["storage"] = f"lỗi: {type(exc).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "lỗi", "checks": checks}, status=200 if healthy else 503,
                        json_dumps_params={"ensure_ascii": False})
