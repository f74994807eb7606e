"""Automatic indicators: figures measured from systems, imported from a file instead of typed.

A criteria set marks an evidence field ``automatic`` with its source (e.g. "Bộ
chỉ số 766 — Cổng Dịch vụ công quốc gia"). An administrator imports the
source's file (CSV or .xlsx: unit code or name, period or month, value):
``read_indicator_file`` checks every row and refuses the whole file naming each
bad row; ``apply_indicator_file`` records the import with its provenance (file
name, SHA-256, who, when, the source's date) and writes the value into the
unit's figure (column 3) of every form of the period not yet approved, with a
history entry. Units cannot change such a figure; a reviewer overrides it in
column 6 with a reason like any other figure, and a newer import leaves that
override alone.
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from criteria.fields import clean as clean_value
from criteria.fields import stored_value
from criteria.numbers import NumberFormatError, vn
from units.naming import fold

from .models import Answer, Assessment, IndicatorImport, IndicatorValue

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
UNIT_HEADERS = ("ma don vi", "don vi", "ten don vi", "co quan", "ten co quan", "ma co quan", "unit")
PERIOD_HEADERS = ("ky danh gia", "ky", "nam", "thang", "thoi gian", "ky bao cao", "period", "month")
VALUE_HEADERS = ("gia tri", "diem", "chi so", "ket qua", "value")


class IndicatorFileError(ValueError):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def automatic_fields(scheme):
    """{key: field} of the evidence fields a set marks as automatic."""
    return {key: fld for key, fld in scheme.fields.items() if getattr(fld, "automatic", "")}


def period_fields(period):
    """The automatic fields of every criteria set a period uses: {key: (field, [criteria sets])}."""
    found = {}
    for pcs in period.criteria_sets.select_related("criteria_set"):
        for key, fld in automatic_fields(pcs.criteria_set.scheme()).items():
            found.setdefault(key, (fld, []))[1].append(pcs.criteria_set)
    return found


@dataclass
class Reading:
    values: dict  # unit -> (value as stored, month, row)
    ignored: list = field(default_factory=list)


def _rows(data, name):
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        from criteria.table_import import TableImportError, check_container

        try:
            check_container(data, name)
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except TableImportError as exc:
            raise IndicatorFileError(exc.problems) from None
        except Exception as exc:  # a damaged workbook
            raise IndicatorFileError([f"Không đọc được tệp Excel '{name}': {exc.__class__.__name__}"]) from None
        try:
            rows = [[("" if v is None else v) for v in r] for r in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
        return rows
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise IndicatorFileError([f"Tệp '{name}' không phải văn bản UTF-8"]) from None
        if "\x00" in text:
            raise IndicatorFileError([f"Tệp '{name}' chứa ký tự không hợp lệ"])
        delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    raise IndicatorFileError([f"Tệp '{name}' không phải .csv hoặc .xlsx"])


def _column(header, names):
    for i, cell in enumerate(header):
        text = fold(cell).strip(" :.")
        if any(text == n or text.startswith(n + " ") for n in names):
            return i
    return None


MONTH = re.compile(r"^(?:t(?:hang)?\s*)?(\d{1,2})\s*[/.-]\s*(\d{4})$")
ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$")


def _period_of(raw, period):
    """('year', None) / ('month', 'YYYY-MM') / ('other', text) for one period cell."""
    if isinstance(raw, datetime.datetime | datetime.date):
        return "month", f"{raw.year:04d}-{raw.month:02d}"
    text = fold(raw)
    if isinstance(raw, int | float) and float(raw).is_integer():
        text = str(int(raw))
    if text in (str(period.year), fold(period.name)):
        return "year", None
    match = MONTH.match(text) or ISO_MONTH.match(text)
    if match:
        a, b = match.groups()
        year, month = (int(b), int(a)) if MONTH.match(text) else (int(a), int(b))
        if 1 <= month <= 12:
            return "month", f"{year:04d}-{month:02d}"
    return "other", str(raw)


def read_indicator_file(data, name, *, period, key):
    """Check the whole file; return a Reading or raise IndicatorFileError naming every bad row.

    Rows of another period are ignored (and counted). Monthly rows count for the
    period if their month is in its year and not after its data cut-off date;
    the latest such month wins for each unit.
    """
    if len(data) > MAX_BYTES:
        raise IndicatorFileError([f"Tệp '{name}' lớn hơn {MAX_BYTES // 1048576} MB"])
    fields = period_fields(period)
    if key not in fields:
        known = ", ".join(sorted(fields)) or "không có"
        raise IndicatorFileError([f"Trường '{key}' không phải chỉ số tự động của các bộ tiêu chí trong kỳ "
                                  f"{period.name} (các trường tự động: {known})"])
    fld = fields[key][0]
    rows = _rows(data, name)
    if len(rows) > MAX_ROWS:
        raise IndicatorFileError([f"Tệp '{name}' có hơn {MAX_ROWS} dòng"])
    header_at = next((i for i, r in enumerate(rows[:20])
                      if _column(r, UNIT_HEADERS) is not None and _column(r, VALUE_HEADERS) is not None), None)
    if header_at is None:
        raise IndicatorFileError([f"Tệp '{name}': không thấy dòng tiêu đề có cột đơn vị (mã hoặc tên) và cột giá trị"])
    header = rows[header_at]
    unit_col, period_col, value_col = (_column(header, UNIT_HEADERS), _column(header, PERIOD_HEADERS),
                                       _column(header, VALUE_HEADERS))
    units = list(period.participants.all())
    by_code = {fold(u.code): u for u in units}
    by_name = {}
    for u in units:
        by_name.setdefault(fold(u.name), []).append(u)
    cutoff = f"{period.data_cutoff.year:04d}-{period.data_cutoff.month:02d}"
    problems, chosen, ignored = [], {}, []
    for number, row in enumerate(rows[header_at + 1:], header_at + 2):
        cells = list(row) + [""] * (len(header) - len(row))
        if not any(str(c).strip() for c in cells):
            continue
        unit_text = str(cells[unit_col]).strip()
        unit = by_code.get(fold(unit_text))
        if unit is None:
            named = by_name.get(fold(unit_text), [])
            if len(named) > 1:
                problems.append(f"Dòng {number}: tên đơn vị '{unit_text}' trùng nhiều đơn vị; hãy dùng mã đơn vị")
                continue
            unit = named[0] if named else None
        if unit is None:
            problems.append(f"Dòng {number}: đơn vị '{unit_text}' không tham gia kỳ {period.name}")
            continue
        month = None
        if period_col is not None:
            kind, month = _period_of(cells[period_col], period)
            if kind == "other" or (kind == "month" and not (month.startswith(f"{period.year:04d}-")
                                                            and month <= cutoff)):
                ignored.append(number)
                continue
        raw = cells[value_col]
        try:
            value = clean_value(fld, raw if not isinstance(raw, float) else repr(raw))
        except NumberFormatError as exc:
            problems.append(f"Dòng {number}, {unit.name}: giá trị '{raw}' {exc}")
            continue
        previous = chosen.get(unit)
        if previous is not None and (previous[1] or "") == (month or ""):
            problems.append(f"Dòng {number}: {unit.name} đã có giá trị ở dòng {previous[2]} cho cùng kỳ")
            continue
        if previous is None or (month or "9999") > (previous[1] or "9999") or (previous[1] and not month):
            chosen[unit] = (stored_value(value), month, number)
    if problems:
        raise IndicatorFileError(problems)
    if not chosen:
        raise IndicatorFileError([f"Tệp '{name}' không có dòng nào của kỳ {period.name}"])
    return Reading(chosen, ignored)


@transaction.atomic
def apply_indicator_file(data, name, *, period, key, source_date, by):
    """Record the import and update every form of the period not yet approved. Returns the IndicatorImport."""
    from .workflow import _save, load_answers, rescore

    reading = read_indicator_file(data, name, period=period, key=key)
    fld, sets = period_fields(period)[key]
    file_name, sha256 = Path(name).name[:255], hashlib.sha256(data).hexdigest()
    newer = IndicatorImport.objects.filter(period=period, field_key=key, source_date__gt=source_date).first()
    skipped, updated = [], 0
    # History keeps 100 characters of reason; the import record beside it has the whole provenance.
    reason = (f"Chỉ số tự động: tệp {file_name[:36]}, SHA-256 {sha256[:8]}…, "
              f"số liệu ngày {source_date:%d/%m/%Y}")[:100]
    forms = (Assessment.objects.filter(period=period, unit__in=list(reading.values), criteria_set__in=sets)
             .select_related("unit__block", "criteria_set"))
    for assessment in forms:
        if newer is not None:
            skipped.append(f"{assessment.unit.name}: đã có tệp mới hơn ({newer.file_name}, "
                           f"số liệu ngày {newer.source_date:%d/%m/%Y})")
            continue
        if assessment.status == Assessment.Status.APPROVED:
            skipped.append(f"{assessment.unit.name}: phiếu đã phê duyệt, không cập nhật")
            continue
        value = reading.values[assessment.unit][0]
        code = assessment.criteria_set.scheme().fields[key].criterion
        answers = load_answers(assessment)
        answer = next(a for a in answers if a.criterion.code == code)
        if (answer.values or {}).get(key) == value:
            continue
        answer.values = {**(answer.values or {}), key: value}
        answer.version += 1
        _save(answer, by=by, reason=reason)
        rescore(assessment, answers)
        updated += 1
    # Written once, complete: the import record and its values are append-only (provenance).
    batch = IndicatorImport.objects.create(
        period=period, field_key=key, source=fld.automatic, file_name=file_name, sha256=sha256, size=len(data),
        source_date=source_date, imported_by=by, rows=len(reading.values), updated_forms=updated, skipped=skipped)
    IndicatorValue.objects.bulk_create([IndicatorValue(batch=batch, unit=unit, value=value, month=month or "", row=row)
                                        for unit, (value, month, row) in reading.values.items()])
    return batch


def provenance(assessment):
    """{field key: (IndicatorImport, IndicatorValue)} of the latest import that reached this unit."""
    found = {}
    for value in (IndicatorValue.objects.filter(batch__period_id=assessment.period_id, unit_id=assessment.unit_id)
                  .select_related("batch__imported_by").order_by("-batch__source_date", "-batch__imported_at")):
        found.setdefault(value.batch.field_key, (value.batch, value))
    return found


def describe(batch, value=None):
    who = batch.imported_by.get_full_name() or batch.imported_by.get_username()
    text = (f"Tự động từ {batch.source}: tệp {batch.file_name} (SHA-256 {batch.sha256[:12]}…), "
            f"số liệu ngày {batch.source_date:%d/%m/%Y}, do {who} nhập lúc "
            f"{batch.imported_at.astimezone():%H:%M %d/%m/%Y}")
    if value is not None and value.month:
        year, month = value.month.split("-")
        text += f"; tháng {month}/{year}"
    return text


def vn_value(value):
    try:
        from decimal import Decimal

        return vn(Decimal(value))
    except Exception:  # a text value
        return value


def keep_automatic(scheme, assessment, changes):
    """A unit's changes with every automatic figure put back as imported: units do not type them."""
    automatic = automatic_fields(scheme)
    if not automatic:
        return changes
    stored = {a.criterion.code: a.values or {} for a in Answer.objects.filter(assessment=assessment)
              .select_related("criterion").only("values", "criterion__code")}
    kept = {}
    for code, new in changes.items():
        keys = [f.key for f in scheme.by_code[code].fields if f.key in automatic] if code in scheme.by_code else []
        if keys and "values" in new:
            values = {k: v for k, v in (new["values"] or {}).items() if k not in keys}
            values.update({k: stored[code][k] for k in keys if k in stored.get(code, {})})
            new = {**new, "values": values}
        kept[code] = new
    return kept
