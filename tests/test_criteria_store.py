"""Criteria sets between their text form and the database."""

import io

import pytest
from django.core.management import CommandError, call_command

from criteria.document import DocumentError, load_yaml
from criteria.models import CriteriaSet, Criterion, FrozenCriteriaSetError
from criteria.store import activate, canonical_text, new_version, save_document

from .seeds import FIXTURES

SHIPPED = sorted(p.stem for p in FIXTURES.glob("*.yaml"))


def export(code, *args):
    out = io.StringIO()
    call_command("export_criteria", code, *args, stdout=out)
    return out.getvalue()


def test_all_seven_seed_schemes_are_shipped():
    assert SHIPPED == ["binhphuoc-2021-district", "binhphuoc-2021-province", "dongnai-2012",
                       "laocai-2018-district", "laocai-2018-province", "tc5-2021", "thaibinh-2020"]


@pytest.mark.parametrize("code", SHIPPED)
def test_load_export_load_is_identical(db, code):
    text = (FIXTURES / f"{code}.yaml").read_text(encoding="utf-8")
    call_command("load_criteria", str(FIXTURES / f"{code}.yaml"), stdout=io.StringIO())
    exported = export(code)
    assert exported == text
    CriteriaSet.objects.all().delete()
    save_document(load_yaml(exported))
    assert export(code) == text


def test_loading_twice_changes_nothing(shipped_sets):
    before = {(c.code, c.version, c.updated_at) for c in CriteriaSet.objects.all()}
    ids = set(Criterion.objects.values_list("id", flat=True))
    out = io.StringIO()
    call_command("load_criteria", str(FIXTURES), stdout=out)
    assert out.getvalue().count("không thay đổi") == len(SHIPPED)
    assert {(c.code, c.version, c.updated_at) for c in CriteriaSet.objects.all()} == before
    assert set(Criterion.objects.values_list("id", flat=True)) == ids


def test_shipped_sets_state(shipped_sets):
    status = dict(CriteriaSet.objects.values_list("code", "status"))
    assert status["binhphuoc-2021-province"] == status["binhphuoc-2021-district"] == "draft"
    assert {s for c, s in status.items() if not c.startswith("binhphuoc")} == {"active"}
    laocai = CriteriaSet.objects.current("laocai-2018-district").scheme()
    assert laocai.nominal_max == 100
    assert [n.code for n in laocai.nodes] == ["I", "II", "III", "IV", "V", "VI"]


def test_a_frozen_set_cannot_change(shipped_sets):
    criteria_set = CriteriaSet.objects.current("tc5-2021")
    criteria_set.freeze()
    document = criteria_set.document()
    document["criteria"][0]["max"] = 4
    document["total_max"] = 16
    with pytest.raises(FrozenCriteriaSetError, match="đã được sử dụng cho kỳ đánh giá"):
        save_document(document)
    criterion = criteria_set.criteria.get(code="TC1")
    criterion.title = "Đổi tên"
    with pytest.raises(FrozenCriteriaSetError):
        criterion.save()
    with pytest.raises(FrozenCriteriaSetError):
        criterion.delete()
    criteria_set.refresh_from_db()
    criteria_set.name = "Tên khác"
    with pytest.raises(FrozenCriteriaSetError):
        criteria_set.save()
    assert CriteriaSet.objects.current("tc5-2021").criteria.get(code="TC1").max_points == 3


def test_new_version_copies_and_old_version_scores_identically(shipped_sets):
    from criteria.scoring import UnitInput, score_unit

    old = CriteriaSet.objects.current("tc5-2021")
    old.freeze()
    unit = UnitInput("X", answers={f"TC{i}": {"points": "2.5"} for i in range(1, 6)})
    before = score_unit(old.scheme(), unit).score
    copy = new_version(old)
    assert (copy.version, copy.status, copy.is_frozen) == (2, "draft", False)
    document = copy.document()
    document["bands"][0]["lower"] = "2.6"
    document["bands"][1]["upper"] = "2.6"
    save_document(document)
    activate(CriteriaSet.objects.get(code="tc5-2021", version=2))
    old.refresh_from_db()
    assert old.status == "retired"
    assert CriteriaSet.objects.current("tc5-2021").version == 2
    assert score_unit(CriteriaSet.objects.get(code="tc5-2021", version=1).scheme(), unit).score == before
    assert score_unit(CriteriaSet.objects.current("tc5-2021").scheme(), unit).classification == "A"


def test_a_draft_without_maxima_cannot_be_activated(shipped_sets):
    draft = CriteriaSet.objects.get(code="binhphuoc-2021-province")
    with pytest.raises(DocumentError, match="Tiêu chí 1: thiếu điểm tối đa"):
        activate(draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_bad_document_lists_every_problem_and_writes_nothing(db, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("code: bad\nversion: 1\nname: Sai\nstatus: active\nblocks: [khong-co]\ncriteria:\n"
                    "- code: A\n  title: Một\n  max: 3\n  rule: {kind: ratio, percent: p, full_at: 90, divisor: 0}\n"
                    "- code: A\n  title: Trùng\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_criteria", str(path), stdout=io.StringIO())
    text = str(exc.value)
    assert "Tiêu chí A: 'divisor' phải lớn hơn 0" in text
    assert "Tiêu chí A: mã tiêu chí bị trùng" in text
    assert not CriteriaSet.objects.exists()


def test_unknown_block_is_named(db, tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text("code: b\nversion: 1\nname: B\nblocks: [khong-co]\ncriteria:\n- {code: A, title: A, max: 1, rule: {kind: manual}}\n",
                    encoding="utf-8")
    with pytest.raises(CommandError, match="Khối 'khong-co' chưa có trong hệ thống"):
        call_command("load_criteria", str(path), stdout=io.StringIO())


def test_malformed_yaml_names_the_line(db, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("code: x\ncriteria: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Tệp YAML không đọc được \(dòng"):
        call_command("load_criteria", str(path), stdout=io.StringIO())


def test_canonical_text_matches_export(shipped_sets):
    criteria_set = CriteriaSet.objects.current("laocai-2018-province")
    assert canonical_text(criteria_set.document()) == export("laocai-2018-province")
