"""A unit's results across periods, from the published annexes.

Criteria sets change between years, so the comparison is by class, rank (and how many units
were ranked) and the share of the applicable maximum reached — never by raw points. A unit's
predecessors (renamed, merged, split: ``units.models.lineage``) count as its own history.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from safety.formulas import neutralize_workbook
from units.models import lineage

from .models import Publication
from .render import put_cell


def unit_trend(unit):
    """Rows oldest first: one per current (not superseded) publication that lists the unit or a predecessor."""
    ancestors = lineage(unit)
    codes = {u.code: (u, how) for u, how in ancestors.values()}
    rows = []
    publications = Publication.objects.current().select_related("period").order_by("period__year", "period__pk")
    for publication in publications:
        for block in publication.document["blocks"]:
            ranked = sum(1 for r in block["rows"] if r.get("rank"))
            for row in block["rows"]:
                if row["unit_code"] not in codes:
                    continue
                total, top = Decimal(row["total"]), Decimal(row["max"] or "0")
                rows.append({
                    "year": publication.period.year, "period": publication.period.name,
                    "publication": publication, "block": block["name"],
                    "criteria_set": f"{block['criteria_set']['code']} v{block['criteria_set']['version']}",
                    "unit_name": row["unit_name"], "as_predecessor": codes[row["unit_code"]][1],
                    "figure": block["criteria_set"]["figure"], "score": row["score"],
                    "share": (total * 100 / top).quantize(Decimal("0.1")) if top else None,
                    "classification": row["classification"], "rank": row.get("rank"), "ranked": ranked,
                })
    return rows


def trend_xlsx(unit, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả qua các năm"
    sheet.append([f"Kết quả đánh giá qua các năm: {unit.name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    headers = ["Năm", "Kỳ đánh giá", "Khối", "Bộ tiêu chí", "Tên đơn vị khi đó", "Chỉ tiêu xếp hạng", "Giá trị",
               "% điểm tối đa", "Xếp loại", "Hạng", "Số đơn vị xếp hạng", "Ghi chú"]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for r in rows:
        values = [r["year"], r["period"], r["block"], r["criteria_set"], r["unit_name"], r["figure"], Decimal(r["score"]),
                  r["share"], r["classification"], r["rank"], r["ranked"], r["as_predecessor"]]
        row = sheet.max_row + 1
        for column, value in enumerate(values, 1):
            put_cell(sheet.cell(row=row, column=column), value)
        sheet.cell(row=sheet.max_row, column=7).number_format = "#,##0.00#"
        sheet.cell(row=sheet.max_row, column=8).number_format = "0.0"
    for column, width in zip("ABCDEFGHIJKL", (7, 40, 18, 26, 34, 16, 10, 12, 10, 7, 10, 40), strict=True):
        sheet.column_dimensions[column].width = width
    neutralize_workbook(book)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
