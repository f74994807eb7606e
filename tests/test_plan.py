"""The compiled plan gives the engine's numbers and the engine's problems, on random input, for every
shipped criteria set."""

import functools
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.batch import results_json, results_json_text
from criteria.document import load_yaml, parse_document
from criteria.plan import Plan, plan_for
from criteria.samples import sample_answers
from criteria.scoring import ScoringInputError, UnitInput, score_unit, score_units

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "criteria"
SETS = sorted(p.stem for p in FIXTURES.glob("*.yaml"))


@functools.cache
def load(name):
    return parse_document(load_yaml((FIXTURES / f"{name}.yaml").read_text("utf-8")))


ODD_VALUES = [None, "", "  ", 0, 1, -1, 7, 10**12, 10**20, 10**30, "12", "1.234", "1.234.567", "2,5", "2.5",
              "99,99", "100", "101", "0", "-3", "mười", "1e3", "NaN", "Infinity", True, False, "Có", "không", "x",
              Decimal("33.3333"), Decimal("0.005"), Decimal("2.5"), Decimal("1E+3"), 2.5, [], {}, "2025-12-15",
              "15/12/2025", "31/02/2025", "a" * 4001, "khác", "l1", "L2"]


def noisy_value(rng, field, clean):
    """Mostly the sample's value, sometimes a nearby figure, sometimes an odd one."""
    roll = rng.random()
    if roll < 0.7:
        return clean
    if roll < 0.85 and isinstance(clean, int) and not isinstance(clean, bool):
        return rng.choice([0, 1, clean // 2, clean * 3, rng.randint(0, 10**rng.randint(1, 12)), str(clean),
                           f"{clean:,}".replace(",", "."), Decimal(clean) / 3])
    if roll < 0.9 and field.kind == "choice":
        return rng.choice([c[1] for c in field.choices] + [c[0] for c in field.choices])
    return rng.choice(ODD_VALUES)


def random_unit(scheme, rng, i, *, bad_rate):
    has_procedures = rng.random() < 0.7
    if scheme.is_complete:
        answers = sample_answers(scheme, rng, has_procedures=has_procedures, level=rng.uniform(0.2, 1.1))
    else:  # a draft set: nothing can be scored, every unit is refused the same way
        answers = {n.code: {"points": str(rng.randint(0, 3))} for n in scheme.leaves if n.rule is not None}
    bad = rng.random() < bad_rate
    for code, answer in list(answers.items()):
        node = scheme.by_code[code]
        if "values" in answer and rng.random() < 0.5:
            answer["values"] = {k: (noisy_value(rng, node.field_map[k], v) if bad else v)
                                for k, v in answer["values"].items()}
            if not bad and rng.random() < 0.2:  # gaps score 0
                answer["values"].pop(rng.choice(list(answer["values"])))
        if bad and rng.random() < 0.1:
            answer["points"] = rng.choice([*ODD_VALUES, "1", "0.5", "0.125", str(node.assessed_max or 0)])
        if rng.random() < 0.05:
            del answers[code]
    for node in scheme.leaves:
        if node.rule is None:
            continue
        if node.rule.manual and rng.random() < 0.3:
            top = node.assessed_max or Decimal(0)
            answers[node.code] = {"points": rng.choice([str(top), "0", format(top / 3, ".2f"), format(top / 2, ".1f")])}
        if node.rule.kind == "deduction_per_criterion":
            scored = [n.code for n in scheme.leaves if not n.is_deduction and n.rule is not None]
            answers[node.code] = {"criteria": rng.sample(scored, rng.randint(0, min(3, len(scored))))}
            if bad and rng.random() < 0.3:
                answers[node.code]["criteria"] += rng.choice([["KHONG"], [scored[0], scored[0]], [node.code]])
        if bad and not has_procedures and node.effective_applies == "with_procedures" and node.fields \
                and rng.random() < 0.2:
            answers[node.code] = {"values": {node.fields[0].key: 5}}
    if bad and rng.random() < 0.2:
        answers[rng.choice(["KHONG.CO", scheme.nodes[0].code])] = {"values": {}}
    if bad and rng.random() < 0.1:
        code = rng.choice(list(answers) or [scheme.leaves[0].code])
        answers[code] = rng.choice([[], "x", {"values": [1]}, {"values": {"khong_co": 1}}, {"diem": 1}, None])
    days = rng.choice([0, 0, 0, 1, 3, 12]) if not bad or rng.random() < 0.8 else rng.choice([-1, "2", True, 10**12])
    return UnitInput(code=f"U{i}", name=f"Đơn vị {i}", block=rng.choice(["huyen", "xa"]),
                     has_procedures=has_procedures, voluntary=rng.random() < 0.05, days_late=days, answers=answers)


def assert_same(scheme, units):
    plan = Plan(scheme)
    try:
        expected = score_units(scheme, units)
    except ScoringInputError as exc:
        with pytest.raises(ScoringInputError) as got:
            plan.score_units(units)
        assert [str(p) for p in got.value.problems] == [str(p) for p in exc.problems]
        return "bad"
    results = plan.score_units(units)
    assert len(results) == len(expected)
    for mine, theirs in zip(results, expected, strict=True):
        assert mine.unit is theirs.unit
        assert (mine.total, mine.deductions, mine.raw_total, mine.max_points) == \
               (theirs.total, theirs.deductions, theirs.raw_total, theirs.max_points), mine.unit.code
        assert str(mine.score) == str(theirs.score)
        assert (mine.classification, mine.rank) == (theirs.classification, theirs.rank)
        assert list(mine.criteria) == list(theirs.criteria)
        for code, theirs_c in theirs.criteria.items():
            mine_c = mine.criteria[code]
            assert (mine_c.points, mine_c.max_points, mine_c.applicable) == \
                   (theirs_c.points, theirs_c.max_points, theirs_c.applicable), (mine.unit.code, code)
    assert results_json_text(scheme, results) == results_json_text(scheme, expected)
    return "good"


@pytest.mark.parametrize("name", SETS)
def test_plan_matches_engine_on_seeded_random_units(name):
    scheme = load(name)
    rng = random.Random(f"plan-{name}")
    outcomes = []
    for batch in range(30):
        units = [random_unit(scheme, rng, i, bad_rate=0.0 if batch % 2 else 0.05) for i in range(rng.randint(1, 12))]
        outcomes.append(assert_same(scheme, units))
    if scheme.is_complete:
        assert "good" in outcomes and "bad" in outcomes
    else:
        assert set(outcomes) == {"bad"}


@pytest.mark.parametrize("name", SETS)
def test_plan_matches_engine_unit_by_unit(name):
    """One unit at a time, so that every bad unit's own problems are compared too."""
    scheme = load(name)
    plan = plan_for(scheme)
    rng = random.Random(f"one-{name}")
    for i in range(150):
        unit = random_unit(scheme, rng, i, bad_rate=0.5)
        try:
            expected = score_unit(scheme, unit)
        except ScoringInputError as exc:
            with pytest.raises(ScoringInputError) as got:
                plan.score_unit(unit)
            assert [str(p) for p in got.value.problems] == [str(p) for p in exc.problems]
            continue
        mine = plan.score_unit(unit)
        assert (mine.total, str(mine.score), mine.classification) == \
               (expected.total, str(expected.score), expected.classification)
        assert {c: (r.points, r.applicable) for c, r in mine.criteria.items()} == \
               {c: (r.points, r.applicable) for c, r in expected.criteria.items()}


figures = st.one_of(st.integers(min_value=0, max_value=10**10), st.integers(min_value=0, max_value=500),
                    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False).map(str))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_ratio_rounding_on_awkward_figures(data):
    """Figures chosen to land near thresholds and half cents: the integer path and the engine agree."""
    scheme = load("laocai-2018-district")
    rng = random.Random(data.draw(st.integers(0, 10**6)))
    answers = sample_answers(scheme, rng)
    for answer in answers.values():
        for key in answer.get("values", {}):
            field = scheme.fields[key]
            if field.kind in ("count", "money"):
                answer["values"][key] = data.draw(figures)
            elif field.kind == "percent":
                answer["values"][key] = data.draw(st.one_of(st.integers(0, 100),
                                                            st.decimals(0, 100, places=4, allow_nan=False).map(str)))
    assert_same(scheme, [UnitInput(code="A", answers=answers)])


def test_json_text_is_what_json_dumps_writes():
    import json

    scheme = load("laocai-2018-province")
    rng = random.Random(5)
    units = [u for u in (random_unit(scheme, rng, i, bad_rate=0) for i in range(80)) if not plan_for(scheme).problems(u)]
    units[0].name = 'Tên có "ngoặc kép" \\ và \u2028 lạ\x01'
    results = score_units(scheme, units)
    assert results_json_text(scheme, results) == json.dumps(results_json(scheme, results), ensure_ascii=False,
                                                            indent=2)
    assert results_json_text(scheme, plan_for(scheme).score_units(units)) == \
        json.dumps(results_json(scheme, results), ensure_ascii=False, indent=2)
