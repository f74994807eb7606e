"""The review cycle and the small wrong things of issue 9, at the server: what each person sees
and what each post does. The browser journey (test_browser_review_cycle) covers the same story
with JavaScript; these pin the server's part without a browser."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import workflow
from assessment.forms import ReviewForm
from assessment.models import Assessment
from assessment.templatetags.forms_extra import public_note
from assessment.warnings import figure_warnings
from reports.analysis import REMARK_LENGTH, draft_remarks

from .test_offline import as_bytes, download, fill, upload
from .test_unit_form import form_url, post_form
from .world import FULL_FORM, answer, submitted


def review_data(form, changes=None):
    """What the review page posts when the reviewer only changes ``changes``."""
    form = Assessment.objects.get(pk=form.pk)
    page = ReviewForm(form, workflow.load_answers(form))
    data = {}
    for name in page.fields:
        value = page[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    for name, value in (changes or {}).items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def review(client, form, action, changes=None):
    data = review_data(form, changes)
    data["action"] = action
    return client.post(reverse("assessment:review", args=[form.pk]), data)


@pytest.fixture
def returned(world, login):
    """Form A submitted with 950 documents; the reviewer lowered it to 780 and asked for more on I.2."""
    submitted(world)
    client = login(world.reviewer_a)
    data = review_data(world.form_a)
    data.update({"rf__docs_sw": "780", "rr__I.1": "Đối chiếu sổ văn thư", "rb__I.2": "on",
                 "rbr__I.2": "Gửi báo cáo của bộ phận một cửa", "reason": "Đề nghị bổ sung I.2", "action": "return"})
    response = client.post(reverse("assessment:review", args=[world.form_a.pk]), data)
    assert response.status_code == 302
    return Assessment.objects.get(pk=world.form_a.pk)


def test_cần_bổ_sung_needs_its_reason(world, login):
    submitted(world)
    client = login(world.reviewer_a)
    data = review_data(world.form_a)
    data.update({"rb__I.2": "on", "action": "save"})
    response = client.post(reverse("assessment:review", args=[world.form_a.pk]), data)
    assert response.status_code == 400
    assert "Tiêu chí I.2: đánh dấu “cần bổ sung” thì phải ghi nội dung cần bổ sung" in response.content.decode()
    assert answer(world.form_a, "I.2").request == ""


def test_returned_form_shows_banner_requests_and_the_reviewers_figure(returned, world, login):
    html = login(world.staff_a).get(form_url(returned)).content.decode()
    assert 'id="returned-banner"' in html and "Thị Lan" in html and "Lý do: Đề nghị bổ sung I.2" in html
    assert 'href="#tc-I.1"' in html and 'href="#tc-I.2"' in html
    assert "cần bổ sung: Gửi báo cáo của bộ phận một cửa" in html
    assert 'id="request-I.2"' in html and "Lý do: Đối chiếu sổ văn thư" in html
    # Only what the reviewer marked or changed is listed: I.3 is neither.
    assert 'href="#tc-I.3"' not in html


def test_resubmitted_with_the_reviewers_figure_is_accepted_without_a_reason(returned, world, login):
    staff = login(world.staff_a)
    assert post_form(staff, returned, {**FULL_FORM, "f__docs_sw": "780", "f__report_note": "Sổ văn thư"},
                     action="submit").status_code == 302
    form = Assessment.objects.get(pk=returned.pk)
    assert form.status == Assessment.Status.SUBMITTED and form.resubmitted
    reviewer = login(world.reviewer_a)
    queue = reviewer.get(reverse("assessment:period", args=[world.period.pk])).content.decode()
    assert "Đã nộp lại, chờ thẩm định" in queue
    page = reviewer.get(reverse("assessment:review", args=[form.pk])).content.decode()
    assert "Thay đổi từ lần nộp trước" in page and "Số văn bản đến cập nhật vào phần mềm: 950 → 780" in page
    response = review(reviewer, form, "accept", {"rbr__I.2": "", "rb__I.2": False})
    assert response.status_code == 302, response.content.decode()[:2000]
    form = Assessment.objects.get(pk=form.pk)
    assert form.status == Assessment.Status.REVIEWED and form.reviewed_total == Decimal("18.60")
    i1 = answer(form, "I.1")
    assert i1.reviewed_values is None and i1.review_reason == ""


def test_a_figure_different_from_the_units_still_needs_a_reason(world, login):
    submitted(world)
    response = review(login(world.reviewer_a), world.form_a, "accept", {"rf__docs_sw": "700"})
    assert response.status_code == 400
    assert "Tiêu chí I.1: cần ghi lý do điều chỉnh" in response.content.decode()


def test_blocked_submission_says_the_draft_was_saved(world, login):
    client = login(world.staff_a)
    incomplete = {k: v for k, v in FULL_FORM.items() if k != "f__online_pct"}
    html = post_form(client, world.form_a, incomplete, action="submit").content.decode()
    assert "Đã lưu nháp, nhưng phiếu chưa nộp được" in html and "Phiếu chưa lưu được" not in html
    assert '<a href="#tc-I.2">Tiêu chí I.2: chưa nhập' in html
    # The page carries the saved versions: saving again from it is not a conflict.
    assert post_form(client, world.form_a, FULL_FORM).status_code == 302


def test_column_6_waits_for_a_reviewer(world, login):
    submitted(world)
    html = login(world.staff_a).get(form_url(world.form_a)).content.decode()
    assert "Chưa thẩm định." in html and 'id="total-reviewed"' not in html


def test_deduction_group_reads_as_a_deduction(world, login):
    html = login(world.staff_a).get(form_url(world.form_a)).content.decode()
    group = html[html.index('id="tc-III"'):html.index('id="tc-III.1"')]
    assert '<td class="num max"></td>' in group


def test_bulk_approval_with_nothing_ticked_says_so_and_keeps_the_filter(world, login):
    client = login(world.leader)
    response = client.post(reverse("assessment:approve_many", args=[world.period.pk]),
                           {"khoi": "so-nganh", "trang-thai": "reviewed"}, follow=True)
    assert "Chưa chọn phiếu nào" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?khoi=so-nganh&trang-thai=reviewed")


def test_classification_column_only_for_sets_with_bands(world, login):
    client = login(world.leader)
    assert "<th>Xếp loại</th>" in client.get(reverse("assessment:period", args=[world.period.pk])).content.decode()
    scheme = world.form_a.criteria_set.scheme()
    scheme_bands, scheme.bands = scheme.bands, []
    try:
        html = client.get(reverse("assessment:period", args=[world.period.pk])).content.decode()
    finally:
        scheme.bands = scheme_bands
    assert "<th>Xếp loại</th>" not in html


def test_developer_notes_are_not_shown_to_users():
    assert public_note("Giữ nguyên như văn bản (xem docs/criteria-decisions.md).") == "Giữ nguyên như văn bản."
    assert public_note("QĐ 3299/QĐ-UBND, Phụ lục 01 (seed 004)") == "QĐ 3299/QĐ-UBND, Phụ lục 01"


def test_far_off_figures_are_warned_about_not_refused(world):
    scheme = world.form_a.criteria_set.scheme()
    warnings = figure_warnings(scheme, {"I.1": {"docs_in": "1000000", "docs_sw": "950"}}, {}, None)
    assert "lớn gấp hơn 100 lần" in warnings["f__docs_in"]
    warnings = figure_warnings(scheme, {"I.1": {"docs_in": "1000", "docs_sw": "950"}},
                               {("I.1", "docs_in"): "90"}, 2025)
    assert "khác xa năm 2025 (90)" in warnings["f__docs_in"]
    assert figure_warnings(scheme, {"I.1": {"docs_in": "1000", "docs_sw": "950"}},
                           {("I.1", "docs_in"): "980"}, 2025) == {}


def test_drafted_remarks_are_short(world):
    submitted(world)
    form = Assessment.objects.get(pk=world.form_a.pk)
    scheme = form.criteria_set.scheme()
    for node in scheme.leaves:
        node.title = node.title + " " + "rất dài " * 30
    try:
        from assessment.sheet import AnswerSheet

        _, reviewed = AnswerSheet.of(form).both()
        good, poor = draft_remarks(scheme, reviewed)
    finally:
        for node in scheme.leaves:
            node.title = node.title.split(" rất dài")[0]
    assert good and len(good) <= REMARK_LENGTH and len(poor) <= REMARK_LENGTH


def test_offline_preview_shows_what_a_refused_cell_holds(world, login):
    client = login(world.staff_a)
    book = download(client, world.form_a)
    messages = {dv.error for dv in book.active.data_validations.dataValidation}
    # One rule per field: each whole-number cell's message names its own field.
    assert {"Giá trị không hợp lệ cho “Tổng số văn bản đến”.",
            "Giá trị không hợp lệ cho “Số văn bản đến cập nhật vào phần mềm”."} <= messages
    html = upload(client, world.form_a, as_bytes(fill(book, {"Tổng số văn bản đến": "nhiều"}))).content.decode()
    assert "“nhiều” (không đọc được)" in html


def test_unit_sees_its_annex_from_home(published, world, login):
    html = login(world.staff_a).get(reverse("home")).content.decode()
    assert reverse("reports:publication", args=[published.pk]) in html and "Phiếu kết quả (PDF)" in html


def test_upload_from_the_page_answers_in_place(world, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessment.demo import TINY_PDF

    settings.MEDIA_ROOT = tmp_path
    client = login(world.staff_a)
    url = reverse("assessment:upload", args=[world.form_a.pk])
    exe = SimpleUploadedFile("cai-dat.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200)
    bad = client.post(url, {"criterion": "I.1", "file": exe}, headers={"X-Requested-With": "fetch"})
    assert bad.status_code == 400 and "không được chấp nhận (nội dung là EXE)" in bad.json()["message"]
    good = client.post(url, {"criterion": "I.1", "file": SimpleUploadedFile("bao-cao.pdf", TINY_PDF)},
                       headers={"X-Requested-With": "fetch"})
    assert good.json()["ok"] and good.json()["file"]["name"] == "bao-cao.pdf"

