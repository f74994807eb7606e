"""Results and criteria in and out of Excel through django-import-export."""

import tablib

from assessment.resources import ResultResource
from criteria.document import load_yaml
from criteria.models import Criterion
from criteria.resources import CriterionResource
from criteria.store import save_document

from .world import CRITERIA_YAML, approved


def test_results_export_one_row_per_unit(world):
    approved(world, world.form_a, world.staff_a)
    data = ResultResource().export()
    rows = {r["Mã đơn vị"]: r for r in data.dict}
    assert rows["STTTT"]["Trạng thái"] == "Đã phê duyệt" and rows["STTTT"]["Xếp loại"] == "Tốt"
    assert rows["STTTT"]["Tổng điểm thẩm định"] == "19.000" and rows["SNV"]["Trạng thái"] == "Đang điền"
    assert rows["STTTT"]["Bộ tiêu chí"] == "kiem-thu v1"


def draft_v2():
    document = load_yaml(CRITERIA_YAML)
    document["version"], document["status"] = 2, "draft"
    return save_document(document)[0]


def test_criteria_round_trip_changes_only_draft_sets(world):
    draft = draft_v2()
    exported = CriterionResource().export(queryset=Criterion.objects.filter(criteria_set=draft))
    assert "Mã tiêu chí" in exported.headers and len(exported) == 11
    table = tablib.Dataset(headers=exported.headers)
    for row in exported.dict:
        if row["Mã tiêu chí"] == "I.1":
            row["Tiêu chí"] = "Tỷ lệ văn bản đến được số hoá"
        table.append([row[h] for h in exported.headers])
    dry = CriterionResource().import_data(table, dry_run=True)
    assert not dry.has_errors() and Criterion.objects.get(criteria_set=draft, code="I.1").title.startswith("Tỷ lệ văn bản đến được cập")
    CriterionResource().import_data(table, dry_run=False)
    assert Criterion.objects.get(criteria_set=draft, code="I.1").title == "Tỷ lệ văn bản đến được số hoá"
    frozen = tablib.Dataset(headers=exported.headers)
    frozen.append(["kiem-thu", 1, *[exported.dict[1][h] for h in exported.headers[2:]]])
    result = CriterionResource().import_data(frozen, dry_run=True)
    assert result.has_errors() or result.has_validation_errors()
    errors = " ".join(str(e.error) for _, errs in result.row_errors() for e in errs)
    assert "không phải bản nháp" in errors
