"""The scoring rule kinds, declared as data in a criteria set's text form.

Each kind reads and checks its own parameters, writes them back unchanged,
describes itself in Vietnamese for the official form, and scores one
criterion from plain values. Pure Python over Decimal: no ORM here.

Each kind also owns its checks, so that a new kind is a change to this file only:
``validate(node, scheme)`` checks what its parameters refer to in the whole set (called by
the document reader once every maximum is known), and ``check(node, values, fields)``
checks one unit's cleaned figures before scoring (a zero denominator, say). Kinds are
registered in ``RULE_KINDS``.

``score()`` returns ``(points, detail)``; the detail is a small tuple that
``explain()`` turns into text only when someone asks, so that scoring ten
thousand units does not build half a million sentences nobody reads.
"""

import itertools

from .numbers import HUNDRED, ZERO, NumberFormatError, parse_number, plain, truncate, vn


class RuleError(ValueError):
    pass


def _num(data, key, *, where, required=True, default=None, minimum=ZERO, integer=False):
    if key not in data or data[key] is None:
        if required:
            raise RuleError(f"{where}: thiếu tham số '{key}'")
        return default
    try:
        value = parse_number(data[key], integer=integer)
    except NumberFormatError as exc:
        raise RuleError(f"{where}: tham số '{key}' = {data[key]!r} {exc}") from None
    if minimum is not None and value < minimum:
        raise RuleError(f"{where}: tham số '{key}' = {plain(value)} không được nhỏ hơn {plain(minimum)}")
    return value


def _keys(data, key, *, where):
    value = data.get(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise RuleError(f"{where}: tham số '{key}' phải là một hoặc nhiều mã trường số liệu")
    return list(value)


def total_of(values, keys):
    """Sum of the named values, or None if any is missing. (``None in`` a list of
    Decimals would compare each with None through the numbers ABCs: slow.)"""
    total = ZERO
    for key in keys:
        value = values.get(key)
        if value is None:
            return None
        total += value
    return total


def _pct(value):
    return f"{vn(truncate(value, 2))}%"


class Rule:
    kind = ""
    label = ""
    params: tuple = ()
    manual = False
    deduction = False
    #: The unit's answer for this criterion may list other criteria (``"criteria": [...]``):
    #: the reviewer's poor-data flags.
    takes_criteria = False
    #: Scores a unit without procedures in place of other criteria (its maximum is theirs).
    substitutes = False

    def __init__(self, data, *, where):
        unknown = set(data) - set(self.params) - {"kind"}
        if unknown:
            raise RuleError(f"{where}: quy tắc '{self.kind}' không có tham số {', '.join(sorted(unknown))}")
        self.where = where
        self.parse(data)

    def parse(self, data):
        pass

    def to_data(self):
        return {"kind": self.kind}

    def field_refs(self):
        """Field keys this rule reads, with the kinds each may have."""
        return []

    def criterion_refs(self):
        return []

    def validate(self, node, scheme):
        """Problems (Vietnamese text) with what this rule refers to in ``scheme``; may settle
        derived values. Field references and their kinds are checked by the reader."""
        return []

    def allowed_points(self, node):
        """The only points that may be typed for this criterion (a levels rule), or None for any."""
        return None

    def check(self, node, values, fields):
        """Problems with one unit's cleaned ``values`` that make this rule unscorable, as
        (shown value, message, field label, field key) tuples."""
        return ()

    @classmethod
    def checks_inputs(cls):
        return cls.check is not Rule.check

    #: ``settle_sample`` depends on other rules' figures and runs in repeated passes.
    sample_in_passes = False

    def settle_sample(self, values, rng, level):
        """Adjust sample figures (criteria.samples) so that this rule scores them without a problem."""

    def describe(self, node, fields):
        raise NotImplementedError

    def score(self, node, ctx):
        raise NotImplementedError

    def explain(self, node, detail, fields):
        raise NotImplementedError


NUMERIC = ("count", "money", "percent")


class RatioRule(Rule):
    """Threshold-linear: full at >= A%, ratio x max / divisor from B% to A%, 0 below B%."""

    kind = "ratio"
    label = "Tỷ lệ có ngưỡng (tuyến tính)"
    params = ("percent", "numerator", "denominator", "may_exceed", "full_at", "zero_below", "divisor",
              "zero_of_zero")
    #: What a ratio of 0 over 0 ("không phát sinh") earns. Undeclared, it earns 0 and is flagged
    #: for the reviewer; a set declares it per criterion (docs/criteria-decisions.md).
    ZERO_OF_ZERO = {"zero": "0 điểm", "full": "điểm tối đa", "not_applicable": "không áp dụng (giảm điểm tối đa)"}

    def parse(self, data):
        where = self.where
        if "percent" in data:
            if "numerator" in data or "denominator" in data:
                raise RuleError(f"{where}: chỉ dùng 'percent' hoặc cặp 'numerator'/'denominator', không dùng cả hai")
            self.percent = _keys(data, "percent", where=where)
            if len(self.percent) != 1:
                raise RuleError(f"{where}: 'percent' là đúng một trường số liệu")
            self.numerator = self.denominator = None
        else:
            self.percent = None
            self.numerator = _keys(data, "numerator", where=where)
            self.denominator = _keys(data, "denominator", where=where)
        self.may_exceed = data.get("may_exceed", False)
        if not isinstance(self.may_exceed, bool) or (self.may_exceed and self.percent):
            raise RuleError(f"{where}: 'may_exceed' là true/false, chỉ dùng với tử số/mẫu số")
        self.full_at = _num(data, "full_at", where=where)
        self.zero_below = _num(data, "zero_below", where=where, required=False, default=ZERO)
        self.divisor = _num(data, "divisor", where=where)
        if self.divisor == 0:
            raise RuleError(f"{where}: 'divisor' phải lớn hơn 0")
        if not (self.zero_below <= self.full_at <= HUNDRED):
            raise RuleError(f"{where}: cần 0 ≤ zero_below ({plain(self.zero_below)}) ≤ full_at ({plain(self.full_at)}) ≤ 100")
        self.zero_of_zero = data.get("zero_of_zero")
        if self.zero_of_zero is not None and (self.percent or self.zero_of_zero not in self.ZERO_OF_ZERO):
            raise RuleError(f"{where}: 'zero_of_zero' là một trong {', '.join(self.ZERO_OF_ZERO)}, "
                            "chỉ dùng với tử số/mẫu số")

    def to_data(self):
        data = {"kind": self.kind}
        if self.percent:
            data["percent"] = self.percent[0]
        else:
            data["numerator"] = self.numerator
            data["denominator"] = self.denominator
            if self.may_exceed:
                data["may_exceed"] = True
        data["full_at"] = self.full_at
        if self.zero_below:
            data["zero_below"] = self.zero_below
        data["divisor"] = self.divisor
        if self.zero_of_zero is not None:
            data["zero_of_zero"] = self.zero_of_zero
        return data

    def field_refs(self):
        if self.percent:
            return [(self.percent[0], ("percent",))]
        return [(k, ("count", "money")) for k in self.numerator + self.denominator]

    @property
    def sample_in_passes(self):
        return bool(self.numerator)

    def settle_sample(self, values, rng, level):
        if not self.numerator:
            return
        den = sum(values[k] for k in self.denominator)
        if not self.may_exceed and sum(values[k] for k in self.numerator) > den:
            share = min(1.0, max(0.3, rng.gauss(level, 0.1)))
            for k in self.numerator:
                values[k] = int(den * share) // len(self.numerator)

    def check(self, node, values, fields):
        if self.percent:
            return ()
        n, d = total_of(values, self.numerator), total_of(values, self.denominator)
        if n is None or d is None or (d and (n <= d or self.may_exceed)) or (d == 0 and n == 0):
            return ()  # 0/0 is "không phát sinh": scored as the set declares (zero_of_zero)
        names = " + ".join(fields[k].label for k in self.denominator)
        if d == 0:
            return [(vn(d), f"mẫu số '{names}' bằng 0 nhưng tử số là {vn(n)}, không tính được tỷ lệ", "",
                     self.denominator[0])]
        return [(f"{vn(n)} > {vn(d)}", f"tử số lớn hơn mẫu số '{names}'", "", self.numerator[0])]

    def _ratio_text(self, fields):
        if self.percent:
            return f"Tỷ lệ % = {fields[self.percent[0]].label}"
        num = " + ".join(fields[k].label for k in self.numerator)
        den = " + ".join(fields[k].label for k in self.denominator)
        if len(self.numerator) > 1:
            num = f"({num})"
        if len(self.denominator) > 1:
            den = f"({den})"
        return f"Tỷ lệ % = {num} / {den} × 100"

    def describe(self, node, fields):
        m = vn(node.max_points)
        lines = [self._ratio_text(fields) + "."]
        lines.append(f"Từ {vn(self.full_at)}% trở lên: {m} điểm.")
        if self.zero_below < self.full_at:
            low = f"Từ {vn(self.zero_below)}% đến dưới" if self.zero_below else "Dưới"
            lines.append(f"{low} {vn(self.full_at)}%: tỷ lệ × {m} / {vn(self.divisor)}% (không vượt {m}).")
        if self.zero_below:
            lines.append(f"Dưới {vn(self.zero_below)}%: 0 điểm.")
        if self.numerator:
            reading = self.ZERO_OF_ZERO[self.zero_of_zero or "zero"]
            lines.append(f"Không phát sinh (0/0): {reading}" + ("." if self.zero_of_zero else
                                                                 " (bộ tiêu chí chưa quy định; thẩm định viên xem lại)."))
        return lines

    def score(self, node, ctx):
        values = ctx.values
        if self.percent:
            ratio = values.get(self.percent[0])
            if ratio is None:
                return ZERO, ("missing",)
            num = den = None
        else:
            num, den = total_of(values, self.numerator), total_of(values, self.denominator)
            if num is None or den is None:
                return ZERO, ("missing",)
            if not den:
                reading = self.zero_of_zero
                if reading == "full":
                    return node.max_points, ("zero_of_zero", reading)
                return ZERO, ("not_applicable" if reading == "not_applicable" else "zero_of_zero", reading)
            ratio = num * HUNDRED / den
        mx = node.max_points
        if ratio >= self.full_at:
            return mx, ("full", num, den, ratio)
        if ratio >= self.zero_below:
            raw = ratio * mx / self.divisor
            return min(raw, mx), ("linear", num, den, ratio, raw)
        return ZERO, ("zero", num, den, ratio)

    def explain(self, node, detail, fields):
        branch = detail[0]
        if branch == "missing":
            return "Chưa có số liệu → 0"
        if branch == "zero_of_zero":
            if detail[1] == "full":
                return f"không phát sinh (0/0) → {vn(node.max_points)} điểm (theo bộ tiêu chí)"
            return "không phát sinh (0/0) → 0 điểm" + (" (theo bộ tiêu chí)" if detail[1] else "")
        if branch == "not_applicable":
            return (f"không phát sinh (0/0) → không áp dụng: điểm tối đa áp dụng giảm {vn(node.max_points)} "
                    "(theo bộ tiêu chí)")
        num, den, ratio = detail[1], detail[2], detail[3]
        head = f"{vn(num)} / {vn(den)} = {_pct(ratio)}" if num is not None else _pct(ratio)
        m = vn(node.max_points)
        if branch == "full":
            return f"{head} ≥ {vn(self.full_at)}% → {m}"
        if branch == "zero":
            return f"{head} < {vn(self.zero_below)}% → 0"
        raw = detail[4]
        arithmetic = f"{vn(truncate(ratio, 2))} × {m} / {vn(self.divisor)} = {vn(node.round(raw), node.places)}"
        text = f"{head} ≥ {vn(self.zero_below)}% → {arithmetic}"
        if raw > node.max_points:
            text += f", vượt điểm tối đa → {m}"
        return text


class YesNoRule(Rule):
    kind = "yes_no"
    label = "Có/Không"
    params = ("field", "yes", "no")

    def parse(self, data):
        self.field = _keys(data, "field", where=self.where)[0]
        self.yes = _num(data, "yes", where=self.where, required=False)
        self.no = _num(data, "no", where=self.where, required=False, default=ZERO)

    def to_data(self):
        data = {"kind": self.kind, "field": self.field}
        if self.yes is not None:
            data["yes"] = self.yes
        if self.no:
            data["no"] = self.no
        return data

    def field_refs(self):
        return [(self.field, ("yes_no",))]

    def yes_points(self, node):
        return node.max_points if self.yes is None else self.yes

    def allowed_points(self, node):
        """A reviewer typing points over it keeps to the two printed levels."""
        return tuple(sorted({self.no, self.yes_points(node)}))

    def describe(self, node, fields):
        return [f"{fields[self.field].label}: Có: {vn(self.yes_points(node))} điểm; Không: {vn(self.no)} điểm."]

    def score(self, node, ctx):
        value = ctx.values.get(self.field)
        if value is None:
            return ZERO, ("missing",)
        return (self.yes_points(node), ("yes",)) if value else (self.no, ("no",))

    def explain(self, node, detail, fields):
        return {"missing": "Chưa trả lời → 0", "yes": f"Có → {vn(self.yes_points(node))}",
                "no": f"Không → {vn(self.no)}"}[detail[0]]


class ChoiceRule(Rule):
    kind = "choice"
    label = "Chọn mức"
    params = ("field", "points")

    def parse(self, data):
        self.field = _keys(data, "field", where=self.where)[0]
        points = data.get("points")
        if not isinstance(points, dict) or not points:
            raise RuleError(f"{self.where}: 'points' phải liệt kê điểm cho từng lựa chọn")
        self.points = {str(k): _num(points, k, where=self.where) for k in points}

    def to_data(self):
        return {"kind": self.kind, "field": self.field, "points": dict(self.points)}

    def allowed_points(self, node):
        """A reviewer typing points over it keeps to the printed levels (Lào Cai IV.2.1: 0, 2 or 4)."""
        return tuple(sorted(set(self.points.values())))

    def field_refs(self):
        return [(self.field, ("choice",))]

    def validate(self, node, scheme):
        fld = scheme.fields.get(self.field)
        if fld is None:
            return []
        values = {v for v, _ in fld.choices}
        if set(self.points) != values:
            return [f"Tiêu chí {node.code}: điểm phải khai báo cho đúng các lựa chọn {', '.join(sorted(values))}"]
        # Follow the field's order, whatever order storage returned (PostgreSQL's jsonb sorts keys).
        self.points = {v: self.points[v] for v, _ in fld.choices}
        return []

    def describe(self, node, fields):
        labels = fields[self.field].choice_labels
        return [f"{labels.get(v, v)}: {vn(p)} điểm." for v, p in self.points.items()]

    def score(self, node, ctx):
        value = ctx.values.get(self.field)
        if value is None:
            return ZERO, ("missing",)
        return self.points[value], ("chosen", value)

    def explain(self, node, detail, fields):
        if detail[0] == "missing":
            return "Chưa chọn mức → 0"
        value = detail[1]
        return f"{fields[self.field].choice_labels.get(value, value)} → {vn(self.points[value])}"


class CountStepsRule(Rule):
    kind = "count_steps"
    label = "Bậc theo số lượng"
    params = ("fields", "steps")

    def parse(self, data):
        self.fields = _keys(data, "fields", where=self.where)
        steps = data.get("steps")
        if not isinstance(steps, list) or not steps:
            raise RuleError(f"{self.where}: 'steps' phải là danh sách các bậc {{min, points}}")
        parsed = []
        for i, step in enumerate(steps, 1):
            if not isinstance(step, dict) or set(step) != {"min", "points"}:
                raise RuleError(f"{self.where}: bậc thứ {i} phải có đúng 'min' và 'points'")
            parsed.append((_num(step, "min", where=self.where), _num(step, "points", where=self.where)))
        if any(a[0] <= b[0] for a, b in itertools.pairwise(parsed)):
            raise RuleError(f"{self.where}: các bậc phải xếp theo 'min' giảm dần")
        self.steps = parsed

    def to_data(self):
        return {"kind": self.kind, "fields": self.fields,
                "steps": [{"min": m, "points": p} for m, p in self.steps]}

    def field_refs(self):
        return [(k, ("count", "money")) for k in self.fields]

    def _subject(self, fields):
        return " + ".join(fields[k].label for k in self.fields)

    def describe(self, node, fields):
        lines = [f"{self._subject(fields)}:"]
        lines += [f"từ {vn(m)} trở lên: {vn(p)} điểm;" for m, p in self.steps]
        lines.append(f"dưới {vn(self.steps[-1][0])}: 0 điểm.")
        return lines

    def score(self, node, ctx):
        total = total_of(ctx.values, self.fields)
        if total is None:
            return ZERO, ("missing",)
        for minimum, points in self.steps:
            if total >= minimum:
                return min(points, node.max_points), ("step", total, minimum, points)
        return ZERO, ("below", total)

    def explain(self, node, detail, fields):
        if detail[0] == "missing":
            return "Chưa có số liệu → 0"
        if detail[0] == "below":
            return f"{vn(detail[1])} < {vn(self.steps[-1][0])} → 0"
        _, total, minimum, points = detail
        text = f"{vn(total)} ≥ {vn(minimum)} → {vn(points)}"
        if points > node.max_points:
            text += f", vượt điểm tối đa → {vn(node.max_points)}"
        return text


class RatePerDayRule(Rule):
    """Lào Cai II.2.5: points = uses per working day, 0 below a floor, full above a cap."""

    kind = "rate_per_day"
    label = "Tần suất theo ngày làm việc"
    params = ("field", "days_field", "floor", "full_above")

    def parse(self, data):
        self.field = _keys(data, "field", where=self.where)[0]
        self.days_field = _keys(data, "days_field", where=self.where)[0]
        self.floor = _num(data, "floor", where=self.where)
        self.full_above = _num(data, "full_above", where=self.where)
        if self.floor > self.full_above:
            raise RuleError(f"{self.where}: 'floor' phải nhỏ hơn hoặc bằng 'full_above'")

    def to_data(self):
        return {"kind": self.kind, "field": self.field, "days_field": self.days_field,
                "floor": self.floor, "full_above": self.full_above}

    def field_refs(self):
        return [(self.field, ("count",)), (self.days_field, ("count",))]

    def settle_sample(self, values, rng, level):
        values[self.days_field] = 250
        values[self.field] = rng.randint(150, 900)

    def check(self, node, values, fields):
        if values.get(self.days_field) == 0:
            return [(0, "số ngày làm việc phải lớn hơn 0", fields[self.days_field].label, self.days_field)]
        return ()

    def describe(self, node, fields):
        return [
            f"Điểm = {fields[self.field].label} / {fields[self.days_field].label}.",
            f"Lớn hơn {vn(self.full_above)}: điểm tối đa ({vn(node.max_points)}); "
            f"nhỏ hơn {vn(self.floor)}: 0 điểm; không vượt điểm tối đa.",
        ]

    def score(self, node, ctx):
        uses, days = ctx.values.get(self.field), ctx.values.get(self.days_field)
        if uses is None or days is None:
            return ZERO, ("missing",)
        rate = uses / days
        if rate > self.full_above:
            return node.max_points, ("above", uses, days, rate)
        if rate < self.floor:
            return ZERO, ("below", uses, days, rate)
        return min(rate, node.max_points), ("rate", uses, days, rate)

    def explain(self, node, detail, fields):
        if detail[0] == "missing":
            return "Chưa có số liệu → 0"
        branch, uses, days, rate = detail
        head = f"{vn(uses)} / {vn(days)} ngày = {vn(truncate(rate, 2))} lần/ngày"
        m = vn(node.max_points)
        if branch == "above":
            return f"{head} > {vn(self.full_above)} → {m}"
        if branch == "below":
            return f"{head} < {vn(self.floor)} → 0"
        text = f"{head} → {vn(node.round(rate), node.places)}"
        if rate > node.max_points:
            text += f", vượt điểm tối đa → {m}"
        return text


class ManualRule(Rule):
    kind = "manual"
    label = "Chấm điểm trực tiếp"
    manual = True

    def describe(self, node, fields):
        return [f"Người chấm nhập điểm trực tiếp, từ 0 đến {vn(node.max_points)}."]

    def score(self, node, ctx):
        return ZERO, ("missing",)

    def explain(self, node, detail, fields):
        return "Chưa nhập điểm → 0"


class LevelsRule(ManualRule):
    """Points typed by the scorer, held to the levels the source prints (Lào Cai III.2: 0 or 2;
    IV.2.1: 0, 2 or 4) rather than anything from 0 to the maximum."""

    kind = "levels"
    label = "Chấm theo mức in trong văn bản"
    params = ("levels",)

    def parse(self, data):
        raw = data.get("levels")
        if not isinstance(raw, list) or len(raw) < 2:
            raise RuleError(f"{self.where}: 'levels' phải liệt kê ít nhất hai mức điểm")
        levels = [_num({"level": v}, "level", where=self.where) for v in raw]
        if len(set(levels)) != len(levels):
            raise RuleError(f"{self.where}: các mức điểm không được trùng nhau")
        self.levels = tuple(sorted(levels))

    def to_data(self):
        return {"kind": self.kind, "levels": list(self.levels)}

    def validate(self, node, scheme):
        if node.declared_max is not None and self.levels[-1] > node.declared_max:
            return [f"{self.where}: mức {vn(self.levels[-1])} lớn hơn điểm tối đa {vn(node.declared_max)}"]
        return []

    def allowed_points(self, node):
        return self.levels

    def describe(self, node, fields):
        return [f"Người chấm chọn một trong các mức: {'; '.join(vn(v) for v in self.levels)} điểm."]

    def explain(self, node, detail, fields):
        return "Chưa chọn mức điểm → 0"


class SubstituteRatioRule(Rule):
    """Lào Cai II.6: a unit without administrative procedures earns, in place of the
    sections it cannot be scored on, their maximum times its achieved ratio in a
    source section."""

    kind = "substitute_ratio"
    label = "Thay thế theo tỷ lệ (đơn vị không có TTHC)"
    params = ("source", "replaces")
    substitutes = True

    def parse(self, data):
        self.source = _keys(data, "source", where=self.where)[0]
        self.replaces = _keys(data, "replaces", where=self.where)

    def to_data(self):
        return {"kind": self.kind, "source": self.source, "replaces": self.replaces}

    def criterion_refs(self):
        return [self.source, *self.replaces]

    def validate(self, node, scheme):
        """The references, who each applies to, and this criterion's maximum: the sum of the
        maxima it replaces (so groups have been summed before this is called)."""
        where = f"Tiêu chí {node.code}"
        by_code = scheme.by_code
        missing = [c for c in self.criterion_refs() if c not in by_code]
        if missing:
            return [f"{where}: tham chiếu tiêu chí không tồn tại: {', '.join(missing)}"]
        problems = []
        if node.effective_applies != "without_procedures":
            problems.append(f"{where}: quy tắc thay thế chỉ dành cho cơ quan không có TTHC "
                            "(applies_to: without_procedures)")
        for code in self.replaces:
            if by_code[code].effective_applies != "with_procedures":
                problems.append(f"{where}: mục được thay thế {code} phải là applies_to: with_procedures")
        if by_code[self.source].effective_applies != "all":
            problems.append(f"{where}: mục nguồn {self.source} phải áp dụng cho mọi đơn vị")
        replaced = [by_code[c].max_points for c in self.replaces]
        node.max_points = None if None in replaced else sum(replaced, ZERO)
        source_max = by_code[self.source].max_points
        if source_max is not None and source_max == 0:
            problems.append(f"{where}: mục nguồn {self.source} có điểm tối đa bằng 0")
        return problems

    def describe(self, node, fields):
        replaced = " + ".join(self.replaces)
        return [f"Điểm = (điểm đạt được mục {self.source} / điểm tối đa mục {self.source}) × "
                f"tổng điểm tối đa các mục {replaced} ({vn(node.max_points)} điểm)."]

    def score(self, node, ctx):
        got, mx = ctx.group_points(self.source)
        raw = got * node.max_points / mx
        return raw, ("ratio", got, mx, raw)

    def explain(self, node, detail, fields):
        _, got, mx, raw = detail
        return (f"Không có TTHC: {vn(got)} / {vn(mx)} (mục {self.source}) × {vn(node.max_points)} "
                f"= {vn(node.round(raw), node.places)}")


class _AmountDeduction(Rule):
    """A deduction with one parameter: the amount taken off per day or per item."""

    deduction = True

    def parse(self, data):
        setattr(self, self.params[0], _num(data, self.params[0], where=self.where))

    def to_data(self):
        return {"kind": self.kind, self.params[0]: getattr(self, self.params[0])}


class DeductionPerDayRule(_AmountDeduction):
    kind = "deduction_per_day"
    label = "Trừ điểm theo ngày nộp muộn"
    params = ("per_day",)

    def describe(self, node, fields):
        return [f"Mỗi ngày nộp muộn trừ {vn(self.per_day)} điểm."]

    def score(self, node, ctx):
        days = ctx.days_late
        return days * self.per_day, ("days", days)

    def explain(self, node, detail, fields):
        days = detail[1]
        if not days:
            return "Nộp đúng hạn → không trừ"
        return f"Nộp muộn {days} ngày × {vn(self.per_day)} = trừ {vn(days * self.per_day)}"


class DeductionPerCriterionRule(_AmountDeduction):
    kind = "deduction_per_criterion"
    label = "Trừ điểm theo tiêu chí có số liệu không đảm bảo"
    params = ("per_criterion",)
    takes_criteria = True

    def describe(self, node, fields):
        return [f"Mỗi tiêu chí có số liệu không đảm bảo chất lượng trừ {vn(self.per_criterion)} điểm."]

    def score(self, node, ctx):
        flagged = ctx.flagged(node.code)
        return len(flagged) * self.per_criterion, ("flagged", flagged)

    def explain(self, node, detail, fields):
        flagged = detail[1]
        if not flagged:
            return "Không có tiêu chí bị đánh giá số liệu không đảm bảo → không trừ"
        amount = vn(len(flagged) * self.per_criterion)
        return f"{len(flagged)} tiêu chí ({', '.join(flagged)}) × {vn(self.per_criterion)} = trừ {amount}"


class DeductionFlatRule(Rule):
    kind = "deduction_flat"
    label = "Trừ điểm cố định"
    params = ("field", "points")
    deduction = True

    def parse(self, data):
        self.field = _keys(data, "field", where=self.where)[0]
        self.points = _num(data, "points", where=self.where)

    def to_data(self):
        return {"kind": self.kind, "field": self.field, "points": self.points}

    def field_refs(self):
        return [(self.field, ("yes_no",))]

    def settle_sample(self, values, rng, level):
        values[self.field] = rng.random() < 0.1

    def describe(self, node, fields):
        return [f"{fields[self.field].label}: có thì trừ {vn(self.points)} điểm."]

    def score(self, node, ctx):
        applies = bool(ctx.values.get(self.field))
        return (self.points if applies else ZERO), ("flat", applies)

    def explain(self, node, detail, fields):
        return f"Có → trừ {vn(self.points)}" if detail[1] else "Không → không trừ"


RULE_KINDS = {cls.kind: cls for cls in (
    RatioRule, YesNoRule, ChoiceRule, CountStepsRule, RatePerDayRule, ManualRule, LevelsRule,
    SubstituteRatioRule, DeductionPerDayRule, DeductionPerCriterionRule, DeductionFlatRule,
)}


def parse_rule(data, *, where) -> Rule:
    if not isinstance(data, dict) or "kind" not in data:
        raise RuleError(f"{where}: quy tắc chấm điểm phải có 'kind'")
    cls = RULE_KINDS.get(data["kind"])
    if cls is None:
        raise RuleError(f"{where}: loại quy tắc '{data['kind']}' không tồn tại "
                        f"(có: {', '.join(RULE_KINDS)})")
    return cls(data, where=where)
