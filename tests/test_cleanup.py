"""Files a request leaves behind are removed: unconfirmed previews after a day, temporary
uploads of killed requests and evidence files whose record was never written after an hour."""

import os
import time

from django.core.management import call_command

from assessment import workflow
from assessment.demo import TINY_PDF


def _age(path, seconds):
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_remove_stale_files(world, settings, tmp_path, capsys):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    previews = tmp_path / "media" / "offline"
    previews.mkdir(parents=True)
    (tmp_path / "tmp").mkdir()
    old_preview, new_preview = previews / ("a" * 64 + ".xlsx"), previews / ("b" * 64 + ".xlsx")
    old_temp, new_temp = tmp_path / "tmp" / "tmpkilled.upload", tmp_path / "tmp" / "tmpnow.upload"
    for path in (old_preview, new_preview, old_temp, new_temp):
        path.write_bytes(b"x")
    _age(old_preview, 25 * 3600)
    _age(new_preview, 23 * 3600)
    _age(old_temp, 2 * 3600)
    record = workflow.upload_evidence(world.form_a, SimpleUploadedFile("a.pdf", TINY_PDF), by=world.staff_a)
    kept = tmp_path / "media" / record.file.name
    orphan = kept.parent / "khong-thuoc-ho-so"
    orphan.write_bytes(TINY_PDF)
    for path in (kept, orphan):
        _age(path, 2 * 3600)
    call_command("remove_stale_files")
    out = capsys.readouterr().out
    assert "Đã xoá 3 tệp." in out
    assert not old_preview.exists() and new_preview.exists()
    assert not old_temp.exists() and new_temp.exists()
    assert kept.exists() and not orphan.exists()


def test_an_upload_sweeps_old_previews(world, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    previews = tmp_path / "offline"
    previews.mkdir()
    stale = previews / ("c" * 64 + ".xlsx")
    stale.write_bytes(b"x")
    _age(stale, 2 * 24 * 3600)
    login(world.staff_a).post(reverse("assessment:offline_upload", args=[world.form_a.pk]),
                              {"file": SimpleUploadedFile("a.xlsx", b"not a workbook")})
    assert not stale.exists()
