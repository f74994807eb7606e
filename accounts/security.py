"""Writing the security log: a row of :class:`SecurityEvent` and the same event as one JSON
line on the ``security`` logger (the application log)."""

import contextvars
import datetime
import ipaddress
import json
import logging

from django.conf import settings

logger = logging.getLogger("security")

_current_request = contextvars.ContextVar("current_request", default=None)


def client_ip(request):
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (nginx) it is the
    entry that many places from the right of X-Forwarded-For; the rest of that header is the
    client's to forge and is ignored. Also used by django-axes (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= proxies:
            remote = chain[-proxies]
    try:
        return str(ipaddress.ip_address(remote)) if remote else None
    except ValueError:
        return None


def current_request():
    return _current_request.get()


class RequestContextMiddleware:
    """Remembers the request being served so that signal handlers (group changes in the admin,
    a password set by an administrator) can log who did it and from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def record(kind, *, user=None, username="", request=None, **detail):
    from .models import SecurityEvent

    request = request or current_request()
    if user is not None and getattr(user, "is_authenticated", False):
        username = username or user.get_username()
        user_id = user.pk
    else:
        user_id = None
    actor = getattr(request, "user", None) if request is not None else None
    if actor is not None and getattr(actor, "is_authenticated", False) and actor.pk != user_id:
        detail.setdefault("by", actor.get_username())
    event = SecurityEvent.objects.create(
        kind=kind, user_id=user_id, username=(username or "")[:150],
        address=client_ip(request) if request is not None else None,
        path=(request.path[:500] if request is not None else ""), detail=detail,
    )
    logger.info(json.dumps({
        "event": kind, "at": event.at.astimezone(datetime.UTC).isoformat(), "user": event.username,
        "user_id": user_id, "address": event.address, "path": event.path, "detail": detail,
    }, ensure_ascii=False, default=str))
    return event


def refused(user, what, key):
    """Logs a refused attempt to reach another unit's object (the user still gets a plain 404)."""
    from .models import SecurityEvent

    return record(SecurityEvent.Kind.ACCESS_REFUSED, user=user, object=what, key=str(key))
