"""Two-factor enrolment and the CSP in a real browser: the QR code is drawn, the code typed
from the authenticator signs in, and no page breaks a Content-Security-Policy rule."""

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from .test_accounts import totp_code
from .test_browser import CHROMIUM, CHROMIUM_ARGS
from .world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR")


@override_settings(REQUIRE_2FA=True)
def test_reviewer_enrols_with_the_qr_code_and_no_page_breaks_the_csp(live_server, django_user_model):
    from playwright.sync_api import expect, sync_playwright

    world = build_world(django_user_model)
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="vi-VN", viewport={"width": 1200, "height": 1000}).new_page()
        violations = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{base}/dang-nhap/")
        page.fill("#id_username", "thamdinh.a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/tai-khoan/xac-thuc-hai-buoc/**")
        qr = page.locator(".qr-code svg")
        expect(qr).to_be_visible()
        assert qr.bounding_box()["width"] >= 150
        expect(page.get_by_role("heading", name="Bật xác thực hai bước")).to_be_visible()
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/2fa-setup.png", full_page=True)
        # Playwright's loop makes this thread look async to Django: read the database from another.
        with ThreadPoolExecutor(1) as pool:
            code = pool.submit(lambda: totp_code(TOTPDevice.objects.get(user=world.reviewer_a))).result()
        page.get_by_label("Mã xác thực").fill(code)
        page.get_by_role("button", name="Xác nhận và bật").click()
        expect(page.locator(".backup-codes li")).to_have_count(10)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/2fa-codes.png", full_page=True)
        page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
        page.goto(f"{base}/phieu/{world.form_a.pk}/")
        expect(page.locator("h1")).to_contain_text("Sở Thông tin và Truyền thông")
        page.goto(f"{base}/tai-khoan/")
        expect(page.get_by_text("Đang bật")).to_be_visible()
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/account.png", full_page=True)
        page.goto(f"{base}/quan-tri/")
        browser.close()
    assert violations == []
