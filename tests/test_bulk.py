"""Answers of a whole period from one spreadsheet: template, preview, confirm; bad cells named."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Assessment

from .world import answer, submitted


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def template(client, world):
    set_pk = world.form_a.criteria_set_id
    response = client.get(reverse("assessment:bulk", args=[world.period.pk]), {"bo": set_pk, "mau": "1"})
    return openpyxl.load_workbook(io.BytesIO(response.content)), set_pk


def put(book, unit_code, values):
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == unit_code)
    for key, value in values.items():
        row[header.index(key)].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, world, set_pk, data):
    return client.post(reverse("assessment:bulk", args=[world.period.pk]),
                       {"bo": set_pk, "file": SimpleUploadedFile("so-lieu.xlsx", data)})


FIGURES = {"I.1:docs_in": 1000, "I.1:docs_sw": 950, "I.2:online_pct": 62.5, "I.3:has_rules": "Có",
           "I.4:signing": "Toàn bộ", "I.5:budget": 600000000, "II.1:điểm": 4}


def test_template_upload_preview_confirm(world, login):
    client = login(world.admin)
    book, set_pk = template(client, world)
    assert [c.value for c in book.active[1]][:4] == ["Mã đơn vị", "Đơn vị", "I.1:docs_in", "I.1:docs_sw"]
    data = put(book, "STTTT", FIGURES)
    preview = upload(client, world, set_pk, data)
    html = preview.content.decode()
    assert preview.status_code == 200 and "6 tiêu chí thay đổi ở 1 đơn vị. Chưa ghi gì." in html
    assert answer(world.form_a, "I.1").values == {}
    import re

    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    client.post(reverse("assessment:bulk", args=[world.period.pk]), fields)
    form = Assessment.objects.get(pk=world.form_a.pk)
    assert form.self_total == Decimal("19.00") and answer(form, "II.1").points == Decimal("4")
    assert answer(form, "I.1").history.first().history_change_reason == "Nhập số liệu từ tệp Excel của cả kỳ"
    assert answer(form, "I.1").history.first().history_user == world.admin


def test_bad_cells_and_locked_forms_write_nothing(world, login):
    client = login(world.admin)
    submitted(world, world.form_b, world.staff_b)
    book, set_pk = template(client, world)
    put(book, "STTTT", {**FIGURES, "I.1:docs_sw": 1200, "I.2:online_pct": "nhiều"})
    data = put(book, "SNV", {"I.1:docs_in": 5})
    html = upload(client, world, set_pk, data).content.decode()
    assert "(Sở Thông tin và Truyền thông, tiêu chí I.2, “Tỷ lệ hồ sơ nộp trực tuyến”): không phải là số hợp lệ" in html
    assert "Sở Nội vụ): Phiếu đã nộp và đang chờ Sở thẩm định" in html
    assert "Xác nhận ghi" not in html
    assert answer(world.form_a, "I.1").values == {}
    book, _ = template(client, world)
    book.active["C1"] = "I.9:khong_co"
    out = io.BytesIO()
    book.save(out)
    response = upload(client, world, set_pk, out.getvalue())
    assert "cột “I.9:khong_co” không có trong bộ kiem-thu v1" in client.get(response["Location"]).content.decode()


def test_only_administrators(world, login):
    for user in (world.staff_a, world.reviewer_a, world.leader):
        assert login(user).get(reverse("assessment:bulk", args=[world.period.pk])).status_code == 404


def test_history_tab_tells_what_the_file_changed(world, login):
    import re

    client = login(world.admin)
    book, set_pk = template(client, world)
    html = upload(client, world, set_pk, put(book, "STTTT", FIGURES)).content.decode()
    client.post(reverse("assessment:bulk", args=[world.period.pk]),
                dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)))
    page = login(world.staff_a).get(reverse("assessment:history", args=[world.form_a.pk])).content.decode()
    assert "Số liệu của đơn vị “Tổng số văn bản đến”: (trống) → 1.000" in page
    assert "Nhập số liệu từ tệp Excel của cả kỳ" in page
    assert Assessment.objects.get(pk=world.form_a.pk).changed_at is not None
