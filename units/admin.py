from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from safety.exchange import SafeImportAdminMixin

from .models import Block, Membership, Succession, Unit
from .resources import UnitResource


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")
    list_editable = ("order",)
    search_fields = ("name", "code")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Unit)
class UnitAdmin(SafeImportAdminMixin, ImportExportModelAdmin):
    inlines = [MembershipInline]
    resource_classes = [UnitResource]
    list_display = ("name", "code", "short_name", "block", "division_type", "has_procedures", "is_voluntary", "is_active")
    list_filter = ("block", "division_type", "has_procedures", "is_voluntary", "is_active")
    search_fields = ("name", "short_name", "code", "official_code")
    autocomplete_fields = ("parent",)
    list_select_related = ("block",)


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ("old_unit", "kind", "new_unit", "date", "note")
    list_filter = ("kind",)
    autocomplete_fields = ("old_unit", "new_unit")
    search_fields = ("old_unit__name", "new_unit__name")
