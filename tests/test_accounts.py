"""Accounts (issue #10): password policy, change and reset by e-mail (through a real SMTP
server), TOTP two-factor authentication, lock-out per address, absolute session lifetime."""

import re
import socket
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from accounts.signals import SESSION_STARTED_KEY

from .world import PASSWORD

Kind = SecurityEvent.Kind
NEW_PASSWORD = "Ruong-bac-thang-Y-Ty-88"


def policy_errors(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize("password", [
    "matkhau123", "Matkhau@2026!", "MatKhauCuaToi2026", "Laocai2026", "Lào Cai 2026!!", "laocai-2026-2026",
    "demo-2026", "Demo-2026-2026", "123456789", "1234567890123", "qwerty123456", "password1234", "iloveyou2026",
    "Hanoi@123456", "anhyeuem123456",
])
def test_policy_refuses_common_and_vietnamese_passwords(db, password):
    errors = policy_errors(password)
    assert errors, password
    assert any("phổ biến" in e or "quá ngắn" in e for e in errors), errors


def test_policy_messages_are_vietnamese_and_name_the_rule(db):
    assert "Mật khẩu quá ngắn: cần ít nhất 12 ký tự (mới có 7)." in policy_errors("Ab1-xyz")
    user = get_user_model()(username="nguyen.hung", first_name="Văn Hùng", last_name="Nguyễn", email="hung.nv@laocai.gov.vn")
    assert "Mật khẩu quá giống tên đăng nhập, họ tên hoặc địa chỉ thư điện tử của bạn." in policy_errors("nguyenvanhung2026", user)
    assert policy_errors("Nguyen.Hung-1990", user)
    # A passphrase of one's own passes.
    assert policy_errors("Hoa-ban-trang-2026", user) == []
    assert policy_errors(NEW_PASSWORD, user) == []


def test_demo_password_passes_the_policy_for_every_demo_account(db):
    from assessment.demo import DEMO_PASSWORD, USERS

    assert DEMO_PASSWORD != "demo-2026"
    for username, (first, last), _, _ in USERS:
        user = get_user_model()(username=username, first_name=first, last_name=last)
        assert policy_errors(DEMO_PASSWORD, user) == [], username


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def events(kind, username=None):
    rows = SecurityEvent.objects.filter(kind=kind)
    return rows.filter(username=username) if username else rows


def test_every_user_changes_the_password_from_the_header(world, client):
    assert login(client, "canbo.a").status_code == 302
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home
    url = reverse("password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "Laocai2026", "new_password2": "Laocai2026"})
    assert weak.status_code == 200
    assert "quá phổ biến" in weak.content.decode()
    wrong_old = client.post(url, {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "Mật khẩu cũ không chính xác" in wrong_old.content.decode()
    done = client.post(url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                       follow=True)
    assert "Đã đổi mật khẩu." in done.content.decode()
    client.post(reverse("logout"))
    assert login(client, "canbo.a").status_code == 200
    assert login(client, "canbo.a", NEW_PASSWORD).status_code == 302
    assert events(Kind.PASSWORD_CHANGED, "canbo.a").count() == 1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


def test_password_reset_by_email_through_smtp(world, client, smtp):
    user = world.staff_a
    user.email = "ha.lt@stttt.laocai.gov.vn"
    user.save()
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    # An address nobody has: the same answer, and no mail.
    response = client.post(reverse("password_reset"), {"email": "ai.do@example.vn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert smtp.messages == []
    response = client.post(reverse("password_reset"), {"email": user.email}, follow=True)
    assert "Kiểm tra hộp thư" in response.content.decode()
    for _ in range(50):
        if smtp.messages:
            break
        time.sleep(0.05)
    [(recipients, message)] = smtp.messages
    assert recipients == [user.email]
    assert str(message["Subject"]).strip() == "Đặt lại mật khẩu — hệ thống đánh giá ứng dụng CNTT"
    body = message.get_body(("plain",)).get_content()
    assert "Kính gửi Lê Thu Hà" in body and "canbo.a" in body
    link = re.search(r"http://testserver(/dang-nhap/dat-lai/\S+/)", body).group(1)
    form = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "matkhau123456", "new_password2": "matkhau123456"})
    assert "quá phổ biến" in weak.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Đã đặt mật khẩu mới" in done.content.decode()
    # The link works once.
    again = client.get(link, follow=True).content.decode()
    assert "không hợp lệ" in again
    assert login(client, "canbo.a", NEW_PASSWORD).status_code == 302
    assert events(Kind.PASSWORD_RESET_REQUESTED, "canbo.a").count() == 1
    assert events(Kind.PASSWORD_RESET_REQUESTED).filter(username="").get().detail["email"] == "ai.do@example.vn"
    assert events(Kind.PASSWORD_RESET, "canbo.a").count() == 1


def totp_code(device, steps_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def test_reviewer_must_enrol_then_logs_in_with_a_totp_code(world, client, settings):
    settings.REQUIRE_2FA = True
    response = login(client, "thamdinh.a")
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))
    # Nothing else is reachable before enrolment.
    form = client.get(reverse("assessment:form", args=[world.form_a.pk]))
    assert form.status_code == 302 and form["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "Vai trò của bạn bắt buộc" in page
    device = TOTPDevice.objects.get(user=world.reviewer_a, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000" if totp_code(device) != "000000" else "111111"})
    assert "Đã nhập sai 1 lần liên tiếp: chờ 1 giây" in wrong.content.decode()
    time.sleep(1.1)
    enrol_code = totp_code(device)
    done = client.post(reverse("two_factor_setup"), {"code": enrol_code, "next": "/"})
    text = done.content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", text)
    assert len(codes) == 10 and "Mỗi mã chỉ dùng được một lần" in text
    assert client.get(reverse("assessment:form", args=[world.form_a.pk])).status_code == 200
    client.post(reverse("logout"))

    # Second login: the password alone is not enough.
    response = login(client, "thamdinh.a")
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
    device.refresh_from_db()
    replay = client.post(reverse("two_factor_verify"), {"code": enrol_code})  # a code works once
    assert replay.status_code == 200 and "Mã xác thực không đúng" in replay.content.decode()
    time.sleep(1.1)
    ok = client.post(reverse("two_factor_verify") + "?next=/", {"code": totp_code(device, steps_ahead=1)})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))

    # A backup code works once.
    login(client, "thamdinh.a")
    used = client.post(reverse("two_factor_verify"), {"code": codes[0]}, follow=True)
    assert "còn 9 mã" in used.content.decode()
    client.post(reverse("logout"))
    login(client, "thamdinh.a")
    assert "Mã xác thực không đúng" in client.post(reverse("two_factor_verify"), {"code": codes[0]}).content.decode()
    assert "_auth_user_id" in client.session and client.get(reverse("home")).status_code == 302

    kinds = list(SecurityEvent.objects.filter(username="thamdinh.a").values_list("kind", flat=True))
    for kind in (Kind.TWO_FACTOR_ENABLED, Kind.TWO_FACTOR_VERIFIED, Kind.TWO_FACTOR_FAILED, Kind.BACKUP_CODE_USED):
        assert kind in kinds, kind


def test_unit_staff_may_opt_in_and_out(world, client, settings):
    settings.REQUIRE_2FA = True
    assert login(client, "canbo.a")["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    account = client.get(reverse("account")).content.decode()
    assert "Chưa bật." in account and "Nên bật" in account
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=world.staff_a)
    client.post(reverse("two_factor_setup"), {"code": totp_code(device)})
    refused = client.post(reverse("two_factor_disable"), {"password": "sai"})
    assert "Mật khẩu hiện tại không đúng." in refused.content.decode()
    client.post(reverse("two_factor_disable"), {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=world.staff_a).exists()
    assert events(Kind.TWO_FACTOR_DISABLED, "canbo.a").count() == 1


def test_required_roles_cannot_switch_two_factor_off(world, client, settings):
    settings.REQUIRE_2FA = True
    login(client, "lanhdao")
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=world.leader)
    client.post(reverse("two_factor_setup"), {"code": totp_code(device)})
    response = client.post(reverse("two_factor_disable"), {"password": PASSWORD}, follow=True)
    assert "bắt buộc dùng xác thực hai bước; không tắt được" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.leader, confirmed=True).exists()


def test_password_spraying_from_one_address_locks_the_address(world, client, django_user_model, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for i in range(8):
        django_user_model.objects.create_user(f"canbo.x{i}", password=PASSWORD)
    statuses = []
    for attempt in range(4):
        for i in range(8):
            statuses.append(login(client, f"canbo.x{i}", f"doan-sai-{attempt}", REMOTE_ADDR="203.0.113.7").status_code)
    # No account reached its own limit (4 < 5), but the address did.
    assert statuses[:settings.AXES_ADDRESS_FAILURE_LIMIT - 1] == [200] * (settings.AXES_ADDRESS_FAILURE_LIMIT - 1)
    assert set(statuses[settings.AXES_ADDRESS_FAILURE_LIMIT - 1:]) == {429}
    # Even a right password is refused from that address, for any account…
    locked = login(client, "canbo.a", REMOTE_ADDR="203.0.113.7")
    assert locked.status_code == 429 and "tạm khoá" in locked.content.decode()
    # …while the same account logs in from another address.
    assert login(client, "canbo.a", REMOTE_ADDR="198.51.100.20").status_code == 302
    assert events(Kind.LOCKED_OUT).filter(address="203.0.113.7").exists()
    assert events(Kind.LOGIN_FAILED).filter(address="203.0.113.7").count() == 33


def test_guessing_one_account_from_many_addresses_locks_the_account(world, client, settings):
    limit = settings.AXES_ACCOUNT_FAILURE_LIMIT
    statuses = [login(client, "lanhdao", f"doan-sai-{i}", REMOTE_ADDR=f"198.51.100.{i}").status_code for i in range(limit)]
    assert statuses == [200] * (limit - 1) + [429]
    assert login(client, "lanhdao", REMOTE_ADDR="192.0.2.200").status_code == 429
    # Other accounts are not affected.
    assert login(client, "canbo.b", REMOTE_ADDR="192.0.2.200").status_code == 302


def test_the_address_is_read_behind_a_trusted_proxy(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    login(client, "canbo.a", "sai", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert events(Kind.LOGIN_FAILED, "canbo.a").get().address == "203.0.113.9"


def test_absolute_session_lifetime(world, client, settings):
    settings.SESSION_ABSOLUTE_AGE = 12 * 3600
    login(client, "canbo.a")
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 11 * 3600
    session.save()
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 3600 - 60
    session.save()
    form_url = reverse("assessment:form", args=[world.form_a.pk])
    response = client.get(form_url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Phiên đăng nhập đã quá thời hạn" in page
    assert events(Kind.SESSION_EXPIRED, "canbo.a").count() == 1
