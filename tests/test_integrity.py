"""What is published and what history records is append-only in the database itself, and
can be re-verified from the stored bytes: triggers refuse UPDATE and DELETE from the ORM,
``QuerySet.update()`` and raw SQL alike; hash chains and ``verify_integrity`` catch what a
database administrator could still do behind the triggers' back."""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from assessment import workflow
from assessment.models import Answer, Assessment, EvidenceFile, Period
from config.appendonly import unprotected
from reports.models import Publication, Remarks, sha256

from .world import answer

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def history_tables():
    return [m.history.model._meta.db_table for m in (Period, Assessment, Answer, EvidenceFile, Remarks)]


def refused(sql, params=()):
    """Run ``sql``; True if the database refused it with the append-only message."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        assert "chỉ được ghi thêm" in str(exc), exc
        return True
    return False


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def evidence(world, media):
    """An evidence file of form A, uploaded while the form is a draft."""
    return workflow.upload_evidence(world.form_a, SimpleUploadedFile("bao-cao.pdf", PDF), by=world.staff_a)


@pytest.fixture
def remarked(published, world):
    note = Remarks(assessment=world.form_a, strengths="Làm tốt", weaknesses="", edited_by=world.reviewer_a)
    note.save()
    return note


def test_raw_sql_update_and_delete_are_refused_on_every_protected_table(evidence, published, remarked, world):
    quote = connection.ops.quote_name
    table = quote(Publication._meta.db_table)
    forged = b"%PDF-1.4 forged"
    assert refused(f"UPDATE {table} SET pdf_sha256 = %s WHERE id = %s", [sha256(forged), published.pk])
    assert refused(f"UPDATE {table} SET document = %s WHERE id = %s", ['{"blocks": []}', published.pk])
    assert refused(f"DELETE FROM {table} WHERE id = %s", [published.pk])
    for name in history_tables():
        history = quote(name)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {history}")
            assert cursor.fetchone()[0] > 0, name
        assert refused(f"UPDATE {history} SET history_change_reason = 'sửa lén'"), name
        assert refused(f"DELETE FROM {history}"), name
    stored = Publication.objects.get(pk=published.pk)
    assert stored.pdf_sha256 == published.pdf_sha256 == sha256(stored.pdf)
    assert Assessment.history.filter(id=world.form_a.pk).count() >= 4


def test_orm_update_of_a_publication_is_refused_and_the_genuine_pdf_still_verifies(published, client):
    forged = bytes(published.pdf) + b"\n% sua"
    with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic():
        Publication.objects.filter(pk=published.pk).update(pdf=forged, pdf_sha256=sha256(forged))
    with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic():
        Assessment.history.filter(id=published.document["blocks"][0]["rows"][0]["assessment"]).update(status="draft")
    with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic():
        Publication.objects.filter(pk=published.pk).delete()
    verify = reverse("reports:verify")
    html = client.post(verify, {"file": SimpleUploadedFile("that.pdf", bytes(published.pdf))}).content.decode()
    assert "Đúng là phụ lục đã công bố" in html
    html = client.post(verify, {"file": SimpleUploadedFile("gia.pdf", forged)}).content.decode()
    assert "Không khớp với phụ lục nào đã công bố" in html


def test_signature_columns_change_only_while_no_trusted_signature_is_attached(published):
    table = connection.ops.quote_name(Publication._meta.db_table)
    update = f"UPDATE {table} SET signed_sha256 = %s, signed_trusted = %s WHERE id = %s"
    assert not refused(update, ["a" * 64, False, published.pk])  # first, untrusted signature attached
    assert not refused(update, ["b" * 64, True, published.pk])  # replaced by a trusted one
    assert refused(update, ["c" * 64, True, published.pk])  # a trusted signature is final
    assert Publication.objects.get(pk=published.pk).signed_sha256 == "b" * 64


def test_history_rows_are_chained_per_record(world):
    rows = list(Assessment.history.filter(id=world.form_a.pk).order_by("history_id"))
    assert rows[0].prev_hash == ""
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.row_hash and len(after.row_hash) == 64
    answers = Answer.history.filter(assessment_id=world.form_a.pk)
    assert answers.exists() and not answers.filter(row_hash="").exists()  # bulk_create_with_history linked too


def verify_output():
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_integrity", stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


def test_verify_integrity_is_clean_then_finds_each_forgery(published, world):
    output, failure = verify_output()
    assert failure is None, output
    assert "không có sai lệch" in output and "1 phụ lục công bố" in output
    assert published.chain_hash in output  # the head of the chain, to record elsewhere

    forged = bytes(published.pdf) + b"\n% sua"
    i1 = answer(world.form_b, "I.1")  # created, filled, changed by the reviewer
    history = list(Answer.history.filter(id=i1.pk).order_by("history_id"))
    assert len(history) == 3
    with unprotected():  # a database administrator, behind the triggers' back
        Publication.objects.filter(pk=published.pk).update(pdf=forged, pdf_sha256=sha256(forged))
        Assessment.history.filter(id=world.form_b.pk, status="approved").update(status="draft")
        Answer.history.filter(history_id=history[1].history_id).delete()
    output, failure = verify_output()
    assert failure is not None and "sai lệch" in failure
    assert f"Phụ lục id {published.pk}" in output and "mã chuỗi không khớp" in output
    assert f"bản ghi id {world.form_b.pk}): nội dung dòng đã bị sửa" in output
    assert f"bản ghi id {i1.pk}): chuỗi băm bị đứt" in output


def test_evidence_file_changed_on_disk_is_found(world, media):
    record = workflow.upload_evidence(world.form_a, SimpleUploadedFile("bao-cao.pdf", PDF), by=world.staff_a)
    assert verify_output()[1] is None
    (media / record.file.name).write_bytes(PDF + b"%sua")
    output, failure = verify_output()
    assert failure is not None
    assert f"Tệp kiểm chứng id {record.pk} (“bao-cao.pdf”" in output and "tệp đã bị thay" in output


def test_forged_pdf_of_the_issue_is_not_certified_genuine(published, client):
    """The issue's scenario: the stored PDF and its hash replaced together. The triggers refuse it;
    done behind their back, /xac-minh/ recomputes the hashes and does not say "genuine"."""
    forged = bytes(published.pdf) + b"\n% sua"
    with pytest.raises(DatabaseError), transaction.atomic():
        Publication.objects.filter(pk=published.pk).update(pdf=forged, pdf_sha256=sha256(forged))
    with unprotected():
        Publication.objects.filter(pk=published.pk).update(pdf=forged, pdf_sha256=sha256(forged))
    verify = reverse("reports:verify")
    html = client.post(verify, {"file": SimpleUploadedFile("gia.pdf", forged)}).content.decode()
    assert "Đúng là phụ lục đã công bố" not in html
    assert "Không xác nhận được là phụ lục đã công bố" in html and "mã chuỗi không khớp" in html
    html = client.get(verify, {"ma": published.content_hash}).content.decode()
    assert "Đúng là phụ lục đã công bố" not in html


def test_deleting_a_draft_period_still_works(world, django_user_model):
    draft = Period.objects.create(year=2030, name="Kỳ nháp", opens_on="2030-01-01", deadline="2030-02-01",
                                  data_cutoff="2030-01-01")
    draft.participants.set([world.form_a.unit])
    draft.delete()
    assert not Period.objects.filter(name="Kỳ nháp").exists()
    assert Period.history.filter(name="Kỳ nháp").count() == 2  # created, deleted: both kept
