import io
import json

import pytest
from django.core.management import CommandError, call_command

from .seeds import THAIBINH_2020


def run(*args):
    out = io.StringIO()
    call_command("score", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def thaibinh_input(tmp_path):
    units = []
    for rank, name, *points, _total, _index, _klass, has_procedures in THAIBINH_2020[:5]:
        answers = {code: {"points": p} for code, p in zip(["I", "II", "III", "IV", "V", "VI"], points, strict=True)}
        units.append({"code": f"U{rank}", "name": name, "block": "so-nganh", "has_procedures": has_procedures,
                      "days_late": 0, "answers": answers})
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"units": units[::-1]}, ensure_ascii=False), encoding="utf-8")
    return path


def test_json_output_numbers_as_strings_in_rank_order(shipped_sets, thaibinh_input):
    data = json.loads(run("thaibinh-2020", str(thaibinh_input)))
    assert data["criteria_set"] == "thaibinh-2020"
    first = data["results"][0]
    assert first == {"code": "U1", "name": "Sở Thông tin và Truyền thông", "block": "so-nganh",
                     "criteria": {"I": "50.00", "II": "99.10", "III": "98.00", "IV": "100.00", "V": "100.00", "VI": "50.00"},
                     "deductions": "0.00", "total": "497.10", "max": "498.00", "score": "0.998",
                     "classification": "Tốt", "rank": 1}
    assert [r["rank"] for r in data["results"]] == [1, 2, 3, 4, 5]


def test_table_output_in_vietnamese_format(shipped_sets, thaibinh_input):
    text = run("thaibinh-2020", str(thaibinh_input), "--format", "table")
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["Hạng", "Mã", "Đơn"]
    assert "497,10" in lines[2] and "0,998" in lines[2] and "Tốt" in lines[2]
    assert "(1, 2, 2, 4)" in text


def test_ties_share_a_rank(shipped_sets, tmp_path):
    units = [{"code": c, "block": "so-nganh", "answers": {"TONG": {"points": p}}}
             for c, p in [("A", "200"), ("B", "190"), ("C", "190"), ("D", "150")]]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"units": units}), encoding="utf-8")
    data = json.loads(run("dongnai-2012", str(path)))
    assert [(r["code"], r["rank"], r["classification"]) for r in data["results"]] == [
        ("A", 1, "A+"), ("B", 2, "A+"), ("C", 2, "A+"), ("D", 4, "B")]


def test_voluntary_units_are_shown_but_not_ranked(shipped_sets, tmp_path):
    units = [{"code": "A", "block": "so-nganh", "answers": {"TONG": {"points": "150"}}},
             {"code": "V", "block": "so-nganh", "voluntary": True, "answers": {"TONG": {"points": "210"}}}]
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"units": units}), encoding="utf-8")
    data = json.loads(run("dongnai-2012", str(path)))
    assert [(r["code"], r["rank"]) for r in data["results"]] == [("A", 1), ("V", None)]


def test_bad_input_scores_nothing_and_names_each_problem(shipped_sets, tmp_path):
    units = [{"code": "STTTT", "name": "Sở TTTT", "answers": {
        "II.1.2": {"values": {"incoming_docs": 100, "incoming_in_software": 120}},
        "II.1.3": {"values": {"outgoing_docs": "nhiều"}},
        "I.9": {"points": "1"},
        "I.1": {"points": "4"},
        "I.2": {"values": {"wifi": 3}}}},
        {"code": "OK", "answers": {}}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"units": units}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("laocai-2018-province", str(path))
    message = str(exc.value)
    assert "Dữ liệu có 5 lỗi, chưa chấm đơn vị nào" in message
    for expected in [
        "Đơn vị STTTT (Sở TTTT), tiêu chí II.1.2: tử số lớn hơn mẫu số",
        "Đơn vị STTTT (Sở TTTT), tiêu chí II.1.3, trường 'Tổng số văn bản đi của trụ sở chính và các đơn vị trực thuộc trong năm báo cáo': không phải là số hợp lệ (giá trị: nhiều)",
        "Đơn vị STTTT (Sở TTTT), tiêu chí I.9: mã tiêu chí không có trong bộ tiêu chí",
        "Đơn vị STTTT (Sở TTTT), tiêu chí I.1: điểm vượt điểm tối đa 3 (giá trị: 4)",
        "Đơn vị STTTT (Sở TTTT), tiêu chí I.2, trường 'wifi': trường số liệu không thuộc tiêu chí này (giá trị: 3)",
    ]:
        assert expected in message


def test_malformed_json_and_unknown_set(shipped_sets, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{\"units\": [", encoding="utf-8")
    with pytest.raises(CommandError, match="tệp JSON không đọc được"):
        run("tc5-2021", str(path))
    with pytest.raises(CommandError, match="Không có bộ tiêu chí 'khong-co'"):
        run("khong-co", str(path))


def test_a_draft_set_cannot_score(shipped_sets, tmp_path):
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"units": [{"code": "A", "answers": {}}]}), encoding="utf-8")
    with pytest.raises(CommandError, match="chưa đủ điểm tối đa, chưa thể chấm"):
        run("binhphuoc-2021-province", str(path))
