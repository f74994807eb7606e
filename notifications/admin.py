from django.contrib import admin

from .models import Notification, Reminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["assessment", "kind", "deadline", "sent_at"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
