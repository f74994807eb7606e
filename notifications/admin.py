from django.contrib import admin

from .models import Notification, Reminder


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Notices and reminders are written by the workflow and the reminder job, never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(_ReadOnlyAdmin):
    list_display = ["subject", "user", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]


@admin.register(Reminder)
class ReminderAdmin(_ReadOnlyAdmin):
    list_display = ["assessment", "kind", "deadline", "sent_at"]
