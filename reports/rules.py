"""Who may see results, edit remarks, publish and sign (django-rules), decided once."""

import rules

from assessment.roles import Role, has_role, is_admin, is_leader
from assessment.rules import is_assigned_reviewer


@rules.predicate
def reviewer(user):
    return has_role(user, Role.REVIEWER)


@rules.predicate
def leader(user, obj=None):
    return is_leader(user)


@rules.predicate
def administrator(user, obj=None):
    return is_admin(user)


rules.add_perm("reports.view_results", reviewer | leader | administrator)
rules.add_perm("reports.edit_remarks", is_assigned_reviewer | leader)
rules.add_perm("reports.publish", leader)
rules.add_perm("reports.sign", leader)
