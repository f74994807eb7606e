"""What a criteria set can declare: guidance, consistency checks, automatic fields, index on 1 000 points."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from criteria.document import DocumentError, dump_yaml, load_yaml, parse_document, to_document
from criteria.scoring import ScoringInputError, UnitInput, score_unit
from criteria.store import canonical_text, save_document
from tests import world as world_module
from tests.seeds import FIXTURES, shipped_scheme

D = Decimal


def _province_answers(**values):
    return {"III.3": {"values": {k: v for k, v in values.items() if k.startswith("it_") and k != "it_staff"}},
            "III.1": {"values": {"it_staff": values.get("it_staff", "1")}}}


def test_laocai_footnotes_are_the_sets_guidance_and_beside_the_figures():
    scheme = shipped_scheme("laocai-2018-province")
    assert scheme.guidance.splitlines()[0] == "+ Số liệu cung cấp tính đến ngày 15/11 của năm báo cáo;"
    assert "không bao gồm bảo vệ, lái xe, tạp vụ" in scheme.by_code["I.1"].guidance
    assert "bệnh viện, trường học" in scheme.by_code["I.4"].guidance
    district = shipped_scheme("laocai-2018-district")
    assert "Cơ quan nhà nước (CQNN) của huyện bao gồm" in district.guidance
    assert "không gồm cơ quan Đảng" in district.by_code["I.4"].guidance


def test_consistency_error_refuses_the_figures_naming_them():
    scheme = shipped_scheme("laocai-2018-province")
    answers = {"III.1": {"values": {"it_staff": "2"}},
               "III.3": {"values": {"it_postgrad": "1", "it_bachelor": "2", "it_college": "0", "it_vocational": "0"}}}
    with pytest.raises(ScoringInputError) as caught:
        score_unit(scheme, UnitInput("S", answers=answers))
    assert [str(p) for p in caught.value.problems] == [
        "Đơn vị S, tiêu chí III.3: Số cán bộ chuyên trách CNTT theo bằng cấp (III.3) không được vượt tổng số cán bộ "
        "chuyên trách CNTT (III.1) (3 ≤ 2 không đúng)"]
    answers["III.1"]["values"]["it_staff"] = "3"
    assert score_unit(scheme, UnitInput("S", answers=answers)).criteria["III.3"].points == 1
    # The compiled plan of the batch paths refuses the same figures with the same message.
    from criteria.plan import plan_for

    answers["III.1"]["values"]["it_staff"] = "2"
    plan = plan_for(scheme)
    assert [str(p) for p in plan.problems(UnitInput("S", answers=answers))] == [str(p) for p in caught.value.problems]
    with pytest.raises(ScoringInputError):
        plan.score_unit(UnitInput("S", answers=answers))


def test_consistency_warning_is_kept_with_the_result_and_printed_by_the_batch_command(shipped_sets, tmp_path, capsys):
    scheme = shipped_scheme("laocai-2018-province")
    answers = {"I.4": {"values": {"subunits": "4", "lan_units": "2"}}, "I.5": {"values": {"firewall_units": "3"}}}
    result = score_unit(scheme, UnitInput("S", answers=answers))
    assert result.warnings == ["Số đơn vị có tường lửa bảo vệ mạng LAN (I.5) lớn hơn số đơn vị có mạng LAN (I.4) "
                               "(3 ≤ 2 không đúng)"]
    assert result.criteria["I.5"].points == D("2.81")  # 75 % × 3 / 80: a warning does not change the score
    path = tmp_path / "units.json"
    path.write_text(json.dumps({"units": [{"code": "SXD", "name": "Sở Xây dựng", "block": "so-nganh",
                                           "answers": answers}]}),
                    encoding="utf-8")
    call_command("score", "laocai-2018-province", str(path), "--format", "json")
    captured = capsys.readouterr()
    assert "Cảnh báo — đơn vị SXD (Sở Xây dựng): Số đơn vị có tường lửa" in captured.err
    assert json.loads(captured.out)["results"][0]["warnings"][0].startswith("Số đơn vị có tường lửa")


def test_bad_checks_are_refused_when_the_set_is_read():
    document = load_yaml((FIXTURES / "laocai-2018-province.yaml").read_text(encoding="utf-8"))
    document["checks"] = [{"left": ["nope"], "op": "<=", "right": ["staff"], "level": "error"},
                          {"left": ["it_training"], "op": "≈", "right": ["staff"], "level": "loud"}]
    with pytest.raises(DocumentError) as caught:
        parse_document(document)
    assert caught.value.problems == [
        "Kiểm tra số liệu thứ 1: trường số liệu 'nope' không tồn tại",
        "Kiểm tra số liệu thứ 2: trường 'it_training' là kiểu choice, chỉ so sánh được số",
        "Kiểm tra số liệu thứ 2: phép so sánh '≈' không hợp lệ (có: <=, <, >=, >, ==)",
        "Kiểm tra số liệu thứ 2: mức 'loud' không hợp lệ (có: error, warning)",
    ]


def test_new_declarations_round_trip_through_the_database_exactly(db):
    text = (FIXTURES / "laocai-2018-province.yaml").read_text(encoding="utf-8")
    document = load_yaml(text)
    document["code"] = "laocai-round-trip"
    document["criteria"][0]["children"][0].update(
        method="100%: 3\nDưới 80%: 0", data_source="Báo cáo của đơn vị", verifier="Sở Nội vụ",
        automatic="Hệ thống báo cáo tỉnh")
    document["criteria"][0]["children"][0]["fields"][0]["automatic"] = "Bộ chỉ số 766"
    expected = dump_yaml(to_document(parse_document(document)))
    criteria_set, _ = save_document(document)
    assert canonical_text(criteria_set.document()) == expected
    scheme = criteria_set.scheme()
    i1 = scheme.by_code["I.1"]
    assert [f.automatic for f in i1.fields] == ["Bộ chỉ số 766"] + ["Hệ thống báo cáo tỉnh"] * 3
    assert scheme.checks == shipped_scheme("laocai-2018-province").checks


THOUSAND = """
code: dti-1000
version: 1
name: DTI cấp xã
status: active
headline: index
rounding: {points: 2, score: 4}
total_max: 1000
bands:
- {label: Tốt, lower: 0.8, upper: null}
- {label: Khá, lower: 0.65, upper: 0.8}
- {label: Trung bình, lower: 0.5, upper: 0.65}
- {label: Yếu, lower: null, upper: 0.5}
criteria:
- {code: '1', title: Nhận thức số, max: 400, rule: {kind: manual}}
- {code: '2', title: Thể chế số, max: 350, rule: {kind: manual}}
- {code: '3', title: Dịch vụ công, max: 250, applies_to: with_procedures, rule: {kind: manual}}
"""


def test_index_with_four_decimals_on_a_1000_point_scale_and_bands_on_it():
    scheme = parse_document(load_yaml(THOUSAND))
    result = score_unit(scheme, UnitInput("X", answers={"1": {"points": "345,67"}, "2": {"points": "298,1"},
                                                        "3": {"points": "151"}}))
    assert result.total == D("794.77") and result.max_points == 1000
    assert result.score == D("0.7948") and result.classification == "Khá"
    without = score_unit(scheme, UnitInput("Y", has_procedures=False,
                                           answers={"1": {"points": "345,67"}, "2": {"points": "298,1"}}))
    assert without.max_points == 750 and without.score == D("0.8584") and without.classification == "Tốt"


def test_guidance_and_warnings_where_the_unit_types(db, django_user_model, monkeypatch, client):
    monkeypatch.setattr(world_module, "CRITERIA_YAML", world_module.CRITERIA_YAML.replace(
        "criteria:\n", "guidance: |-\n  Số liệu tính đến ngày 15/11 của năm báo cáo.\n"
                       "checks:\n- {left: [docs_sw], op: '>=', right: [docs_in], level: warning, "
                       "message: Chưa cập nhật hết văn bản đến vào phần mềm}\n"
                       "criteria:\n", 1).replace(
        "    documents: Báo cáo thống kê văn bản đến\n",
        "    documents: Báo cáo thống kê văn bản đến\n    guidance: Không tính văn bản mật.\n"))
    w = world_module.build_world(django_user_model)
    client.force_login(w.staff_a)
    html = client.get(f"/phieu/{w.form_a.pk}/").content.decode()
    assert "Hướng dẫn của văn bản" in html and "Số liệu tính đến ngày 15/11 của năm báo cáo." in html
    assert "<strong>Hướng dẫn:</strong> Không tính văn bản mật." in html
    response = client.post(f"/phieu/{w.form_a.pk}/tinh-diem/", {"side": "self", "f__docs_in": "100",
                                                                "f__docs_sw": "100"})
    assert response.json()["consistency"] == []
    response = client.post(f"/phieu/{w.form_a.pk}/tinh-diem/", {"side": "self", "f__docs_in": "100",
                                                                "f__docs_sw": "90"})
    assert response.json()["consistency"] == ["Chưa cập nhật hết văn bản đến vào phần mềm (90 ≥ 100 không đúng)"]
    assert response.json()["criteria"]["I.1"]["points"] == "3,00"
    versions = {a.criterion.code: a.version for a in w.form_a.answers.select_related("criterion")}
    from assessment import workflow

    workflow.save_unit_answers(w.form_a, {"I.1": {"values": {"docs_in": "100", "docs_sw": "90"}}}, versions,
                               by=w.staff_a)
    html = client.get(f"/phieu/{w.form_a.pk}/").content.decode()
    assert "Số liệu chưa nhất quán" in html and "Chưa cập nhật hết văn bản đến vào phần mềm (90 ≥ 100" in html
