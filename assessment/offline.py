"""The offline form: a unit's phiếu as an .xlsx laid out like the official form, and reading
it back after it was filled in Excel or LibreOffice.

Reading never writes: it returns the changes per criterion (old → new) and every problem with
its sheet, cell and a Vietnamese message; the caller saves through the workflow verb only after
the user confirms, and only if there was no problem at all. Formulas are not relied on: only the
typed values are read (a cached formula result is refused, as is any macro).
"""

import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from criteria.fields import cell_value, clean, excel_validation, from_cell, stored_value
from criteria.numbers import NumberFormatError, parse_number, vn
from safety.archives import UnsafeFile, inspect_zip
from safety.formulas import neutralize_workbook
from safety.text import NOTE_MAX, check_text

from .sheet import UNIT, AnswerSheet

SHEET, META = "Phiếu tự đánh giá", "_thong_tin"
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 100
FIRST_ROW = 7
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT = PatternFill("solid", fgColor="FFF6D5")


class OfflineFileError(ValidationError):
    """The file as a whole cannot be read as this form (every reason, in Vietnamese: ``.messages``)."""


@dataclass
class Reading:
    changes: dict = field(default_factory=dict)   # code -> new stored state (as save_unit_answers takes)
    preview: list = field(default_factory=list)   # (code, what, old, new) for what differs
    problems: list = field(default_factory=list)  # "Ô C12 (tiêu chí I.1, …): …"


def _layout(assessment, scheme):
    """The rows of the sheet: ("criterion", node) and ("field", node, field), in the official order."""
    rows = []
    has_procedures = assessment.unit.has_procedures
    for node, _ in scheme.tree():
        rows.append(("criterion", node, None))
        if not node.children and node.rule is not None and node.applies(has_procedures):
            rows.extend(("field", node, f) for f in node.fields)
    return rows


def _fingerprint(rows):
    text = "|".join(f"{kind}:{node.code}:{fld.key if fld else ''}" for kind, node, fld in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def build_workbook(assessment, answers):
    """The form as .xlsx bytes: a protected header naming unit and period, the criteria rows with
    their maxima, one row per evidence figure with an input cell validated for its kind."""
    scheme = assessment.criteria_set.scheme()
    by_code = {a.criterion.code: a for a in answers}
    rows = _layout(assessment, scheme)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(name="Times New Roman", bold=True)
    plain = Font(name="Times New Roman")
    header = [f"PHIẾU TỰ ĐÁNH GIÁ: {assessment.unit.name.upper()}", f"Kỳ đánh giá: {assessment.period.name}",
              f"Bộ tiêu chí: {scheme.name} (phiên bản {scheme.version})",
              "Nhập vào các ô màu vàng (cột 3: số liệu; cột 5: điểm với tiêu chí chấm trực tiếp; cột 7: ghi chú). "
              "Không thêm, xoá hay đổi thứ tự dòng."]
    for i, text in enumerate(header, 1):
        sheet.cell(row=i, column=1, value=text).font = bold if i == 1 else plain
        sheet.merge_cells(start_row=i, start_column=1, end_row=i, end_column=7)
    titles = ["TT", "Tiêu chí / số liệu", "Số liệu", "Điểm tối đa", "Đơn vị tự đánh giá", "Kết quả thẩm định", "Ghi chú"]
    for col, title in enumerate(titles, 1):
        for row, value in ((FIRST_ROW - 2, title), (FIRST_ROW - 1, f"({col})")):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.font, cell.border = bold, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    validations = {}
    for offset, (kind, node, fld) in enumerate(rows):
        r = FIRST_ROW + offset
        answer = by_code.get(node.code)
        if kind == "criterion":
            sheet.cell(row=r, column=1, value=node.code).font = bold
            sheet.cell(row=r, column=2, value=node.title).font = bold if node.children else plain
            if node.max_points is not None and not node.is_deduction:
                sheet.cell(row=r, column=4, value=float(node.assessed_max) if node.assessed_max else 0)
            if answer is not None:
                if answer.self_result is not None:
                    sheet.cell(row=r, column=5, value=float(answer.self_result))
                if node.rule is not None and node.rule.manual and node.applies(assessment.unit.has_procedures):
                    cell = sheet.cell(row=r, column=5, value=float(answer.points) if answer.points is not None else None)
                    cell.protection, cell.fill = Protection(locked=False), INPUT
                note = sheet.cell(row=r, column=7, value=answer.note or None)
                note.protection, note.fill = Protection(locked=False), INPUT
        else:
            sheet.cell(row=r, column=2, value=f"    {fld.label}").font = plain
            value = cell_value(fld, (answer.values if answer else {}).get(fld.key))
            cell = sheet.cell(row=r, column=3, value=value)
            cell.protection, cell.fill = Protection(locked=False), INPUT
            if fld.field_kind.number_format:
                cell.number_format = fld.field_kind.number_format
            # One rule per field, not per kind: each rule's message names its field, and a shared
            # one would give every whole-number cell the first field's name.
            key = (fld.kind, tuple(fld.choices), fld.label)
            if key not in validations:
                validations[key] = excel_validation(fld)
                sheet.add_data_validation(validations[key])
            validations[key].add(cell)
        for col in range(1, 8):
            sheet.cell(row=r, column=col).border = BOX
            sheet.cell(row=r, column=col).alignment = Alignment(vertical="top", wrap_text=True)
    for col, width in zip("ABCDEFG", (8, 60, 16, 10, 12, 12, 30), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.freeze_panes = f"C{FIRST_ROW}"
    meta = book.create_sheet(META)
    for key, value in (("phieu", assessment.pk), ("don_vi", assessment.unit.code), ("ky", assessment.period_id),
                       ("bo_tieu_chi", f"{scheme.code} v{scheme.version}"), ("cau_truc", _fingerprint(rows))):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    neutralize_workbook(book)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _check_container(data, name):
    """Refuse what is not a plain workbook before opening it: size, zip bombs (bytes actually
    decompressed, member count), XXE/billion laughs (any DTD), zip-slip, macros."""
    if len(data) > MAX_BYTES:
        raise OfflineFileError(f"Tệp “{name}” dung lượng {vn(round(Decimal(len(data)) / 1048576, 1))} MB, "
                               f"vượt giới hạn {MAX_BYTES // 1048576} MB.")
    if not data:
        raise OfflineFileError(f"Tệp “{name}” rỗng (0 byte).")
    try:
        report = inspect_zip(data, name, max_members=MAX_MEMBERS, max_total=MAX_UNPACKED, max_member=MAX_UNPACKED,
                             max_ratio=MAX_RATIO)
    except UnsafeFile as exc:
        if exc.code == "not_zip":
            raise OfflineFileError(f"Tệp “{name}” không phải tệp Excel .xlsx (không đọc được).") from exc
        raise OfflineFileError(exc.messages) from exc
    if "xl/workbook.xml" not in {n.lower() for n in report.names}:
        raise OfflineFileError(f"Tệp “{name}” không phải tệp Excel .xlsx (thiếu nội dung bảng tính).")


def read_workbook(assessment, answers, data, name="tệp"):
    """Read a filled offline form. Raises OfflineFileError if the file is not this form at all."""
    _check_container(data, name)
    try:
        book = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise OfflineFileError(f"Tệp “{name}” bị hỏng, không đọc được ({exc.__class__.__name__}).") from exc
    if SHEET not in book.sheetnames or META not in book.sheetnames:
        raise OfflineFileError(f"Tệp “{name}” không phải phiếu tải từ hệ thống (thiếu trang “{SHEET}”).")
    meta = {row[0]: row[1] for row in book[META].iter_rows(values_only=True) if row and row[0]}
    scheme = assessment.criteria_set.scheme()
    rows = _layout(assessment, scheme)
    if str(meta.get("phieu")) != str(assessment.pk) or meta.get("don_vi") != assessment.unit.code \
            or str(meta.get("ky")) != str(assessment.period_id):
        raise OfflineFileError(f"Tệp “{name}” là phiếu của đơn vị {meta.get('don_vi') or '?'} (phiếu số "
                               f"{meta.get('phieu') or '?'}), không phải phiếu của {assessment.unit.name} "
                               f"trong {assessment.period.name}.")
    if meta.get("cau_truc") != _fingerprint(rows) or meta.get("bo_tieu_chi") != f"{scheme.code} v{scheme.version}":
        raise OfflineFileError(f"Tệp “{name}” được tải về theo cấu trúc phiếu khác; hãy tải phiếu mới.")
    sheet = book[SHEET]
    reading = Reading()
    structure = []
    for offset, (kind, node, fld) in enumerate(rows):
        r = FIRST_ROW + offset
        code = sheet.cell(row=r, column=1).value
        label = sheet.cell(row=r, column=2).value
        expected_label = f"    {fld.label}" if fld else node.title
        if (kind == "criterion" and str(code or "") != node.code) or (kind == "field" and code not in (None, "")) \
                or (label or "").strip() != expected_label.strip():
            structure.append(f"Trang “{SHEET}”, dòng {r}: cấu trúc phiếu đã bị thay đổi (cần “{node.code} "
                             f"{expected_label.strip()[:60]}”, thấy “{code or ''} {str(label or '').strip()[:60]}”).")
    trailing = [r for r in range(FIRST_ROW + len(rows), sheet.max_row + 1)
                if any(sheet.cell(row=r, column=c).value not in (None, "") for c in range(1, 8))]
    if trailing:
        structure.append(f"Trang “{SHEET}”, dòng {trailing[0]}: có thêm dòng ngoài mẫu phiếu.")
    if structure:
        raise OfflineFileError(structure[:5] + ([f"… và {len(structure) - 5} chỗ khác."] if len(structure) > 5 else []))
    by_code = {a.criterion.code: a for a in answers}
    typed = {}
    cells = {}
    for offset, (kind, node, fld) in enumerate(rows):
        r = FIRST_ROW + offset
        answer = by_code.get(node.code)
        if answer is None:
            continue
        entry = typed.setdefault(node.code, {"values": {}, "points": answer.points, "note": answer.note})
        if kind == "field":
            cell = sheet.cell(row=r, column=3)
            cells[(node.code, fld.key)] = cell.coordinate
            if cell.data_type == "f":
                reading.problems.append(f"Ô {cell.coordinate} (tiêu chí {node.code}, “{fld.label}”): là công thức; "
                                        "hãy nhập giá trị.")
                continue
            raw = from_cell(fld, cell.value)
            if raw is None:
                continue
            try:
                entry["values"][fld.key] = stored_value(clean(fld, raw))
            except NumberFormatError as exc:
                reading.problems.append(f"Ô {cell.coordinate} (tiêu chí {node.code}, “{fld.label}”): {exc} "
                                        f"(giá trị: {cell.value})")
                entry.setdefault("unread", {})[fld.key] = str(cell.value)
        else:
            note_cell = sheet.cell(row=r, column=7)
            if note_cell.data_type == "f":
                reading.problems.append(f"Ô {note_cell.coordinate} (tiêu chí {node.code}, ghi chú): là công thức; "
                                        "hãy nhập văn bản (muốn bắt đầu bằng dấu =, +, -, @ thì gõ dấu ' trước).")
            else:
                try:
                    entry["note"] = check_text("" if note_cell.value is None else str(note_cell.value),
                                               label=f"Ghi chú ô {note_cell.coordinate} (tiêu chí {node.code})",
                                               limit=NOTE_MAX)
                except ValidationError as exc:
                    reading.problems += exc.messages
            if node.rule is not None and node.rule.manual and node.applies(assessment.unit.has_procedures):
                cell = sheet.cell(row=r, column=5)
                cells[(node.code, None)] = cell.coordinate
                value = from_cell(fld, cell.value) if cell.data_type != "f" else "công thức"
                try:
                    entry["points"] = parse_number(value) if value is not None else None
                except NumberFormatError as exc:
                    reading.problems.append(f"Ô {cell.coordinate} (tiêu chí {node.code}): điểm {exc} "
                                            f"(giá trị: {cell.value})")
    if not reading.problems:
        sheet = AnswerSheet.of(assessment, answers).with_changes(typed, side=UNIT)
        for problem in sheet.problems(UNIT):
            where = cells.get((problem.criterion, problem.key or None)) or cells.get((problem.criterion, None))
            reading.problems.append((f"Ô {where}: " if where else "") + f"tiêu chí {problem.criterion}: "
                                    f"{problem.message}" + (f" (giá trị: {problem.value})" if problem.value is not None else ""))
    for code, entry in typed.items():
        answer = by_code[code]
        node = scheme.by_code[code]
        new = {"values": entry["values"], "points": entry["points"], "note": entry["note"],
               "explanation": answer.explanation}
        if (new["values"], new["points"], new["note"]) == (answer.values, answer.points, answer.note) \
                and not entry.get("unread"):
            continue
        reading.changes[code] = new
        for fld in node.fields:
            old, now = answer.values.get(fld.key), new["values"].get(fld.key)
            unread = entry.get("unread", {}).get(fld.key)
            if unread is not None:
                # What the cell holds, not "(trống)": the user must see the text that was refused.
                reading.preview.append((code, fld.label, _display(fld, old), f"“{unread}” (không đọc được)"))
            elif old != now:
                reading.preview.append((code, fld.label, _display(fld, old), _display(fld, now)))
        if new["points"] != answer.points:
            reading.preview.append((code, "Điểm tự đánh giá", vn(answer.points) if answer.points is not None else "",
                                    vn(new["points"]) if new["points"] is not None else ""))
        if new["note"] != answer.note:
            reading.preview.append((code, "Ghi chú", answer.note, new["note"]))
    return reading


def _display(fld, value):
    return "" if value in (None, "") else fld.field_kind.display(fld, value)
