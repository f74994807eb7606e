"""The hostile-file corpus (tests/hostile.py) through every upload endpoint: each file is refused
with a Vietnamese message, nothing is written (no record, no stored or preview file, no
temporary upload left), and the memory a request needs stays bounded however far a bomb would
expand (tracemalloc peak per request)."""

import tracemalloc

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Answer, EvidenceFile
from units.models import Unit

from .hostile import corpus

BOMBS = {"ratio_bomb", "quiet_bomb", "billion_laughs", "members_101"}
MEMORY_LIMIT = 32 * 1024 * 1024  # the ratio bomb expands to 80 MB, and openpyxl needs many times that

ZIP_MESSAGES = {
    "ratio_bomb": "bom nén", "quiet_bomb": "bị hỏng", "xxe": "DOCTYPE/ENTITY", "billion_laughs": "DOCTYPE/ENTITY",
    "macro": "có chứa macro", "zip_slip": "trỏ ra ngoài tệp nén", "members_101": "101 thành phần",
}


@pytest.fixture
def places(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # every upload goes through a temporary file
    (tmp_path / "upload-tmp").mkdir()
    return tmp_path


def leftovers(places):
    return sorted(str(p.relative_to(places)) for p in places.rglob("*") if p.is_file())


def send(post, key, name, data):
    """Post one file, measuring the memory the request needs for the bombs."""
    measure = key in BOMBS
    if measure:
        tracemalloc.start()
    try:
        response = post(SimpleUploadedFile(name, data))
        peak = tracemalloc.get_traced_memory()[1] if measure else 0
    finally:
        if measure:
            tracemalloc.stop()
    assert response.status_code < 500, (key, response.status_code)
    assert peak < MEMORY_LIMIT, f"{key}: {peak / 1048576:.1f} MB"
    return response.content.decode()


def run_corpus(places, post, expected, *, written=lambda: [], accepted=()):
    for key, (name, data) in corpus().items():
        before = written()
        html = send(post, key, name, data)
        message = expected(key, name)
        assert message in html, (key, message)
        if key not in accepted:
            assert written() == before, key
        assert not any(p.startswith("upload-tmp/") for p in leftovers(places)), key
    return True


def test_offline_upload(world, login, places):
    client = login(world.staff_a)
    url = reverse("assessment:offline_upload", args=[world.form_a.pk])
    versions = list(Answer.objects.values_list("version", flat=True))

    def expected(key, name):
        if key == "empty":
            return f"Tệp “{name}” rỗng"
        return ZIP_MESSAGES.get(key, "không phải tệp Excel .xlsx")

    run_corpus(places, lambda f: client.post(url, {"file": f}, follow=True), expected,
               written=lambda: leftovers(places))
    assert list(Answer.objects.values_list("version", flat=True)) == versions


def test_offline_upload_oversize_is_refused_before_reading(world, login, places, monkeypatch):
    from assessment import offline

    monkeypatch.setattr(offline, "MAX_BYTES", 64 * 1024)
    html = send(lambda f: login(world.staff_a).post(reverse("assessment:offline_upload", args=[world.form_a.pk]),
                                                    {"file": f}, follow=True), "oversize", "lon.xlsx", b"PK" * 50000)
    assert "Tệp “lon.xlsx” vượt giới hạn 0 MB." in html or "vượt giới hạn" in html


def test_bulk_upload(world, login, places, settings):
    client = login(world.admin)
    url = reverse("assessment:bulk", args=[world.period.pk])
    versions = list(Answer.objects.values_list("version", flat=True))

    def expected(key, name):
        if key == "empty":
            return f"Tệp “{name}” rỗng"
        return ZIP_MESSAGES.get(key, "không phải tệp Excel .xlsx")

    run_corpus(places, lambda f: client.post(url, {"bo": world.form_a.criteria_set_id, "file": f}, follow=True),
               expected, written=lambda: leftovers(places))
    assert list(Answer.objects.values_list("version", flat=True)) == versions
    settings.BULK_MAX_BYTES = 64 * 1024
    html = send(lambda f: client.post(url, {"bo": world.form_a.criteria_set_id, "file": f}, follow=True),
                "oversize", "lon.xlsx", b"PK" * 50000)
    assert "Tệp “lon.xlsx” dung lượng 0,1 MB, vượt giới hạn 0 MB." in html


def test_evidence_upload(world, login, places, settings):
    client = login(world.staff_a)
    url = reverse("assessment:upload", args=[world.form_a.pk])

    def expected(key, name):
        return {"polyglot": "đồng thời là trang HTML/SVG", "pdf_javascript": "có lệnh tự chạy khi mở",
                "pdf_hidden_launch": "có lệnh tự chạy theo sự kiện", "empty": f"Tệp “{name}” rỗng.",
                "rtl_name": "Đã tải lên “bao-cao-xcod.pdf”"}.get(key) or ZIP_MESSAGES[key]

    run_corpus(places, lambda f: client.post(url, {"file": f, "criterion": "I.1"}, follow=True), expected,
               written=lambda: [p for p in leftovers(places) if p.startswith("media/")]
               + list(EvidenceFile.objects.values_list("original_name", flat=True)),
               accepted={"rtl_name"})
    assert list(EvidenceFile.objects.values_list("original_name", flat=True)) == ["bao-cao-xcod.pdf"]
    settings.EVIDENCE_MAX_BYTES = 64 * 1024
    html = send(lambda f: client.post(url, {"file": f, "criterion": "I.1"}, follow=True), "oversize", "lon.pdf",
                b"%PDF-1.4\n" + b"0" * 100000)
    assert "Tệp “lon.pdf” dung lượng 0,1 MB, vượt giới hạn 0 MB." in html
    assert EvidenceFile.objects.count() == 1


def test_evidence_macros_in_other_office_formats(world, login, places):
    """A Word document with a VBA project, an ODF text with Basic macros."""
    import io
    import zipfile

    from .hostile import _rezip

    client = login(world.staff_a)
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", '<Types><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.ms-word.document.macroEnabled.main+xml"/></Types>')
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("Basic/Standard/Module1.xml", "<script:module>Sub Main</script:module>")
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    del _rezip
    for name, data in (("bien-ban.docx", docx.getvalue()), ("so-lieu.odt", odt.getvalue())):
        html = client.post(reverse("assessment:upload", args=[world.form_a.pk]),
                           {"file": SimpleUploadedFile(name, data), "criterion": "I.1"}, follow=True).content.decode()
        assert "macro" in html, name
    assert not EvidenceFile.objects.exists()


def test_signed_pdf_upload(published, login, places, settings):
    client = login(published.published_by)
    url = reverse("reports:upload_signed", args=[published.pk])

    def expected(key, name):
        return f"Tệp “{name.replace(chr(0x202e), '')}”: Tệp không"

    run_corpus(places, lambda f: client.post(url, {"file": f}, follow=True), expected,
               written=lambda: [published.__class__.objects.get(pk=published.pk).signed_sha256 or None] if
               published.__class__.objects.get(pk=published.pk).signed_sha256 else [])
    settings.SIGNED_PDF_MAX_BYTES = 64 * 1024
    html = send(lambda f: client.post(url, {"file": f}, follow=True), "oversize", "lon.pdf", b"%PDF" + b"0" * 100000)
    assert "Tệp “lon.pdf” quá lớn." in html


def test_verification_page_upload(client, db, places, settings):
    settings.VERIFY_RATE_LIMIT = 1000

    def expected(key, name):
        return "Không khớp với phụ lục nào đã công bố"

    run_corpus(places, lambda f: client.post(reverse("reports:verify"), {"file": f}, follow=True), expected)
    settings.SIGNED_PDF_MAX_BYTES = 64 * 1024
    html = send(lambda f: client.post(reverse("reports:verify"), {"file": f}, follow=True), "oversize", "lon.pdf",
                b"%PDF" + b"0" * 100000)
    assert "Tệp “lon.pdf” quá lớn để là một phụ lục." in html


def test_admin_imports(world, client, places):
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    model_admin = admin.site._registry[Unit]
    index = next(i for i, f in enumerate(model_admin.get_import_formats()) if f().get_title() == "xlsx")
    url = reverse("admin:units_unit_import")
    before = list(Unit.objects.values_list("code", "name"))

    def expected(key, name):
        return 'id="id_import_file_error"' if key == "empty" else "Không đọc được tệp"

    run_corpus(places, lambda f: client.post(url, {"import_file": f, "format": index, "resource": 0}, follow=True),
               expected, written=lambda: leftovers(places))
    for key in ZIP_MESSAGES:
        name, data = corpus()[key]
        html = send(lambda f: client.post(url, {"import_file": f, "format": index, "resource": 0}), key, name, data)
        assert ZIP_MESSAGES[key] in html, key
    assert list(Unit.objects.values_list("code", "name")) == before
    offered = {f().get_title() for f in model_admin.get_import_formats()}
    assert offered == {"csv", "xlsx", "tsv"}


@pytest.mark.parametrize("path", ["verify", "upload", "offline_upload", "bulk", "admin"])
def test_request_body_limit_on_every_upload_endpoint(world, client, places, settings, path):
    settings.REQUEST_BODY_LIMITS = {}
    settings.REQUEST_BODY_MAX_BYTES = 256 * 1024
    client.force_login(world.admin)
    url = {"verify": reverse("reports:verify"), "upload": reverse("assessment:upload", args=[world.form_a.pk]),
           "offline_upload": reverse("assessment:offline_upload", args=[world.form_a.pk]),
           "bulk": reverse("assessment:bulk", args=[world.period.pk]), "admin": reverse("admin:units_unit_import")}[path]
    response = client.post(url, {"file": SimpleUploadedFile("lon.pdf", b"%PDF" + b"0" * 300 * 1024)})
    assert response.status_code == 413
    assert "vượt giới hạn 0 MB của trang này" in response.content.decode() or \
        "vượt giới hạn" in response.content.decode()
    assert not any(p.startswith("upload-tmp/") for p in leftovers(places))
