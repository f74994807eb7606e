"""Units imported from Excel through django-import-export, with Vietnamese headings."""

import io

import openpyxl
import pytest
import tablib

from units.models import Block, Unit
from units.resources import UnitResource

HEADERS = ["Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Khối", "Đơn vị cấp trên", "Có TTHC",
           "Đối tượng khuyến khích", "Đang hoạt động"]


def xlsx_dataset(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return tablib.Dataset().load(buffer.getvalue(), format="xlsx")


def test_import_units_from_excel(db):
    data = xlsx_dataset([
        ["STTTT", "Sở Thông tin và Truyền thông", "Sở TTTT", "so-nganh", None, "Có", "Không", "Có"],
        ["TTR", "Thanh tra tỉnh", "", "so-nganh", None, "Không", "Không", "Có"],
        ["MTTQ", "Ủy ban MTTQ Việt Nam tỉnh", "UBMTTQ", "so-nganh", None, "Không", "Có", "Có"],
    ])
    result = UnitResource().import_data(data, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Unit.objects.count() == 3
    ttr = Unit.objects.get(code="TTR")
    assert (ttr.has_procedures, ttr.is_voluntary, ttr.block.code) == (False, False, "so-nganh")
    assert Unit.objects.get(code="MTTQ").is_voluntary


def test_dry_run_writes_nothing(db):
    data = xlsx_dataset([["STTTT", "Sở Thông tin và Truyền thông", "", "so-nganh", None, "Có", "Không", "Có"]])
    result = UnitResource().import_data(data, dry_run=True)
    assert result.totals["new"] == 1
    assert not Unit.objects.exists()


def test_unknown_block_is_reported_and_nothing_is_written(db):
    Unit.objects.create(code="OLD", name="Đơn vị cũ", block=Block.objects.get(code="so-nganh"))
    data = xlsx_dataset([
        ["STTTT", "Sở Thông tin và Truyền thông", "", "so-nganh", None, "Có", "Không", "Có"],
        ["X", "Đơn vị lạ", "", "khoi-la", None, "Có", "Không", "Có"],
    ])
    result = UnitResource().import_data(data, dry_run=False, raise_errors=False, use_transactions=True)
    assert result.has_validation_errors()
    errors = [str(e) for row in result.invalid_rows for msgs in row.error_dict.values() for e in msgs]
    assert any("Không có khối với mã 'khoi-la'" in e for e in errors), errors
    assert list(Unit.objects.values_list("code", flat=True)) == ["OLD"]


@pytest.mark.parametrize("field", ["has_procedures", "is_voluntary"])
def test_export_round_trips_booleans_in_vietnamese(db, field):
    Unit.objects.create(code="A", name="Đơn vị A", block=Block.objects.get(code="huyen"), **{field: True})
    exported = UnitResource().export()
    heading = {"has_procedures": "Có TTHC", "is_voluntary": "Đối tượng khuyến khích"}[field]
    assert exported.dict[0][heading] == "Có"
    assert exported.dict[0]["Khối"] == "huyen"
