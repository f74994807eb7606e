"""Two-factor authentication with TOTP (django-otp): who must use it, enrolment with a QR code
drawn on the server, single-use backup codes (django-otp's static device)."""

import io

import segno
from django.conf import settings
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.roles import Role, has_role

BACKUP_CODE_COUNT = 10
# Roles that must use a second factor when REQUIRE_2FA is on; unit staff may opt in.
REQUIRED_ROLES = (Role.REVIEWER, Role.LEADER, Role.ADMIN)


def requires_two_factor(user):
    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or any(has_role(user, role) for role in REQUIRED_ROLES)


def has_device(user):
    return user_has_device(user, confirmed=True)


def totp_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user):
    """The unconfirmed authenticator being set up, created on first visit of the enrolment page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    return device


def qr_svg(device):
    """The otpauth:// URL of ``device`` as an inline SVG (no image request, no CDN)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=5, border=4, xmldecl=False, svgns=True, encoding="utf-8",
        title="Mã QR để thêm tài khoản vào ứng dụng xác thực", svgclass="qr", lineclass=None)
    return buffer.getvalue().decode("utf-8")


def secret_text(device):
    """The secret in base32 groups of four, for typing into an app without a camera."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def new_backup_codes(user):
    """Replaces the user's backup codes by ``BACKUP_CODE_COUNT`` new ones and returns them."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Mã dự phòng"})
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remaining_backup_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove_devices(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
