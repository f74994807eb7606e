"""The scoring engine: one unit's answers in, points with explanations out.

Pure Python over Decimal, no ORM: the browser form, the ``score`` command,
importers and the publisher all call :func:`score_unit` / :func:`score_units`.

Input is checked completely before anything is scored; every problem names
the unit, the criterion, the field and the value, in Vietnamese.
"""

import gc
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .fields import KINDS
from .numbers import ZERO, NumberFormatError, parse_number, round_half_up, vn
from .ranking import assign_ranks

ANSWER_KEYS = frozenset({"values", "points", "criteria", "note"})


@dataclass
class UnitInput:
    code: str
    name: str = ""
    block: str = ""
    has_procedures: bool = True
    voluntary: bool = False
    days_late: int = 0
    answers: dict = field(default_factory=dict)

    @property
    def label(self):
        return f"{self.code} ({self.name})" if self.name and self.name != self.code else self.code


@dataclass(frozen=True)
class Problem:
    unit: str
    criterion: str
    value: object
    message: str
    field: str = ""
    key: str = ""

    def __str__(self):
        where = f"Đơn vị {self.unit}"
        if self.criterion:
            where += f", tiêu chí {self.criterion}"
        if self.field:
            where += f", trường '{self.field}'"
        shown = "" if self.value is None else f" (giá trị: {self.value})"
        return f"{where}: {self.message}{shown}"


class ScoringInputError(ValueError):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CriterionResult:
    __slots__ = ("applicable", "detail", "entered", "fields", "max_points", "node", "points")

    def __init__(self, node, points, max_points, applicable, detail, entered, fields):
        self.node = node
        self.points = points
        self.max_points = max_points
        self.applicable = applicable
        self.detail = detail
        self.entered = entered
        self.fields = fields

    @property
    def code(self):
        return self.node.code

    @property
    def needs_review(self):
        """A figure the set did not say how to score (0 of 0 undeclared): the reviewer should look."""
        detail = self.detail
        return bool(detail) and detail[0] == "zero_of_zero" and detail[1] is None and not self.entered

    @property
    def explanation(self):
        node = self.node
        if not self.applicable:
            if self.detail and self.detail[0] == "not_applicable":
                return node.rule.explain(node, self.detail, self.fields)
            return f"Không áp dụng ({scheme_applies(node)})"
        if node.children:
            return f"Tổng các tiêu chí con = {vn(self.points, node.places)}"
        if self.entered:
            text = f"Điểm nhập trực tiếp: {vn(self.points, node.places)}"
            return text if node.rule.manual else text + " (thay cho điểm tính theo công thức)"
        return node.rule.explain(node, self.detail, self.fields)


@dataclass
class UnitResult:
    unit: UnitInput
    criteria: dict
    deductions: Decimal
    total: Decimal
    max_points: Decimal
    score: Decimal
    band: object
    rank: int | None = None
    raw_total: Decimal = ZERO
    warnings: list = field(default_factory=list)  # failed consistency checks of level "warning"

    @property
    def classification(self):
        return self.band.label if self.band else ""

    def groups(self):
        return [r for r in self.criteria.values() if r.node.children]


class _Context:
    __slots__ = ("days_late", "flags", "has_procedures", "points", "values")

    def __init__(self, values, days_late, flags, has_procedures):
        self.values = values
        self.days_late = days_late
        self.flags = flags
        self.points = {}
        self.has_procedures = has_procedures

    def flagged(self, code):
        return self.flags.get(code, ())

    def group_points(self, code):
        return self.points[code]


def _blank(raw):
    return raw is None or (isinstance(raw, str) and not raw.strip())


def prepare(scheme, unit):
    """Check one unit's input; return (values, entered points, flags) or the problems."""
    problems = []
    label = unit.label
    values, entered, flags = {}, {}, {}
    by_code = scheme.by_code
    if not isinstance(unit.days_late, int) or isinstance(unit.days_late, bool) or unit.days_late < 0:
        problems.append(Problem(label, "", unit.days_late, "số ngày nộp muộn phải là số nguyên không âm"))
    if not isinstance(unit.answers, dict):
        return None, [Problem(label, "", None, "'answers' phải là một bảng theo mã tiêu chí")]
    for code, answer in unit.answers.items():
        node = by_code.get(code)
        if node is None:
            problems.append(Problem(label, code, None, "mã tiêu chí không có trong bộ tiêu chí"))
            continue
        if node.children:
            problems.append(Problem(label, code, None, "là nhóm tiêu chí, chỉ chấm ở các tiêu chí con"))
            continue
        if not isinstance(answer, dict):
            problems.append(Problem(label, code, answer, "câu trả lời phải có 'values', 'points' hoặc 'criteria'"))
            continue
        extra = answer.keys() - ANSWER_KEYS if len(answer) > 1 or "values" not in answer else ()
        if extra:
            problems.append(Problem(label, code, None, f"khoá không hợp lệ: {', '.join(sorted(extra))}"))
        applicable = node.applies(unit.has_procedures)
        raw_values = answer.get("values") or {}
        if not isinstance(raw_values, dict):
            problems.append(Problem(label, code, raw_values, "'values' phải là một bảng theo mã trường"))
            raw_values = {}
        own = node.field_map
        for key, raw in raw_values.items():
            fld = own.get(key)
            if fld is None:
                problems.append(Problem(label, code, raw, "trường số liệu không thuộc tiêu chí này", key, key))
                continue
            if raw is None or (type(raw) is str and not raw.strip()):
                continue
            if not applicable:
                problems.append(Problem(label, code, raw, f"tiêu chí không áp dụng ({scheme_applies(node)})",
                                        fld.label, key))
                continue
            try:
                values[key] = KINDS[fld.kind].clean(fld, raw)
            except NumberFormatError as exc:
                problems.append(Problem(label, code, raw, str(exc), fld.label, key))
        if "points" in answer and not _blank(answer["points"]):
            raw = answer["points"]
            try:
                points = parse_number(raw)
            except NumberFormatError as exc:
                problems.append(Problem(label, code, raw, f"điểm {exc}"))
            else:
                limit = _unit_max(node, unit.has_procedures)
                if node.is_deduction:
                    problems.append(Problem(label, code, raw, "mục trừ điểm được tính từ số liệu, không nhập điểm"))
                elif not applicable:
                    if points != 0:
                        problems.append(Problem(label, code, raw, f"tiêu chí không áp dụng ({scheme_applies(node)})"))
                elif limit is None:
                    problems.append(Problem(label, code, raw, "tiêu chí chưa có điểm tối đa"))
                elif points < 0:
                    problems.append(Problem(label, code, raw, "điểm không được âm"))
                elif points > limit:
                    problems.append(Problem(label, code, raw, f"điểm vượt điểm tối đa {vn(limit)}"))
                elif (allowed := node.rule.allowed_points(node)) is not None and points not in allowed:
                    problems.append(Problem(label, code, raw, "điểm chỉ được là một trong các mức "
                                            f"{'; '.join(vn(v) for v in allowed)} (theo bộ tiêu chí)"))
                elif points != round_half_up(points, node.places):
                    problems.append(Problem(label, code, raw, f"điểm chỉ được có tối đa {node.places} chữ số thập phân"))
                else:
                    entered[code] = points
        if "criteria" in answer and answer["criteria"] is not None:
            flagged = answer["criteria"]
            if node.rule is None or not node.rule.takes_criteria:
                problems.append(Problem(label, code, flagged, "chỉ mục trừ điểm theo tiêu chí mới nhận danh sách tiêu chí"))
            elif not isinstance(flagged, list):
                problems.append(Problem(label, code, flagged, "phải là danh sách mã tiêu chí"))
            else:
                for item in flagged:
                    target = by_code.get(item)
                    if target is None or target.children or target.is_deduction:
                        problems.append(Problem(label, code, item, "không phải mã một tiêu chí được chấm điểm"))
                if len(set(flagged)) != len(flagged):
                    problems.append(Problem(label, code, flagged, "một tiêu chí bị nêu nhiều lần"))
                flags[code] = tuple(flagged)
    fields = scheme.fields
    for node in plan_for(scheme).checks:
        for value, message, field_label, key in node.rule.check(node, values, fields):
            problems.append(Problem(label, node.code, value, message, field_label, key))
    for check in scheme.checks:
        if check.level == "error":
            for message in check.failures(values, fields):
                key = check.left[0]
                problems.append(Problem(label, fields[key].criterion, None, message, key=key))
    if problems:
        return None, problems
    return (values, entered, flags), []


def consistency_warnings(scheme, values):
    """The messages of the set's warning-level consistency checks that these figures fail."""
    found = []
    for check in scheme.checks:
        if check.level == "warning":
            found += check.failures(values, scheme.fields)
    return found


def scheme_applies(node):
    if node.effective_applies == "with_procedures":
        return "chỉ áp dụng cho cơ quan có TTHC"
    return "chỉ áp dụng cho cơ quan không có TTHC"


def _unit_max(node, has_procedures):
    if not node.applies(has_procedures):
        return ZERO
    return node.assessed_max


class _Plan:
    """The order of work for one scheme, worked out once and reused for every unit."""

    def __init__(self, scheme):
        leaves = [n for n in scheme.leaves]
        # Per "has procedures" flag: (node, code, bound score or None if not applicable, max, rounding quantum)
        self.direct = {
            flag: [(n, n.code, n.rule.score if n.applies(flag) else None, n.assessed_max,
                    Decimal(1).scaleb(-n.places)) for n in leaves if not n.is_substitute]
            for flag in (True, False)}
        def collect(node, into):
            for child in node.children:
                collect(child, into)
            if node.children:
                into.append((node, [c.code for c in node.children if not c.is_deduction], node.is_deduction))
            return into

        self.groups = []  # post-order: children before their parent
        for node in scheme.nodes:
            collect(node, self.groups)
        self.substitutes = [(n, scheme.by_code[n.rule.source], collect(scheme.by_code[n.rule.source], []))
                            for n in leaves if n.is_substitute]
        self.top = [n.code for n in scheme.nodes if not n.is_deduction]
        self.deduction_leaves = [n.code for n in leaves if n.is_deduction]
        self.order = [n.code for n in scheme.walk()]
        self.checks = [n for n in leaves if n.rule is not None and n.rule.checks_inputs()]


def plan_for(scheme):
    plan = scheme.__dict__.get("_plan")
    if plan is None:
        plan = scheme.__dict__["_plan"] = _Plan(scheme)
    return plan


def _sum_group(results, node, child_codes, deduction_group, has_procedures, fields):
    if deduction_group:
        got = sum((results[c.code].points for c in node.children), ZERO)
        return CriterionResult(node, got, None, True, None, False, fields)
    got = mx = ZERO
    for code in child_codes:
        res = results[code]
        got += res.points
        if res.max_points is not None:
            mx += res.max_points
    return CriterionResult(node, got, mx, node.applies(has_procedures), None, False, fields)


def score_prepared(scheme, unit, prepared):
    """Score one unit whose input ``prepare`` accepted (its first return value)."""
    values, entered, flags = prepared
    plan = plan_for(scheme)
    has_procedures = unit.has_procedures
    ctx = _Context(values, unit.days_late, flags, has_procedures)
    results = {}
    fields = scheme.fields

    def leaf(node):
        if not node.applies(has_procedures):
            return CriterionResult(node, ZERO, ZERO, False, None, False, fields)
        if node.code in entered:
            return CriterionResult(node, entered[node.code], node.assessed_max, True, None, True, fields)
        points, detail = node.rule.score(node, ctx)
        if detail[0] == "not_applicable":
            return CriterionResult(node, ZERO, ZERO, False, detail, False, fields)
        return CriterionResult(node, node.round(points), node.assessed_max, True, detail, False, fields)

    for node, code, score, mx, quantum in plan.direct[has_procedures]:
        if score is None:
            results[code] = CriterionResult(node, ZERO, ZERO, False, None, False, fields)
        elif code in entered:
            results[code] = CriterionResult(node, entered[code], mx, True, None, True, fields)
        else:
            points, detail = score(node, ctx)
            if detail[0] == "not_applicable":
                results[code] = CriterionResult(node, ZERO, ZERO, False, detail, False, fields)
                continue
            results[code] = CriterionResult(node, points.quantize(quantum, ROUND_HALF_UP), mx, True, detail, False,
                                            fields)
    for node, source, source_groups in plan.substitutes:
        # A substitute reads the subtotal of its source section, so that section is summed first.
        for group, child_codes, deduction_group in source_groups:
            results[group.code] = _sum_group(results, group, child_codes, deduction_group, has_procedures, fields)
        got = results[source.code]
        ctx.points[source.code] = (got.points, got.max_points)
        results[node.code] = leaf(node)
    for group, child_codes, deduction_group in plan.groups:
        results[group.code] = _sum_group(results, group, child_codes, deduction_group, has_procedures, fields)
    total = max_points = ZERO
    for code in plan.top:
        res = results[code]
        total += res.points
        max_points += res.max_points or ZERO
    deductions = sum((results[code].points for code in plan.deduction_leaves), ZERO)
    # Deductions never take a unit below zero: an index cannot be negative.
    raw_total = total - deductions
    total = max(raw_total, ZERO)
    score = scheme.headline_figure(total, max_points)
    ordered = {code: results[code] for code in plan.order}
    return UnitResult(unit, ordered, deductions, total, max_points, score, scheme.classify(score),
                      raw_total=raw_total, warnings=consistency_warnings(scheme, values))


def score_unit(scheme, unit: UnitInput) -> UnitResult:
    """Score one unit, or raise ScoringInputError listing every problem in its input."""
    if not scheme.is_complete:
        raise ScoringInputError([Problem(unit.label, "", None,
                                         f"bộ tiêu chí {scheme.code} chưa đủ điểm tối đa, chưa thể chấm")])
    prepared, problems = prepare(scheme, unit)
    if problems:
        raise ScoringInputError(problems)
    return score_prepared(scheme, unit, prepared)


def score_units(scheme, units, *, rank=True):
    """Score many units; if any input is bad, score nothing and list every problem."""
    if not scheme.is_complete:
        raise ScoringInputError([Problem("", "", None,
                                         f"bộ tiêu chí {scheme.code} chưa đủ điểm tối đa, chưa thể chấm")])
    # A batch allocates hundreds of thousands of small acyclic objects; letting the cycle
    # collector walk them repeatedly costs a third of the run and frees nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        prepared_all, problems = [], []
        seen = set()
        for unit in units:
            if unit.code in seen:
                problems.append(Problem(unit.label, "", None, "mã đơn vị bị trùng trong dữ liệu"))
            seen.add(unit.code)
            prepared, unit_problems = prepare(scheme, unit)
            problems.extend(unit_problems)
            prepared_all.append(prepared)
        if problems:
            raise ScoringInputError(problems)
        results = [score_prepared(scheme, u, p) for u, p in zip(units, prepared_all, strict=True)]
    finally:
        if collecting:
            gc.enable()
    if rank:
        rank_results(results)
    return results


def rank_results(results):
    """Rank within each block by the headline figure; voluntary units are shown, not ranked."""
    by_block = {}
    for result in results:
        if not result.unit.voluntary:
            by_block.setdefault(result.unit.block, []).append(result)
    for members in by_block.values():
        for result, rank in zip(members, assign_ranks([r.score for r in members]), strict=True):
            result.rank = rank
    return results
