"""In a real browser: an automatic figure cannot be typed and says where it came from; a
consistency warning appears while the unit types and goes when the figures agree."""

import datetime

import pytest

from assessment.indicators import apply_indicator_file
from tests import world as world_module

from .test_browser import CHROMIUM, CHROMIUM_ARGS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SOURCE = "Bộ chỉ số 766 — Cổng Dịch vụ công quốc gia"


def test_automatic_figure_and_consistency_warning_while_typing(live_server, django_user_model, monkeypatch,
                                                               tmp_path):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setattr(world_module, "CRITERIA_YAML", world_module.CRITERIA_YAML.replace(
        "    - {key: online_pct, label: Tỷ lệ hồ sơ nộp trực tuyến, kind: percent}",
        f"    - {{key: online_pct, label: Tỷ lệ hồ sơ nộp trực tuyến, kind: percent, automatic: {SOURCE}}}").replace(
        "criteria:\n", "checks:\n- {left: [docs_sw], op: '>=', right: [docs_in], level: warning, "
                       "message: Chưa cập nhật hết văn bản đến vào phần mềm}\ncriteria:\n", 1))
    w = world_module.build_world(django_user_model)
    data = f"Mã đơn vị;Kỳ;Giá trị\nSTTTT;{w.period.year};62,5\n".encode()
    apply_indicator_file(data, "bo-chi-so-766.csv", period=w.period, key="online_pct",
                         source_date=datetime.date(2026, 10, 31), by=w.admin)
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = log_in(browser, base, "canbo.a")
        page.goto(f"{base}/phieu/{w.form_a.pk}/")
        online = page.locator("#id_f__online_pct")
        expect(online).to_be_disabled()
        expect(online).to_have_value("62,5")
        expect(page.locator("#tc-I\\.2")).to_contain_text("Tự động từ Bộ chỉ số 766 — Cổng Dịch vụ công quốc gia: "
                                                          "tệp bo-chi-so-766.csv")
        box = page.locator("#consistency-warnings")
        expect(box).to_be_hidden()
        page.fill("#id_f__docs_in", "100")
        page.fill("#id_f__docs_sw", "90")
        expect(box).to_be_visible()
        expect(box).to_contain_text("Chưa cập nhật hết văn bản đến vào phần mềm (90 ≥ 100 không đúng)")
        page.locator("#tc-I\\.2").scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "form.png"))
        page.fill("#id_f__docs_sw", "100")
        expect(box).to_be_hidden()
        browser.close()
