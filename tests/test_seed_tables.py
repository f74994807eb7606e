"""The published tables, recomputed from their category/criterion points with the shipped sets.

Where a published figure disagrees with the set's own rules, the test asserts
what the rules give and names the disagreement.
"""

from decimal import Decimal

import pytest

from criteria.scoring import ScoringInputError, UnitInput, score_unit, score_units

from .seeds import DONGNAI_2012, TC5_2021, THAIBINH_2020, shipped_scheme

GROUPS = ["I", "II", "III", "IV", "V", "VI"]


def thaibinh_unit(row, **overrides):
    _rank, name, *points, _total, _index, _klass, has_procedures = row
    answers = {code: {"points": p} for code, p in zip(GROUPS, points, strict=True)}
    if not has_procedures:
        answers.pop("IV")
    answers.update(overrides)
    return UnitInput(code=name, name=name, block="so-nganh", has_procedures=has_procedures, answers=answers)


def test_thaibinh_rows_reproduced_except_the_known_anomaly():
    scheme = shipped_scheme("thaibinh-2020")
    rows = [r for r in THAIBINH_2020 if r[1] != "Văn phòng UBND tỉnh"]
    results = score_units(scheme, [thaibinh_unit(r) for r in rows])
    for row, result in zip(rows, results, strict=True):
        _rank, name, *_, total, index, klass, has_procedures = row
        assert result.total == Decimal(total), name
        assert result.max_points == (Decimal(498) if has_procedures else Decimal(398)), name
        assert result.score == Decimal(index), name
        assert result.classification == klass, name
    published_order = [r[1] for r in rows]
    ranked = sorted(results, key=lambda r: r.rank)
    assert [r.unit.name for r in ranked] == published_order
    assert [r.rank for r in ranked] == list(range(1, len(rows) + 1))


def test_thaibinh_van_phong_vi_55_of_50_is_an_input_error():
    """Published: Văn phòng UBND tỉnh scored 55 in VI (Nhân lực), whose maximum is 50."""
    scheme = shipped_scheme("thaibinh-2020")
    row = next(r for r in THAIBINH_2020 if r[1] == "Văn phòng UBND tỉnh")
    with pytest.raises(ScoringInputError) as exc:
        score_unit(scheme, thaibinh_unit(row))
    assert str(exc.value) == "Đơn vị Văn phòng UBND tỉnh, tiêu chí VI: điểm vượt điểm tối đa 50 (giá trị: 55)"


def test_thaibinh_with_van_phong_capped_at_the_maximum_moves_it_from_tot_to_kha():
    """What the rules allow at most (VI = 50): 337.7 / 398 = 0.848 → Khá, ranked 8th, not 6th as published."""
    scheme = shipped_scheme("thaibinh-2020")
    units = [thaibinh_unit(r, **({"VI": {"points": "50"}} if r[1] == "Văn phòng UBND tỉnh" else {}))
             for r in THAIBINH_2020]
    results = {r.unit.name: r for r in score_units(scheme, units)}
    vp = results["Văn phòng UBND tỉnh"]
    assert (vp.total, vp.max_points, vp.score, vp.classification) == (
        Decimal("337.7"), Decimal(398), Decimal("0.848"), "Khá")
    assert vp.rank == 8
    assert results["Sở Giao thông Vận tải"].rank == 6
    assert results["Sở Y tế"].rank == 7


def test_thaibinh_unit_without_procedures_cannot_score_iv():
    scheme = shipped_scheme("thaibinh-2020")
    row = next(r for r in THAIBINH_2020 if r[1] == "Sở Ngoại vụ")
    with pytest.raises(ScoringInputError, match="tiêu chí IV: tiêu chí không áp dụng"):
        score_unit(scheme, thaibinh_unit(row, IV={"points": "10"}))
    # The published table prints 0 in IV for such units: accepted, and still out of 398.
    result = score_unit(scheme, thaibinh_unit(row, IV={"points": "0"}))
    assert result.max_points == Decimal(398)
    assert not result.criteria["IV"].applicable


def test_thaibinh_iii_is_out_of_98_because_two_points_were_not_assessed():
    scheme = shipped_scheme("thaibinh-2020")
    row = THAIBINH_2020[0]
    with pytest.raises(ScoringInputError, match="tiêu chí III: điểm vượt điểm tối đa 98"):
        score_unit(scheme, thaibinh_unit(row, III={"points": "99"}))


def test_tc5_sheet_reproduced():
    scheme = shipped_scheme("tc5-2021")
    units = [UnitInput(code=str(no), name=name, block="so-nganh",
                       answers={f"TC{i}": {"points": p} for i, p in enumerate(points, 1)})
             for no, name, *points, total, score, klass in TC5_2021]
    for row, result in zip(TC5_2021, score_units(scheme, units), strict=True):
        _no, name, *_, total, score, klass = row
        assert result.total == Decimal(total), name
        assert result.score == Decimal(score), name
        assert result.classification == klass, name
    nv = next(r for r in score_units(scheme, units) if r.unit.name == "Sở Nội vụ")
    assert nv.band.reason == "Điểm đánh giá dưới 2,5"


def test_tc5_band_reason_as_printed():
    scheme = shipped_scheme("tc5-2021")
    result = score_unit(scheme, UnitInput("15", answers={f"TC{i}": {"points": "2.5"} for i in range(1, 6)}))
    assert (result.score, result.classification, result.band.reason) == (
        Decimal("2.50"), "A+", "Điểm đánh giá đạt từ 2,5 trở lên")


def test_dongnai_bands_from_points_and_the_180_disagreement():
    """Published: 180 points is A+ for Văn phòng UBND tỉnh and A for Sở Tài nguyên và Môi trường.
    The band rule (A+ from 180 to 220) gives A+ to both."""
    scheme = shipped_scheme("dongnai-2012")
    units = [UnitInput(code=str(no), name=name, block="so-nganh", answers={"TONG": {"points": p}})
             for no, name, p, klass in DONGNAI_2012]
    results = score_units(scheme, units)
    disagreements = []
    for (_no, name, points, published), result in zip(DONGNAI_2012, results, strict=True):
        assert result.total == Decimal(points)
        if result.classification != published:
            disagreements.append((name, points, published, result.classification))
    assert disagreements == [("Sở Tài nguyên và Môi trường", "180", "A", "A+")]
    by_name = {r.unit.name: r for r in results}
    assert by_name["Văn phòng UBND tỉnh"].rank == by_name["Sở Tài nguyên và Môi trường"].rank == 7
    assert by_name["Sở Tài Chính"].rank == 9
    assert by_name["Sở Công thương"].rank == by_name["Thanh tra tỉnh"].rank == 11
    assert by_name["Sở Ngoại vụ"].rank == 13


def test_dongnai_points_above_220_refused():
    scheme = shipped_scheme("dongnai-2012")
    with pytest.raises(ScoringInputError, match="điểm vượt điểm tối đa 220"):
        score_unit(scheme, UnitInput("X", answers={"TONG": {"points": "221"}}))
