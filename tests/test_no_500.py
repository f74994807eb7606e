"""Each kind of bad input that once gave HTTP 500 now gets a Vietnamese message (issue #10)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment import workflow
from assessment.demo import TINY_PDF
from assessment.models import Assessment, Comment, EvidenceFile
from reports.models import Remarks

from .world import answer, approved, submitted

LONG = "Lý do rất dài: " + "đối chiếu số liệu văn thư " * 20  # about 500 characters


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def text_of(response):
    return response.content.decode()


def review_data(form, **extra):
    """What the review page posts when the reviewer changes nothing."""
    from assessment.forms import ReviewForm

    bound = ReviewForm(form, workflow.load_answers(form))
    data = {name: bound[name].value() for name in bound.fields}
    return {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)} | extra


def test_a_long_reason_to_return_is_kept_whole(world, login):
    submitted(world)
    client = login(world.reviewer_a)
    response = client.post(reverse("assessment:review", args=[world.form_a.pk]),
                           review_data(world.form_a, action="return", reason=LONG), follow=True)
    assert response.status_code == 200
    world.form_a.refresh_from_db()
    assert world.form_a.status == Assessment.Status.RETURNED
    assert world.form_a.history.first().history_change_reason == LONG.strip()


def test_a_reason_over_the_limit_is_refused_in_vietnamese(world, login):
    submitted(world)
    client = login(world.reviewer_a)
    response = client.post(reverse("assessment:review", args=[world.form_a.pk]),
                           review_data(world.form_a, action="return", reason="x" * 2001), follow=True)
    assert "“Nội dung đề nghị giải trình” dài 2.001 ký tự, vượt giới hạn 2.000 ký tự." in text_of(response)
    world.form_a.refresh_from_db()
    assert world.form_a.status == Assessment.Status.SUBMITTED


def test_long_reasons_to_unapprove_and_reopen(world, login):
    approved(world, world.form_a, world.staff_a)
    client = login(world.leader)
    response = client.post(reverse("assessment:unapprove", args=[world.form_a.pk]), {"reason": LONG}, follow=True)
    assert "Đã huỷ phê duyệt." in text_of(response)
    assert world.form_a.history.first().history_change_reason == f"Huỷ phê duyệt: {LONG.strip()}"
    client = login(world.admin)
    response = client.post(reverse("assessment:reopen", args=[world.form_a.pk]),
                           {"reason": LONG, "days": "2"}, follow=True)
    assert "Đã mở lại phiếu cho đơn vị." in text_of(response)


def test_a_long_per_criterion_reason_of_the_reviewer(world):
    submitted(world)
    i1 = answer(world.form_a, "I.1")
    workflow.save_review(world.form_a, {"I.1": {"reviewed_values": dict(i1.values, docs_sw="800"),
                                                "reviewed_points": None, "poor_data": False, "reason": LONG,
                                                "changed": True}}, {"I.1": i1.version}, by=world.reviewer_a)
    assert answer(world.form_a, "I.1").history.first().history_change_reason == LONG.strip()


def test_a_long_evidence_file_name_is_shortened_and_leaves_no_orphan(world, login, media):
    name = "Báo cáo " + "thống kê văn bản đến và đi của đơn vị " * 6 + ".pdf"
    response = login(world.staff_a).post(reverse("assessment:upload", args=[world.form_a.pk]),
                                         {"file": SimpleUploadedFile(name, TINY_PDF), "criterion": "I.1"}, follow=True)
    assert response.status_code == 200
    record = EvidenceFile.objects.get()
    assert len(record.original_name) <= 150 and record.original_name.endswith(".pdf")
    assert f"Đã tải lên “{record.original_name}”" in text_of(response)
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [record.sha256]


def test_a_failed_record_removes_the_stored_file(world, media, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(workflow, "_save", broken)
    with pytest.raises(RuntimeError):
        workflow.upload_evidence(world.form_a, SimpleUploadedFile("a.pdf", TINY_PDF), by=world.staff_a)
    assert not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize("field", ["text"])
def test_nul_in_a_comment_is_refused(world, login, field):
    client = login(world.staff_a)
    response = client.post(reverse("assessment:comment", args=[world.form_a.pk]), {field: "giải\x00trình"})
    assert response.status_code == 400
    assert "có chứa ký tự NUL" in text_of(response)
    assert not Comment.objects.exists()


def test_other_control_characters_in_a_comment_are_refused_by_name(world, login):
    client = login(world.staff_a)
    response = client.post(reverse("assessment:comment", args=[world.form_a.pk]),
                           {"text": "giải\x07trình \u202eexe.pdf"}, follow=True)
    assert "“Nội dung giải trình” chứa ký tự điều khiển (U+0007)" in text_of(response)
    assert not Comment.objects.exists()


def test_a_comment_over_its_limit(world, login):
    response = login(world.staff_a).post(reverse("assessment:comment", args=[world.form_a.pk]),
                                         {"text": "a" * 4001}, follow=True)
    assert "vượt giới hạn 4.000 ký tự" in text_of(response)
    assert not Comment.objects.exists()


def test_nul_in_remarks_and_publication_number(world, login, profile):
    approved(world, world.form_a, world.staff_a)
    client = login(world.reviewer_a)
    response = client.post(reverse("reports:remarks", args=[world.form_a.pk]), {"strengths": "tốt\x00"})
    assert response.status_code == 400 and "ký tự NUL" in text_of(response)
    assert not Remarks.objects.filter(strengths__contains="tốt").exists()
    client = login(world.leader)
    response = client.post(reverse("reports:publish", args=[world.period.pk]),
                           {"profile": profile.pk, "date": "2021-01-05", "number": "15\x00/QĐ"})
    assert response.status_code == 400 and "ký tự NUL" in text_of(response)


def test_remarks_over_the_limit_are_refused_not_cut(world, login):
    approved(world, world.form_a, world.staff_a)
    response = login(world.reviewer_a).post(reverse("reports:remarks", args=[world.form_a.pk]),
                                            {"strengths": "a" * 4001, "weaknesses": ""}, follow=True)
    assert "“Nội dung thực hiện tốt” dài 4.001 ký tự, vượt giới hạn 4.000 ký tự." in text_of(response)
    assert not Remarks.objects.filter(strengths__startswith="aaa").exists()


def test_publication_number_with_control_characters(world, login, profile):
    approved(world, world.form_a, world.staff_a)
    response = login(world.leader).post(reverse("reports:publish", args=[world.period.pk]),
                                        {"profile": profile.pk, "date": "2021-01-05", "number": "15/QĐ\u202e"},
                                        follow=True)
    assert "“Số văn bản” chứa ký tự đổi chiều văn bản (U+202E)" in text_of(response)


def test_status_filter_with_nul(world, login):
    response = login(world.leader).get(reverse("assessment:period", args=[world.period.pk]) + "?trang-thai=%00")
    assert response.status_code == 400 and "ký tự NUL" in text_of(response)
    response = login(world.leader).get(reverse("assessment:period", args=[world.period.pk]) + "?trang-thai=khac")
    assert response.status_code == 200  # an unknown status is ignored: the whole queue


def test_anonymous_verification_with_nul_or_garbage(client, db):
    response = client.get(reverse("reports:verify") + "?ma=%00")
    assert response.status_code == 400 and "ký tự NUL" in text_of(response)
    response = client.get(reverse("reports:verify") + "?ma=khong-phai-ma")
    assert response.status_code == 200
    assert "không phải mã SHA-256" in text_of(response)


def test_bulk_approval_with_a_non_number(world, login):
    response = login(world.leader).post(reverse("assessment:approve_many", args=[world.period.pk]),
                                        {"phieu": ["abc", "²"]}, follow=True)
    assert response.status_code == 200
    assert "2 phiếu chưa thẩm định xong hoặc không thuộc quyền phê duyệt, đã bỏ qua." in text_of(response)


def test_publish_with_a_non_number_profile(world, login, profile):
    approved(world, world.form_a, world.staff_a)
    response = login(world.leader).post(reverse("reports:publish", args=[world.period.pk]),
                                        {"profile": "abc", "date": "2021-01-05", "number": "15/QĐ"}, follow=True)
    assert "Chưa chọn cơ quan ban hành, người ký" in text_of(response)
    assert not world.period.publications.exists()


def test_reopen_with_a_superscript_number_of_days(world, login):
    submitted(world)
    response = login(world.admin).post(reverse("assessment:reopen", args=[world.form_a.pk]),
                                       {"reason": "Sai số liệu", "days": "²"}, follow=True)
    assert "Số ngày mở lại “²” không hợp lệ: nhập số nguyên từ 1 đến 30." in text_of(response)


def test_a_stored_huge_figure_does_not_break_downloads(world, login):
    huge = "1" + "0" * 309
    a = answer(world.form_a, "I.5")
    type(a).objects.filter(pk=a.pk).update(values={"budget": huge})
    a = answer(world.form_a, "I.1")
    type(a).objects.filter(pk=a.pk).update(values={"docs_in": huge, "docs_sw": "1e309"})
    client = login(world.staff_a)
    response = client.get(reverse("assessment:offline", args=[world.form_a.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    texts = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("1.000.000.000") for t in texts)  # shown as text, in full
    client = login(world.admin)
    response = client.get(reverse("assessment:bulk", args=[world.period.pk]),
                          {"bo": world.form_a.criteria_set_id, "mau": "1"})
    assert response.status_code == 200
    for path in (reverse("assessment:form", args=[world.form_a.pk]),
                 reverse("reports:unit_sheet", args=[world.form_a.pk])):
        assert login(world.staff_a).get(path).status_code == 200


def test_bulk_upload_refuses_an_oversized_file_before_reading_it(world, login, settings):
    settings.BULK_MAX_BYTES = 1024
    response = login(world.admin).post(reverse("assessment:bulk", args=[world.period.pk]),
                                       {"bo": world.form_a.criteria_set_id,
                                        "file": SimpleUploadedFile("lon.xlsx", b"PK" + b"0" * 4096)}, follow=True)
    assert "Tệp “lon.xlsx” dung lượng 0 MB, vượt giới hạn 0 MB." in text_of(response) or \
        "vượt giới hạn" in text_of(response)


def test_request_body_limit_applies_to_the_anonymous_verification_page(client, db, settings):
    settings.REQUEST_BODY_LIMITS = {"/xac-minh/": 1024 * 1024}
    response = client.post(reverse("reports:verify"), {"file": SimpleUploadedFile("a.pdf", b"%PDF" + b"0" * 2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "vượt giới hạn 1 MB của trang này" in text_of(response)


def test_verification_page_is_rate_limited_per_address(client, db, settings):
    settings.VERIFY_RATE_LIMIT = 3
    codes = [client.get(reverse("reports:verify"), REMOTE_ADDR="10.0.0.9").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    other = client.get(reverse("reports:verify"), REMOTE_ADDR="10.0.0.10")
    assert other.status_code == 200
    page = client.get(reverse("reports:verify"), REMOTE_ADDR="10.0.0.9")
    assert "Quá nhiều lượt kiểm tra" in text_of(page)


def test_a_date_parameter_out_of_range(world, login, profile):
    approved(world, world.form_a, world.staff_a)
    response = login(world.leader).post(reverse("reports:publish", args=[world.period.pk]),
                                        {"profile": profile.pk, "date": "99999-01-01", "number": "1"}, follow=True)
    assert "Ngày văn bản “99999-01-01” không hợp lệ." in text_of(response)


def test_rate_limit_counts_the_client_behind_the_proxy(client, db, settings):
    settings.VERIFY_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    first = [client.get(reverse("reports:verify"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1").status_code
             for _ in range(3)]
    other = client.get(reverse("reports:verify"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.2")
    assert first == [200, 200, 429] and other.status_code == 200
