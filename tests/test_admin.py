"""The administrator's part of criteria sets and units."""

import pytest
from django.urls import reverse

from criteria.models import CriteriaSet, Criterion


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "qt@example.invalid", "mat-khau-quan-tri")
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["criteria_criteriaset", "criteria_criterion", "units_unit", "units_block"])
def test_changelists_load(shipped_sets, admin_client, name):
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_new_version_action_then_activate_refuses_an_incomplete_draft(shipped_sets, admin_client):
    draft = CriteriaSet.objects.get(code="binhphuoc-2021-province")
    response = admin_client.post(reverse("admin:criteria_criteriaset_changelist"),
                                 {"action": "make_active", "_selected_action": [draft.pk]}, follow=True)
    assert "Không kích hoạt được binhphuoc-2021-province v1: Tiêu chí 1: thiếu điểm tối đa" in response.content.decode()
    active = CriteriaSet.objects.current("tc5-2021")
    response = admin_client.post(reverse("admin:criteria_criteriaset_changelist"),
                                 {"action": "make_new_version", "_selected_action": [active.pk]}, follow=True)
    assert "Đã tạo tc5-2021 phiên bản 2 (nháp)." in response.content.decode()
    assert CriteriaSet.objects.get(code="tc5-2021", version=2).criteria.count() == 5


def test_criteria_of_an_active_set_are_read_only(shipped_sets, admin_client):
    criterion = Criterion.objects.get(criteria_set__code="tc5-2021", code="TC1")
    url = reverse("admin:criteria_criterion_change", args=[criterion.pk])
    response = admin_client.post(url, {"title": "Đổi", "code": "TC1", "order": 1, "criteria_set": criterion.criteria_set_id,
                                       "applies_to": "all", "fields-TOTAL_FORMS": 0, "fields-INITIAL_FORMS": 0})
    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.title == "Tiêu chí 1"


def test_a_bad_rule_in_a_draft_is_refused_with_its_message(shipped_sets, admin_client):
    criterion = Criterion.objects.get(criteria_set__code="binhphuoc-2021-province", code="1")
    url = reverse("admin:criteria_criterion_change", args=[criterion.pk])
    response = admin_client.post(url, {
        "criteria_set": criterion.criteria_set_id, "order": 1, "code": "1", "title": criterion.title,
        "max_points": "10", "applies_to": "all", "rule": '{"kind": "ratio", "percent": "p", "full_at": "90"}',
        "fields-TOTAL_FORMS": 0, "fields-INITIAL_FORMS": 0})
    assert "Tiêu chí 1: thiếu tham số &#x27;divisor&#x27;" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.rule == {"kind": "manual"}
    response = admin_client.post(url, {
        "criteria_set": criterion.criteria_set_id, "order": 1, "code": "1", "title": criterion.title,
        "max_points": "10", "applies_to": "all", "rule": '{"kind": "manual"}',
        "fields-TOTAL_FORMS": 0, "fields-INITIAL_FORMS": 0})
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.max_points == 10
