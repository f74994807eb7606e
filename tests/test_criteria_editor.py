"""The criteria-set editor in the browser: tree, rule builder read back as sentences, the same
validation as the text form, history, difference from the previous version, activation."""

from decimal import Decimal

import pytest
from django.urls import reverse

from criteria import editor
from criteria.document import load_yaml
from criteria.models import CriteriaSet
from criteria.store import canonical_text, save_document

from .world import CRITERIA_YAML


def test_parameters_typed_as_text_round_trip():
    assert editor.parse_param("full_at", "90", kind="ratio", where="x") == Decimal("90")
    assert editor.parse_param("divisor", "0,5", kind="ratio", where="x") == Decimal("0.5")
    assert editor.parse_param("numerator", "a, b", kind="ratio", where="x") == ["a", "b"]
    assert editor.parse_param("points", "none: 0; some: 2", kind="choice", where="x") == {"none": 0, "some": 2}
    steps = editor.parse_param("steps", "4: 20; 3: 15", kind="count_steps", where="x")
    assert steps == [{"min": 4, "points": 20}, {"min": 3, "points": 15}]
    assert editor.format_param("steps", steps) == "4: 20; 3: 15"
    assert editor.format_param("divisor", Decimal("0.50")) == "0,5"
    with pytest.raises(editor.EditError, match="“ba mươi” không phải là số"):
        editor.parse_param("full_at", "ba mươi", kind="ratio", where="Tiêu chí I.1")


def test_tree_operations():
    document = load_yaml(CRITERIA_YAML)
    assert [c["code"] for c in document["criteria"]] == ["I", "II", "III"]
    assert editor.add(document) == "IV"
    assert editor.add(document, "IV") == "IV.1"
    editor.move(document, "I", 1)
    assert [c["code"] for c in document["criteria"]] == ["II", "I", "III", "IV"]
    editor.remove(document, "IV")
    assert "IV.1" not in editor.all_codes(document)
    with pytest.raises(editor.EditError, match="Không có tiêu chí mã “IX”"):
        editor.find(document, "IX")


@pytest.fixture
def draft(world):
    """Version 2 of the world's set, in draft, made the way an administrator makes it."""
    client = pytest.importorskip("django.test").Client()
    client.force_login(world.admin)
    used = world.form_a.criteria_set
    client.post(reverse("criteria:edit", args=[used.code, used.version]), {"action": "new_version"})
    return CriteriaSet.objects.get(code=used.code, version=used.version + 1), client


def test_a_used_set_is_not_edited_in_place(world, login):
    used = world.form_a.criteria_set
    client = login(world.admin)
    page = client.get(reverse("criteria:edit", args=[used.code, used.version])).content.decode()
    assert "Tạo phiên bản mới để sửa" in page
    before = canonical_text(used.document())
    refused = client.post(reverse("criteria:edit", args=[used.code, used.version]),
                          {"action": "remove", "target": "I.1"})
    assert refused.status_code == 400 and "Chỉ sửa được bản nháp" in refused.content.decode()
    assert canonical_text(used.document()) == before


def test_edit_a_criterion_with_the_rule_builder_then_export_and_load_identical(draft):
    criteria_set, client = draft
    url = reverse("criteria:edit", args=[criteria_set.code, criteria_set.version])
    page = client.get(url + "?tc=I.1").content.decode()
    assert 'name="param_full_at" value="90"' in page
    assert "Tỷ lệ có ngưỡng" in page
    node = {"action": "save_node", "code_before": "I.1", "code": "I.1", "title": "Tỷ lệ văn bản đến cập nhật vào phần mềm",
            "max": "4", "applies_to": "all", "documents": "Báo cáo thống kê văn bản đến", "note": "",
            "field_key_0": "docs_in", "field_label_0": "Tổng số văn bản đến", "field_kind_0": "count",
            "field_key_1": "docs_sw", "field_label_1": "Số văn bản đến cập nhật vào phần mềm", "field_kind_1": "count",
            "field_key_2": "", "field_label_2": "", "field_kind_2": "count",
            "rule_kind": "ratio", "param_numerator": "docs_sw", "param_denominator": "docs_in",
            "param_full_at": "80", "param_zero_below": "50", "param_divisor": "80"}
    # Live check: the rule read back as sentences, and problems named before saving.
    live = client.post(reverse("criteria:edit_check", args=[criteria_set.code, criteria_set.version]), node).json()
    assert live["problems"] == [] and any("80" in line for line in live["sentence"])
    bad = client.post(reverse("criteria:edit_check", args=[criteria_set.code, criteria_set.version]),
                      dict(node, param_numerator="khong_co")).json()
    assert bad["problems"] and "khong_co" in " ".join(bad["problems"])

    refused = client.post(url, dict(node, param_full_at="tám mươi"))
    assert refused.status_code == 400 and "“tám mươi” không phải là số" in refused.content.decode()
    client.post(url, node)
    criteria_set = CriteriaSet.objects.get(pk=criteria_set.pk)
    scheme = criteria_set.scheme()
    assert scheme.by_code["I.1"].max_points == Decimal("4")
    assert [f.key for f in scheme.by_code["I.1"].fields] == ["docs_in", "docs_sw"]  # the two dropped fields are gone
    revision = criteria_set.revisions.get()
    assert revision.summary == "Sửa tiêu chí I.1; tổng điểm tối đa theo đó là 21"
    assert revision.changed_by.username == "quantri"

    page = client.get(url).content.decode()
    assert "I.1</strong> Tỷ lệ văn bản đến cập nhật vào phần mềm — Thay đổi" in page
    assert "điểm tối đa: 3 → 4" in page

    text = client.get(reverse("criteria:yaml", args=[criteria_set.code, criteria_set.version])).content.decode()
    again, changed = save_document(load_yaml(text))
    assert (again.pk, changed) == (criteria_set.pk, False)
    assert canonical_text(again.document()) == text


def test_structure_changes_bands_and_activation(draft):
    criteria_set, client = draft
    url = reverse("criteria:edit", args=[criteria_set.code, criteria_set.version])
    client.post(url, {"action": "add_child", "target": "I"})
    criteria_set = CriteriaSet.objects.get(pk=criteria_set.pk)
    assert "I.6" in criteria_set.scheme().by_code
    # Not complete: the new criterion has no rule, so the set cannot be activated.
    refused = client.post(url, {"action": "activate"})
    assert refused.status_code == 400 and "chưa hoàn chỉnh" in refused.content.decode()
    client.post(url, {"action": "remove", "target": "I.6"})
    client.post(url, {"action": "save_bands", "band_label_0": "Tốt", "band_lower_0": "16", "band_upper_0": "",
                      "band_label_1": "Chưa tốt", "band_lower_1": "", "band_upper_1": "16"})
    criteria_set = CriteriaSet.objects.get(pk=criteria_set.pk)
    assert [b.label for b in criteria_set.scheme().bands] == ["Tốt", "Chưa tốt"]
    client.post(url, {"action": "activate"})
    criteria_set = CriteriaSet.objects.get(pk=criteria_set.pk)
    assert criteria_set.status == CriteriaSet.Status.ACTIVE
    assert list(criteria_set.revisions.values_list("number", flat=True)) == [3, 2, 1]


def test_only_administrators_edit(world, login):
    used = world.form_a.criteria_set
    for user in (world.staff_a, world.reviewer_a, world.leader):
        assert login(user).get(reverse("criteria:edit", args=[used.code, used.version])).status_code == 404


def test_impact_preview_rescoring_the_last_period_under_the_draft(draft):
    criteria_set, client = draft
    response = client.get(reverse("reports:impact", args=[criteria_set.code, criteria_set.version]))
    period = CriteriaSet.objects.get(code=criteria_set.code, version=1).periodcriteriaset_set.get().period
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reports:whatif', args=[period.pk])}?bo={criteria_set.pk}"
