"""Publication: the frozen snapshot, the annex as PDF and Excel, signatures and verification."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from assessment import workflow
from reports.formats import decree_date
from reports.models import Publication, Remarks
from reports.render import render_pdf
from reports.snapshot import content_hash, publish

from .world import approved


def test_decree_dates_read_as_the_decree_writes_them():
    assert decree_date("Lào Cai", datetime.date(2021, 1, 5)) == "Lào Cai, ngày 05 tháng 01 năm 2021"
    assert decree_date("Thái Bình", datetime.date(2021, 2, 28)) == "Thái Bình, ngày 28 tháng 02 năm 2021"
    assert decree_date("Bình Phước", datetime.date(2021, 12, 8)) == "Bình Phước, ngày 08 tháng 12 năm 2021"
    assert decree_date("Đồng Nai", datetime.date(2012, 3, 9)) == "Đồng Nai, ngày 09 tháng 3 năm 2012"


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(data))).pages)


def test_annex_pdf_lists_every_unit_score_and_class_in_rank_order(published):
    text = pdf_text(published.pdf)
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
                 "Số: 15/QĐ-STTTT", "Lào Cai, ngày 05 tháng 01 năm 2021", "PHỤ LỤC", "Nơi nhận:", "KT. GIÁM ĐỐC",
                 "PHÓ GIÁM ĐỐC", "Nguyễn Văn Hùng", f"Mã xác minh: {published.content_hash}"):
        assert line in text.replace("\n", " ") or line in text, line
    table = " ".join(text.split()).split("Nội dung chưa tốt", 1)[1]
    assert "1 Sở Thông tin và Truyền thông 15,00 4,00 19,00 Tốt Tổng điểm đạt từ 15 trở lên" in table
    assert "2 Sở Nội vụ 14,60 4,00 18,60 Tốt" in table
    assert table.index("Sở Thông tin và Truyền thông") < table.index("Sở Nội vụ")  # 19,00 ranks above 18,60


def test_long_annex_repeats_the_header_and_numbers_pages_as_the_decree_says():
    """Nghị định 30/2020: page numbers centred at the top, none on the first page."""
    from .synthetic import annex_document as document

    pages = PdfReader(io.BytesIO(render_pdf(document(30), "ab" * 32))).pages
    assert len(pages) >= 2
    texts = [page.extract_text() for page in pages]
    assert "\n1\nMã xác minh" not in texts[0]
    for number, text in enumerate(texts[1:], 2):
        assert f"\n{number}\nMã xác minh: {'ab' * 32}" in text
        assert text.startswith("Xếp hạng Đơn vị Điểm theo nhóm tiêu chí")  # the table header, repeated


def test_annex_pdf_embeds_a_vietnamese_font_and_is_reproducible(published):
    reader = PdfReader(io.BytesIO(bytes(published.pdf)))
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()
             if "/FontDescriptor" in f.get_object() or "/DescendantFonts" in f.get_object()}
    assert any("Liberation-Serif" in name for name in fonts), fonts
    assert render_pdf(published.document, published.content_hash) == bytes(published.pdf)
    assert content_hash(published.document) == published.content_hash


def test_annex_excel_has_values_formats_and_no_formulas_from_user_text(world, profile):
    approved(world, world.form_a, world.staff_a)
    Remarks.objects.create(assessment=world.form_a, strengths="=HYPERLINK(\"http://x\",\"bấm\")", weaknesses="+1-2")
    item = publish(world.period, profile, by=world.leader, number="16/QĐ-STTTT", date=datetime.date(2021, 1, 5))
    book = openpyxl.load_workbook(io.BytesIO(bytes(item.xlsx)))
    sheet = book.worksheets[0]
    cells = {c.coordinate: c for row in sheet.iter_rows() for c in row if c.value is not None}
    assert not [c for c in cells.values() if c.data_type == "f"]
    values = [c.value for c in cells.values()]
    assert "=HYPERLINK(\"http://x\",\"bấm\")" in values and "+1-2" in values
    total = next(c for c in cells.values() if c.value == Decimal("19") or c.value == 19)
    assert total.number_format == "#,##0.00"
    assert "Lào Cai, ngày 05 tháng 01 năm 2021" in values and "Tổng điểm đạt từ 15 trở lên" in values
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert any(rng.min_col != rng.max_col for rng in sheet.merged_cells.ranges)


def test_snapshot_is_immutable_and_corrections_supersede(published, world, profile):
    original_pdf, original_hash = bytes(published.pdf), published.content_hash
    note, _ = Remarks.objects.get_or_create(assessment=world.form_a)
    note.strengths = "Sửa sau khi công bố"
    note.save()
    workflow.unapprove(world.form_b, by=world.leader, reason="Sai số liệu")
    published.refresh_from_db()
    assert bytes(published.pdf) == original_pdf and published.content_hash == original_hash
    published.document["blocks"][0]["rows"][0]["total"] = "100.00"
    with pytest.raises(ValidationError, match="không sửa được"):
        published.save()
    with pytest.raises(workflow.WorkflowError, match="bản đính chính cần ghi lý do"):
        publish(world.period, profile, by=world.leader, number="17/QĐ-STTTT", date=datetime.date(2021, 1, 20))
    correction = publish(world.period, profile, by=world.leader, number="17/QĐ-STTTT",
                         date=datetime.date(2021, 1, 20), reason="Một đơn vị bị huỷ phê duyệt để kiểm tra lại")
    assert correction.version == 2 and correction.supersedes_id == published.pk
    assert "Sở Nội vụ" not in pdf_text(correction.pdf)
    assert "Bản này thay thế phụ lục lần 1" in pdf_text(correction.pdf).replace("\n", " ")
    assert list(Publication.objects.current()) == [correction]

