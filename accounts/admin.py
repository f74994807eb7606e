import json

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from .models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read only: the log is append-only (the database refuses UPDATE and DELETE as well)."""

    list_display = ("local_time", "kind", "username", "address", "path", "summary")
    list_filter = ("kind", "at")
    search_fields = ("username", "address", "path")
    date_hierarchy = "at"
    readonly_fields = ("local_time", "kind", "username", "user_id", "address", "path", "pretty_detail")
    fields = readonly_fields
    actions = None
    list_per_page = 100

    @admin.display(description="thời điểm (giờ Việt Nam)", ordering="at")
    def local_time(self, obj):
        return timezone.localtime(obj.at).strftime("%d/%m/%Y %H:%M:%S")

    @admin.display(description="chi tiết")
    def summary(self, obj):
        return ", ".join(f"{k}: {v}" for k, v in (obj.detail or {}).items())[:200]

    @admin.display(description="chi tiết")
    def pretty_detail(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.detail, ensure_ascii=False, indent=2))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
