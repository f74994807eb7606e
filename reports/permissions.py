"""Who may see results, edit remarks, publish and sign (django-rules), decided once, from the
same predicates as the form permissions (assessment.permissions)."""

import rules

from assessment.permissions import administrator, is_assigned_reviewer, leader, reviewer_role

rules.add_perm("reports.view_results", reviewer_role | leader | administrator)
rules.add_perm("reports.edit_remarks", is_assigned_reviewer | leader)
rules.add_perm("reports.publish", leader)
rules.add_perm("reports.sign", leader)
