"""The whole journey in a real browser (Playwright driving Debian's chromium).

Staff fill and submit; the reviewer adjusts a figure with a reason and returns
the form; staff answer and resubmit; the reviewer accepts; the leader approves.
Playwright's sync API runs an event loop, so the database is prepared before
and checked after the browser block, never inside it.
"""

from decimal import Decimal

import pytest

from assessment.models import Assessment

from .world import PASSWORD, answer, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def log_in(browser, base, username):
    page = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000}).new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the one-sentence confirmations before submit, approve
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_fill_submit_review_return_resubmit_accept_approve(live_server, django_user_model):
    from playwright.sync_api import expect, sync_playwright

    world = build_world(django_user_model)
    base, form_path, period_name = live_server.url, f"/phieu/{world.form_a.pk}/", world.period.name

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        # Unit staff fill the form; the score recomputes as they type.
        staff = log_in(browser, base, "canbo.a")
        staff.get_by_role("link", name=period_name).click()
        expect(staff.locator("h1")).to_contain_text("Phiếu tự đánh giá: Sở Thông tin và Truyền thông")
        staff.fill("#id_f__docs_in", "1.000")
        staff.fill("#id_f__docs_sw", "780")
        i1 = staff.locator('#tc-I\\.1 td[data-side="self"] .points')
        expect(i1).to_have_text("2,60")
        staff.locator('#tc-I\\.1 td[data-side="self"] summary').click()
        expect(staff.locator('#tc-I\\.1 td[data-side="self"] .explanation')).to_have_text(
            "780 / 1.000 = 78% ≥ 70% → 78 × 3 / 90 = 2,60")
        staff.fill("#id_f__docs_sw", "1.200")  # a typo: more than received
        expect(staff.locator(".live-error").first).to_contain_text("tử số lớn hơn mẫu số")
        staff.fill("#id_f__docs_sw", "950")
        expect(i1).to_have_text("3,00")
        staff.fill("#id_f__report_date", "15/11/2026")
        staff.fill("#id_f__online_pct", "62,5")
        staff.select_option("#id_f__has_rules", "co")
        staff.select_option("#id_f__signing", "all")
        staff.fill("#id_f__budget", "600.000.000")
        staff.fill("#id_p__II\\.1", "4")
        expect(staff.locator("#total-self")).to_have_text("19,00")
        staff.click("#save")
        expect(staff.locator(".messages")).to_contain_text("Đã lưu phiếu.")
        expect(staff.locator("#submission-problems")).to_contain_text("Tiêu chí I.1: chưa đính kèm tài liệu kiểm chứng")
        staff.fill("#id_x__I\\.1", "Báo cáo lưu tại văn thư, gửi bản giấy khi Sở yêu cầu.")
        staff.click("#submit")
        expect(staff.locator("#status")).to_have_text("Đã nộp, chờ thẩm định")
        expect(staff.locator("#read-only-reason")).to_contain_text("Phiếu đã nộp và đang chờ Sở thẩm định")

        # The reviewer lowers a figure, with a reason, and returns the form.
        reviewer = log_in(browser, base, "thamdinh.a")
        reviewer.goto(f"{base}{form_path}tham-dinh/")
        reviewer.fill("#id_rf__docs_sw", "780")
        reviewer.fill("#id_rr__I\\.1", "Đối chiếu sổ văn thư: chỉ 780 văn bản cập nhật")
        expect(reviewer.locator("#total-reviewed")).to_have_text("18,60")
        reviewer.fill("#return-reason", "Đề nghị gửi báo cáo thống kê văn bản đến (tiêu chí I.1).")
        reviewer.click("#return")
        expect(reviewer.locator("#status")).to_have_text("Trả lại để giải trình")

        # Staff see why, answer in the thread, and resubmit.
        staff.goto(f"{base}{form_path}")
        expect(staff.locator("#status")).to_have_text("Trả lại để giải trình")
        expect(staff.locator("body")).to_contain_text("Trả lại phiếu: Đề nghị gửi báo cáo thống kê văn bản đến")
        expect(staff.locator("#total-reviewed")).to_have_text("18,60")
        staff.fill("#id_n__I\\.1", "Số liệu theo sổ văn thư, đã gửi bản chụp.")
        staff.click("#submit")
        expect(staff.locator("#status")).to_have_text("Đã nộp, chờ thẩm định")

        # The reviewer accepts; the leader approves.
        reviewer.goto(f"{base}{form_path}tham-dinh/")
        reviewer.click("#accept")
        expect(reviewer.locator("#status")).to_have_text("Đã thẩm định")
        leader = log_in(browser, base, "lanhdao")
        leader.goto(f"{base}{form_path}")
        leader.click("#approve")
        expect(leader.locator("#status")).to_have_text("Đã phê duyệt")

        # The history tab tells the story in plain Vietnamese.
        leader.click("text=Lịch sử thay đổi")
        expect(leader.locator("body")).to_contain_text(
            "Số liệu thẩm định “Số văn bản đến cập nhật vào phần mềm”: 950 → 780")
        expect(leader.locator("body")).to_contain_text("Đối chiếu sổ văn thư: chỉ 780 văn bản cập nhật")
        browser.close()

    form = Assessment.objects.get(pk=world.form_a.pk)
    assert form.status == Assessment.Status.APPROVED
    assert form.self_total == Decimal("19.00") and form.reviewed_total == Decimal("18.60")
    i1 = answer(form, "I.1")
    assert i1.self_result == Decimal("3.00") and i1.reviewed_result == Decimal("2.60")
    assert i1.note == "Số liệu theo sổ văn thư, đã gửi bản chụp."
