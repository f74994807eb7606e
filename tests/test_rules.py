"""Every rule kind, at and around each threshold, including rounding. No database."""

from decimal import Decimal as D

import pytest

from criteria.document import DocumentError, parse_document
from criteria.numbers import parse_number, vn
from criteria.scoring import ScoringInputError, UnitInput, score_unit


def scheme_with(rule, fields=(), max_points="3", extra=(), **doc):
    node = {"code": "A", "title": "Tiêu chí thử", "max": max_points, "rule": rule}
    if fields:
        node["fields"] = list(fields)
    return parse_document({"code": "t", "version": 1, "name": "Thử", "criteria": [node, *extra], **doc})


def count(key, label=None):
    return {"key": key, "label": label or key, "kind": "count"}


def score(scheme, values=None, **unit):
    answers = {"A": {"values": values}} if values is not None else {}
    answers.update(unit.pop("answers", {}))
    return score_unit(scheme, UnitInput("U", "Đơn vị thử", answers=answers, **unit))


RATIO = {"kind": "ratio", "numerator": ["got"], "denominator": ["total"], "full_at": "90", "zero_below": "70",
         "divisor": "90"}


@pytest.mark.parametrize(("got", "points", "branch"), [
    (100, "3.00", "≥ 90% → 3"),
    (90, "3.00", "≥ 90% → 3"),
    (89, "2.97", "89 × 3 / 90 = 2,97"),      # 2.9666… rounds half-up to 2.97
    (78, "2.60", "78 × 3 / 90 = 2,60"),
    (70, "2.33", "70 × 3 / 90 = 2,33"),
    (69, "0.00", "< 70% → 0"),
    (0, "0.00", "< 70% → 0"),
])
def test_ratio_thresholds(got, points, branch):
    scheme = scheme_with(RATIO, [count("got"), count("total")])
    result = score(scheme, {"got": got, "total": 100})
    assert result.criteria["A"].points == D(points)
    assert branch in result.criteria["A"].explanation


def test_ratio_just_below_threshold_is_not_shown_as_the_threshold():
    scheme = scheme_with(RATIO, [count("got"), count("total")])
    result = score(scheme, {"got": 69999, "total": 100000})
    assert result.criteria["A"].points == 0
    assert result.criteria["A"].explanation == "69.999 / 100.000 = 69,99% < 70% → 0"


def test_ratio_rounding_half_up_at_the_second_decimal():
    # 80.25 × 3 / 90 = 2.675 exactly → 2.68 (half-up, not banker's 2.67); 85 × 3 / 90 = 2.833… → 2.83
    percent_rule = {"kind": "ratio", "percent": "p", "full_at": "90", "zero_below": "70", "divisor": "90"}
    scheme = scheme_with(percent_rule, [{"key": "p", "label": "Tỷ lệ", "kind": "percent"}])
    assert score(scheme, {"p": "80,25"}).criteria["A"].points == D("2.68")
    assert score(scheme, {"p": "85"}).criteria["A"].points == D("2.83")


def test_ratio_without_lower_bound_scales_from_zero():
    rule = {"kind": "ratio", "percent": "p", "full_at": "10", "divisor": "10"}
    scheme = scheme_with(rule, [{"key": "p", "label": "Tỷ lệ", "kind": "percent"}])
    assert score(scheme, {"p": "5"}).criteria["A"].points == D("1.50")
    assert score(scheme, {"p": "0"}).criteria["A"].points == 0
    assert score(scheme, {"p": "10"}).criteria["A"].points == 3


def test_ratio_all_or_nothing_when_thresholds_meet():
    rule = {"kind": "ratio", "numerator": ["got"], "denominator": ["total"], "full_at": "100",
            "zero_below": "100", "divisor": "100"}
    scheme = scheme_with(rule, [count("got"), count("total")])
    assert score(scheme, {"got": 40, "total": 40}).criteria["A"].points == 3
    assert score(scheme, {"got": 39, "total": 40}).criteria["A"].points == 0


def test_ratio_numerator_above_denominator_is_an_input_error():
    scheme = scheme_with(RATIO, [count("got", "Số văn bản cập nhật"), count("total", "Tổng số văn bản")])
    with pytest.raises(ScoringInputError) as exc:
        score(scheme, {"got": 120, "total": 100})
    assert str(exc.value) == ("Đơn vị U (Đơn vị thử), tiêu chí A: tử số lớn hơn mẫu số 'Tổng số văn bản' "
                              "(giá trị: 120 > 100)")


def test_ratio_may_exceed_caps_at_full_points():
    rule = {**RATIO, "may_exceed": True, "full_at": "100", "zero_below": "80", "divisor": "100"}
    scheme = scheme_with(rule, [count("got"), count("total")])
    assert score(scheme, {"got": 130, "total": 100}).criteria["A"].points == 3


def test_ratio_zero_denominator_named():
    # 0 of 0 ("không phát sinh") is scored as the set declares (tests/test_zero_of_zero.py); a
    # numerator over a zero denominator is still an input error.
    scheme = scheme_with(RATIO, [count("got"), count("total", "Tổng số đơn vị")])
    with pytest.raises(ScoringInputError, match="mẫu số 'Tổng số đơn vị' bằng 0"):
        score(scheme, {"got": 1, "total": 0})


def test_linear_branch_above_maximum_is_capped():
    # divisor below the full threshold: 95 × 3 / 90 = 3.17 would overshoot a 3-point criterion
    rule = {"kind": "ratio", "percent": "p", "full_at": "100", "zero_below": "70", "divisor": "90"}
    scheme = scheme_with(rule, [{"key": "p", "label": "Tỷ lệ", "kind": "percent"}])
    result = score(scheme, {"p": "95"})
    assert result.criteria["A"].points == 3
    assert result.criteria["A"].explanation.endswith("= 3,17, vượt điểm tối đa → 3")


def test_yes_no():
    scheme = scheme_with({"kind": "yes_no", "field": "x"}, [{"key": "x", "label": "Có", "kind": "yes_no"}], "2")
    assert score(scheme, {"x": True}).criteria["A"].points == 2
    assert score(scheme, {"x": "Có"}).criteria["A"].points == 2
    assert score(scheme, {"x": "không"}).criteria["A"].points == 0
    assert score(scheme, {}).criteria["A"].explanation == "Chưa trả lời → 0"
    with pytest.raises(ScoringInputError, match="phải là Có hoặc Không"):
        score(scheme, {"x": "có lẽ"})


CHOICE_FIELD = {"key": "plan", "label": "Kế hoạch", "kind": "choice",
                "choices": [{"value": "timely", "label": "Kịp thời"}, {"value": "late", "label": "Muộn"},
                            {"value": "none", "label": "Không ban hành"}]}


def test_choice_levels():
    rule = {"kind": "choice", "field": "plan", "points": {"timely": 4, "late": 2, "none": 0}}
    scheme = scheme_with(rule, [CHOICE_FIELD], "4")
    assert score(scheme, {"plan": "timely"}).criteria["A"].points == 4
    assert score(scheme, {"plan": "Muộn"}).criteria["A"].explanation == "Muộn → 2"
    assert score(scheme, {"plan": "none"}).criteria["A"].points == 0
    with pytest.raises(ScoringInputError, match="không phải một lựa chọn hợp lệ"):
        score(scheme, {"plan": "sometimes"})


def test_choice_must_price_every_option():
    with pytest.raises(DocumentError, match="điểm phải khai báo cho đúng các lựa chọn"):
        scheme_with({"kind": "choice", "field": "plan", "points": {"timely": 4}}, [CHOICE_FIELD], "4")


@pytest.mark.parametrize(("n", "points"), [(0, 0), (1, 1), (2, 2), (7, 2)])
def test_count_steps(n, points):
    rule = {"kind": "count_steps", "fields": ["m"], "steps": [{"min": 2, "points": 2}, {"min": 1, "points": 1}]}
    scheme = scheme_with(rule, [count("m", "Số cuộc họp")], "2")
    assert score(scheme, {"m": n}).criteria["A"].points == points


def test_count_steps_money_and_cap():
    rule = {"kind": "count_steps", "fields": ["b"], "steps": [{"min": 200000000, "points": 4}, {"min": 1, "points": 1}]}
    scheme = scheme_with(rule, [{"key": "b", "label": "Ngân sách", "kind": "money"}], "2")
    result = score(scheme, {"b": "200.000.000"})
    assert result.criteria["A"].points == 2
    assert result.criteria["A"].explanation == "200.000.000 ≥ 200.000.000 → 4, vượt điểm tối đa → 2"
    assert score(scheme, {"b": "199.999.999"}).criteria["A"].points == 1
    assert score(scheme, {"b": 0}).criteria["A"].points == 0


@pytest.mark.parametrize(("uses", "points"), [(200, "0.00"), (250, "1.00"), (375, "1.50"), (500, "2.00"),
                                              (700, "2.00"), (751, "2.00")])
def test_rate_per_day_floor_and_cap(uses, points):
    rule = {"kind": "rate_per_day", "field": "uses", "days_field": "days", "floor": 1, "full_above": 3}
    scheme = scheme_with(rule, [count("uses"), count("days")], "2")
    assert score(scheme, {"uses": uses, "days": 250}).criteria["A"].points == D(points)


def test_rate_per_day_needs_working_days():
    rule = {"kind": "rate_per_day", "field": "uses", "days_field": "days", "floor": 1, "full_above": 3}
    scheme = scheme_with(rule, [count("uses"), count("days", "Số ngày làm việc")], "2")
    with pytest.raises(ScoringInputError, match="số ngày làm việc phải lớn hơn 0"):
        score(scheme, {"uses": 5, "days": 0})


def test_manual_points_validated():
    scheme = scheme_with({"kind": "manual"}, max_points="3")
    assert score(scheme, answers={"A": {"points": "2,87"}}).criteria["A"].points == D("2.87")
    for bad, message in [("3.01", "điểm vượt điểm tối đa 3"), ("-1", "điểm không được âm"),
                         ("2.875", "tối đa 2 chữ số thập phân"), ("abc", "điểm không phải là số hợp lệ")]:
        with pytest.raises(ScoringInputError, match=message):
            score(scheme, answers={"A": {"points": bad}})


DEDUCTIONS = [{"code": "D", "title": "Trừ điểm", "children": [
    {"code": "D.1", "title": "Muộn", "rule": {"kind": "deduction_per_day", "per_day": "0.5"}},
    {"code": "D.2", "title": "Số liệu kém", "rule": {"kind": "deduction_per_criterion", "per_criterion": "0.5"}},
    {"code": "D.3", "title": "Thư miễn phí", "fields": [{"key": "gmail", "label": "Dùng gmail", "kind": "yes_no"}],
     "rule": {"kind": "deduction_flat", "field": "gmail", "points": 2}},
]}]


def test_deductions_per_day_per_criterion_and_flat():
    scheme = scheme_with({"kind": "manual"}, max_points="10", extra=DEDUCTIONS)
    result = score(scheme, days_late=3, answers={"A": {"points": "8"}, "D.2": {"criteria": ["A"]},
                                                 "D.3": {"values": {"gmail": True}}})
    assert result.deductions == D("4.0")
    assert result.total == D("4.0")
    assert result.max_points == 10
    assert result.criteria["D.1"].explanation == "Nộp muộn 3 ngày × 0,5 = trừ 1,5"
    assert result.criteria["D.2"].explanation == "1 tiêu chí (A) × 0,5 = trừ 0,5"


def test_deductions_never_take_the_total_below_zero():
    scheme = scheme_with({"kind": "manual"}, max_points="10", extra=DEDUCTIONS)
    result = score(scheme, days_late=30, answers={"A": {"points": "1"}})
    assert result.total == 0
    assert result.raw_total == D("-14.0")


def test_deduction_flags_must_name_scored_criteria():
    scheme = scheme_with({"kind": "manual"}, max_points="10", extra=DEDUCTIONS)
    with pytest.raises(ScoringInputError, match=r"tiêu chí D\.2: không phải mã một tiêu chí được chấm điểm"):
        score(scheme, answers={"D.2": {"criteria": ["Z"]}})


def test_negative_days_late_refused():
    scheme = scheme_with({"kind": "manual"}, max_points="10", extra=DEDUCTIONS)
    with pytest.raises(ScoringInputError, match="số ngày nộp muộn phải là số nguyên không âm"):
        score(scheme, days_late=-1)


@pytest.mark.parametrize(("kind", "raw", "message"), [
    ("count", "1,5", "phải là số nguyên"),
    ("count", "-3", "không được âm"),
    ("count", "mười", "không phải là số hợp lệ"),
    ("percent", "101", "phải từ 0 đến 100"),
    ("money", "1.000,5", "phải là số nguyên"),
    ("date", "31/02/2021", "không phải ngày hợp lệ"),
    ("yes_no", "2", "phải là Có hoặc Không"),
])
def test_bad_value_for_every_field_kind(kind, raw, message):
    fields = [{"key": "v", "label": "Giá trị", "kind": kind}, count("n")]
    scheme = scheme_with({"kind": "count_steps", "fields": ["n"], "steps": [{"min": 1, "points": 1}]}, fields, "1")
    with pytest.raises(ScoringInputError) as exc:
        score(scheme, {"v": raw})
    assert f"Đơn vị U (Đơn vị thử), tiêu chí A, trường 'Giá trị': {message}" in str(exc.value)
    assert f"(giá trị: {raw})" in str(exc.value)


def test_float_values_are_refused_not_rounded():
    scheme = scheme_with({"kind": "manual"}, max_points="3")
    with pytest.raises(ScoringInputError, match="không phải là số hợp lệ"):
        score(scheme, answers={"A": {"points": 2.87}})


def test_all_problems_reported_at_once():
    scheme = scheme_with(RATIO, [count("got"), count("total")])
    with pytest.raises(ScoringInputError) as exc:
        score(scheme, {"got": "x", "total": -1}, answers={"B": {"points": 1}})
    assert len(exc.value.problems) == 3


@pytest.mark.parametrize(("raw", "integer", "value"), [
    ("2,87", False, "2.87"), ("2.87", False, "2.87"), ("1.234.567", True, "1234567"),
    ("1 234", True, "1234"), ("1.234", True, "1234"), ("1.234,5", False, "1234.5"), ("78%", False, "78"),
])
def test_parse_vietnamese_numbers(raw, integer, value):
    assert parse_number(raw, integer=integer) == D(value)


def test_vietnamese_number_text():
    assert vn(D("2.87")) == "2,87"
    assert vn(D("1234567")) == "1.234.567"
    assert vn(D("0.998"), 3) == "0,998"
    assert vn(D("3.000")) == "3"


@pytest.mark.parametrize(("document_change", "message"), [
    ({"rule": {"kind": "ratio", "percent": "p", "full_at": "50", "zero_below": "70", "divisor": "90"}},
     "cần 0 ≤ zero_below (70) ≤ full_at (50) ≤ 100"),
    ({"rule": {"kind": "nonsense"}}, "loại quy tắc 'nonsense' không tồn tại"),
    ({"rule": {"kind": "ratio", "percent": "missing", "full_at": "50", "divisor": "50"}},
     "quy tắc dùng trường số liệu 'missing' không tồn tại"),
    ({"rule": {"kind": "count_steps", "fields": ["p"], "steps": [{"min": 1, "points": 1}]}},
     "trường 'p' là kiểu percent, quy tắc cần count hoặc money"),
    ({"max": "-1"}, "không được âm"),
])
def test_rule_validation_when_a_set_is_loaded(document_change, message):
    node = {"code": "A", "title": "Thử", "max": "3", "fields": [{"key": "p", "label": "Tỷ lệ", "kind": "percent"}],
            "rule": {"kind": "ratio", "percent": "p", "full_at": "90", "divisor": "90"}} | document_change
    with pytest.raises(DocumentError) as exc:
        parse_document({"code": "t", "version": 1, "name": "Thử", "status": "active", "criteria": [node]})
    assert any(message in p for p in exc.value.problems), exc.value.problems


def test_overlapping_bands_refused():
    with pytest.raises(DocumentError, match="các khoảng phải nối tiếp nhau"):
        scheme_with({"kind": "manual"}, bands=[{"label": "A", "lower": 2, "upper": None},
                                               {"label": "B", "lower": None, "upper": "2.5"}])


def test_substitute_ratio_whose_source_is_a_single_criterion():
    """A unit without procedures earns, in place of B, B's maximum times its share of A: A is one
    criterion, not a group (this used to parse and then fail with KeyError when scored)."""
    yes = {"kind": "yes_no", "field": "b_done"}
    document = {"code": "t", "version": 1, "name": "Thử", "criteria": [
        {"code": "A", "title": "Nguồn", "max": "4", "rule": RATIO, "fields": [count("got"), count("total")]},
        {"code": "B", "title": "Có TTHC", "max": "2", "applies_to": "with_procedures", "rule": yes,
         "fields": [{"key": "b_done", "label": "Đã làm", "kind": "yes_no"}]},
        {"code": "C", "title": "Thay thế", "applies_to": "without_procedures",
         "rule": {"kind": "substitute_ratio", "source": "A", "replaces": ["B"]}},
    ]}
    scheme = parse_document(document)
    answers = {"A": {"values": {"got": 80, "total": 100}}}
    result = score_unit(scheme, UnitInput("U", "Đơn vị thử", has_procedures=False, answers=answers))
    # A: 80 × 4 / 90 = 3,56 of 4; C: 3,56 / 4 × 2 = 1,78
    assert result.criteria["A"].points == D("3.56")
    assert result.criteria["C"].points == D("1.78")
    assert result.criteria["C"].explanation == "Không có TTHC: 3,56 / 4 (mục A) × 2 = 1,78"
    assert not result.criteria["B"].applicable
    assert result.total == D("5.34")
    with_procedures = score_unit(scheme, UnitInput("V", "Đơn vị có TTHC", answers={
        **answers, "B": {"values": {"b_done": "có"}}}))
    assert with_procedures.criteria["C"].points == 0
    assert with_procedures.total == D("5.56")


@pytest.mark.parametrize(("kind", "raw", "message"), [
    ("count", "99.999.999.999.999.999.999.999", "phải từ 0 đến 1.000.000.000.000"),
    ("count", "1e309", "phải từ 0 đến"),
    ("money", "1" + "0" * 40, "phải từ 0 đến"),
    ("date", "01/01/3000", "phải từ 01/01/1900 đến 31/12/2100"),
])
def test_each_field_kind_refuses_figures_outside_its_sane_range(kind, raw, message):
    """Issue #9 bug 8: an absurd figure is refused with a message, not accepted silently."""
    scheme = scheme_with({"kind": "manual"}, [{"key": "x", "label": "Số máy chủ", "kind": kind}])
    with pytest.raises(ScoringInputError, match=message) as caught:
        score(scheme, {"x": raw})
    assert caught.value.problems[0].key == "x"


def test_field_kinds_and_rule_kinds_are_registered_by_name():
    from criteria.fields import FIELD_KINDS, KINDS
    from criteria.rules import RULE_KINDS

    assert set(FIELD_KINDS) == set(KINDS) == {"count", "percent", "money", "date", "yes_no", "choice", "text"}
    assert all(RULE_KINDS[name].kind == name for name in RULE_KINDS)
