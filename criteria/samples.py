"""Plausible figures for any criteria set: for the demo, the benchmarks and tests.

Pure and deterministic for a given random generator. Each ratio's numerator is
kept at or below its denominator, so every sample scores without a problem.
"""

from decimal import Decimal


def sample_values(scheme, rng, *, level=0.85):
    """{field key: value} for every field; ``level`` is roughly the share achieved on ratios."""
    values = {}
    for key, field in scheme.fields.items():
        values[key] = field.field_kind.sample(field, rng, level)
    rules = [n.rule for n in scheme.leaves if n.rule is not None]
    linked = [r for r in rules if r.sample_in_passes]
    for _ in range(len(linked)):  # a numerator can be another ratio's denominator: settle in passes
        for rule in linked:
            rule.settle_sample(values, rng, level)
    for rule in rules:
        if not rule.sample_in_passes:
            rule.settle_sample(values, rng, level)
    for check in scheme.checks:  # the set's consistency checks of level "error" hold too
        if check.level != "error" or check.op not in ("<=", "<"):
            continue
        right = sum(values[k] for k in check.right)
        if sum(values[k] for k in check.left) > right - (1 if check.op == "<" else 0):
            share = max(0, right - (1 if check.op == "<" else 0)) // len(check.left)
            for key in check.left:
                values[key] = share
    return values


def sample_answers(scheme, rng, *, has_procedures=True, level=0.85):
    """Engine answers ({code: {"values": …} or {"points": …}}) for the criteria a unit is scored on."""
    values = sample_values(scheme, rng, level=level)
    answers = {}
    for node in scheme.leaves:
        if node.rule is None or not node.applies(has_procedures) or node.is_substitute:
            continue
        levels = node.rule.allowed_points(node) if node.rule.manual else None
        if levels:
            # Points held to printed levels: the top level mostly, as units at ``level`` would score.
            chosen = levels[-1] if rng.random() < level else rng.choice(levels)
            answers[node.code] = {"points": str(chosen)}
        elif node.rule.manual:
            top = node.assessed_max
            share = Decimal(str(min(1.0, rng.uniform(level - 0.2, 1.0)))).quantize(Decimal("0.01"))
            answers[node.code] = {"points": str((top * share).quantize(Decimal("0.01")))}
        elif node.fields:
            answers[node.code] = {"values": {f.key: values[f.key] for f in node.fields}}
    return answers
