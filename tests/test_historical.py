"""Past published tables: imported exactly as printed, units matched by name with a review step,
and audited against the criteria set's own rules."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from reports.historical import audit, match_units, read_table
from reports.models import Publication
from units.models import Block, Unit

from .seeds import FIXTURES, shipped_scheme

HISTORY = FIXTURES.parent / "history"
ARGS = {"thaibinh-2020": ["--year", "2020", "--name", "Đánh giá năm 2020 (Thái Bình)", "--number", "06/QĐ-UBND",
                          "--date", "2021-01-05", "--issuer", "UBND tỉnh Thái Bình", "--place", "Thái Bình"],
        "tc5-2021": ["--year", "2021", "--name", "Phiếu đánh giá 2021", "--number", "…/STTTT-VP",
                     "--date", "2021-11-30", "--issuer", "Sở Thông tin và Truyền thông", "--place", "Bình Phước"],
        "dongnai-2012": ["--year", "2012", "--name", "Đánh giá năm 2012 (Đồng Nai)", "--number", "1186/STTT",
                         "--date", "2012-12-07", "--issuer", "Sở Thông tin và Truyền thông", "--place", "Đồng Nai"]}


def rows(code):
    return read_table((HISTORY / f"{code}.csv").read_bytes(), f"{code}.csv", shipped_scheme(code))


def run(code, *extra):
    out = io.StringIO()
    call_command("import_results", str(HISTORY / f"{code}.csv"), "--criteria", code, *ARGS[code], *extra, stdout=out)
    return out.getvalue()


def test_audit_finds_the_known_anomalies_and_nothing_else():
    assert audit(shipped_scheme("thaibinh-2020"), rows("thaibinh-2020")) == [
        (7, "Văn phòng UBND tỉnh", "điểm nhóm VI vượt điểm tối đa", "55", "≤ 50")]
    assert audit(shipped_scheme("dongnai-2012"), rows("dongnai-2012")) == [
        (9, "Sở Tài nguyên và Môi trường", "xếp loại không đúng mức (từ 180 trở lên)", "A", "A+")]
    assert audit(shipped_scheme("tc5-2021"), rows("tc5-2021")) == []


def test_audit_names_totals_indexes_classes_and_ranks_that_do_not_follow():
    scheme = shipped_scheme("thaibinh-2020")
    table = rows("thaibinh-2020")
    table[0].total, table[1].figure, table[2].classification = "490", "0.960", "Khá"
    table[3].rank, table[4].rank = "5", "4"
    found = {(f[0], f[2]) for f in audit(scheme, table)}
    assert {(2, "tổng điểm khác tổng các nhóm"), (3, "chỉ tiêu xếp hạng không khớp tổng điểm"),
            (4, "xếp loại không đúng mức (từ 0,85 trở lên)"), (5, "thứ hạng ngược thứ tự điểm")} <= found


def test_near_names_need_review_exact_ones_match(shipped_sets):
    block = Block.objects.get(code="so-nganh")
    labour = Unit.objects.create(code="SLDTBXH", name="Sở Lao động – Thương binh và Xã hội", block=block)
    health = Unit.objects.create(code="SYT", name="Sở Y tế", block=block)
    matches = match_units(["Sở Lao động TBXH", "Sở Y Tế", "Sở Du lịch"], Unit.objects.all())
    assert matches["Sở Y Tế"][:2] == ("exact", health)
    assert matches["Sở Lao động TBXH"] == ("near", labour, 100)  # same once TBXH is spelled out: a person confirms
    assert matches["Sở Du lịch"][0] == "new"


def test_import_stops_for_near_matches_then_keeps_figures_exactly(shipped_sets, django_user_model):
    django_user_model.objects.create_superuser("quantri", password="x")
    block = Block.objects.get(code="so-nganh")
    Unit.objects.create(code="SLDTBXH", name="Sở Lao động - Thương binh và Xã hội tỉnh", block=block)
    with pytest.raises(CommandError, match="Cần xác nhận các tên gần giống"):
        run("thaibinh-2020")
    assert not Publication.objects.exists()
    output = run("thaibinh-2020", "--dry-run", "--match", "Sở Lao động TBXH=SLDTBXH")
    assert "Dòng 7 (Văn phòng UBND tỉnh): điểm nhóm VI vượt điểm tối đa: công bố 55, theo quy tắc ≤ 50" in output
    assert "Chạy thử: không ghi gì." in output and not Publication.objects.exists()
    run("thaibinh-2020", "--match", "Sở Lao động TBXH=SLDTBXH")
    item = Publication.objects.get()
    assert item.period.status == "closed" and item.period.year == 2020
    table = {r["unit_name"]: r for r in item.document["blocks"][0]["rows"]}
    assert table["Văn phòng UBND tỉnh"]["groups"]["VI"] == "55" and table["Văn phòng UBND tỉnh"]["rank"] == 6
    assert table["Văn phòng UBND tỉnh"]["score"] == "0.861" and table["Sở Lao động TBXH"]["unit_code"] == "SLDTBXH"
    assert item.document["imported"]["audit"] == [[7, "Văn phòng UBND tỉnh", "điểm nhóm VI vượt điểm tối đa", "55", "≤ 50"]]
    assert Unit.objects.filter(name="Sở Ngoại vụ", is_active=False).exists()  # created, not active today


def test_all_three_seed_tables_import(shipped_sets, django_user_model):
    django_user_model.objects.create_superuser("quantri", password="x")
    for code in ARGS:
        run(code, "--accept-near")
    assert Publication.objects.count() == 3
    dongnai = Publication.objects.get(period__year=2012).document["blocks"][0]["rows"]
    assert [(r["unit_name"], r["total"], r["classification"]) for r in dongnai[6:8]] == [
        ("Văn phòng UBND tỉnh", "180", "A+"), ("Sở Tài nguyên và Môi trường", "180", "A")]
    assert Publication.objects.get(period__year=2021).document["blocks"][0]["rows"][0]["score"] == "2.67"
    assert Decimal(Publication.objects.get(period__year=2020).document["blocks"][0]["rows"][0]["total"]) == Decimal("497.1")


def test_bad_table_is_refused_with_where_and_why(shipped_sets, tmp_path, django_user_model):
    django_user_model.objects.create_superuser("quantri", password="x")
    broken = tmp_path / "hong.csv"
    broken.write_text("Xếp hạng,Đơn vị,I,II\n1,Sở A,50,chín mươi\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 2, cột II: không phải là số hợp lệ"):
        call_command("import_results", str(broken), "--criteria", "thaibinh-2020", *ARGS["thaibinh-2020"])
    missing = tmp_path / "thieu.csv"
    missing.write_text("STT,Tên,Điểm\n1,Sở A,3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="thiếu cột “Đơn vị”"):
        call_command("import_results", str(missing), "--criteria", "tc5-2021", *ARGS["tc5-2021"])
    assert not Publication.objects.exists() and not Unit.objects.filter(code__startswith="H2020").exists()
