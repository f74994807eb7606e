"""Answers for a whole period in one spreadsheet: one row per unit, one column per evidence figure
(and per criterion scored directly), for provinces that collect figures centrally.

Like the offline form, reading writes nothing: it returns the changes and every problem with its
cell; applying happens only when there is no problem, in one transaction, for every unit at once
(bulk updates with their history rows), and refuses forms the units may no longer change.
"""

import datetime
import io
import json
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import connection, models, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from config import chain
from criteria.fields import cell_value, clean, from_cell, stored_value
from criteria.numbers import NumberFormatError, parse_number
from safety.formulas import neutralize_workbook

from .models import Answer, Assessment
from .offline import OfflineFileError, _check_container
from .sheet import UNIT, AnswerSheet, answer_row, unit_facts
from .workflow import TOTALS, cache_results

POINTS = "điểm"


def columns(scheme):
    """(header, node, field or None) for every input of the set, in the official order."""
    out = []
    for node in scheme.leaves:
        if node.rule is None or node.is_substitute:
            continue
        out += [(f"{node.code}:{f.key}", node, f) for f in node.fields]
        if node.rule.manual:
            out.append((f"{node.code}:{POINTS}", node, None))
    return out


def _forms(period, criteria_set):
    return list(Assessment.objects.filter(period=period, criteria_set=criteria_set)
                .select_related("unit__block", "period", "criteria_set").order_by("unit__name"))


def build_template(period, criteria_set):
    """Every form of the period on this set, with what is saved now."""
    scheme = criteria_set.scheme()
    cols = columns(scheme)
    book = Workbook()
    sheet = book.active
    sheet.title = "So lieu"
    sheet.append(["Mã đơn vị", "Đơn vị", *[c[0] for c in cols]])
    sheet.append(["", "(tên số liệu)", *[(f.label if f else f"Điểm {node.code}") for _, node, f in cols]])
    for cell in (*sheet[1], *sheet[2]):
        cell.font = Font(bold=True)
    forms = _forms(period, criteria_set)
    answers = {}
    for a in Answer.objects.filter(assessment__in=forms).select_related("criterion").only(
            "assessment_id", "values", "points", "criterion__code"):
        answers[(a.assessment_id, a.criterion.code)] = a
    for form in forms:
        row = [form.unit.code, form.unit.name]
        for _, node, fld in cols:
            answer = answers.get((form.pk, node.code))
            if answer is None:
                row.append(None)
            elif fld is None:
                row.append(_shown_points(answer.points))
            else:
                row.append(cell_value(fld, answer.values.get(fld.key)))
        sheet.append(row)
    neutralize_workbook(book)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _shown_points(points):
    if points is None:
        return None
    return float(points) if points.is_finite() and abs(points) < 10**15 else str(points)


@dataclass
class BulkReading:
    forms: dict = field(default_factory=dict)      # assessment pk -> {code: new state}
    changed_units: int = 0
    changed_answers: int = 0
    problems: list = field(default_factory=list)


def read_sheet(period, criteria_set, data, name="tệp"):
    _check_container(data, name)
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise OfflineFileError(f"Tệp “{name}” bị hỏng, không đọc được ({exc.__class__.__name__}).") from exc
    scheme = criteria_set.scheme()
    cols = {c[0]: c for c in columns(scheme)}
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    if not header or header[0] != "Mã đơn vị":
        raise OfflineFileError(f"Tệp “{name}”: ô A1 phải là “Mã đơn vị” (dùng tệp mẫu tải từ hệ thống).")
    unknown = [h for h in header[2:] if h and h not in cols]
    if unknown:
        raise OfflineFileError([f"Tệp “{name}”: cột “{h}” không có trong bộ {scheme.code} v{scheme.version}."
                                for h in unknown[:10]])
    forms = {f.unit.code: f for f in _forms(period, criteria_set)}
    stored = {}
    names = ("assessment_id", "values", "points", "reviewed_values", "reviewed_points", "poor_data")
    # Plain rows, not model instances: a province's worth of answers is over a hundred thousand.
    for code, *row in Answer.objects.filter(assessment__in=forms.values()).values_list("criterion__code", *names):
        item = SimpleNamespace(criterion=SimpleNamespace(code=code), **dict(zip(names, row, strict=True)))
        stored.setdefault(item.assessment_id, {})[code] = item
    reading = BulkReading()
    seen = set()
    letters = {i: get_column_letter(i + 1) for i in range(len(header))}
    for number, values in enumerate(rows, 1):
        if number == 1 or not values or all(v in (None, "") for v in values):
            continue  # the second row names the figures
        line = number + 1
        code = str(values[0]).strip() if values[0] is not None else ""
        form = forms.get(code)
        if form is None:
            reading.problems.append(f"Dòng {line}, ô A{line}: không có phiếu của đơn vị mã “{code}” trong kỳ này "
                                    f"với bộ {scheme.code}.")
            continue
        if code in seen:
            reading.problems.append(f"Dòng {line}: đơn vị {code} xuất hiện lần thứ hai.")
            continue
        seen.add(code)
        answers = stored.get(form.pk, {})
        new = {c: {"values": dict(a.values), "points": a.points} for c, a in answers.items()}
        row_problems = []
        for index, header_name in enumerate(header[2:], 2):
            if not header_name:
                continue
            _, node, fld = cols[header_name]
            raw_cell = values[index] if index < len(values) else None
            where = f"Ô {letters[index]}{line} ({form.unit.name}, tiêu chí {node.code}"
            if node.code not in new:
                continue
            if fld is None:
                raw = from_cell(None, raw_cell) if raw_cell is not None else None
                try:
                    new[node.code]["points"] = parse_number(raw) if raw is not None else None
                except NumberFormatError as exc:
                    row_problems.append(f"{where}): điểm {exc} (giá trị: {raw_cell})")
                continue
            raw = from_cell(fld, raw_cell)
            if raw is None:
                new[node.code]["values"].pop(fld.key, None)
                continue
            try:
                new[node.code]["values"][fld.key] = stored_value(clean(fld, raw))
            except NumberFormatError as exc:
                row_problems.append(f"{where}, “{fld.label}”): {exc} (giá trị: {raw_cell})")
        if not row_problems:
            sheet = AnswerSheet(scheme, unit_facts(form), {c: answer_row(a) for c, a in answers.items()})
            row_problems += [f"Dòng {line}: {p}" for p in sheet.with_changes(new, side=UNIT).plan_problems(UNIT)]
        changes = {c: state for c, state in new.items()
                   if (state["values"], state["points"]) != (answers[c].values, answers[c].points)}
        if changes and not form.editable_by_unit():
            row_problems.append(f"Dòng {line} ({form.unit.name}): {form.read_only_reason()}")
        reading.problems += row_problems
        if changes and not row_problems:
            reading.forms[form.pk] = changes
            reading.changed_units += 1
            reading.changed_answers += len(changes)
    return reading


def _converter(field):
    """How a value goes to the driver: JSON as text, everything else as the driver takes it (both
    psycopg2 and Django's sqlite3 adapters handle Decimal, bool, str, datetime). Preparing each value
    through the field cost more than the writing itself."""
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    return lambda value: value


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _copy(cursor, table, columns, rows):
    """COPY rows into a table: one stream instead of statements (PostgreSQL only)."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(map(_copy_text, row)))
        buffer.write("\n")
    buffer.seek(0)
    cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _update_rows(model, names, objects):
    """Update these columns of these rows at once: on PostgreSQL the new values are COPYed into a
    temporary table and applied by one UPDATE … FROM; on SQLite, executemany. (Django's bulk_update
    builds a CASE per field and batch, which took minutes for a province's worth of answers.)"""
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in names]
    convert = [_converter(f) for f in fields]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = [quote(f.column) for f in fields]
    rows = [[c(getattr(obj, f.attname)) for f, c in zip(fields, convert, strict=True)] + [obj.pk] for obj in objects]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} WHERE {pk} = %s",  # noqa: S608 - names from the model
                               rows)
            return
        scratch = quote(f"bulk_{model._meta.db_table}")
        types = ", ".join(f"{col} {f.db_type(connection)}" for f, col in zip(fields, columns, strict=True))
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} ({types}, id bigint) ON COMMIT DROP")
        _copy(cursor, scratch, [*columns, "id"], rows)
        cursor.execute(f"UPDATE {table} SET {', '.join(f'{c} = v.{c}' for c in columns)} "  # noqa: S608 - names from the model
                       f"FROM {scratch} AS v WHERE {table}.{pk} = v.id")
        cursor.execute(f"DROP TABLE {scratch}")


def _insert_history(answers, *, by, reason):
    """One history row per changed answer, as django-simple-history writes them ('~' = changed)."""
    history = Answer.history.model
    fields = [f for f in history._meta.concrete_fields if f.name != "history_id"]
    special = {"history_date": connection.ops.adapt_datetimefield_value(timezone.now()),
               "history_change_reason": reason, "history_type": "~", "history_user_id": by.pk if by else None}
    convert = [_converter(f) for f in fields]
    now = timezone.now()
    own = {"history_date": now, "history_change_reason": reason, "history_type": "~",
           "history_user_id": by.pk if by else None}
    values = chain.link_values(history, [
        {f.attname: getattr(a, f.attname) for f in fields if f.attname not in (*own, "prev_hash", "row_hash")} | own
        for a in answers])
    special["history_date"] = connection.ops.adapt_datetimefield_value(now)
    rows = [[special[f.attname] if f.attname in special else c(row[f.attname])
             for f, c in zip(fields, convert, strict=True)] for row in values]
    quote = connection.ops.quote_name
    table = quote(history._meta.db_table)
    columns = [quote(f.column) for f in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, table, columns, rows)
        else:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - names from the model
                               f"VALUES ({', '.join(['%s'] * len(fields))})", rows)


@transaction.atomic
def apply(period, criteria_set, reading, *, by):
    """Write every change at once; refuse everything if any form changed state or answer moved on."""
    if reading.problems:
        raise OfflineFileError(reading.problems)
    scheme = criteria_set.scheme()
    forms = {f.pk: f for f in Assessment.objects.select_for_update().filter(pk__in=reading.forms)
             .select_related("unit__block", "period")}
    refused = [f"{f.unit.name}: {f.read_only_reason()}" for f in forms.values() if not f.editable_by_unit()]
    if refused:
        raise OfflineFileError(refused)
    names = [f.attname for f in Answer._meta.concrete_fields]
    by_form = {}
    for code, *row in Answer.objects.filter(assessment__in=forms).values_list("criterion__code", *names):
        answer = SimpleNamespace(criterion=SimpleNamespace(code=code), **dict(zip(names, row, strict=True)))
        answer.pk = answer.id
        by_form.setdefault(answer.assessment_id, {})[code] = answer
    touched, totals, rescored = [], [], []
    for pk, changes in reading.forms.items():
        form, current = forms[pk], by_form[pk]
        for code, state in changes.items():
            answer = current[code]
            answer.values, answer.points = state["values"], state["points"]
            answer.version += 1
            touched.append(answer)
        # The same computation as workflow.rescore; only the writing is batched for the whole period.
        sheet = AnswerSheet(scheme, unit_facts(form), {c: answer_row(a) for c, a in current.items()})
        rescored += cache_results(sheet, form, current.values(), fast=True)
        form.changed_at = timezone.now()
        totals.append(form)
    _update_rows(Answer, ["values", "points", "version"], touched)
    _insert_history(touched, by=by, reason="Nhập số liệu từ tệp Excel của cả kỳ")
    _update_rows(Answer, ["self_result", "reviewed_result"], rescored)
    _update_rows(Assessment, [*TOTALS, "changed_at"], totals)
    return len(touched)
