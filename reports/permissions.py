"""Who may see results, edit remarks, publish and sign (django-rules), decided once, from the
same predicates as the form permissions (assessment.permissions)."""

import rules
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessment.permissions import administrator, is_assigned_reviewer, leader, reviewer_role, unit_ids
from units.models import Unit


@rules.predicate
def member_of_unit(user, unit):
    return unit.pk in unit_ids(user)


rules.add_perm("reports.view_results", reviewer_role | leader | administrator)
rules.add_perm("reports.edit_remarks", is_assigned_reviewer | leader)
rules.add_perm("reports.publish", leader)
rules.add_perm("reports.sign", leader)
rules.add_perm("reports.view_unit", member_of_unit | reviewer_role | leader | administrator)


def get_unit_for(user, code):
    """A unit's results page is for its own staff, reviewers, leaders and administrators;
    for anyone else the unit does not exist (404)."""
    unit = get_object_or_404(Unit.objects.select_related("block"), code=code)
    if not user.has_perm("reports.view_unit", unit):
        from accounts.security import refused

        refused(user, "đơn vị", unit.code)
        raise Http404("Không tìm thấy đơn vị.")
    return unit
