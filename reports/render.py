"""The annex rendered from a publication document: PDF (WeasyPrint) and Excel (openpyxl).

Both read only the document, so the same snapshot always gives the same content;
the PDF's identifier comes from the snapshot hash and it carries no creation time,
so the same snapshot gives the same bytes too.
"""

import io
from decimal import Decimal

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from criteria.numbers import fixed
from safety.formulas import neutralize_workbook, text_cell

from .formats import decree_date, short_date


def _context(document, digest):
    meta = document["meta"]
    blocks = []
    for block in document["blocks"]:
        groups_max = sum((Decimal(g["max"]) for g in block["groups"] if g["max"]), Decimal(0))
        blocks.append(dict(block, groups_max=fixed(groups_max, 2),
                           has_voluntary=any(r["voluntary"] for r in block["rows"])))
    return {"meta": meta, "blocks": blocks, "digest": digest, "supersedes": document.get("supersedes"),
            "date_line": decree_date(meta["place"], meta["date"]), "short_date": short_date(meta["date"])}


def render_pdf(document, digest):
    from weasyprint import HTML

    html = render_to_string("reports/annex.html", _context(document, digest))
    return HTML(string=html, base_url=None).write_pdf(pdf_identifier=digest[:32].encode("ascii"))


def render_unit_pdf(context):
    """The filled official form of one unit (columns 1–7) as a PDF."""
    from weasyprint import HTML

    html = render_to_string("reports/unit_sheet.html", context)
    return HTML(string=html).write_pdf(pdf_identifier=context["digest"][:32].encode("ascii"))


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def put_cell(cell, value):
    """Write a value; text stays text. openpyxl stores a string that starts with '=' as a formula,
    and a spreadsheet would run it: a remark typed as "=HYPERLINK(…)" must show, not execute."""
    return text_cell(cell, value)


def render_xlsx(document, digest):
    meta = document["meta"]
    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, block in enumerate(document["blocks"], 1):
        sheet = workbook.create_sheet(title=f"{index}. {block['name']}"[:31])
        groups = block["groups"]
        headline = block["criteria_set"]["headline"]
        has_bands = bool(block["bands"])
        columns = ["Xếp hạng", "Đơn vị", *[f"{g['code']}" for g in groups], "Tổng điểm"]
        if headline != "total":
            columns.append(block["criteria_set"]["figure"])
        if has_bands:
            columns += ["Xếp loại", "Lý do"]
        columns += ["Nội dung thực hiện tốt", "Nội dung chưa tốt"]
        width = len(columns)
        last = get_column_letter(width)
        bold = Font(name="Times New Roman", bold=True, size=12)
        plain = Font(name="Times New Roman", size=12)
        heading = [
            (meta["parent_body"].upper(), plain), (meta["issuing_body"].upper(), bold),
            (f"Số: {meta['number']}", plain), (decree_date(meta["place"], meta["date"]), Font(name="Times New Roman",
                                                                                               italic=True, size=12)),
            ("PHỤ LỤC", bold), (meta["title"], bold), (f"KHỐI {block['name'].upper()}", bold),
        ]
        for row, (text, font) in enumerate(heading, 1):
            put_cell(sheet.cell(row=row, column=1), text).font = font
            sheet.merge_cells(f"A{row}:{last}{row}")
            sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
        top = len(heading) + 2
        group_start = 3
        for col, title in enumerate(columns, 1):
            cell = put_cell(sheet.cell(row=top, column=col), title)
            if group_start <= col < group_start + len(groups):
                cell.value = "Điểm theo nhóm tiêu chí" if col == group_start else None
                group = groups[col - group_start]
                sub = sheet.cell(row=top + 1, column=col,
                                 value=f"{group['code']} ({group['max'].replace('.', ',')})" if group["max"] else group["code"])
                sub.font, sub.alignment, sub.border = bold, Alignment(horizontal="center", wrap_text=True), BOX
            else:
                sheet.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
            cell.font, cell.alignment, cell.border = bold, Alignment(horizontal="center", vertical="center",
                                                                     wrap_text=True), BOX
        if groups:
            sheet.merge_cells(start_row=top, start_column=group_start, end_row=top, end_column=group_start + len(groups) - 1)
        row = top + 2
        for item in block["rows"]:
            values = [item["rank"] if item["rank"] else "—", item["unit_name"] + (" (khuyến khích)" if item["voluntary"] else "")]
            values += [Decimal(item["groups"][g["code"]]) if item["groups"].get(g["code"]) else None for g in groups]
            values.append(Decimal(item["total"]))
            if headline != "total":
                values.append(Decimal(item["score"]))
            if has_bands:
                values += [item["classification"], item["reason"]]
            values += [item["strengths"], item["weaknesses"]]
            for col, value in enumerate(values, 1):
                cell = sheet.cell(row=row, column=col)
                put_cell(cell, value)
                cell.border, cell.font = BOX, plain
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if isinstance(value, Decimal):
                    places = len(format(value, "f").split(".")[1]) if "." in format(value, "f") else 0
                    cell.number_format = "#,##0" + ("." + "0" * places if places else "")
            row += 1
        note = f"{block['criteria_set']['ranking_rule']} {block['criteria_set']['tie_rule']}"
        put_cell(sheet.cell(row=row + 1, column=1), note).font = Font(name="Times New Roman", italic=True, size=11)
        sheet.cell(row=row + 2, column=1, value=f"Mã xác minh: {digest}").font = Font(name="Times New Roman", size=9)
        sheet.column_dimensions["A"].width = 9
        sheet.column_dimensions["B"].width = 34
        for col in range(3, width + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 10
        for col in (width - 1, width):
            sheet.column_dimensions[get_column_letter(col)].width = 40
        sheet.print_title_rows = f"{top}:{top + 1}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.freeze_panes = sheet.cell(row=top + 2, column=3)
    workbook.properties.creator = meta["issuing_body"]
    workbook.properties.title = meta["title"]
    neutralize_workbook(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
