"""Lào Cai QĐ 3299 specifics: the no-procedures rule (II.6), deductions, the district's commune section."""

from decimal import Decimal as D

import pytest

from criteria.scoring import ScoringInputError, UnitInput, score_unit

from .seeds import shipped_scheme

DOC_MGMT_FULL = {
    "I.4": {"values": {"subunits": 4, "lan_units": 4}},
    "II.1.1": {"values": {"docmgmt_units": 4}},
    "II.1.2": {"values": {"incoming_docs": 1000, "incoming_in_software": 950}},
    "II.1.3": {"values": {"outgoing_docs": 800, "outgoing_in_software": 780}},
    "II.1.4": {"values": {"outgoing_processed": 600}},
    "II.1.5": {"values": {"internal_docs": 100, "internal_electronic": 90}},
    "II.1.6": {"values": {}},
}


def test_unit_without_procedures_earns_ii6_from_its_document_management_ratio():
    scheme = shipped_scheme("laocai-2018-province")
    answers = dict(DOC_MGMT_FULL)
    answers["II.1.6"] = {"values": {"outgoing_electronic": 720}}
    result = score_unit(scheme, UnitInput("TT", "Thanh tra tỉnh", has_procedures=False, answers=answers))
    # II.1: 3 + 3 + 3 + (75 × 3 / 90 = 2.5) + 2 + 2 = 15.5 of 16 → II.6 = 15.5 / 16 × 21 = 20.34
    assert result.criteria["II.1"].points == D("15.5")
    assert result.criteria["II.6"].points == D("20.34")
    assert result.criteria["II.6"].max_points == 21
    assert result.criteria["II.6"].explanation == "Không có TTHC: 15,5 / 16 (mục II.1) × 21 = 20,34"
    assert not result.criteria["II.4"].applicable
    assert result.max_points == 100


def test_unit_with_procedures_is_scored_on_ii4_and_ii5_not_ii6():
    scheme = shipped_scheme("laocai-2018-province")
    answers = {"II.4.2": {"values": {"online34_with_cases_pct": "70"}}, "II.5.3": {"values": {"bcci_returned_pct": "20"}}}
    result = score_unit(scheme, UnitInput("STTTT", has_procedures=True, answers=answers))
    assert result.criteria["II.4.2"].points == D("2.63")  # 70 × 3 / 80 = 2.625 → 2.63
    # The source prints "từ 15% trở lên: 4" for this 3-point criterion: the points stop at 3.
    assert result.criteria["II.5.3"].points == 3
    assert not result.criteria["II.6"].applicable
    assert result.max_points == 100


def test_answers_for_a_section_a_unit_cannot_be_scored_on_are_refused():
    scheme = shipped_scheme("laocai-2018-province")
    with pytest.raises(ScoringInputError) as exc:
        score_unit(scheme, UnitInput("TT", "Thanh tra tỉnh", has_procedures=False,
                                     answers={"II.4.3": {"values": {"level3_cases_pct": "50"}}}))
    assert str(exc.value) == ("Đơn vị TT (Thanh tra tỉnh), tiêu chí II.4.3, trường 'Tỷ lệ hồ sơ TTHC được xử lý trực "
                              "tuyến mức độ 3 (%)': tiêu chí không áp dụng (chỉ áp dụng cho cơ quan có TTHC) (giá trị: 50)")


def test_deductions_of_section_v():
    scheme = shipped_scheme("laocai-2018-province")
    answers = {"IV.1": {"values": {"it_steering": True}}, "IV.2.1": {"values": {"plan_issued": "timely"}},
               "V.2": {"criteria": ["II.1.2", "I.1"]}, "V.3": {"values": {"free_webmail": True}}}
    result = score_unit(scheme, UnitInput("S", days_late=2, answers=answers))
    assert result.criteria["IV"].points == 7
    assert result.deductions == D("4.0")  # 2 days × 0.5 + 2 criteria × 0.5 + 2
    assert result.total == 3


def test_points_typed_over_a_computed_criterion_are_explained_and_bounded():
    scheme = shipped_scheme("laocai-2018-province")
    result = score_unit(scheme, UnitInput("S", answers={"I.1": {"points": "2,5"}}))
    assert result.criteria["I.1"].explanation == "Điểm nhập trực tiếp: 2,50 (thay cho điểm tính theo công thức)"
    with pytest.raises(ScoringInputError, match=r"tiêu chí I\.1: điểm vượt điểm tối đa 3"):
        score_unit(scheme, UnitInput("S", answers={"I.1": {"points": "3,5"}}))


def test_district_commune_section_and_renumbered_duplicate():
    scheme = shipped_scheme("laocai-2018-district")
    answers = {"V.4": {"values": {"communes": 20, "communes_with_lan": 14}},
               "V.7.3": {"values": {"communes_bcci": 18}},
               "II.7": {"values": {"oss_count": 5}}}
    result = score_unit(scheme, UnitInput("BT", "UBND huyện Bảo Thắng", block="huyen", answers=answers))
    assert result.criteria["V.4"].points == 1            # 70% → full
    assert result.criteria["V.7.3"].points == D("0.90")  # 90% × 1 / 100
    assert result.criteria["II.7"].points == 1           # printed maximum 2, highest branch gives 1
    assert result.criteria["V"].max_points == 20
    assert result.max_points == 100


def test_maxima_add_up_as_printed():
    for code in ("laocai-2018-province", "laocai-2018-district"):
        scheme = shipped_scheme(code)
        assert scheme.nominal_max == scheme.total_max == 100
    province = shipped_scheme("laocai-2018-province")
    assert [(n.code, n.max_points) for n in province.nodes if not n.is_deduction] == [
        ("I", 14), ("II", 62), ("III", 9), ("IV", 15)]
