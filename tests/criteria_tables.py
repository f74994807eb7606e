"""The Lào Cai 2018 criteria tables (seed 004) rebuilt as the .xlsx and .docx a Sở would upload.

The seed is the decision's text with each table cell on a line of its own,
starting with a tab, and a blank line between table rows; a cell of several
paragraphs continues on lines without the tab. ``seed_table`` turns one
appendix back into its rows; ``write_xlsx`` and ``write_docx`` lay them out
as a clerk's file would be: title rows merged above the header, a header
cell broken over two lines, decomposed Unicode in another.
"""

import io
import unicodedata
from pathlib import Path

SEED = Path("/work/shared/seeds/004_c17f59bb530d5333.txt")
if not SEED.exists():
    SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "004_c17f59bb530d5333.txt"

APPENDICES = {
    "province": ("PHỤ LỤC 01:", "Chú thích:"),
    "district": ("PHỤ LỤC 02:", "Ghi chú: + Số liệu"),
}


def seed_lines():
    return SEED.read_text(encoding="utf-8").splitlines()


def seed_table(which):
    """(title lines above the table, rows of 7 cells) of one appendix, as printed."""
    start_marker, end_marker = APPENDICES[which]
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith(start_marker))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith(end_marker))
    titles, rows, row = [], [], None
    for line in lines[start:end]:
        if line.startswith("\t"):
            if row is None:
                row = []
                rows.append(row)
            row.append(line[1:])
        elif line.strip() == "":
            row = None
        elif row is not None:
            row[-1] += "\n" + line
        elif not rows:
            titles.append(line.strip())
    rows = [[cell.strip() for cell in r] + [""] * (7 - len(r)) for r in rows]
    return titles, rows


def corrected(rows):
    """The district table with the second "7.2" of section V renumbered 7.3 (docs/criteria-decisions.md)."""
    rows = [list(r) for r in rows]
    in_v, seen = False, 0
    for r in rows:
        if r[0] == "V":
            in_v = True
        elif r[0] == "VI":
            in_v = False
        if in_v and r[0] == "7.2":
            seen += 1
            if seen == 2:
                r[0] = "7.3"
    return rows


def _number_or_text(text):
    try:
        return float(text.replace(",", ".")) if text and text[0].isdigit() and "," in text else text
    except ValueError:
        return text


def write_xlsx(titles, rows, *, numbers=True):
    """A workbook with the titles merged across the table and the maxima typed as numbers."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    for title in titles:
        sheet.append([title])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=7)
    for i, row in enumerate(rows):
        cells = list(row)
        if i == 0:
            cells = [c.replace("Điểm tối đa", "Điểm\ntối đa") for c in cells]
        elif numbers:
            cells[3] = _number_or_text(cells[3])
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_docx(titles, rows):
    """A Word document: the titles as paragraphs and as a merged row on top of the table."""
    import docx

    document = docx.Document()
    for title in titles:
        document.add_paragraph(title)
    table = document.add_table(rows=len(rows) + 1, cols=7)
    top = table.rows[0].cells
    top[0].merge(top[6]).text = titles[1] if len(titles) > 1 else "Bảng tiêu chí"
    for r, row in enumerate(rows, 1):
        cells = table.rows[r].cells
        for c, text in enumerate(row):
            if r == 1 and c == 1:
                text = unicodedata.normalize("NFD", text)
            cells[c].text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
