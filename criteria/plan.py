"""A criteria set compiled once into a plan that scores many units on exact scaled integers.

The engine (:mod:`criteria.scoring`) scores one unit at a time over Decimal and keeps, for every
criterion, the detail its explanation needs. Batch paths (the ``score`` command, the period-wide
import, the what-if, publishing's snapshot) need only the numbers, for thousands of units: the plan
gives them the same numbers, faster.

How it stays identical to the engine:

- Input checking. The plan accepts a unit only when its quick check finds nothing wrong, taking the
  same values the field kind's ``clean`` would take (whole numbers as ``int``, which compare and add
  exactly like the engine's Decimals). Anything unusual — a problem, an unexpected type, a huge
  number, a kind the plan does not know — sends the whole unit to the engine's ``prepare``, so bad
  input is reported by the engine itself, word for word.
- Points. Every criterion's points are rounded to the set's places, so they are whole numbers of
  hundredths (for two places): the plan adds them as ``int``. Threshold-ratio, yes/no, choice, steps
  and deductions are computed on integers; a ratio's rounding is done exactly on the integers when its
  figures are small enough for the engine's 28-digit division to give the same cent (a distance
  argument, see :func:`_ratio_int`), and by the engine's own Decimal steps otherwise or when the
  exact quotient falls on a rounding boundary.
- A rule kind the plan does not compile is scored by the rule itself (the engine's code), so a new kind
  is never wrong, only slower.
- The headline (total, index, mean) and the band are computed by the engine's own Decimal steps on the
  same values.

Results are :class:`PlanResult` objects with the attributes of the engine's ``UnitResult`` that batch
paths read (``criteria[code].points/max_points/applicable``, ``total``, ``score``, ``band``…), without
explanations.
"""

import gc
from decimal import ROUND_HALF_UP, Decimal

from .fields import KINDS
from .fields import clean as clean_value
from .numbers import ZERO, NumberFormatError, parse_number, round_half_up
from .scoring import (
    ANSWER_KEYS,
    Problem,
    ScoringInputError,
    _Context,
    consistency_warnings,
    prepare,
    rank_results,
    score_prepared,
)
from .scoring import score_unit as engine_score_unit
from .scoring import score_units as engine_score_units

# Whole numbers the quick check turns from Decimal into int (sums of a few stay far inside the
# engine's 28 digits). Whole numbers given as int are taken as they are within the kind's range.
_INT_LIMIT = 10**18
# Figures up to which a ratio is computed on integers (see Plan._ratio for why that is exact).
_RATIO_LIMIT = 10**9
_COMPILED = {"ratio", "yes_no", "choice", "count_steps", "rate_per_day", "manual", "substitute_ratio",
             "deduction_per_day", "deduction_per_criterion", "deduction_flat"}
_ENGINE_FIELD_KINDS = {"count", "money", "percent", "yes_no", "choice", "date", "text"}


def _decimals(value):
    """Decimal places the value needs (Decimal('2.000') from a database column needs none)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 99


def _scaled(value, places):
    """Decimal with at most ``places`` decimals -> int of units of 10**-places."""
    return int(value.scaleb(places))


def _simple(value, *, decimals=2, limit=10**6):
    return value is not None and value.is_finite() and 0 <= value < limit and _decimals(value) <= decimals


def _half_up(numerator, denominator):
    """round(numerator / denominator) half up, both >= 0, denominator > 0."""
    return (2 * numerator + denominator) // (2 * denominator)


# --- generated code ------------------------------------------------------------------------------

class _Defer(Exception):
    """Raised inside generated code: this unit needs the closure path or the engine."""


def _convert(fld, raw):
    """One figure as the quick check takes it: None when blank; raises _Defer when anything is off."""
    if raw is None or (type(raw) is str and not raw.strip()):
        return None
    if type(raw) is bool and fld.kind == "yes_no":
        return raw
    try:
        value = clean_value(fld, raw)
    except NumberFormatError:
        raise _Defer from None
    if type(value) is Decimal and fld.kind != "date" and value == value.to_integral_value() \
            and abs(value) < _INT_LIMIT:
        return int(value)
    return value


def _generate(plan, flag):
    """Python source for one layout: check a unit's answers and score them in one straight function.

    Every field is a local variable; every criterion's points a local; groups are sums of locals. The
    function returns (points in walk order, deductions, total before the floor at zero), or None when the
    unit has anything the generated code does not take (then the closure path and the engine decide)."""
    scheme, layout = plan.scheme, plan.layouts[flag]
    env = {"_Defer": _Defer, "_convert": _convert, "LIMIT": _INT_LIMIT, "RLIMIT": _RATIO_LIMIT}
    local = {}
    lines = ["def fast(answers, days_late, extras, unit):",
             "    entered = {}", "    flags = {}", "    seen = 0"]
    emit = lines.append

    def var(key):
        if key not in local:
            local[key] = f"v{len(local)}"
            emit(f"    {local[key]} = None")
        return local[key]

    for key in scheme.fields:
        var(key)
    for node in scheme.leaves:
        i = plan.index[node.code]
        if not layout.applicable[i]:
            continue
        code = repr(node.code)
        env[f"NODE{i}"] = node
        emit(f"    a = answers.get({code})")
        emit("    if a is not None:")
        emit("        seen += 1")
        emit("        if type(a) is not dict:")
        emit("            return None")
        emit("        if len(a) == 1 and 'values' in a:")
        emit("            vals = a['values']")
        emit("        else:")
        emit(f"            if not extras(NODE{i}, a, True, entered, flags, unit):")
        emit("                return None")
        emit("            vals = a.get('values')")
        emit("        if vals:")
        emit("            if type(vals) is not dict:")
        emit("                return None")
        env[f"K{i}"] = frozenset(node.field_map)
        emit(f"            if not vals.keys() <= K{i}:")
        emit("                return None")
        for fld in node.fields:
            name = local[fld.key]
            env[f"F_{name}"] = fld
            emit(f"            x = vals.get({fld.key!r})")
            emit("            if x is not None:")
            if fld.kind in ("count", "money"):
                emit(f"                if type(x) is int and 0 <= x <= {int(KINDS[fld.kind].maximum)}:")
                emit(f"                    {name} = x")
                emit("                else:")
                emit(f"                    {name} = _convert(F_{name}, x)")
            elif fld.kind == "yes_no":
                emit("                if type(x) is bool:")
                emit(f"                    {name} = x")
                emit("                else:")
                emit(f"                    {name} = _convert(F_{name}, x)")
            elif fld.kind == "percent":
                # "57": the engine's Decimal('57'), taken as the int 57 without the parser.
                emit("                if type(x) is str and x.isdigit() and x.isascii() and len(x) <= 3 and int(x) <= 100:")
                emit(f"                    {name} = int(x)")
                emit("                else:")
                emit(f"                    {name} = _convert(F_{name}, x)")
            elif fld.kind == "choice":
                env[f"C_{name}"] = frozenset(fld.choice_labels)
                emit(f"                if type(x) is str and x in C_{name}:")
                emit(f"                    {name} = x")
                emit("                else:")
                emit(f"                    {name} = _convert(F_{name}, x)")
            else:
                emit(f"                {name} = _convert(F_{name}, x)")
    emit("    if seen != len(answers):")
    emit("        return None")
    for numerator, denominator, may_exceed in plan.ratio_checks:
        names = [local[k] for k in numerator + denominator]
        emit(f"    if {' and '.join(f'{v} is not None' for v in names)}:")
        n = " + ".join(local[k] for k in numerator)
        d = " + ".join(local[k] for k in denominator)
        emit(f"        d = {d}")
        emit("        if d == 0:")
        emit("            return None")
        if not may_exceed:
            emit(f"        if {n} > d:")
            emit("            return None")
    for key in plan.day_checks:
        emit(f"    if {local[key]} == 0:")
        emit("        return None")
    emit("    if entered:")
    emit("        return None")
    points = {}
    for i, node, program in plan.leaf_programs:
        p = f"p{i}"
        points[i] = p
        if not layout.applicable[i]:
            emit(f"    {p} = 0")
            continue
        rule = node.rule
        kind = rule.kind
        env[f"PROG{i}"] = program
        keys = [k for k, _ in rule.field_refs()]
        fallback = f"PROG{i}({{{', '.join(f'{k!r}: {local[k]}' for k in keys)}}}, unit, flags)"
        if kind == "yes_no":
            v = local[rule.field]
            env[f"Y{i}"], env[f"N{i}"] = plan._points(rule.yes_points(node)), plan._points(rule.no)
            emit(f"    {p} = 0 if {v} is None else (Y{i} if {v} else N{i})")
        elif kind == "choice":
            env[f"T{i}"] = {v: plan._points(x) for v, x in rule.points.items()}
            v = local[rule.field]
            emit(f"    {p} = 0 if {v} is None else T{i}[{v}]")
        elif kind == "deduction_flat":
            env[f"D{i}"] = plan._points(rule.points)
            emit(f"    {p} = D{i} if {local[rule.field]} else 0")
        elif kind == "manual":
            emit(f"    {p} = 0")
        elif kind == "count_steps":
            names = [local[k] for k in rule.fields]
            emit(f"    if {' or '.join(f'{v} is None' for v in names)}:")
            emit(f"        {p} = 0")
            emit("    else:")
            emit(f"        t = {' + '.join(names)}")
            mx = node.max_points
            for j, (minimum, got) in enumerate(rule.steps):
                env[f"S{i}_{j}"] = int(minimum) if minimum == minimum.to_integral_value() else minimum
                emit(f"        {'if' if j == 0 else 'elif'} t >= S{i}_{j}:")
                emit(f"            {p} = {plan._points(min(got, mx))}")
            emit("        else:")
            emit(f"            {p} = 0")
        elif kind == "ratio" and getattr(program, "integer_ratio", None):
            full_i, zero_i, div_i, mx_i, scale, mx_points = program.integer_ratio
            if rule.percent:
                v = local[rule.percent[0]]
                emit(f"    if {v} is None:")
                emit(f"        {p} = 0")
                emit(f"    elif type({v}) is not int:")
                emit(f"        {p} = {fallback}")
                emit("    else:")
                emit(f"        n = {v}")
                emit("        d = 100")
            else:
                names = [local[k] for k in rule.numerator + rule.denominator]
                emit(f"    if {' or '.join(f'{v} is None' for v in names)}:")
                emit(f"        {p} = 0")
                emit("    else:")
                emit(f"        n = {' + '.join(local[k] for k in rule.numerator)}")
                emit(f"        d = {' + '.join(local[k] for k in rule.denominator)}")
                emit("        if type(n) is not int or type(d) is not int or not (0 <= n < RLIMIT and 0 < d < RLIMIT):")
                emit(f"            {p} = {fallback}")
                emit("            n = None")
            emit("        if n is None:")
            emit("            pass")
            emit(f"        elif 10000 * n >= {full_i} * d:")
            emit(f"            {p} = {mx_points}")
            emit(f"        elif 10000 * n < {zero_i} * d:")
            emit(f"            {p} = 0")
            emit("        else:")
            emit(f"            t = {100 * mx_i * scale} * n")
            emit(f"            b = d * {div_i}")
            emit(f"            c = 100 * t - {mx_i * scale} * b")
            emit("            if c > 0:")
            emit(f"                {p} = {mx_points}")
            emit("            else:")
            emit("                q, r = divmod(2 * t, b)")
            emit("                if c == 0 or (r == 0 and q & 1):")
            emit(f"                    {p} = {fallback}")
            emit("                else:")
            emit(f"                    {p} = (2 * t + b) // (2 * b)")
        else:
            emit(f"    {p} = {fallback}")
    for index, counted, every, deduction in plan.groups:
        parts = [points.get(c, "0") for c in (every if deduction else counted)]
        points[index] = f"p{index}"
        emit(f"    p{index} = {' + '.join(parts) or '0'}")
    ordered = [points.get(i, "0") for i in range(len(plan.nodes))]
    emit(f"    total = {' + '.join(points[i] for i in plan.top) or '0'}")
    emit(f"    deductions = {' + '.join(points[i] for i in plan.deduction_leaves) or '0'}")
    emit(f"    return [{', '.join(ordered)}], deductions, total - deductions")
    source = "\n".join(lines) + "\n"
    try:
        exec(compile(source, f"<plan {scheme.code} v{scheme.version} {flag}>", "exec"), env)  # noqa: S102
    except _Defer:
        return None
    function = env["fast"]

    def fast(unit):
        try:
            return function(unit.answers, unit.days_late, plan._extras, unit)
        except _Defer:
            return None
    return fast


class _Points:
    """One criterion's numbers, as the engine's CriterionResult exposes them (no explanation)."""

    __slots__ = ("applicable", "max_points", "node", "points")

    def __init__(self, node, points, max_points, applicable):
        self.node = node
        self.points = points
        self.max_points = max_points
        self.applicable = applicable

    @property
    def code(self):
        return self.node.code


class PlanResult:
    """A unit's numbers, with the attributes of :class:`criteria.scoring.UnitResult` batch paths use."""

    __slots__ = ("_criteria", "band", "deductions_int", "plan", "points", "rank", "raw_total_int", "score",
                 "total_int", "unit", "warnings")

    def __init__(self, plan, unit, points, deductions_int, raw_total_int, total_int, score, band, warnings=()):
        self.plan = plan
        self.unit = unit
        self.points = points
        self.deductions_int = deductions_int
        self.raw_total_int = raw_total_int
        self.total_int = total_int
        self.score = score
        self.band = band
        self.rank = None
        self._criteria = None
        self.warnings = list(warnings)

    @property
    def layout(self):
        return self.plan.layouts[self.unit.has_procedures]

    @property
    def classification(self):
        return self.band.label if self.band else ""

    @property
    def deductions(self):
        return self.plan.decimal(self.deductions_int)

    @property
    def total(self):
        return self.plan.decimal(self.total_int)

    @property
    def raw_total(self):
        return self.plan.decimal(self.raw_total_int)

    @property
    def max_points(self):
        return self.layout.max_points

    @property
    def criteria(self):
        if self._criteria is None:
            layout, decimal = self.layout, self.plan.decimal
            self._criteria = {node.code: _Points(node, decimal(p), mx, applicable)
                              for node, p, mx, applicable in zip(self.plan.nodes, self.points, layout.maxima,
                                                                 layout.applicable, strict=True)}
        return self._criteria

    def groups(self):
        return [r for r in self.criteria.values() if r.node.children]


class _Layout:
    """What depends only on whether the unit has administrative procedures: which criteria apply and
    every criterion's maximum (the engine derives both from the scheme and that flag alone)."""

    def __init__(self, plan, scheme, flag):
        nodes = plan.nodes
        # A group of deductions is always "applicable" in the engine, whatever the flag.
        self.applicable = [True if (n.children and n.is_deduction) else n.applies(flag) for n in nodes]
        maxima = {}
        for node in nodes:
            if not node.children:
                maxima[node.code] = node.assessed_max if node.applies(flag) else ZERO
        for node in reversed(nodes):  # children before parents
            if node.children:
                if node.is_deduction:
                    maxima[node.code] = None
                else:
                    mx = ZERO
                    for child in node.children:
                        if not child.is_deduction and maxima[child.code] is not None:
                            mx += maxima[child.code]
                    maxima[node.code] = mx
        self.maxima = [maxima[n.code] for n in nodes]
        top = ZERO
        for node in scheme.nodes:
            if not node.is_deduction:
                top += maxima[node.code] or ZERO
        self.max_points = top
        self.leaves = [(i, node, fn) for i, node, fn in plan.leaf_programs if self.applicable[i]]


class Plan:
    def __init__(self, scheme):
        self.scheme = scheme
        self.places = places = scheme.points_places
        self.scale = 10**places
        self.quantum = Decimal(1).scaleb(-places)
        self.nodes = list(scheme.walk())
        self.index = {n.code: i for i, n in enumerate(self.nodes)}
        self._decimals = {}
        kinds = {n.rule.kind for n in scheme.leaves if n.rule is not None}
        field_kinds = {f.kind for f in scheme.fields.values()}
        uniform = all(n.places == places for n in self.nodes)
        # The quick check mirrors the engine's prepare for the kinds known when it was written;
        # for anything else every unit is checked by the engine.
        self.quick = kinds <= _COMPILED and field_kinds <= _ENGINE_FIELD_KINDS and uniform
        self.leaf_programs = []
        for node in scheme.leaves:
            if node.rule is None or node.is_substitute:
                continue
            program = self._compile(node) if (uniform and node.rule.kind in _COMPILED) else None
            if program is None:
                program = self._engine_leaf(node)
            self.leaf_programs.append((self.index[node.code], node, program))
        self.substitutes = [(self.index[n.code], n, self.index[n.rule.source], scheme.by_code[n.rule.source])
                            for n in scheme.leaves if n.is_substitute]
        # Groups in post-order (children first): (index, [non-deduction child indexes], [all child indexes], deduction)
        self.groups = []

        def collect(node, into):
            for child in node.children:
                collect(child, into)
            if node.children:
                into.append((self.index[node.code], [self.index[c.code] for c in node.children if not c.is_deduction],
                             [self.index[c.code] for c in node.children], node.is_deduction))
            return into

        for node in scheme.nodes:
            collect(node, self.groups)
        self.source_groups = {n.code: collect(n, []) for _, _, _, n in self.substitutes}
        self.top = [self.index[n.code] for n in scheme.nodes if not n.is_deduction]
        self.deduction_leaves = [self.index[n.code] for n in scheme.leaves if n.is_deduction]
        self.layouts = {True: _Layout(self, scheme, True), False: _Layout(self, scheme, False)}
        self.fields = {}  # criterion code -> (node, {key: field})
        for node in scheme.leaves:
            self.fields[node.code] = (node, node.field_map)
        # The rules' own input checks (the engine's hooks); the generated code repeats those of the
        # two kinds that have one today, ratio and rate per day, inline.
        self.checks = [n for n in scheme.leaves if n.rule is not None and n.rule.checks_inputs()]
        self.ratio_checks = [(n.rule.numerator, n.rule.denominator, n.rule.may_exceed) for n in self.checks
                             if n.rule.kind == "ratio" and n.rule.numerator]
        self.day_checks = [n.rule.days_field for n in self.checks if n.rule.kind == "rate_per_day"]
        # Consistency checks between figures (errors refuse, warnings are reported) go through the
        # closure path, which runs them as the engine does.
        inline_checks = all(n.rule.kind in ("ratio", "rate_per_day") for n in self.checks) \
            and not getattr(scheme, "checks", ())
        # A ratio whose 0/0 reads "not applicable" changes a unit's maximum by its figures: the
        # plan's maxima are per flag only, so such a set is scored by the engine.
        self.engine_only = any(getattr(n.rule, "zero_of_zero", None) == "not_applicable"
                               for n in scheme.leaves if n.rule is not None)
        self.fast = {}
        if self.quick and inline_checks and not self.substitutes and scheme.is_complete and not scheme.checks:
            self.fast = {flag: _generate(self, flag) for flag in (True, False)}

    # --- numbers -----------------------------------------------------------------------------

    def decimal(self, value):
        """Scaled int -> Decimal with the set's places (as the engine's rounded points print)."""
        cached = self._decimals.get(value)
        if cached is None:
            cached = self._decimals[value] = Decimal(value).scaleb(-self.places)
        return cached

    def _points(self, value):
        """A Decimal the engine would round to the set's places -> scaled int."""
        return _scaled(value.quantize(self.quantum, ROUND_HALF_UP), self.places)

    # --- compiling one criterion -----------------------------------------------------------

    def _compile(self, node):
        rule, kind = node.rule, node.rule.kind
        points = self._points
        mx = node.max_points
        if kind == "manual":
            return lambda values, unit, flags: 0
        if kind == "yes_no":
            key, yes, no = rule.field, points(rule.yes_points(node)), points(rule.no)

            def yes_no(values, unit, flags):
                value = values.get(key)
                if value is None:
                    return 0
                return yes if value else no
            return yes_no
        if kind == "choice":
            key = rule.field
            table = {v: points(p) for v, p in rule.points.items()}

            def choice(values, unit, flags):
                value = values.get(key)
                return 0 if value is None else table[value]
            return choice
        if kind == "count_steps":
            keys = rule.fields
            steps = [(int(m) if m == m.to_integral_value() else m, points(min(p, mx))) for m, p in rule.steps]

            def count_steps(values, unit, flags):
                total = 0
                for k in keys:
                    value = values.get(k)
                    if value is None:
                        return 0
                    total += value
                for minimum, got in steps:
                    if total >= minimum:
                        return got
                return 0
            return count_steps
        if kind == "deduction_flat":
            key, got = rule.field, points(rule.points)
            return lambda values, unit, flags: got if values.get(key) else 0
        if kind in ("deduction_per_day", "deduction_per_criterion"):
            amount = rule.per_day if kind == "deduction_per_day" else rule.per_criterion
            code = node.code
            if not _simple(amount, decimals=6):
                return None
            amount_int, amount_places = _scaled(amount, 6), 6
            quantum = self.quantum

            def per_item(values, unit, flags):
                count = unit.days_late if kind == "deduction_per_day" else len(flags.get(code, ()))
                if not 0 <= count < _RATIO_LIMIT:
                    return _scaled((count * amount).quantize(quantum, ROUND_HALF_UP), self.places)
                return _half_up(count * amount_int, 10 ** (amount_places - self.places))
            return per_item
        if kind == "ratio":
            return self._ratio(node)
        if kind == "rate_per_day":
            return self._mirror(node)
        return None

    def _mirror(self, node):
        """The rule's own Decimal steps on Decimal values: identical to the engine by construction."""
        rule, to_points = node.rule, self._points
        keys = [k for k, _ in rule.field_refs()]

        def mirror(values, unit, flags):
            ctx = _Context({k: (Decimal(values[k]) if type(values.get(k)) is int else values.get(k))
                            for k in keys if k in values}, unit.days_late, flags, unit.has_procedures)
            return to_points(rule.score(node, ctx)[0])
        return mirror

    def _ratio(self, node):
        rule, mx = node.rule, node.max_points
        mirror = self._mirror(node)
        full, zero, divisor = rule.full_at, rule.zero_below, rule.divisor
        if not (all(_simple(v) for v in (full, zero, divisor, mx)) and 1 <= divisor <= 1000 and mx < 10**4
                and self.places <= 4 and _decimals(mx) <= self.places):
            return mirror
        # On integers: R = 100 * num / den is compared with full and zero exactly; the linear branch's
        # points, in units of 10**-places, are top / bottom = 100 * num * mx_i * 10**places / (den * div_i)
        # (mx_i, div_i: hundredths). Why that gives the engine's cent: the engine rounds three times to 28
        # digits (R, R * mx, / divisor), an error below 2e-21 on points below 1e6; with num, den < 1e9
        # and the limits above, bottom < 1e14, so a quotient that is not exactly on a half unit, a
        # threshold or the maximum is at least 5e-19 away from it. Exactly on one, the engine's own
        # steps decide.
        full_i, zero_i, div_i, mx_i = (int(v * 100) for v in (full, zero, divisor, mx))
        scale = 10**self.places
        mx_points = self._points(mx)
        pct_key = rule.percent[0] if rule.percent else None
        numerator, denominator = rule.numerator, rule.denominator

        def ratio(values, unit, flags):
            if pct_key is not None:
                value = values.get(pct_key)
                if value is None:
                    return 0
                if type(value) is not int:
                    return mirror(values, unit, flags)
                num, den = value, 100
            else:
                num = 0
                for k in numerator:
                    value = values.get(k)
                    if value is None:
                        return 0
                    num += value
                den = 0
                for k in denominator:
                    value = values.get(k)
                    if value is None:
                        return 0
                    den += value
                if type(num) is not int or type(den) is not int or not (0 <= num < _RATIO_LIMIT and 0 < den < _RATIO_LIMIT):
                    return mirror(values, unit, flags)
            # 100*num/den >= full/100  <=>  10000*num >= full_i*den  (exact)
            left = 10000 * num
            if left >= full_i * den:
                return mx_points
            if left < zero_i * den:
                return 0
            top, bottom = 100 * num * mx_i * scale, den * div_i
            if 100 * top >= mx_i * scale * bottom:  # raw >= mx: the engine caps at mx
                if 100 * top == mx_i * scale * bottom:
                    return mirror(values, unit, flags)
                return mx_points
            twice, rest = divmod(2 * top, bottom)
            if rest == 0 and twice % 2 == 1:  # exactly half a unit: let the engine's steps decide
                return mirror(values, unit, flags)
            return _half_up(top, bottom)
        ratio.integer_ratio = (full_i, zero_i, div_i, mx_i, scale, mx_points)
        return ratio

    def _engine_leaf(self, node):
        """A rule kind the plan does not compile: scored by the rule itself, on Decimal values."""
        rule, to_points = node.rule, self._points

        def engine(values, unit, flags):
            ctx = _Context({k: (Decimal(v) if type(v) is int else v) for k, v in values.items()},
                           unit.days_late, flags, unit.has_procedures)
            return to_points(rule.score(node, ctx)[0])
        return engine

    # --- checking ----------------------------------------------------------------------------

    def check(self, unit):
        """(values, entered, flags) when the quick check finds nothing to say, else None (ask the engine)."""
        if not self.quick or self.scheme.checks:
            # Consistency checks between figures are the engine's (criteria.scoring.prepare).
            return None
        days = unit.days_late
        if type(days) is not int or days < 0 or type(unit.has_procedures) is not bool:
            return None
        answers = unit.answers
        if type(answers) is not dict:
            return None
        applicable = self.layouts[unit.has_procedures].applicable
        index, fields = self.index, self.fields
        values, entered, flags = {}, {}, {}
        for code, answer in answers.items():
            known = fields.get(code)
            if known is None or type(answer) is not dict:
                return None
            node, own = known
            live = applicable[index[code]]
            if len(answer) == 1 and "values" in answer:
                raw_values = answer["values"]
            else:
                if not answer.keys() <= ANSWER_KEYS:
                    return None
                raw_values = answer.get("values")
                if not self._extras(node, answer, live, entered, flags, unit):
                    return None
            if not raw_values:
                continue
            if type(raw_values) is not dict:
                return None
            for key, raw in raw_values.items():
                fld = own.get(key)
                if fld is None:
                    return None
                kind, t = fld.kind, type(raw)
                if t is int and (kind == "count" or kind == "money"):
                    if not live or not 0 <= raw <= KINDS[kind].maximum:
                        return None
                    values[key] = raw
                    continue
                if raw is None or (t is str and not raw.strip()):
                    continue
                if not live:
                    return None
                if t is bool and kind == "yes_no":
                    values[key] = raw
                    continue
                try:
                    value = clean_value(fld, raw)
                except NumberFormatError:
                    return None
                if type(value) is Decimal and kind != "date" and value == value.to_integral_value() \
                        and abs(value) < _INT_LIMIT:
                    value = int(value)
                values[key] = value
        fields = self.scheme.fields
        for node in self.checks:
            if node.rule.check(node, values, fields):
                return None
        for check in getattr(self.scheme, "checks", ()):
            if check.level == "error" and check.failures(values, fields):
                return None
        return values, entered, flags

    def _extras(self, node, answer, live, entered, flags, unit):
        """'points' and 'criteria' of one answer, as the engine's prepare reads them; False on any problem."""
        if not answer.keys() <= ANSWER_KEYS:
            return False
        if "points" in answer:
            raw = answer["points"]
            if not (raw is None or (isinstance(raw, str) and not raw.strip())):
                try:
                    points = parse_number(raw)
                except NumberFormatError:
                    return False
                if node.is_deduction:
                    return False
                if not live:
                    if points != 0:
                        return False
                else:
                    limit = node.assessed_max
                    if limit is None or points < 0 or points > limit or points != round_half_up(points, node.places):
                        return False
                    entered[node.code] = points
        if "criteria" in answer and answer["criteria"] is not None:
            flagged = answer["criteria"]
            if node.rule is None or not node.rule.takes_criteria or type(flagged) is not list:
                return False
            by_code = self.scheme.by_code
            for item in flagged:
                target = by_code.get(item) if isinstance(item, str) else None
                if target is None or target.children or target.is_deduction:
                    return False
            if len(set(flagged)) != len(flagged):
                return False
            flags[node.code] = tuple(flagged)
        return True

    # --- scoring -----------------------------------------------------------------------------

    def score_checked(self, unit, prepared):
        values, entered, flags = prepared
        layout = self.layouts[unit.has_procedures]
        points = [0] * len(self.nodes)
        places = self.places
        for i, node, program in layout.leaves:
            got = entered.get(node.code) if entered else None
            points[i] = program(values, unit, flags) if got is None else _scaled(got, places)
        groups = self.groups
        if self.substitutes:
            done = set()
            for i, node, source_i, source in self.substitutes:
                for group in self.source_groups[source.code]:
                    self._sum(points, group)
                    done.add(group[0])
                if not layout.applicable[i]:
                    continue
                got = entered.get(node.code) if entered else None
                if got is not None:
                    points[i] = _scaled(got, places)
                    continue
                ctx = _Context({}, unit.days_late, flags, unit.has_procedures)
                ctx.points[source.code] = (self.decimal(points[source_i]), layout.maxima[source_i])
                points[i] = self._points(node.rule.score(node, ctx)[0])
        for group in groups:
            self._sum(points, group)
        total = 0
        for i in self.top:
            total += points[i]
        deductions = 0
        for i in self.deduction_leaves:
            deductions += points[i]
        return self._finish(unit, layout, points, deductions, total - deductions,
                            consistency_warnings(self.scheme, values) if getattr(self.scheme, "checks", ()) else ())

    def _finish(self, unit, layout, points, deductions, raw_total, warnings=()):
        total = raw_total if raw_total > 0 else 0
        scheme = self.scheme
        score = scheme.headline_figure(Decimal(total).scaleb(-self.places), layout.max_points)
        return PlanResult(self, unit, points, deductions, raw_total, total, score, scheme.classify(score), warnings)

    @staticmethod
    def _sum(points, group):
        index, counted, every, deduction = group
        got = 0
        for c in every if deduction else counted:
            got += points[c]
        points[index] = got

    def score_unit(self, unit):
        """Score one unit; raise the engine's ScoringInputError when its input has a problem."""
        result, problems = self._one(unit)
        if problems:
            raise ScoringInputError(problems)
        return result

    def _one(self, unit):
        if self.engine_only:
            try:
                return engine_score_unit(self.scheme, unit), []
            except ScoringInputError as exc:
                return None, exc.problems
        if not self.scheme.is_complete:
            return None, [Problem(unit.label, "", None,
                                  f"bộ tiêu chí {self.scheme.code} chưa đủ điểm tối đa, chưa thể chấm")]
        flag = unit.has_procedures
        if self.fast and type(flag) is bool and type(unit.days_late) is int and unit.days_late >= 0 \
                and type(unit.answers) is dict:
            done = self.fast[flag](unit)
            if done is not None:
                return self._finish(unit, self.layouts[flag], *done), []
        prepared = self.check(unit)
        if prepared is None:
            prepared, problems = prepare(self.scheme, unit)
            if problems:
                return None, problems
        return self._score(unit, prepared), []

    def _score(self, unit, prepared):
        """Checked input -> result; a unit the plan cannot lay out (a non-boolean flag) goes to the engine."""
        if type(unit.has_procedures) is bool and type(unit.days_late) is int:
            return self.score_checked(unit, prepared)
        return score_prepared(self.scheme, unit, prepared)

    def problems(self, unit):
        """The engine's problems for this unit ([] when it can be scored)."""
        if self.check(unit) is not None:
            return []
        return prepare(self.scheme, unit)[1]

    def score_units(self, units, *, rank=True):
        """As :func:`criteria.scoring.score_units`: every problem of every unit, or every unit scored."""
        scheme = self.scheme
        if self.engine_only:
            return engine_score_units(scheme, units, rank=rank)
        if not scheme.is_complete:
            raise ScoringInputError([Problem("", "", None,
                                             f"bộ tiêu chí {scheme.code} chưa đủ điểm tối đa, chưa thể chấm")])
        collecting = gc.isenabled()
        gc.disable()
        try:
            results, problems, seen = [], [], set()
            check, score_checked, fast, finish = self.check, self.score_checked, self.fast, self._finish
            layouts = self.layouts
            for unit in units:
                if unit.code in seen:
                    problems.append(Problem(unit.label, "", None, "mã đơn vị bị trùng trong dữ liệu"))
                seen.add(unit.code)
                flag = unit.has_procedures
                if fast and type(flag) is bool and type(unit.days_late) is int and unit.days_late >= 0 \
                        and type(unit.answers) is dict:
                    done = fast[flag](unit)
                    if done is not None:
                        if not problems:
                            results.append(finish(unit, layouts[flag], *done))
                        continue
                prepared = check(unit)
                if prepared is not None:
                    if not problems:
                        results.append(score_checked(unit, prepared))
                    continue
                prepared, unit_problems = prepare(scheme, unit)
                problems.extend(unit_problems)
                if not problems:
                    results.append(self._score(unit, prepared))
            if problems:
                raise ScoringInputError(problems)
        finally:
            if collecting:
                gc.enable()
        if rank:
            rank_results(results)
        return results


def plan_for(scheme):
    """The scheme's compiled plan, made once per parsed scheme (frozen sets' schemes are cached)."""
    plan = scheme.__dict__.get("_compiled_plan")
    if plan is None:
        plan = scheme.__dict__["_compiled_plan"] = Plan(scheme)
    return plan


