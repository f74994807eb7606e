"""History in the admin is something to read, never to restore.

django-simple-history's admin offers, on each past version, a form that saves the old
row back ("revert"): an approved form could be put back to draft behind the workflow's
back. ``ReadOnlyHistoryAdmin`` keeps the history list and the view of each version and
refuses the save, whatever SIMPLE_HISTORY_REVERT_DISABLED says.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Lịch sử chỉ để xem; không khôi phục phiên bản cũ được.")
        return super().history_form_view(request, object_id, version_id, extra_context)
