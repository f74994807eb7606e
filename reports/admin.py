from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import IssuingProfile, Publication, Remarks


@admin.register(IssuingProfile)
class IssuingProfileAdmin(SimpleHistoryAdmin):
    list_display = ("name", "issuing_body", "signer_name", "signer_title", "is_default")


@admin.register(Remarks)
class RemarksAdmin(SimpleHistoryAdmin):
    list_display = ("assessment", "edited_by", "edited_at")
    readonly_fields = ("edited_by", "edited_at")


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read-only: a publication changes only by publishing a correction."""

    list_display = ("period", "version", "content_hash", "published_by", "published_at", "signed_at")
    exclude = ("pdf", "xlsx", "signed_pdf", "document")
    readonly_fields = [f.name for f in Publication._meta.fields if f.name not in ("pdf", "xlsx", "signed_pdf", "document")]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
