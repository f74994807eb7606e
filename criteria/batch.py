"""Reading the ``score`` command's JSON input and writing its output.

Kept apart from the command so tests and later importers can use it directly.
"""

import json
from decimal import Decimal

from .numbers import fixed, vn
from .scoring import Problem, ScoringInputError, UnitInput

UNIT_KEYS = {"code", "name", "block", "has_procedures", "voluntary", "days_late", "answers"}


def read_units(text):
    """Parse the JSON input into UnitInputs; numbers stay exact (Decimal, never float)."""
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
