"""An administrator imports the Lào Cai table in a real browser: upload, preview, create."""

import pytest

from criteria.models import CriteriaSet

from .criteria_tables import seed_table, write_docx
from .test_browser import CHROMIUM, CHROMIUM_ARGS, log_in
from .world import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_upload_preview_create_in_the_browser(live_server, django_user_model, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from assessment.roles import Role

    make_user(django_user_model, "quantri", Role.ADMIN, first="Quản trị")
    titles, rows = seed_table("province")
    path = tmp_path / "QD-3299-phu-luc-01.docx"
    path.write_bytes(write_docx(titles, rows))
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = log_in(browser, base, "quantri")
        page.goto(f"{base}/tieu-chi/")
        page.get_by_role("link", name="Nhập bảng tiêu chí từ quyết định (.xlsx, .docx)").click()
        page.set_input_files("#id_file", str(path))
        page.fill("#id_code", "laocai-2018-nhap")
        page.fill("#id_name", "Lào Cai 2018 — cấp tỉnh (nhập từ bảng)")
        page.get_by_role("button", name="Đọc bảng và xem trước").click()
        preview = page.locator("#import-preview")
        expect(preview).to_contain_text("11 nhóm, 42 tiêu chí")
        expect(preview).to_contain_text("Tiêu chí II.6: Thay thế cho đơn vị không có TTHC")
        page.screenshot(path=str(tmp_path / "preview.png"), full_page=False)
        page.get_by_role("button", name="Tạo bộ tiêu chí nháp").click()
        expect(page.locator("h1")).to_have_text("Lào Cai 2018 — cấp tỉnh (nhập từ bảng)")
        expect(page.locator(".messages")).to_contain_text("Đã tạo bộ tiêu chí nháp laocai-2018-nhap phiên bản 1")
        page.screenshot(path=str(tmp_path / "created.png"), full_page=False)
        browser.close()
    created = CriteriaSet.objects.get(code="laocai-2018-nhap")
    assert created.status == "draft" and created.criteria.count() == 53
