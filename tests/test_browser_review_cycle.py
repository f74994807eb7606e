"""The daily round trip in a real browser, as the four people who make it would do it.

Unit staff fill the form (live group subtotal, a warning for a far-off figure, an upload that
keeps the figures typed, a refused EXE that says why, a submission blocked with the right
words), the reviewer asks for more on one criterion and adjusts another and returns the form;
staff read the banner, take over the reviewer's figure and resubmit; the reviewer sees what
changed and accepts without a reason; the leader approves (a bulk approval with nothing
ticked first), confirms publication after the preview; the unit downloads the annex. Every
page visited is checked with axe-core (0 serious or critical violations), and the unit's home
and form are checked at 390 px. One journey, few page loads: CI has two cores.

Set UX_SHOTS=/some/dir to keep screenshots of the pages at 1280 and 390 px.
"""

import os
from pathlib import Path

import pytest

from assessment import workflow
from assessment.demo import TINY_PDF
from assessment.models import Assessment
from reports.models import IssuingProfile, Publication

from .test_browser import CHROMIUM, CHROMIUM_ARGS
from .world import PASSWORD, answer, build_world, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
SHOTS = os.environ.get("UX_SHOTS")

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(" | "));
}"""


def accessible(page, name):
    """axe-core finds no serious or critical violation on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN)
    assert violations == [], f"{name}: {violations}"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def log_in(browser, base, username, *, width=1280):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900}, bypass_csp=True,
                                  accept_downloads=True)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.accept()))
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_return_banner_resubmit_accept_publish_download(live_server, django_user_model, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    world = build_world(django_user_model)
    # The other unit's form is back with it: publication must say it is not approved.
    workflow.return_to_unit(submitted(world, world.form_b, world.staff_b), by=world.reviewer_b,
                            reason="Kiểm tra lại số liệu.")
    IssuingProfile.objects.create(
        name="Sở TTTT Lào Cai", parent_body="UBND tỉnh Lào Cai", issuing_body="Sở Thông tin và Truyền thông",
        place="Lào Cai", authority="KT.", authority_of="Giám đốc", signer_title="Phó Giám đốc",
        signer_name="Nguyễn Văn Hùng", recipients="- Lưu: VT, CNTT.", is_default=True)
    base, form_path = live_server.url, f"/phieu/{world.form_a.pk}/"
    pdf, exe = tmp_path / "bao-cao.pdf", tmp_path / "chuong-trinh.exe"
    pdf.write_bytes(TINY_PDF)
    exe.write_bytes(EXE)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        # --- Unit staff fill the form.
        staff = log_in(browser, base, "canbo.a")
        accessible(staff, "01-unit-home")
        staff.goto(f"{base}{form_path}")
        expect(staff.locator("#progress")).to_contain_text("0/6 tiêu chí đã nhập")
        group_i = staff.locator('#tc-I td[data-side="self"] .points')
        expect(group_i).to_have_text("0,00")
        staff.fill("#id_f__docs_in", "1.000")
        staff.fill("#id_f__docs_sw", "950")
        expect(group_i).to_have_text("3,00")  # the group subtotal follows the typing
        expect(staff.locator('nav.sections [data-group="I"]')).to_have_text("3,00")
        expect(staff.locator('#tc-I\\.1 td[data-side="self"] .explanation')).to_be_visible()  # no click needed
        expect(staff.locator('#tc-I\\.1 td[data-side="self"] .inputs')).to_have_text(
            "Số liệu: Tổng số văn bản đến = 1.000; Số văn bản đến cập nhật vào phần mềm = 950")
        staff.fill("#id_f__docs_in", "1.000.000")  # an extra zero or three: a warning, not an error
        expect(staff.locator("#tc-I\\.1 .field-warning").first).to_contain_text("Lưu ý")
        staff.fill("#id_f__docs_in", "1.000")
        staff.fill("#id_f__report_date", "15/11/2026")
        staff.select_option("#id_f__has_rules", "co")
        staff.select_option("#id_f__signing", "all")
        staff.fill("#id_f__budget", "600.000.000")
        staff.fill("#id_p__II\\.1", "4")
        expect(staff.locator("#progress")).to_contain_text("5/6 tiêu chí đã nhập — tiếp theo: I.2")
        expect(staff.locator("#bar-total")).to_have_text("16,00")

        # An upload after typing keeps what was typed; its message sits beside the file.
        staff.set_input_files("#file-I\\.1", str(exe))
        staff.click('button[data-upload="I.1"]')
        expect(staff.locator("#upload-message-I\\.1")).to_contain_text("không được chấp nhận (nội dung là EXE)")
        staff.set_input_files("#file-I\\.1", str(pdf))
        staff.click('button[data-upload="I.1"]')
        expect(staff.locator("#upload-message-I\\.1")).to_contain_text("Đã tải lên “bao-cao.pdf”")
        expect(staff.locator("#files-I\\.1")).to_contain_text("bao-cao.pdf")
        expect(staff.locator("#id_f__docs_sw")).to_have_value("950")
        expect(staff.locator("#bar-total")).to_have_text("16,00")
        accessible(staff, "02-unit-form-typing")

        # Submitting with a figure missing: the draft is saved, the submission is not.
        staff.click("#submit")
        assert staff.dialogs[-1].startswith("Nộp phiếu cho Sở thẩm định")
        expect(staff.locator("#summary")).to_contain_text("Đã lưu nháp, nhưng phiếu chưa nộp được")
        expect(staff.locator("#summary")).not_to_contain_text("chưa lưu được")
        expect(staff.locator("#summary")).to_be_focused()
        expect(staff.locator("#summary a").first).to_have_attribute("href", "#tc-I.2")
        accessible(staff, "03-unit-form-blocked")
        staff.fill("#id_f__online_pct", "62,5")
        expect(staff.locator("#progress")).to_contain_text("6/6 tiêu chí đã nhập")
        staff.click("#submit")
        expect(staff.locator("#status")).to_have_text("Đã nộp, chờ thẩm định")
        expect(staff.locator("#not-reviewed-yet")).to_have_text("Chưa thẩm định.")
        expect(staff.locator("#total-reviewed")).to_have_count(0)

        # --- The reviewer adjusts I.1, asks for more on I.2, and returns the form.
        reviewer = log_in(browser, base, "thamdinh.a")
        reviewer.goto(f"{base}{form_path}tham-dinh/")
        reviewer.fill("#id_rf__docs_sw", "780")
        reviewer.fill("#id_rr__I\\.1", "Đối chiếu sổ văn thư: chỉ 780 văn bản cập nhật")
        reviewer.check("#id_rb__I\\.2")
        reviewer.fill("#id_rbr__I\\.2", "Gửi báo cáo của Trung tâm phục vụ hành chính công")
        expect(reviewer.locator("#total-reviewed")).to_have_text("18,60")
        accessible(reviewer, "04-review")
        reviewer.fill("#return-reason", "Đề nghị bổ sung tiêu chí I.2; số liệu I.1 theo sổ văn thư.")
        reviewer.click("#return")
        assert reviewer.dialogs[-1].startswith("Trả lại phiếu")
        expect(reviewer.locator("#status")).to_have_text("Trả lại để giải trình")

        # --- Staff read the banner, take over the reviewer's figure and resubmit.
        staff.goto(f"{base}{form_path}")
        banner = staff.locator("#returned-banner")
        expect(banner).to_contain_text("Thị Lan")
        expect(banner).to_contain_text("Lý do: Đề nghị bổ sung tiêu chí I.2")
        expect(banner.locator('a[href="#tc-I.1"]')).to_be_visible()
        expect(banner.locator('a[href="#tc-I.2"]')).to_be_visible()
        expect(staff.locator("#request-I\\.2")).to_contain_text("Gửi báo cáo của Trung tâm phục vụ hành chính công")
        expect(staff.locator("#tc-I\\.1 .reviewer-view")).to_contain_text("780")
        expect(staff.locator("#tc-I\\.1 .reviewer-view")).to_contain_text("Đối chiếu sổ văn thư")
        accessible(staff, "05-unit-returned")
        staff.fill("#id_f__docs_sw", "780")
        staff.fill("#id_n__I\\.2", "Đã gửi báo cáo qua hệ thống văn bản.")
        staff.click("#submit")
        expect(staff.locator("#status")).to_have_text("Đã nộp, chờ thẩm định")

        # --- The reviewer sees it resubmitted, what changed, and accepts: no reason owed.
        reviewer.goto(f"{base}/ky-danh-gia/{world.period.pk}/")
        expect(reviewer.locator("table.queue")).to_contain_text("Đã nộp lại")
        accessible(reviewer, "06-queue")
        reviewer.goto(f"{base}{form_path}tham-dinh/")
        expect(reviewer.locator("#tc-I\\.1 .changes")).to_contain_text("950 → 780")
        reviewer.check('#review-filter input[value="doi"]')
        expect(reviewer.locator("#tc-I\\.3")).to_be_hidden()
        expect(reviewer.locator("#tc-I\\.1")).to_be_visible()
        reviewer.uncheck('#review-filter input[value="doi"]')
        reviewer.uncheck("#id_rb__I\\.2")
        reviewer.fill("#id_rbr__I\\.2", "")
        reviewer.click("#accept")
        expect(reviewer.locator("#status")).to_have_text("Đã thẩm định")

        # --- The leader: bulk approval with nothing ticked keeps the filter and says so.
        leader = log_in(browser, base, "lanhdao")
        leader.goto(f"{base}/ky-danh-gia/{world.period.pk}/?trang-thai=reviewed")
        leader.click("#approve-many")
        expect(leader.locator(".messages")).to_contain_text("Chưa chọn phiếu nào")
        assert "trang-thai=reviewed" in leader.url
        leader.check(f'input[name="phieu"][value="{world.form_a.pk}"]')
        leader.click("#approve-many")
        assert leader.dialogs[-1].startswith("Phê duyệt các phiếu đã chọn")
        expect(leader.locator(".messages")).to_contain_text("Đã phê duyệt 1 phiếu.")

        # Publishing: a review step first (pending forms, open period, page 1), then the confirmation.
        leader.goto(f"{base}/ky-danh-gia/{world.period.pk}/ket-qua/")
        accessible(leader, "07-results")
        leader.fill('input[name="number"]', "15/QĐ-STTTT")
        leader.fill('input[name="date"]', "05/01/2027")
        leader.click("#publish")
        expect(leader.locator("#pending-forms")).to_contain_text("1 phiếu chưa được phê duyệt")
        expect(leader.locator("#pending-forms")).to_contain_text("Sở Nội vụ")
        expect(leader.locator("#period-open")).to_contain_text("Kỳ đánh giá vẫn đang mở")
        leader.wait_for_function("document.getElementById('page-preview').naturalWidth > 0")
        accessible(leader, "08-publish-confirm")
        leader.click("#confirm-publish")
        assert leader.dialogs[-1].startswith("Công bố phụ lục số 15/QĐ-STTTT")
        expect(leader.locator(".messages")).to_contain_text("Đã công bố phụ lục lần 1.")
        accessible(leader, "09-publication")

        # --- The unit opens and downloads the annex of its period.
        staff.goto(f"{base}/")
        staff.click("a.annex-link")
        accessible(staff, "10-unit-annex")
        with staff.expect_download() as download:
            staff.click("#download-pdf")
        assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"

        # --- On a phone: no horizontal scrolling, inputs at 16 px, the sticky bar fits.
        phone = log_in(browser, base, "canbo.b", width=390)
        assert no_horizontal_scroll(phone)
        accessible(phone, "11-phone-home")
        phone.goto(f"{base}/phieu/{world.form_b.pk}/")
        assert no_horizontal_scroll(phone)
        assert phone.evaluate("parseFloat(getComputedStyle(document.getElementById('id_f__docs_in')).fontSize)") >= 16
        assert phone.evaluate("document.getElementById('stickybar').getBoundingClientRect().right") <= 390
        accessible(phone, "12-phone-form")
        browser.close()

    form = Assessment.objects.get(pk=world.form_a.pk)
    assert form.status == Assessment.Status.APPROVED and form.submission_count == 2
    i1 = answer(form, "I.1")
    assert i1.values["docs_sw"] == "780" and i1.reviewed_values is None and i1.review_reason == ""
    assert Publication.objects.filter(period=world.period).count() == 1
    assert form.files.filter(removed=False).count() == 1  # the EXE was refused
