"""Next year's period from this one: sets, participants, assignments, dates, last year's figures."""

from django.urls import reverse

from assessment import workflow
from assessment.models import Assessment, Period, ReviewerAssignment
from criteria.diff import diff_documents
from criteria.document import load_yaml
from criteria.models import CriteriaSet
from criteria.store import save_document

from .world import CRITERIA_YAML, answer, approved


def _next_set():
    """Version 2 of the test set: I.2's maximum changes, I.5 is dropped, I.6 is new."""
    document = load_yaml(CRITERIA_YAML)
    document["version"] = 2
    group = document["criteria"][0]["children"]
    i2 = next(c for c in group if c["code"] == "I.2")
    i2["max"] = 4
    removed = next(c for c in group if c["code"] == "I.5")
    group.remove(removed)
    group.append({"code": "I.6", "title": "Có cổng thông tin điện tử", "max": 3,
                  "fields": [{"key": "has_portal", "label": "Có cổng thông tin", "kind": "yes_no"}],
                  "rule": {"kind": "yes_no", "field": "has_portal"}})
    document["total_max"] = document["total_max"] + 1 - 3 + 3
    criteria_set, _ = save_document(document)
    return criteria_set


def test_diff_names_added_removed_and_changed_criteria(world):
    old = world.form_a.criteria_set
    new = _next_set()
    diff = diff_documents(old.document(), new.document())
    kinds = {c.code: c.kind for c in diff.changes}
    assert kinds == {"I.2": "changed", "I.5": "removed", "I.6": "added"}
    assert diff.by_code["I.2"].details == ["điểm tối đa: 3 → 4"]


def test_carry_forward_copies_the_period_a_year_later_with_newer_sets(world, login):
    approved(world, world.form_a, world.staff_a, change="900")
    new_set = _next_set()
    new_set.status = CriteriaSet.Status.ACTIVE
    new_set.save()
    client = login(world.admin)
    page = client.get(reverse("assessment:carry_forward", args=[world.period.pk]))
    text = page.content.decode()
    assert "I.6 — Tiêu chí mới" in text and "I.5 — Bỏ tiêu chí" in text
    refused = client.post(reverse("assessment:carry_forward", args=[world.period.pk]), {"start_from_previous": "on"})
    assert "Hãy đánh dấu xác nhận" in refused.content.decode()
    assert not Period.objects.filter(carried_from=world.period).exists()

    client.post(reverse("assessment:carry_forward", args=[world.period.pk]),
                {"start_from_previous": "on", "confirm": "on"})
    new = Period.objects.get(carried_from=world.period)
    assert new.year == world.period.year + 1 and new.status == Period.Status.DRAFT
    assert new.deadline == world.period.deadline.replace(year=world.period.deadline.year + 1)
    assert set(new.participants.all()) == set(world.period.participants.all())
    assert new.criteria_sets.get().criteria_set == new_set
    assert ReviewerAssignment.objects.filter(period=new).count() == 2
    # A second carry-forward of the same period is refused.
    again = client.post(reverse("assessment:carry_forward", args=[world.period.pk]), {"confirm": "on"}, follow=True)
    assert "đã được tạo từ kỳ này" in again.content.decode()

    # Opening the new period: unit A starts from last year's verified figures where the criterion kept its fields.
    client.post(reverse("assessment:open_period", args=[new.pk]))
    form = Assessment.objects.get(period=new, unit=world.form_a.unit)
    i1 = answer(form, "I.1")
    assert i1.values["docs_sw"] == "900" and i1.is_carried  # the reviewer's figure, not the unit's 950
    assert answer(form, "I.6").values == {}
    page = login(world.staff_a).get(reverse("assessment:form", args=[form.pk])).content.decode()
    assert "số liệu năm trước" in page and "Tiêu chí mới" in page

    changes = {"I.1": {"values": dict(i1.values, docs_sw="910"), "points": None, "note": "", "explanation": "x"}}
    workflow.save_unit_answers(form, changes, {"I.1": i1.version}, by=world.staff_a)
    assert not answer(form, "I.1").is_carried


def test_assignments_in_the_browser_by_full_name(world, login):
    client = login(world.admin)
    url = reverse("assessment:assignments", args=[world.period.pk])
    page = client.get(url).content.decode()
    assert "Phạm Minh Đức (thamdinh.b)" in page and "Trần Thị Lan" in page
    bad = client.post(url, {"action": "add", "reviewer": world.reviewer_b.pk})
    assert "Chọn một đơn vị hoặc cả một khối" in bad.content.decode()
    client.post(url, {"action": "add", "reviewer": world.reviewer_b.pk, "unit": world.form_a.unit.pk})
    assert ReviewerAssignment.objects.filter(period=world.period, reviewer=world.reviewer_b).count() == 2
    assert Assessment.objects.visible_to(world.reviewer_b).filter(pk=world.form_a.pk).exists()
    assignment = ReviewerAssignment.objects.get(period=world.period, reviewer=world.reviewer_b, unit=world.form_a.unit)
    client.post(url, {"action": "remove", "assignment": assignment.pk})
    assert not Assessment.objects.visible_to(world.reviewer_b).filter(pk=world.form_a.pk).exists()
    assert client.post(url, {"action": "remove", "assignment": "abc"}).status_code == 302
    assert login(world.reviewer_a).get(url).status_code == 404
