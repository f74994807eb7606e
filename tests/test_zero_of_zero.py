"""Ratios of 0 over 0 ("không phát sinh") and points held to printed levels."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from criteria.document import DocumentError, load_yaml, parse_document
from criteria.scoring import ScoringInputError, UnitInput, score_unit, score_units
from tests.seeds import shipped_scheme

D = Decimal

SET = """
code: zoz
version: 1
name: Thử 0/0
status: active
headline: index
rounding: {points: 2, score: 4}
criteria:
- code: A
  title: Hồ sơ cấp xã được xử lý trên phần mềm
  max: 4
  fields:
  - {key: done, label: Số hồ sơ xử lý trên phần mềm, kind: count}
  - {key: cases, label: Tổng số hồ sơ phát sinh, kind: count}
  rule: {kind: ratio, numerator: [done], denominator: [cases], full_at: 100, divisor: 100%s}
- code: B
  title: Cán bộ an toàn thông tin
  max: 2
  rule: {kind: levels, levels: [0, 2]}
- code: C
  title: Kế hoạch
  max: 4
  rule: {kind: manual}
"""


def _scheme(reading=""):
    return parse_document(load_yaml(SET % (f", zero_of_zero: {reading}" if reading else "")))


def _zero_of_zero(scheme, **more):
    answers = {"A": {"values": {"done": "0", "cases": "0"}}, "B": {"points": "2"}, "C": {"points": "3"}}
    return score_unit(scheme, UnitInput("X", answers=answers, **more))


def test_undeclared_zero_of_zero_scores_zero_explains_and_flags_the_reviewer():
    result = _zero_of_zero(_scheme())
    a = result.criteria["A"]
    assert a.points == 0 and a.max_points == 4
    assert a.explanation == "không phát sinh (0/0) → 0 điểm"
    assert a.needs_review
    assert result.total == 5 and result.max_points == 10 and result.score == D("0.5")
    assert _scheme().by_code["A"].describe(_scheme().fields)[-1] == (
        "Không phát sinh (0/0): 0 điểm (bộ tiêu chí chưa quy định; thẩm định viên xem lại).")


def test_each_declared_reading_of_zero_of_zero():
    zero = _zero_of_zero(_scheme("zero"))
    assert (zero.criteria["A"].points, zero.max_points, zero.criteria["A"].needs_review) == (0, 10, False)
    assert zero.criteria["A"].explanation == "không phát sinh (0/0) → 0 điểm (theo bộ tiêu chí)"
    full = _zero_of_zero(_scheme("full"))
    assert (full.criteria["A"].points, full.total, full.score) == (4, 9, D("0.9"))
    assert full.criteria["A"].explanation == "không phát sinh (0/0) → 4 điểm (theo bộ tiêu chí)"
    dropped = _zero_of_zero(_scheme("not_applicable"))
    a = dropped.criteria["A"]
    assert (a.points, a.max_points, a.applicable) == (0, 0, False)
    assert (dropped.total, dropped.max_points, dropped.score) == (5, 6, D("0.8333"))
    assert a.explanation == "không phát sinh (0/0) → không áp dụng: điểm tối đa áp dụng giảm 4 (theo bộ tiêu chí)"


def test_a_zero_denominator_under_a_positive_numerator_is_still_refused():
    with pytest.raises(ScoringInputError, match=r"mẫu số 'Tổng số hồ sơ phát sinh' bằng 0 nhưng tử số là 3"):
        score_unit(_scheme("full"), UnitInput("X", answers={"A": {"values": {"done": "3", "cases": "0"}}}))


def test_zero_of_zero_never_stops_the_batch(shipped_sets, tmp_path, capsys):
    units = [{"code": "X", "block": "so-nganh", "answers": {
        "II.1.5": {"values": {"internal_docs": 0, "internal_electronic": 0}},
        "II.1.2": {"values": {"incoming_docs": 0, "incoming_in_software": 0}}}},
        {"code": "Y", "block": "so-nganh", "answers": {"II.1.5": {"values": {"internal_docs": 10,
                                                                           "internal_electronic": 10}}}}]
    path = tmp_path / "u.json"
    path.write_text(json.dumps({"units": units}), encoding="utf-8")
    call_command("score", "laocai-2018-province", str(path), "--format", "json")
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    assert rows["X"]["criteria"]["II.1.5"] is None  # not applicable: dropped from X's maximum
    assert rows["X"]["criteria"]["II.1.2"] == "0.00"
    assert rows["X"]["max"] == "98.00" and rows["Y"]["max"] == "100.00"
    assert rows["Y"]["criteria"]["II.1.5"] == "2.00"


def test_the_shipped_readings_of_zero_of_zero():
    province = shipped_scheme("laocai-2018-province")
    declared = {n.code: n.rule.zero_of_zero for n in province.leaves
                if n.rule and n.rule.kind == "ratio" and n.rule.numerator}
    assert [c for c, r in declared.items() if r == "not_applicable"] == ["II.1.5", "II.2.1", "II.2.2"]
    assert declared["I.1"] is None and declared["II.1.2"] == "zero"
    district = shipped_scheme("laocai-2018-district")
    assert district.by_code["V.7.2"].rule.zero_of_zero == "not_applicable"
    results = score_units(district, [UnitInput("H", answers={"V.7.2": {"values": {
        "commune_cases": "0", "commune_cases_in_software": "0"}}})])
    assert results[0].max_points == 98


def test_levels_hold_typed_points_to_the_printed_levels():
    scheme = _scheme()
    result = score_unit(scheme, UnitInput("X", answers={"B": {"points": "2"}}))
    assert result.criteria["B"].points == 2
    with pytest.raises(ScoringInputError, match=r"tiêu chí B: điểm chỉ được là một trong các mức 0; 2"):
        score_unit(scheme, UnitInput("X", answers={"B": {"points": "1"}}))
    laocai = shipped_scheme("laocai-2018-province")
    assert laocai.by_code["III.2"].rule.kind == "levels"
    assert laocai.by_code["III.2"].describe(laocai.fields) == ["Người chấm chọn một trong các mức: 0; 2 điểm."]
    with pytest.raises(ScoringInputError, match=r"tiêu chí III.2: điểm chỉ được là một trong các mức 0; 2"):
        score_unit(laocai, UnitInput("X", answers={"III.2": {"points": "1,5"}}))
    # IV.2.1 is a choice of the printed levels; a reviewer typing over it keeps to them too.
    with pytest.raises(ScoringInputError, match=r"tiêu chí IV.2.1: điểm chỉ được là một trong các mức 0; 2; 4"):
        score_unit(laocai, UnitInput("X", answers={"IV.2.1": {"points": "3"}}))


def test_bad_declarations_are_refused():
    with pytest.raises(DocumentError, match="'zero_of_zero' là một trong zero, full, not_applicable"):
        _scheme("sometimes")
    with pytest.raises(DocumentError, match="mức 3 lớn hơn điểm tối đa 2"):
        parse_document(load_yaml(SET.replace("levels: [0, 2]", "levels: [0, 3]") % ""))
    with pytest.raises(DocumentError, match="'levels' phải liệt kê ít nhất hai mức điểm"):
        parse_document(load_yaml(SET.replace("levels: [0, 2]", "levels: [2]") % ""))
