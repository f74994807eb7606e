"""Automatic indicators: imported from the source's file with provenance, not typed by units."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assessment import workflow
from assessment.indicators import IndicatorFileError, apply_indicator_file
from assessment.models import Assessment, IndicatorImport
from tests import world as world_module
from tests.world import answer

SOURCE = "Bộ chỉ số 766 — Cổng Dịch vụ công quốc gia"


@pytest.fixture
def auto_world(db, django_user_model, monkeypatch):
    """The usual world, with I.2 (share of applications filed online) measured by the 766 index."""
    monkeypatch.setattr(world_module, "CRITERIA_YAML", world_module.CRITERIA_YAML.replace(
        "    - {key: online_pct, label: Tỷ lệ hồ sơ nộp trực tuyến, kind: percent}",
        f"    - {{key: online_pct, label: Tỷ lệ hồ sơ nộp trực tuyến, kind: percent, automatic: {SOURCE}}}"))
    return world_module.build_world(django_user_model)


def _csv(rows, header="Mã đơn vị;Kỳ;Giá trị"):
    return ("\ufeff" + header + "\n" + "\n".join(";".join(r) for r in rows) + "\n").encode("utf-8")


def _import(w, data, name="bo-chi-so-766.csv", date=datetime.date(2026, 10, 31)):
    return apply_indicator_file(data, name, period=w.period, key="online_pct", source_date=date, by=w.admin)


def test_import_writes_the_figure_with_provenance_and_history(auto_world, client):
    w = auto_world
    year = str(w.period.year)
    batch = _import(w, _csv([("STTTT", year, "62,5"), ("snv", year, "30")]))
    assert (batch.rows, batch.updated_forms, batch.skipped) == (2, 2, [])
    assert batch.source == SOURCE and len(batch.sha256) == 64
    a = answer(w.form_a, "I.2")
    assert a.values == {"online_pct": "62.5"}
    assert a.self_result == Decimal("3.00")
    assert answer(w.form_b, "I.2").self_result == Decimal("1.80")  # 30 × 3 / 50
    latest = a.history.latest()
    assert latest.history_user == w.admin
    assert latest.history_change_reason == (f"Chỉ số tự động: tệp bo-chi-so-766.csv, SHA-256 {batch.sha256[:8]}…, "
                                            "số liệu ngày 31/10/2026")
    client.force_login(w.staff_a)
    html = client.get(f"/phieu/{w.form_a.pk}/").content.decode()
    assert "Tự động từ Bộ chỉ số 766 — Cổng Dịch vụ công quốc gia: tệp bo-chi-so-766.csv (SHA-256 " in html
    assert "số liệu ngày 31/10/2026, do Quản trị nhập lúc" in html
    assert 'name="f__online_pct"' in html and "disabled" in html.split('name="f__online_pct"')[1].split(">")[0]


def test_units_cannot_change_an_automatic_figure(auto_world, client):
    w = auto_world
    _import(w, _csv([("STTTT", str(w.period.year), "62,5")]))
    answers = workflow.load_answers(w.form_a)
    versions = {x.criterion.code: x.version for x in answers}
    workflow.save_unit_answers(w.form_a, {"I.2": {"values": {"online_pct": "100"}, "note": "tự sửa"}}, versions,
                               by=w.staff_a)
    a = answer(w.form_a, "I.2")
    assert a.values == {"online_pct": "62.5"} and a.note == "tự sửa"
    client.force_login(w.staff_a)
    client.post(f"/phieu/{w.form_a.pk}/", {"f__online_pct": "100", "v__I.2": str(a.version)})
    assert answer(w.form_a, "I.2").values == {"online_pct": "62.5"}


def test_reviewer_override_holds_and_a_newer_file_updates_only_forms_not_approved(auto_world):
    w = auto_world
    year = str(w.period.year)
    _import(w, _csv([("STTTT", year, "20"), ("SNV", year, "20")]))
    world_module.approved(w, w.form_b, w.staff_b)
    form_a = world_module.submitted(w)
    answers = workflow.load_answers(form_a)
    workflow.save_review(form_a, {"I.2": {"reviewed_values": {"online_pct": "25"}, "changed": True,
                                          "reason": "Theo báo cáo quý IV của Cổng DVC"}},
                         {x.criterion.code: x.version for x in answers}, by=w.reviewer_a)
    assert answer(form_a, "I.2").reviewed_result == Decimal("1.50")
    batch = _import(w, _csv([("STTTT", year, "40"), ("SNV", year, "40")], ), name="766-thang-11.csv",
                    date=datetime.date(2026, 11, 30))
    assert batch.updated_forms == 1
    assert batch.skipped == ["Sở Nội vụ: phiếu đã phê duyệt, không cập nhật"]
    a = answer(form_a, "I.2")
    assert a.values == {"online_pct": "40"} and a.self_result == Decimal("2.40")
    assert a.reviewed_values == {"online_pct": "25"} and a.reviewed_result == Decimal("1.50")
    assert answer(w.form_b, "I.2").values == {"online_pct": "20"}
    older = _import(w, _csv([("STTTT", year, "10")]), name="cu.csv", date=datetime.date(2026, 9, 30))
    assert older.updated_forms == 0 and older.skipped[0].startswith("Sở Thông tin và Truyền thông: đã có tệp mới hơn")
    assert answer(form_a, "I.2").values == {"online_pct": "40"}


def test_monthly_rows_and_unit_names_in_an_xlsx(auto_world):
    w = auto_world
    year = w.period.year
    cutoff = w.period.data_cutoff
    book = Workbook()
    sheet = book.active
    sheet.append(["Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)"])
    sheet.append(["Tên đơn vị", "Tháng", "Điểm"])
    sheet.append(["Sở Thông tin và Truyền thông", f"01/{year}", 11.5])
    sheet.append(["Sở Thông tin và Truyền thông", f"{cutoff.month:02d}/{year}", 45.25])
    sheet.append(["Sở Nội vụ", f"{cutoff.month:02d}/{year - 1}", 99])
    sheet.append(["Sở Nội vụ", f"01/{year}", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    batch = _import(w, buffer.getvalue(), name="766.xlsx")
    assert batch.rows == 2
    assert answer(w.form_a, "I.2").values == {"online_pct": "45.25"}
    assert answer(w.form_b, "I.2").values == {"online_pct": "12"}
    assert {v.month for v in batch.values.all()} == {f"{year}-{cutoff.month:02d}", f"{year}-01"}


def test_a_bad_file_is_refused_row_by_row_and_nothing_changes(auto_world):
    w = auto_world
    year = str(w.period.year)
    bad = _csv([("STTTT", year, "120"), ("XYZ", year, "5"), ("SNV", year, "năm"), ("SNV", year, "6"),
                ("SNV", year, "7")])
    with pytest.raises(IndicatorFileError) as caught:
        _import(w, bad)
    assert caught.value.problems == [
        "Dòng 2, Sở Thông tin và Truyền thông: giá trị '120' phải từ 0 đến 100",
        f"Dòng 3: đơn vị 'XYZ' không tham gia kỳ {w.period.name}",
        "Dòng 4, Sở Nội vụ: giá trị 'năm' không phải là số hợp lệ",
        "Dòng 6: Sở Nội vụ đã có giá trị ở dòng 5 cho cùng kỳ",
    ]
    assert not IndicatorImport.objects.exists()
    assert answer(w.form_a, "I.2").values == {}
    with pytest.raises(IndicatorFileError, match="'docs_in' không phải chỉ số tự động"):
        apply_indicator_file(_csv([]), "x.csv", period=w.period, key="docs_in", source_date=datetime.date.today(),
                             by=w.admin)
    with pytest.raises(IndicatorFileError, match="không thấy dòng tiêu đề"):
        _import(w, _csv([("STTTT", year, "5")], header="A;B;C"))


def test_command_and_the_administrators_page(auto_world, client, tmp_path, capsys):
    w = auto_world
    year = str(w.period.year)
    path = tmp_path / "766.csv"
    path.write_bytes(_csv([("STTTT", year, "50")]))
    call_command("import_indicator", str(path), "--period", str(w.period.pk), "--field", "online_pct",
                 "--source-date", "31/10/2026", "--user", "quantri")
    assert "766.csv (SHA-256" in capsys.readouterr().out
    assert answer(w.form_a, "I.2").values == {"online_pct": "50"}
    path.write_bytes(_csv([("STTTT", year, "x")]))
    with pytest.raises(CommandError, match="Dòng 2, Sở Thông tin và Truyền thông: giá trị 'x'"):
        call_command("import_indicator", str(path), "--period", str(w.period.pk), "--field", "online_pct",
                     "--source-date", "31/10/2026", "--user", "quantri")
    client.force_login(w.staff_a)
    assert client.get("/chi-so-tu-dong/").status_code == 403
    client.force_login(w.admin)
    page = client.get("/chi-so-tu-dong/").content.decode()
    assert "Tỷ lệ hồ sơ nộp trực tuyến — Bộ chỉ số 766" in page and "766.csv" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/chi-so-tu-dong/", {
        "period": w.period.pk, "field": "online_pct", "source_date": "30/11/2026",
        "file": SimpleUploadedFile("766-t11.csv", _csv([("SNV", year, "35")]))}, follow=True)
    assert "Đã nhập 766-t11.csv: 1 đơn vị, cập nhật 1 phiếu chưa phê duyệt." in response.content.decode()
    assert answer(Assessment.objects.get(pk=w.form_b.pk), "I.2").values == {"online_pct": "35"}
    response = client.post("/chi-so-tu-dong/", {
        "period": w.period.pk, "field": "online_pct", "source_date": "31/02/2026",
        "file": SimpleUploadedFile("766.pdf", b"%PDF")})
    html = response.content.decode()
    assert "Ngày không hợp lệ (dd/mm/yyyy)." in html and "không phải .csv hoặc .xlsx" in html


def test_the_import_record_is_append_only(auto_world):
    from django.db import DatabaseError, transaction

    batch = _import(auto_world, _csv([("STTTT", str(auto_world.period.year), "62,5")]))
    for change in (lambda: IndicatorImport.objects.filter(pk=batch.pk).update(sha256="0" * 64),
                   lambda: batch.values.update(value="100"), lambda: IndicatorImport.objects.all().delete()):
        with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic():
            change()
    assert IndicatorImport.objects.get(pk=batch.pk).sha256 == batch.sha256
