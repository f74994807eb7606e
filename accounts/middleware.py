"""Session lifetime, the second login step, and no caching of what a signed-in user sees."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control

from .models import SecurityEvent
from .security import record
from .signals import SESSION_STARTED_KEY
from .twofactor import has_device, requires_two_factor


class AbsoluteSessionLifetimeMiddleware:
    """Ends a session ``SESSION_ABSOLUTE_AGE`` seconds after its login, however active it is
    (``SESSION_COOKIE_AGE`` is the idle limit). Goes after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = int(time.time())
            elif time.time() - started > settings.SESSION_ABSOLUTE_AGE:
                record(SecurityEvent.Kind.SESSION_EXPIRED, user=user, request=request)
                logout(request)
                messages.info(request, "Phiên đăng nhập đã quá thời hạn, vui lòng đăng nhập lại.")
                return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class TwoFactorMiddleware:
    """A signed-in user with a confirmed authenticator must give its code before anything
    else; with ``REQUIRE_2FA`` on, reviewers, leaders and administrators without one are sent
    to set it up first. Goes after django-otp's OTPMiddleware."""

    ALLOWED_URL_NAMES = {"two_factor_verify", "two_factor_setup", "logout"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified() and not self._exempt(request):
            if has_device(user):
                target = "two_factor_verify"
            elif requires_two_factor(user):
                target = "two_factor_setup"
            else:
                target = None
            if target:
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _exempt(self, request):
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in self.ALLOWED_URL_NAMES


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user: pages and downloads
    then show assessment data, which must not stay in a browser's or a proxy's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response
