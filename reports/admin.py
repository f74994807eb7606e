from django.contrib import admin

from config.history_admin import ReadOnlyHistoryAdmin

from .models import IssuingProfile, Publication, Remarks


@admin.register(IssuingProfile)
class IssuingProfileAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "issuing_body", "signer_name", "signer_title", "is_default")


@admin.register(Remarks)
class RemarksAdmin(ReadOnlyHistoryAdmin):
    """Read-only: remarks are written by the assigned reviewer or a leader on the results page,
    not by an administrator."""

    list_display = ("assessment", "edited_by", "edited_at")
    readonly_fields = ("assessment", "strengths", "weaknesses", "edited_by", "edited_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
