"""A criteria set as plain values: the tree of criteria, their evidence fields, rules and bands.

These are what the scoring engine, the forms and the reports read. They are built from a set's
text form by :func:`criteria.document.parse_document` (which checks it completely) and written
back by :func:`criteria.document.to_document`; nothing here knows YAML or the database.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from .fields import kind_of
from .numbers import ZERO, round_half_up, vn

APPLIES_TO = {
    "all": "Mọi đơn vị",
    "with_procedures": "Chỉ cơ quan có TTHC",
    "without_procedures": "Chỉ cơ quan không có TTHC",
}
HEADLINES = {
    "total": "Tổng điểm",
    "index": "Chỉ số = tổng điểm ÷ tổng điểm tối đa áp dụng cho đơn vị",
    "mean": "Điểm đánh giá = tổng điểm ÷ số tiêu chí",
}
STATUSES = {"draft": "Nháp", "active": "Đang áp dụng", "retired": "Ngừng áp dụng"}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str
    choices: tuple = ()
    criterion: str = ""
    automatic: str = ""  # the system the value is imported from; units do not type it

    @property
    def choice_labels(self):
        return dict(self.choices)

    @property
    def field_kind(self):
        """The behaviour of this field's kind (criteria.fields): cleaning, display, inputs, Excel."""
        return kind_of(self)


@dataclass(eq=False)
class Node:
    code: str
    title: str
    declared_max: Decimal | None = None
    applies_to: str = "all"
    not_assessed: Decimal | None = None
    not_assessed_reason: str = ""
    note: str = ""
    documents: str = ""  # the documents the unit attaches as evidence; none -> an explanation instead
    method: str = ""  # the scoring method as the source prints it (imported tables)
    data_source: str = ""  # "Nguồn thu thập dữ liệu"
    verifier: str = ""  # "Đơn vị phối hợp xác minh"
    automatic: str = ""  # every field of this criterion is imported from this source
    guidance: str = ""  # the decision's footnotes for this criterion, shown where its figures are typed
    fields: tuple = ()
    rule: object = None
    children: list = field(default_factory=list)
    places: int = 2
    max_points: Decimal | None = None  # derived: see _derive
    effective_applies: str = "all"  # own applies_to, or the nearest ancestor's

    @property
    def is_group(self):
        return bool(self.children)

    @cached_property
    def is_deduction(self):
        if self.children:
            return all(c.is_deduction for c in self.children)
        return bool(self.rule and self.rule.deduction)

    @cached_property
    def field_map(self):
        return {f.key: f for f in self.fields}

    @property
    def is_substitute(self):
        return self.rule is not None and self.rule.substitutes

    @property
    def assessed_max(self):
        """The maximum a unit can reach here: the printed maximum less points not assessed."""
        if self.max_points is None:
            return None
        return self.max_points - (self.not_assessed or ZERO)

    def applies(self, has_procedures):
        if self.effective_applies == "all":
            return True
        return has_procedures == (self.effective_applies == "with_procedures")

    def round(self, value):
        return round_half_up(value, self.places)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def describe(self, fields):
        if self.rule is None:
            return []
        return self.rule.describe(self, fields)


@dataclass(frozen=True)
class Band:
    label: str
    lower: Decimal | None
    upper: Decimal | None
    reason: str = ""

    def contains(self, value):
        return (self.lower is None or value >= self.lower) and (self.upper is None or value < self.upper)

    def describe(self):
        if self.lower is not None and self.upper is not None:
            return f"từ {vn(self.lower)} đến dưới {vn(self.upper)}"
        if self.lower is not None:
            return f"từ {vn(self.lower)} trở lên"
        if self.upper is not None:
            return f"dưới {vn(self.upper)}"
        return "mọi giá trị"


CHECK_OPS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "="}
CHECK_LEVELS = {"error": "Lỗi", "warning": "Cảnh báo"}


@dataclass(frozen=True)
class Check:
    """A consistency check between figures ("staff with an IT degree ≤ IT staff").

    An error stops the form from being saved like any bad figure; a warning is shown
    (while typing, on review, in the batch command) but does not stop anything.
    """

    left: tuple
    op: str
    right: tuple
    level: str = "error"
    message: str = ""

    def holds(self, values):
        """True/False, or None while a figure is missing."""
        left = right = ZERO
        for key in self.left:
            if values.get(key) is None:
                return None
            left += values[key]
        for key in self.right:
            if values.get(key) is None:
                return None
            right += values[key]
        return {"<=": left <= right, "<": left < right, ">=": left >= right, ">": left > right,
                "==": left == right}[self.op], left, right

    def describe(self, fields):
        left = " + ".join(fields[k].label for k in self.left)
        right = " + ".join(fields[k].label for k in self.right)
        return f"{left} {CHECK_OPS[self.op]} {right}"

    def failures(self, values, fields):
        """The message when this check fails on ``values`` ([] when it holds or lacks figures)."""
        outcome = self.holds(values)
        if outcome is None or outcome[0]:
            return []
        _, left, right = outcome
        return [f"{self.message or self.describe(fields)} ({vn(left)} {CHECK_OPS[self.op]} {vn(right)} không đúng)"]


@dataclass(eq=False)
class Scheme:
    code: str
    version: int
    name: str
    status: str = "draft"
    decision_number: str = ""
    decision_date: datetime.date | None = None
    decision_issuer: str = ""
    source: str = ""
    blocks: tuple = ()
    headline: str = "total"
    points_places: int = 2
    score_places: int = 2
    total_max: Decimal | None = None
    ranking_rule: str = ""
    tie_rule: str = ""
    bands: tuple = ()
    nodes: list = field(default_factory=list)
    guidance: str = ""  # the decision's footnotes for the whole set (cut-off date, who counts as staff…)
    checks: tuple = ()

    def __post_init__(self):
        self.by_code = {n.code: n for n in self.walk()}
        self.fields = {f.key: f for n in self.walk() for f in n.fields}
        self.leaves = [n for n in self.walk() if not n.children]

    def walk(self):
        for node in self.nodes:
            yield from node.walk()

    def tree(self):
        """(node, depth) for every criterion in the official order, each group before its children:
        the rows of every table that shows the set (form, review, offline sheet, unit sheet, set page)."""
        stack = [(node, 0) for node in reversed(self.nodes)]
        while stack:
            node, depth = stack.pop()
            yield node, depth
            stack.extend((child, depth + 1) for child in reversed(node.children))

    @property
    def nominal_max(self):
        return sum((n.max_points or ZERO for n in self.nodes if not n.is_deduction), ZERO)

    @property
    def is_complete(self):
        return all(n.rule is not None and (n.is_deduction or n.max_points is not None) for n in self.leaves)

    @cached_property
    def counted(self):
        """How many top-level criteria a "mean" headline divides by (deductions do not count)."""
        return sum(1 for n in self.nodes if not n.is_deduction)

    def headline_figure(self, total, max_points):
        """The figure units are ranked by, from a total and the unit's applicable maximum: the total
        itself, the index (total ÷ maximum) or the mean (total ÷ number of top-level criteria)."""
        if self.headline == "index":
            return round_half_up(total / max_points, self.score_places) if max_points else ZERO
        if self.headline == "mean":
            return round_half_up(total / self.counted, self.score_places) if self.counted else ZERO
        return round_half_up(total, self.score_places)

    def classify(self, value):
        for band in self.bands:
            if band.contains(value):
                return band
        return None

