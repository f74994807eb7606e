"""Spreadsheet formula injection: user text written so that no spreadsheet evaluates it.

A text cell beginning with = + - @ TAB or CR (or their full-width forms) is read by Excel,
LibreOffice and Google Sheets as a formula when it arrives through CSV/TSV, and openpyxl turns
any string beginning with "=" into a live formula. Escaping happens at export time, so text
stored before this existed is safe too.

- xlsx written with openpyxl: ``text_cell`` / ``neutralize_workbook`` keep the text exactly as
  typed, as a string cell with Excel's quote prefix (it stays text even when edited).
- CSV/TSV and every django-import-export format: ``escape_text`` puts an apostrophe in front
  (the OWASP recommendation); ``unescape_text`` takes it off again when such a file is imported.

Figures (int, float, Decimal, dates) are never touched: they stay numbers.
"""

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.cell.cell import WriteOnlyCell as _WriteOnlyCell

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def is_dangerous(value):
    return isinstance(value, str) and value.startswith(DANGEROUS)


def escape_text(value):
    """For CSV/TSV/JSON/YAML exports: an apostrophe before text a spreadsheet would evaluate."""
    if is_dangerous(value):
        return "'" + value
    return value


def unescape_text(value):
    """The inverse of ``escape_text`` for an imported cell."""
    if isinstance(value, str) and value.startswith("'") and is_dangerous(value[1:]):
        return value[1:]
    return value


def text_cell(cell, value):
    """Put ``value`` into an openpyxl cell; text that looks like a formula stays text."""
    cell.value = value
    if is_dangerous(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def write_only_cell(sheet, value):
    """For write-only workbooks (``sheet.append`` of cells): the same as ``text_cell``."""
    if is_dangerous(value):
        return text_cell(_WriteOnlyCell(sheet), value)
    return value


def neutralize_workbook(book):
    """Every formula cell of a workbook built from data becomes the text it was typed as.

    The exporters of this project write no formulas of their own, so any formula cell in them
    came from user text; call this just before ``book.save``. A write-only workbook cannot be
    read back: its cells must be written through ``write_only_cell``."""
    if getattr(book, "write_only", False):
        return book
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell) or not isinstance(cell, Cell):
                    continue
                if cell.data_type == "f" or is_dangerous(cell.value):
                    value = cell.value
                    if not isinstance(value, str):
                        continue
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return book


def formula_cells(book):
    """Coordinates of formula cells and of unprotected formula-like text (for the tests)."""
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"{sheet.title}!{cell.coordinate} (công thức {cell.value!r})")
                elif is_dangerous(cell.value) and not cell.quotePrefix:
                    found.append(f"{sheet.title}!{cell.coordinate} (văn bản {cell.value!r} không có dấu ')")
    return found
