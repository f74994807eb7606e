"""The answer sheet: the figures of one form, as the engine sees them, computed once.

A sheet is a value built from three things: the form's frozen scheme, the unit's facts (code,
name, block, has procedures, voluntary, days late) and its answers by criterion code, each with
both columns (the unit's ``values``/``points``, the reviewer's ``reviewed_values``/
``reviewed_points`` and ``poor_data``). Every path that shows, checks or stores a form's figures
goes through one: the form page and its live preview, the offline Excel, the period-wide import,
the what-if, the publication snapshot, the unit's PDF sheet and the rescore after a save.

- ``with_changes(changes, side=...)`` is a new sheet with pending changes merged in (the stored
  one is unchanged): what the form would hold if it were saved.
- ``problems(side)`` lists every problem the engine finds, structured (criterion, field, key,
  value, message: ``criteria.scoring.Problem``), so callers place each beside its input.
- ``results(side)`` is the engine's ``UnitResult`` for that column; it raises
  ``ScoringInputError`` if there are problems. Both are computed at most once per sheet.

Sides: ``"unit"`` is the unit's column (5), ``"review"`` the reviewer's column (6): the
reviewer's figures where they changed them and the unit's elsewhere, with the poor-data flags.
"""

import dataclasses

from criteria.plan import plan_for
from criteria.scoring import Problem, ScoringInputError, UnitInput, prepare, score_prepared

UNIT, REVIEW = "unit", "review"
SIDES = (UNIT, REVIEW)
#: What each side reads from an answer, and what ``with_changes`` may change on it.
SIDE_FIELDS = {UNIT: ("values", "points"), REVIEW: ("reviewed_values", "reviewed_points", "poor_data")}
ROW_FIELDS = ("values", "points", "reviewed_values", "reviewed_points", "poor_data")


def unit_facts(assessment):
    """What the engine needs to know of the unit besides its answers (an engine input without answers)."""
    unit = assessment.unit
    return UnitInput(code=unit.code, name=unit.name, block=unit.block.code, has_procedures=unit.has_procedures,
                     voluntary=unit.is_voluntary, days_late=assessment.days_late)


def answer_row(answer):
    """One stored answer (a model instance or any object with the same attributes) as a sheet row."""
    return {"values": answer.values or {}, "points": answer.points, "reviewed_values": answer.reviewed_values,
            "reviewed_points": answer.reviewed_points, "poor_data": answer.poor_data}


class AnswerSheet:
    __slots__ = ("_computed", "rows", "scheme", "unit")

    def __init__(self, scheme, unit, rows):
        self.scheme = scheme
        self.unit = unit
        self.rows = rows
        self._computed = {}

    @classmethod
    def of(cls, assessment, answers=None):
        """The stored sheet of a form; ``answers`` as ``workflow.load_answers`` returns them (loaded if not given)."""
        if answers is None:
            from .workflow import load_answers

            answers = load_answers(assessment)
        return cls(assessment.criteria_set.scheme(), unit_facts(assessment),
                   {a.criterion.code: answer_row(a) for a in answers})

    def with_changes(self, changes, *, side=None):
        """A new sheet with ``changes`` ({code: {field: new value}}) merged into the rows. With
        ``side``, only that column's fields are taken from each change (the rest of a change,
        such as notes or reasons, does not concern the figures)."""
        names = SIDE_FIELDS[side] if side else ROW_FIELDS
        rows = dict(self.rows)
        for code, new in changes.items():
            if code in rows:
                rows[code] = {**rows[code], **{k: new[k] for k in names if k in new}}
        return AnswerSheet(self.scheme, self.unit, rows)

    def with_rows(self, rows, *, scheme=None):
        return AnswerSheet(scheme or self.scheme, self.unit, rows)

    def engine_answers(self, side):
        """The engine's answers for one column: {code: {"values", "points", "criteria"}}."""
        reviewed = side == REVIEW
        by_code = self.scheme.by_code
        answers, flagged = {}, []
        for code, row in self.rows.items():
            node = by_code[code]
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
            target = next((n for n in self.scheme.leaves if n.rule is not None and n.rule.takes_criteria), None)
            if target is not None:
                answers.setdefault(target.code, {})["criteria"] = flagged
        return answers

    def unit_input(self, side):
        return dataclasses.replace(self.unit, answers=self.engine_answers(side))

    def _prepared(self, side):
        key = ("prepared", side)
        if key not in self._computed:
            unit = self.unit_input(side)
            if self.scheme.is_complete:
                prepared, problems = prepare(self.scheme, unit)
            else:
                prepared, problems = None, [Problem(unit.label, "", None, f"bộ tiêu chí {self.scheme.code} chưa đủ "
                                                    "điểm tối đa, chưa thể chấm")]
            self._computed[key] = (unit, prepared, problems)
        return self._computed[key]

    def problems(self, side):
        """Every problem in this column ([] when it can be scored), as ``criteria.scoring.Problem``."""
        return self._prepared(side)[2]

    def results(self, side):
        """The engine's result for this column, computed once; ScoringInputError if it has problems."""
        key = ("results", side)
        if key not in self._computed:
            unit, prepared, problems = self._prepared(side)
            if problems:
                raise ScoringInputError(problems)
            self._computed[key] = score_prepared(self.scheme, unit, prepared)
        return self._computed[key]

    def both(self):
        """(unit's result, reviewer's result)."""
        return self.results(UNIT), self.results(REVIEW)

    # --- the batch paths: the set's compiled plan, the same numbers without explanations -------

    def plan_problems(self, side):
        """As ``problems``, through the compiled plan (criteria/plan.py): for imports of many forms."""
        return plan_for(self.scheme).problems(self.unit_input(side))

    def plan_results(self, side):
        """As ``results`` without the explanations, through the compiled plan; ScoringInputError if
        the column has problems."""
        key = ("plan", side)
        if key not in self._computed:
            self._computed[key] = plan_for(self.scheme).score_unit(self.unit_input(side))
        return self._computed[key]

    def numbers(self):
        """(unit's result, reviewer's result) through the compiled plan: publishing's snapshot and
        the period-wide import score thousands of forms and show no explanation."""
        return self.plan_results(UNIT), self.plan_results(REVIEW)

    def for_display(self):
        """This sheet with the figures the engine refuses left out, for pages and documents that
        show a form: a value stored before the field kinds had ranges (a 310-digit figure) is
        shown as missing instead of breaking the page. Saving or submitting still refuses it."""
        sheet = self
        for _attempt in range(3):
            problems = [p for side in SIDES for p in sheet.problems(side)]
            if not problems:
                break
            rows = {code: dict(row) for code, row in sheet.rows.items()}
            dropped = False
            for problem in problems:
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
                break
            sheet = sheet.with_rows(rows)
        return sheet
