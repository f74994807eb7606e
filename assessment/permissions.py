"""Who may do what to a form, decided once (django-rules).

Views ask ``user.has_perm("assessment.<action>", assessment)``; querysets use
``Assessment.objects.visible_to(user)``; ``get_assessment_for`` combines both so
that another unit's form is a 404, not a 403.
"""

import rules
from django.http import Http404

from .models import Assessment, ReviewerAssignment
from .roles import Role, has_role, is_admin, is_leader


def unit_ids(user):
    """The units the user works for, read once per request."""
    cache = getattr(user, "_unit_ids", None)
    if cache is None:
        cache = user._unit_ids = set(user.unit_memberships.values_list("unit_id", flat=True))
    return cache


@rules.predicate
def is_unit_member(user, assessment):
    return assessment.unit_id in unit_ids(user)


@rules.predicate
def is_assigned_reviewer(user, assessment):
    if not has_role(user, Role.REVIEWER):
        return False
    return ReviewerAssignment.objects.filter(period_id=assessment.period_id, reviewer=user).filter(
        unit_id=assessment.unit_id).exists() or ReviewerAssignment.objects.filter(
        period_id=assessment.period_id, reviewer=user, block_id=assessment.unit.block_id).exists()


@rules.predicate
def leader(user, assessment=None):
    return is_leader(user)


@rules.predicate
def administrator(user, assessment=None):
    return is_admin(user)


@rules.predicate
def reviewer_role(user, obj=None):
    return has_role(user, Role.REVIEWER)


@rules.predicate
def editable_by_unit(user, assessment):
    return assessment.editable_by_unit()


def status_allows(verb):
    """A predicate: the form's status is one ``verb`` may start from (TRANSITIONS)."""
    return rules.predicate(lambda user, assessment: assessment.can(verb), name=f"status_allows_{verb}")


under_review = status_allows("accept_review")
reviewed = status_allows("approve")
approved = status_allows("unapprove")


can_view = is_unit_member | is_assigned_reviewer | leader | administrator

rules.add_perm("assessment.view_form", can_view)
rules.add_perm("assessment.edit_form", is_unit_member & editable_by_unit)
rules.add_perm("assessment.review_form", is_assigned_reviewer & under_review)
rules.add_perm("assessment.comment_form", is_unit_member | is_assigned_reviewer | leader)
rules.add_perm("assessment.approve_form", leader & reviewed)
rules.add_perm("assessment.unapprove_form", leader & approved)
rules.add_perm("assessment.reopen_form", administrator)
rules.add_perm("assessment.list_periods", reviewer_role | leader | administrator)
# Criteria sets are configuration: administrators write them (criteria/ knows no roles, only this name).
rules.add_perm("criteria.edit_set", administrator)

ACTIONS = {"view", "edit", "review", "comment", "approve", "unapprove", "reopen"}


def get_assessment_for(user, pk, action="view"):
    """The form ``pk`` if ``user`` may ``action`` it. Not visible at all: 404. Visible but the
    action is not theirs (or not now): the caller gets None and explains why."""
    assert action in ACTIONS
    queryset = Assessment.objects.visible_to(user).select_related(
        "period", "unit__block", "criteria_set")
    assessment = queryset.filter(pk=pk).first()
    if assessment is None or not user.has_perm("assessment.view_form", assessment):
        if Assessment.objects.filter(pk=pk).exists():
            from accounts.security import refused

            refused(user, "phiếu tự đánh giá", pk)
        raise Http404("Không tìm thấy phiếu.")
    if action != "view" and not user.has_perm(f"assessment.{action}_form", assessment):
        return None
    return assessment
