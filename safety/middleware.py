"""Guards every request passes before a view sees it.

- ``RequestLimitMiddleware``: a request whose body is larger than ``REQUEST_BODY_MAX_BYTES``
  (per path prefix: ``REQUEST_BODY_LIMITS``) is answered 413 before anything reads it; the
  anonymous verification page is rate-limited per address (``VERIFY_RATE_LIMIT`` requests per
  ``VERIFY_RATE_WINDOW`` seconds, 429); a path, query string or form field holding a NUL byte is
  answered 400 (no database stores NUL; browsers never send one).

The answers are short Vietnamese pages (or JSON for requests that ask for it).
"""

import time
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.html import escape

PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{stylesheet}"></head><body><main class="container" id="noi-dung">
<h1>{title}</h1><p>{message}</p><p><a href="/">Về trang chủ</a></p></main></body></html>"""


def refusal(request, status, title, message):
    if request.headers.get("X-Autosave") == "1" or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": message}, status=status)
    page = PAGE.format(title=escape(title), message=escape(message), stylesheet=escape(_stylesheet()))
    response = HttpResponse(page, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _stylesheet():
    from django.templatetags.static import static

    try:
        return static("css/app.css")  # the hashed name when the manifest storage is in use
    except ValueError:
        return "/" + settings.STATIC_URL.lstrip("/") + "css/app.css"


def body_limit(path):
    limit = settings.REQUEST_BODY_MAX_BYTES
    for prefix, value in getattr(settings, "REQUEST_BODY_LIMITS", {}).items():
        if path.startswith(prefix):
            limit = value
    return limit


def client_address(request):
    """The client's address as the lock-out sees it (behind ``TRUSTED_PROXY_COUNT`` proxies, from
    X-Forwarded-For), so all of nginx's clients do not share one allowance."""
    from accounts.security import client_ip

    return client_ip(request) or "?"


class RequestLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refusal(request, 400, "Yêu cầu không hợp lệ", "Độ dài nội dung gửi lên (Content-Length) không hợp lệ.")
        limit = body_limit(request.path)
        if length > limit:
            request._stream.read = lambda *args, **kwargs: b""  # never read what was refused
            return refusal(request, 413, "Dữ liệu gửi lên quá lớn",
                           f"Dữ liệu gửi lên {length / 1048576:.1f} MB".replace(".", ",")
                           + f", vượt giới hạn {limit // 1048576} MB của trang này. Hãy chọn tệp nhỏ hơn.")
        if request.path.rstrip("/") == settings.VERIFY_PATH.rstrip("/") and self._too_many(request):
            return refusal(request, 429, "Quá nhiều lượt kiểm tra",
                           f"Địa chỉ của bạn đã kiểm tra quá {settings.VERIFY_RATE_LIMIT} lần trong "
                           f"{settings.VERIFY_RATE_WINDOW} giây. Hãy thử lại sau ít phút.")
        if b"\x00" in unquote_to_bytes(request.META.get("PATH_INFO", "")) \
                or b"%00" in request.META.get("QUERY_STRING", "").encode("latin-1", "replace") \
                or "\x00" in request.path:
            return refusal(request, 400, "Địa chỉ không hợp lệ",
                           "Địa chỉ hoặc tham số có chứa ký tự NUL, không xử lý được.")
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                  "multipart/form-data"):
            try:
                fields = request.POST
            except RequestDataTooBig:
                return refusal(request, 413, "Dữ liệu gửi lên quá lớn", "Các ô nhập gửi lên quá lớn.")
            except (MultiPartParserError, UnicodeDecodeError, ValueError):
                return refusal(request, 400, "Yêu cầu không hợp lệ", "Nội dung gửi lên không đọc được.")
            for key, values in fields.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return refusal(request, 400, "Nội dung không hợp lệ",
                                   f"Ô “{key.replace(chr(0), '?')[:40]}” có chứa ký tự NUL, không lưu được; "
                                   "hãy gõ lại nội dung.")
        return self.get_response(request)

    @staticmethod
    def _too_many(request):
        window = settings.VERIFY_RATE_WINDOW
        bucket = int(time.time() // window)
        key = f"verify-rate:{client_address(request)}:{bucket}"
        cache.add(key, 0, window + 5)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, window + 5)
            count = 1
        return count > settings.VERIFY_RATE_LIMIT
