"""Account pages: sign in (with the second step), change or reset the password, set up
two-factor authentication and backup codes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor
from .forms import PasswordConfirmForm, PasswordResetForm, TokenForm
from .models import SecurityEvent
from .security import record

Kind = SecurityEvent.Kind


def _next(request, default=None):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Django's login; a user with an authenticator (or who must have one) goes on to the
    second step, carrying ``next`` along."""

    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        user = self.request.user
        if twofactor.has_device(user):
            return f"{reverse('two_factor_verify')}?next={_quote(url)}"
        if twofactor.requires_two_factor(user):
            return f"{reverse('two_factor_setup')}?next={_quote(url)}"
        return url

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and hasattr(request.user, "is_verified") and not request.user.is_verified() \
                and twofactor.has_device(request.user):
            return redirect(f"{reverse('two_factor_verify')}?next={_quote(_next(request))}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context


def _quote(url):
    from urllib.parse import quote

    return quote(url, safe="/")


@login_required
def account(request):
    user = request.user
    return render(request, "accounts/account.html", {
        "has_device": twofactor.has_device(user),
        "required": twofactor.requires_two_factor(user),
        "backup_left": twofactor.remaining_backup_codes(user),
        "require_setting": settings.REQUIRE_2FA,
    })


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        users = list(form.get_users(email))
        record(Kind.PASSWORD_RESET_REQUESTED, user=users[0] if len(users) == 1 else None,
               username=users[0].get_username() if len(users) == 1 else "", email=email, accounts=len(users))
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def two_factor_setup(request):
    user = request.user
    if twofactor.has_device(user):
        if not user.is_verified():
            return redirect(f"{reverse('two_factor_verify')}?next={_quote(_next(request))}")
        messages.info(request, "Tài khoản đã bật xác thực hai bước.")
        return redirect("account")
    device = twofactor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save()
            codes = twofactor.new_backup_codes(user)
            otp_login(request, device)
            record(Kind.TWO_FACTOR_ENABLED, user=user, request=request)
            messages.success(request, "Đã bật xác thực hai bước.")
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next(request)})
        record(Kind.TWO_FACTOR_FAILED, user=user, request=request, during="setup")
        form.add_error("code", _throttled(device) or
                       "Mã không đúng hoặc đã hết hạn. Kiểm tra giờ trên điện thoại rồi nhập mã mới nhất.")
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr": twofactor.qr_svg(device), "secret": twofactor.secret_text(device),
        "required": twofactor.requires_two_factor(user), "next": _next(request),
    })


@login_required
def two_factor_verify(request):
    user = request.user
    if user.is_verified() or not twofactor.has_device(user):
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        device, kind = _match(user, code)
        if device is not None:
            otp_login(request, device)
            extra = {"left": twofactor.remaining_backup_codes(user)} if kind == Kind.BACKUP_CODE_USED else {}
            record(kind, user=user, request=request, **extra)
            if kind == Kind.BACKUP_CODE_USED:
                messages.warning(request, f"Đã dùng một mã dự phòng; còn {extra['left']} mã. "
                                          "Mỗi mã chỉ dùng được một lần.")
            return redirect(_next(request))
        record(Kind.TWO_FACTOR_FAILED, user=user, request=request)
        form.add_error("code", _throttled(twofactor.totp_device(user)) or
                       "Mã xác thực không đúng, đã dùng hoặc đã hết hạn. Nhập mã mới nhất trong ứng dụng "
                       "(hoặc một mã dự phòng chưa dùng).")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})


def _throttled(device):
    """After each wrong code django-otp makes the next try wait (1, 2, 4… seconds); say so."""
    from django.utils import timezone

    if device is None:
        return None
    device.refresh_from_db()
    allowed, info = device.verify_is_allowed()
    if allowed or not info or not info.get("locked_until"):
        return None
    seconds = max(1, round((info["locked_until"] - timezone.now()).total_seconds()))
    return (f"Mã xác thực không đúng. Đã nhập sai {info.get('failure_count', 1)} lần liên tiếp: "
            f"chờ {seconds} giây rồi nhập mã mới nhất.")


def _match(user, code):
    from django.db import transaction

    with transaction.atomic():
        if code.isdigit() and len(code) in (6, 8):
            for device in TOTPDevice.objects.filter(user=user, confirmed=True).select_for_update():
                if device.verify_token(code):
                    return device, Kind.TWO_FACTOR_VERIFIED
        for device in StaticDevice.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device, Kind.BACKUP_CODE_USED
    return None, None


@login_required
@require_POST
def two_factor_backup_codes(request):
    user = request.user
    if not (twofactor.has_device(user) and user.is_verified()):
        return redirect("account")
    codes = twofactor.new_backup_codes(user)
    record(Kind.BACKUP_CODES_CREATED, user=user, request=request)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("account")})


@login_required
def two_factor_disable(request):
    user = request.user
    if twofactor.requires_two_factor(user):
        messages.error(request, "Vai trò của bạn bắt buộc dùng xác thực hai bước; không tắt được.")
        return redirect("account")
    if not twofactor.has_device(user):
        return redirect("account")
    form = PasswordConfirmForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        twofactor.remove_devices(user)
        record(Kind.TWO_FACTOR_DISABLED, user=user, request=request)
        messages.success(request, "Đã tắt xác thực hai bước.")
        return redirect("account")
    return render(request, "accounts/two_factor_disable.html", {"form": form})
