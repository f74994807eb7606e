"""The superuser flag is not a role, and the admin cannot undo the workflow behind its back:
history is read-only (no revert), statuses are read-only, an opened period's dates, sets and
participants change only through named verbs that record a reason."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment import workflow
from assessment.models import Assessment, Period
from assessment.roles import Role
from reports import signing
from reports.models import Publication, Remarks
from units.models import Unit

from .world import answer, approved, submitted


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.invalid", "mat-khau-quan-tri-goc")


def test_superuser_without_a_role_cannot_fill_review_approve_publish_or_sign(world, root, profile, client):
    form_a = submitted(world)  # waiting for review
    form_b = world.form_b  # a draft: the unit's to fill
    client.force_login(root)
    for perm, obj in (("assessment.edit_form", form_b), ("assessment.review_form", form_a),
                      ("assessment.comment_form", form_a), ("reports.publish", None), ("reports.sign", None),
                      ("reports.edit_remarks", form_a)):
        assert not root.has_perm(perm, obj), perm
    assert root.has_perm("assessment.view_form", form_a)  # administrators still see everything
    assert root.has_perm("assessment.reopen_form", form_a)

    i1 = answer(form_b, "I.1")
    html = client.post(reverse("assessment:form", args=[form_b.pk]),
                       {"f__I.1__docs_in": "5", "v__I.1": i1.version, "action": "save"}, follow=True).content.decode()
    assert "Bạn không sửa được phiếu này." in html
    assert answer(form_b, "I.1").values == i1.values
    response = client.post(reverse("assessment:review", args=[form_a.pk]), {"action": "accept"})
    assert response.status_code in (302, 403)
    assert Assessment.objects.get(pk=form_a.pk).status == Assessment.Status.SUBMITTED
    workflow.accept_review(form_a, by=world.reviewer_a)
    client.post(reverse("assessment:approve", args=[form_a.pk]))
    assert Assessment.objects.get(pk=form_a.pk).status == Assessment.Status.REVIEWED
    assert client.post(reverse("reports:publish", args=[world.period.pk]),
                       {"profile": profile.pk, "date": "2021-01-05", "number": "1/QĐ"}).status_code == 403
    assert client.post(reverse("reports:remarks", args=[form_a.pk]), {"strengths": "x"}).status_code == 403
    assert not Remarks.objects.exists()

    workflow.approve(form_a, by=world.leader)
    from reports.snapshot import publish

    item = publish(world.period, profile, by=world.leader, number="15/QĐ-STTTT", date=datetime.date(2021, 1, 5))
    assert client.post(reverse("reports:upload_signed", args=[item.pk]),
                       {"file": SimpleUploadedFile("x.pdf", bytes(item.pdf))}).status_code == 403
    assert client.post(reverse("reports:seal", args=[item.pk])).status_code == 403
    assert not Publication.objects.get(pk=item.pk).signed_sha256

    root.groups.add(Group.objects.get(name=Role.LEADER))  # holding the role, the account may act in it
    root = type(root).objects.get(pk=root.pk)
    assert root.has_perm("reports.publish") and root.has_perm("reports.sign")


def test_admin_history_has_no_revert(world, client, django_user_model):
    approved(world, world.form_a, world.staff_a)
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.invalid", "mat-khau-goc-123"))
    first = world.form_a.history.order_by("history_id").first()
    assert first.status == Assessment.Status.DRAFT
    url = reverse("admin:assessment_assessment_simple_history", args=[world.form_a.pk, first.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "Revert" not in page.content.decode() and "Khôi phục" not in page.content.decode()
    assert client.post(url, {"status": "draft"}).status_code == 403
    assert Assessment.objects.get(pk=world.form_a.pk).status == Assessment.Status.APPROVED
    period_first = world.period.history.order_by("history_id").first()
    url = reverse("admin:assessment_period_simple_history", args=[world.period.pk, period_first.history_id])
    assert client.post(url, {"name": "x", "status": "draft"}).status_code == 403
    assert Period.objects.get(pk=world.period.pk).status == Period.Status.OPEN


def test_status_and_opened_period_fields_are_read_only_in_the_admin(world, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.invalid", "mat-khau-goc-123"))
    url = reverse("admin:assessment_period_change", args=[world.period.pk])
    html = client.get(url).content.decode()
    for name in ("status", "deadline", "opens_on", "data_cutoff", "participants"):
        assert f'name="{name}"' not in html, name
    assert "Điều chỉnh thời hạn hoặc thêm đơn vị" in html
    deadline = world.period.deadline
    client.post(url, {"name": "Đổi tên", "deadline": "2099-01-01", "status": "draft",
                      "criteria_sets-TOTAL_FORMS": "0", "criteria_sets-INITIAL_FORMS": "0",
                      "reviewer_assignments-TOTAL_FORMS": "0", "reviewer_assignments-INITIAL_FORMS": "0"})
    period = Period.objects.get(pk=world.period.pk)
    assert (period.deadline, period.status) == (deadline, Period.Status.OPEN)
    html = client.get(reverse("admin:assessment_assessment_change", args=[world.form_a.pk])).content.decode()
    assert 'name="status"' not in html
    html = client.get(reverse("admin:assessment_period_add")).content.decode()
    assert 'name="deadline"' in html and 'name="status"' not in html


def test_opened_period_changes_through_verbs_with_a_reason(world, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.invalid", "mat-khau-goc-123"))
    url = reverse("admin:assessment_period_adjust", args=[world.period.pk])
    new_deadline = world.period.deadline + datetime.timedelta(days=7)
    html = client.post(url, {"deadline": new_deadline.isoformat(), "reason": ""}).content.decode()
    assert "Trường này là bắt buộc" in html or "bắt buộc" in html
    assert Period.objects.get(pk=world.period.pk).deadline == world.period.deadline
    newcomer = Unit.objects.create(code="SYT", name="Sở Y tế", block=world.form_a.unit.block)
    response = client.post(url, {"deadline": new_deadline.isoformat(), "unit": newcomer.pk,
                                 "reason": "UBND tỉnh gia hạn theo Công văn 123/UBND"}, follow=True)
    assert "đã điều chỉnh" in response.content.decode()
    period = Period.objects.get(pk=world.period.pk)
    assert period.deadline == new_deadline
    assert Assessment.objects.filter(period=period, unit=newcomer).exists()
    reasons = list(period.history.values_list("history_change_reason", flat=True))
    assert any("Hạn nộp phiếu" in r and "Công văn 123/UBND" in r for r in reasons), reasons
    assert any("Thêm đơn vị Sở Y tế" in r for r in reasons)


def test_remarks_are_read_only_in_the_admin(published, world, client, django_user_model):
    note = Remarks.objects.create(assessment=world.form_a, strengths="Tốt", edited_by=world.reviewer_a)
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.invalid", "mat-khau-goc-123"))
    url = reverse("admin:reports_remarks_change", args=[note.pk])
    assert 'name="strengths"' not in client.get(url).content.decode()
    client.post(url, {"strengths": "Sửa sau công bố"})
    assert Remarks.objects.get(pk=note.pk).strengths == "Tốt"


def test_signing_module_never_calls_unknown_trust_valid():
    for verdict, text in signing.VERDICTS.items():
        if verdict != "valid":
            assert "hợp lệ" not in text, verdict


def test_forms_cannot_be_deleted_in_the_admin(world, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.invalid", "mat-khau-goc-123"))
    url = reverse("admin:assessment_assessment_delete", args=[world.form_a.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Assessment.objects.filter(pk=world.form_a.pk).exists()
