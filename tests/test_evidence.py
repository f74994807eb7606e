"""Evidence files: type checked by content, size limit, checksum and uploader, who may download."""

import hashlib
import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.demo import TINY_PDF
from assessment.models import EvidenceFile

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(client, form, name, content, criterion="I.1", **extra):
    return client.post(reverse("assessment:upload", args=[form.pk]),
                       {"file": SimpleUploadedFile(name, content), "criterion": criterion, **extra}, follow=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_upload_is_stored_with_checksum_and_uploader(world, login, media):
    client = login(world.staff_a)
    response = upload(client, world.form_a, "Báo cáo văn bản đến.pdf", TINY_PDF)
    assert "Đã tải lên “Báo cáo văn bản đến.pdf”" in response.content.decode()
    record = EvidenceFile.objects.get(assessment=world.form_a)
    assert record.sha256 == hashlib.sha256(TINY_PDF).hexdigest()
    assert record.uploaded_by == world.staff_a and record.size == len(TINY_PDF)
    assert record.content_type == "application/pdf" and record.criterion.code == "I.1"
    download = client.get(reverse("assessment:download", args=[record.pk]))
    assert b"".join(download.streaming_content) == TINY_PDF
    # A non-ASCII name travels as RFC 5987 ``filename*=utf-8''…`` (percent-encoded UTF-8): decode it.
    disposition = download["Content-Disposition"]
    assert "filename*=utf-8''" in disposition
    assert unquote(disposition.split("filename*=utf-8''", 1)[1]) == "Báo cáo văn bản đến.pdf"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("quyet-dinh.pdf", PNG, "có phần mở rộng .pdf nhưng nội dung là PNG"),
    ("bao-cao.pdf", EXE, "không được chấp nhận (nội dung là EXE)"),
    ("ghi-chu.pdf", b"chi la van ban thuong, khong phai PDF", "không nhận ra được nội dung"),
    ("rong.pdf", b"", "rỗng"),
])
def test_a_file_that_lies_about_its_type_is_refused(world, login, media, name, content, message):
    response = upload(login(world.staff_a), world.form_a, name, content)
    html = response.content.decode()
    assert f"Tệp “{name}”" in html and message in html
    assert not EvidenceFile.objects.exists()
    assert not any(media.rglob("*"))  # nothing half-written to disk either


def test_oversized_file_is_refused_with_the_limit(world, login, media, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = TINY_PDF + b"0" * (2 * 1024 * 1024)
    html = upload(login(world.staff_a), world.form_a, "lon.pdf", big).content.decode()
    assert "Tệp “lon.pdf” dung lượng 2 MB, vượt giới hạn 1 MB." in html
    assert not EvidenceFile.objects.exists()


def test_signed_scan_only_accepts_pdf_or_images(world, login, media):
    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)
    client = login(world.staff_a)
    html = upload(client, world.form_a, "phieu.xlsx", workbook.getvalue(), criterion="", kind="signed_scan").content.decode()
    assert "Tệp “phieu.xlsx” không được chấp nhận (nội dung là XLSX). Chỉ nhận: JPG, PDF, PNG." in html
    assert not EvidenceFile.objects.exists()
    upload(client, world.form_a, "phieu.png", PNG, criterion="", kind="signed_scan")
    assert EvidenceFile.objects.get().kind == EvidenceFile.Kind.SIGNED_SCAN


def test_removed_file_is_kept_for_history_but_not_served(world, login, media):
    client = login(world.staff_a)
    upload(client, world.form_a, "bao-cao.pdf", TINY_PDF)
    record = EvidenceFile.objects.get()
    client.post(reverse("assessment:remove", args=[record.pk]))
    record.refresh_from_db()
    assert record.removed
    assert client.get(reverse("assessment:download", args=[record.pk])).status_code == 404
    html = client.get(reverse("assessment:history", args=[world.form_a.pk])).content.decode()
    assert "Tải lên tệp “bao-cao.pdf”" in html and "Gỡ tệp “bao-cao.pdf”" in html


def test_period_requiring_a_signed_scan_refuses_submission_without_it(world, login, media):
    from assessment import workflow
    from assessment.models import Assessment

    from .world import build_complete_answers

    world.period.requires_signed_scan = True
    world.period.save()
    build_complete_answers(world.form_a, world.staff_a)
    form = Assessment.objects.select_related("period", "unit").get(pk=world.form_a.pk)
    with pytest.raises(workflow.WorkflowError, match="Chưa đính kèm bản quét phiếu tự đánh giá có ký, đóng dấu"):
        workflow.submit(form, by=world.staff_a)
    client = login(world.staff_a)
    assert "Bản quét phiếu có ký, đóng dấu" in client.get(reverse("assessment:form", args=[form.pk])).content.decode()
    upload(client, form, "phieu-ky.pdf", TINY_PDF, criterion="", kind="signed_scan")
    assert workflow.submit(form, by=world.staff_a).status == Assessment.Status.SUBMITTED
