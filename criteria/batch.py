"""Reading the ``score`` command's JSON input and writing its output.

Kept apart from the command so tests and later importers can use it directly.
"""

import gc
import json
from decimal import Decimal
from json.encoder import encode_basestring

import msgspec

from .numbers import fixed, vn
from .plan import PlanResult
from .scoring import Problem, ScoringInputError, UnitInput

_DECODER = msgspec.json.Decoder(float_hook=Decimal)

UNIT_KEYS = {"code", "name", "block", "has_procedures", "voluntary", "days_late", "answers"}


def read_units(text):
    """Parse the JSON input into UnitInputs; numbers stay exact (Decimal, never float).

    msgspec reads the same JSON into the same values as ``json.loads(parse_float=Decimal)``, a few
    times faster; what it refuses (NaN, lone surrogates, malformed text) is read again by the
    standard library, so those are accepted or reported exactly as before."""
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects: the cycle collector would walk them again and again
    try:
        return _read_units(text)
    finally:
        if collecting:
            gc.enable()


def _read_units(text):
    try:
        data = _DECODER.decode(text)
    except msgspec.DecodeError:
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            message = f"tệp JSON không đọc được (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}"
            raise ScoringInputError([Problem("", "", None, message)]) from None
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise ScoringInputError([Problem("", "", None, "tệp phải có dạng {\"units\": [ ... ]}")])
    units, problems = [], []
    for i, raw in enumerate(data["units"], 1):
        if not isinstance(raw, dict) or not raw.get("code"):
            problems.append(Problem(f"thứ {i}", "", None, "mỗi đơn vị phải có 'code'"))
            continue
        label = str(raw["code"])
        extra = sorted(set(raw) - UNIT_KEYS)
        if extra:
            problems.append(Problem(label, "", None, f"khoá không hợp lệ: {', '.join(extra)}"))
        for key in ("has_procedures", "voluntary"):
            if key in raw and not isinstance(raw[key], bool):
                problems.append(Problem(label, "", raw[key], f"'{key}' phải là true hoặc false"))
        units.append(UnitInput(code=label, name=str(raw.get("name", "")), block=str(raw.get("block", "")),
                               has_procedures=raw.get("has_procedures", True) is not False,
                               voluntary=raw.get("voluntary", False) is True,
                               days_late=raw.get("days_late", 0), answers=raw.get("answers", {})))
    if problems:
        raise ScoringInputError(problems)
    return units


def ordered(results):
    """Block by block, ranked units first by rank, then voluntary ones; ties keep input order."""
    position = {id(r): i for i, r in enumerate(results)}
    return sorted(results, key=lambda r: (r.unit.block, r.rank is None, r.rank or 0, position[id(r)]))


def results_json(scheme, results):
    pp, sp = scheme.points_places, scheme.score_places
    rows = []
    for r in ordered(results):
        rows.append({
            "code": r.unit.code, "name": r.unit.name, "block": r.unit.block,
            "criteria": {c: (fixed(res.points, pp) if res.applicable else None)
                         for c, res in r.criteria.items() if not res.node.is_deduction},
            "deductions": fixed(r.deductions, pp), "total": fixed(r.total, pp),
            "max": fixed(r.max_points, pp), "score": fixed(r.score, sp),
            "classification": r.classification, "rank": r.rank,
            **({"warnings": r.warnings} if r.warnings else {}),
        })
    return {"criteria_set": scheme.code, "version": scheme.version, "results": rows}


def _fixed_int(places):
    """Scaled int -> the quoted text ``numbers.fixed`` gives for the same Decimal, remembered per value."""
    cache = {}

    def text(value):
        shown = cache.get(value)
        if shown is None:
            digits = str(abs(value)).rjust(places + 1, "0")
            shown = (digits[:-places] + "." + digits[-places:]) if places else digits
            if value < 0:
                shown = "-" + shown
            cache[value] = shown = f'"{shown}"'
        return shown
    return text


def _encoded(value):
    return encode_basestring(value) if type(value) is str else json.dumps(value, ensure_ascii=False)


def results_json_text(scheme, results):
    """Exactly ``json.dumps(results_json(scheme, results), ensure_ascii=False, indent=2)``, written
    row by row from templates (the standard encoder with an indent is pure Python and slow)."""
    pp, sp = scheme.points_places, scheme.score_places
    nodes = list(scheme.walk())
    shown = [i for i, n in enumerate(nodes) if not n.is_deduction]
    keys = [f"\n        {encode_basestring(nodes[i].code)}: " for i in shown]
    fixed_int = _fixed_int(pp)
    maxima = {}
    out = ["{\n  \"criteria_set\": ", encode_basestring(scheme.code), ",\n  \"version\": ",
           json.dumps(scheme.version), ",\n  \"results\": ["]
    rows = ordered(results)
    for n, r in enumerate(rows):
        unit = r.unit
        out.append(",\n    {\n      \"code\": " if n else "\n    {\n      \"code\": ")
        out.append(_encoded(unit.code))
        out.append(",\n      \"name\": ")
        out.append(_encoded(unit.name))
        out.append(",\n      \"block\": ")
        out.append(_encoded(unit.block))
        out.append(",\n      \"criteria\": {")
        if type(r) is PlanResult:
            applicable, points = r.layout.applicable, r.points
            cells = [(fixed_int(points[i]) if applicable[i] else "null") for i in shown]
            deductions, total = fixed_int(r.deductions_int), fixed_int(r.total_int)
        else:
            values = list(r.criteria.values())
            cells = [(f'"{fixed(values[i].points, pp)}"' if values[i].applicable else "null") for i in shown]
            deductions, total = f'"{fixed(r.deductions, pp)}"', f'"{fixed(r.total, pp)}"'
        if cells:
            out.append(",".join(k + c for k, c in zip(keys, cells, strict=True)))
            out.append("\n      },\n      \"deductions\": ")
        else:
            out.append("},\n      \"deductions\": ")
        mx = maxima.get(r.max_points)
        if mx is None:
            mx = maxima[r.max_points] = f'"{fixed(r.max_points, pp)}"'
        out.append(f"{deductions},\n      \"total\": {total},\n      \"max\": {mx},\n      \"score\": "
                   f"\"{fixed(r.score, sp)}\",\n      \"classification\": {encode_basestring(r.classification)},"
                   f"\n      \"rank\": {'null' if r.rank is None else r.rank}")
        if r.warnings:
            out.append(",\n      \"warnings\": [" + ",".join(f"\n        {_encoded(w)}" for w in r.warnings)
                       + "\n      ]")
        out.append("\n    }")
    out.append("\n  ]\n}" if rows else "]\n}")
    return "".join(out)


def results_table(scheme, results):
    """A plain-text table in Vietnamese number format, for a person at a terminal."""
    groups = [n for n in scheme.nodes if not n.is_deduction]
    pp, sp = scheme.points_places, scheme.score_places
    head = ["Hạng", "Mã", "Đơn vị", *[n.code for n in groups], "Trừ", "Tổng", "Tối đa", "Kết quả", "Xếp loại"]
    body = []
    for r in ordered(results):
        cells = [r.criteria[n.code] for n in groups]
        body.append([
            str(r.rank) if r.rank else "—", r.unit.code, r.unit.name,
            *[vn(c.points, pp) if c.applicable else "—" for c in cells],
            vn(r.deductions, pp), vn(r.total, pp), vn(r.max_points, pp), vn(r.score, sp), r.classification,
        ])
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    text_cols = {1, 2, len(head) - 1}

    def line(row):
        return "  ".join(c.ljust(w) if i in text_cols else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))

    out = [line(head), "  ".join("-" * w for w in widths), *[line(row) for row in body]]
    if scheme.tie_rule:
        out += ["", scheme.tie_rule]
    return "\n".join(out) + "\n"
