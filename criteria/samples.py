"""Plausible figures for any criteria set: for the demo, the benchmarks and tests.

Pure and deterministic for a given random generator. Each ratio's numerator is
kept at or below its denominator, so every sample scores without a problem.
"""

from decimal import Decimal

from .scoring import UnitInput


def sample_values(scheme, rng, *, level=0.85):
    """{field key: value} for every field; ``level`` is roughly the share achieved on ratios."""
    values = {}
    for key, field in scheme.fields.items():
        if field.kind == "count":
            values[key] = rng.randint(20, 400)
        elif field.kind == "money":
            values[key] = rng.choice([0, 150_000_000, 600_000_000])
        elif field.kind == "percent":
            values[key] = str(min(100, max(0, int(rng.gauss(level * 100, 12)))))
        elif field.kind == "yes_no":
            values[key] = rng.random() < level
        elif field.kind == "choice":
            values[key] = rng.choice(field.choices)[0]
        elif field.kind == "date":
            values[key] = "2025-12-15"
        else:
            values[key] = "Có báo cáo kèm theo."
    ratios = [n.rule for n in scheme.leaves if n.rule is not None and n.rule.kind == "ratio" and n.rule.numerator]
    for _ in range(len(ratios)):  # a numerator can be another ratio's denominator: settle in passes
        for rule in ratios:
            den = sum(values[k] for k in rule.denominator)
            if not rule.may_exceed and sum(values[k] for k in rule.numerator) > den:
                share = min(1.0, max(0.3, rng.gauss(level, 0.1)))
                for k in rule.numerator:
                    values[k] = int(den * share) // len(rule.numerator)
    for node in scheme.leaves:
        if node.rule is not None and node.rule.kind == "rate_per_day":
            values[node.rule.days_field] = 250
            values[node.rule.field] = rng.randint(150, 900)
        if node.rule is not None and node.rule.kind == "deduction_flat":
            values[node.rule.field] = rng.random() < 0.1
    return values


def sample_answers(scheme, rng, *, has_procedures=True, level=0.85):
    """Engine answers ({code: {"values": …} or {"points": …}}) for the criteria a unit is scored on."""
    values = sample_values(scheme, rng, level=level)
    answers = {}
    for node in scheme.leaves:
        if node.rule is None or not node.applies(has_procedures) or node.is_substitute:
            continue
        if node.rule.manual:
            top = node.assessed_max
            share = Decimal(str(min(1.0, rng.uniform(level - 0.2, 1.0)))).quantize(Decimal("0.01"))
            answers[node.code] = {"points": str((top * share).quantize(Decimal("0.01")))}
        elif node.fields:
            answers[node.code] = {"values": {f.key: values[f.key] for f in node.fields}}
    return answers


def sample_unit(scheme, rng, code, **kwargs):
    has_procedures = kwargs.pop("has_procedures", True)
    return UnitInput(code=code, has_procedures=has_procedures,
                     answers=sample_answers(scheme, rng, has_procedures=has_procedures), **kwargs)
