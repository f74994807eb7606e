"""The offline Excel form: download, fill (openpyxl, and LibreOffice), preview, confirm; hostile files refused."""

import datetime
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Assessment
from assessment.offline import SHEET

from .world import answer

FIGURES = {"Tổng số văn bản đến": 1000, "Số văn bản đến cập nhật vào phần mềm": 950,
           "Ngày lập báo cáo": datetime.datetime(2026, 11, 15), "Thuyết minh số liệu": "Theo sổ văn thư",
           "Tỷ lệ hồ sơ nộp trực tuyến": 62.5, "Đã ban hành quy chế": "Có", "Mức triển khai": "Toàn bộ",
           "Kinh phí chi cho CNTT (đồng)": 600000000}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def download(client, form):
    response = client.get(reverse("assessment:offline", args=[form.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def fill(book, figures=FIGURES, points=4):
    sheet = book[SHEET]
    for row in sheet.iter_rows(min_row=7):
        label = (row[1].value or "").strip()
        if label in figures:
            row[2].value = figures[label]
        if row[0].value == "II.1":
            row[4].value = points
    return book


def as_bytes(book):
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(client, form, data, name="phieu.xlsx"):
    return client.post(reverse("assessment:offline_upload", args=[form.pk]), {"file": SimpleUploadedFile(name, data)})


def confirm(client, form, preview_html):
    import re

    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview_html))
    return client.post(reverse("assessment:offline_upload", args=[form.pk]), fields, follow=True)


def test_download_fill_upload_preview_then_confirm(world, login):
    client = login(world.staff_a)
    book = download(client, world.form_a)
    sheet = book[SHEET]
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in sheet["A1"].value and sheet.protection.sheet
    assert [c.value for c in sheet[6]] == ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"]
    assert any(dv.type == "whole" for dv in sheet.data_validations.dataValidation)
    preview = upload(client, world.form_a, as_bytes(fill(book)))
    html = preview.content.decode()
    assert preview.status_code == 200 and "Chưa có gì được ghi" in html
    assert "Tổng số văn bản đến" in html and "1.000" in html and "62,5" in html and "Toàn bộ" in html
    assert answer(world.form_a, "I.1").values == {}  # nothing written by the preview
    done = confirm(client, world.form_a, html)
    assert "Đã lưu số liệu từ tệp “phieu.xlsx” (6 tiêu chí thay đổi)" in done.content.decode()
    form = Assessment.objects.get(pk=world.form_a.pk)
    assert form.self_total == Decimal("19.00")  # as when typed in the browser
    assert answer(form, "I.1").values == {"docs_in": "1000", "docs_sw": "950", "report_date": "2026-11-15",
                                          "report_note": "Theo sổ văn thư"}
    assert answer(form, "I.2").values == {"online_pct": "62.5"} and answer(form, "II.1").points == Decimal("4")


def test_file_saved_by_libreoffice_reads_the_same(world, login, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by scripts/setup.sh"
    client = login(world.staff_a)
    source = tmp_path / "in" / "phieu.xlsx"
    source.parent.mkdir()
    source.write_bytes(as_bytes(fill(download(client, world.form_a))))
    out = tmp_path / "out"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    converted = (out / "phieu.xlsx").read_bytes()
    assert converted != source.read_bytes()
    html = upload(client, world.form_a, converted, "phieu-libreoffice.xlsx").content.decode()
    assert "Chưa có gì được ghi" in html and "offline-problems" not in html
    confirm(client, world.form_a, html)
    assert Assessment.objects.get(pk=world.form_a.pk).self_total == Decimal("19.00")


def zip_with(data, extra):
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        for name, content in extra.items():
            dst.writestr(name, content)
    return output.getvalue()


def hostile_files(client, world):
    good = as_bytes(fill(download(client, world.form_a)))
    other = as_bytes(fill(_other(world)))
    moved = fill(download(client, world.form_a))
    moved[SHEET].delete_rows(9)
    renamed = fill(download(client, world.form_a))
    renamed[SHEET]["A8"] = "I.9"
    return {
        "oversized": (good + b"\0" * (6 * 1024 * 1024), "vượt giới hạn 5 MB"),
        "not a zip": (b"%PDF-1.4 khong phai excel", "không phải tệp Excel .xlsx"),
        "zip bomb": (zip_with(good, {"xl/bom.bin": b"\0" * (60 * 1024 * 1024)}), "tệp nén bất thường"),
        "macro": (zip_with(good, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}), "có chứa macro"),
        "another unit": (other, "là phiếu của đơn vị SNV"),
        "row deleted": (as_bytes(moved), "cấu trúc phiếu đã bị thay đổi"),
        "code changed": (as_bytes(renamed), "dòng 8: cấu trúc phiếu đã bị thay đổi"),
    }


def _other(world):
    from django.test import Client

    client = Client()
    client.force_login(world.staff_b)
    return download(client, world.form_b)


def test_hostile_and_altered_files_are_refused_and_write_nothing(world, login, media):
    client = login(world.staff_a)
    for case, (data, message) in hostile_files(client, world).items():
        before = [(a.values, a.points, a.note, a.version) for a in world.form_a.answers.order_by("pk")]
        response = upload(client, world.form_a, data, f"{case}.xlsx")
        html = client.get(response["Location"]).content.decode() if response.status_code == 302 else \
            response.content.decode()
        assert message in html, (case, html[html.find("messages"):][:500])
        assert [(a.values, a.points, a.note, a.version) for a in world.form_a.answers.order_by("pk")] == before, case
        assert not (media / "offline").exists() or not list((media / "offline").iterdir()), case


def test_bad_values_are_named_by_cell_and_nothing_is_written(world, login):
    client = login(world.staff_a)
    bad = fill(download(client, world.form_a), {**FIGURES, "Tổng số văn bản đến": "mười",
                                                 "Tỷ lệ hồ sơ nộp trực tuyến": 120, "Mức triển khai": "Một nửa"},
               points=6)
    response = upload(client, world.form_a, as_bytes(bad))
    html = response.content.decode()
    assert response.status_code == 400 and "Xác nhận lưu" not in html
    assert "Ô C9 (tiêu chí I.1, “Tổng số văn bản đến”): không phải là số hợp lệ (giá trị: mười)" in html
    assert "(tiêu chí I.2, “Tỷ lệ hồ sơ nộp trực tuyến”): phải từ 0 đến 100" in html
    assert "“Mức triển khai”): không phải một lựa chọn hợp lệ" in html
    ratio = fill(download(client, world.form_a), {**FIGURES, "Số văn bản đến cập nhật vào phần mềm": 1200}, points=6)
    html = upload(client, world.form_a, as_bytes(ratio)).content.decode()
    assert "Ô C10: tiêu chí I.1: tử số lớn hơn mẫu số" in html and "1.200 &gt; 1.000" in html
    assert "tiêu chí II.1: điểm vượt điểm tối đa 5 (giá trị: 6)" in html
    assert answer(world.form_a, "I.1").values == {}


def test_only_staff_who_may_edit_can_upload(world, login):
    client = login(world.staff_a)
    data = as_bytes(fill(download(client, world.form_a)))
    assert login(world.staff_b).post(reverse("assessment:offline_upload", args=[world.form_a.pk]),
                                     {"file": SimpleUploadedFile("x.xlsx", data)}).status_code == 404
    response = login(world.reviewer_a).post(reverse("assessment:offline_upload", args=[world.form_a.pk]),
                                            {"file": SimpleUploadedFile("x.xlsx", data)})
    assert response.status_code == 302 and answer(world.form_a, "I.1").values == {}
