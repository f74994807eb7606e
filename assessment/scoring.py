"""The bridge between stored answers and the pure scoring engine.

Both columns are scored by the same engine: (5) from the unit's figures, (6)
from the reviewer's figures where they changed them and the unit's elsewhere,
with the reviewer's poor-data flags and the late days.
"""

from criteria.plan import plan_for
from criteria.scoring import UnitInput, prepare, score_unit


def engine_answers(scheme, rows, *, reviewed):
    """rows: {code: dict(values=, points=, reviewed_values=, reviewed_points=, poor_data=)}."""
    answers, flagged = {}, []
    for code, row in rows.items():
        node = scheme.by_code[code]
        values = row.get("values") or {}
        points = row.get("points")
        if reviewed:
            if row.get("reviewed_values") is not None:
                values = row["reviewed_values"]
            if row.get("reviewed_points") is not None:
                points = row["reviewed_points"]
            if row.get("poor_data"):
                flagged.append(code)
        entry = {}
        if values:
            entry["values"] = values
        if points is not None and not node.is_deduction:
            entry["points"] = points
        if entry:
            answers[code] = entry
    if flagged:
        target = next((n for n in scheme.leaves if n.rule is not None and n.rule.takes_criteria),
                      None)
        if target is not None:
            answers.setdefault(target.code, {})["criteria"] = flagged
    return answers


def unit_input(assessment, scheme, rows, *, reviewed):
    unit = assessment.unit
    return UnitInput(code=unit.code, name=unit.name, block=unit.block.code, has_procedures=unit.has_procedures,
                     voluntary=unit.is_voluntary, days_late=assessment.days_late,
                     answers=engine_answers(scheme, rows, reviewed=reviewed))


def answer_rows(answers):
    return {a.criterion.code: {"values": a.values, "points": a.points, "reviewed_values": a.reviewed_values,
                               "reviewed_points": a.reviewed_points, "poor_data": a.poor_data} for a in answers}


def problems_for(assessment, scheme, rows, *, reviewed):
    """Every problem the engine finds in these rows ([] when they can be scored)."""
    _, problems = prepare(scheme, unit_input(assessment, scheme, rows, reviewed=reviewed))
    return problems


def score_both(assessment, scheme, rows):
    return (score_unit(scheme, unit_input(assessment, scheme, rows, reviewed=False)),
            score_unit(scheme, unit_input(assessment, scheme, rows, reviewed=True)))


def score_both_numbers(assessment, scheme, rows):
    """As :func:`score_both`, through the set's compiled plan: the same numbers, no explanations.
    For batch paths (publishing's snapshot, the period-wide import)."""
    plan = plan_for(scheme)
    return (plan.score_unit(unit_input(assessment, scheme, rows, reviewed=False)),
            plan.score_unit(unit_input(assessment, scheme, rows, reviewed=True)))


def score_both_for_display(assessment, scheme, rows):
    """``score_both`` for pages and documents that show a form: a value stored before the field
    kinds had ranges (a 310-digit figure) is scored as missing instead of breaking the page; the
    form itself still refuses it when the unit saves or submits."""
    from criteria.scoring import ScoringInputError

    for _attempt in range(3):
        try:
            return score_both(assessment, scheme, rows)
        except ScoringInputError as exc:
            rows = {code: dict(row) for code, row in rows.items()}
            dropped = False
            for problem in exc.problems:
                row = rows.get(problem.criterion)
                if row is None:
                    continue
                for name in ("values", "reviewed_values"):
                    if row.get(name) and problem.key in row[name]:
                        row[name] = {k: v for k, v in row[name].items() if k != problem.key}
                        dropped = True
                if not problem.key:
                    row["points"] = row["reviewed_points"] = None
                    dropped = True
            if not dropped:
                raise
    return score_both(assessment, scheme, rows)
