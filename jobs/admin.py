from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "kind", "status", "created_by", "created_at", "attempts", "done", "total"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
