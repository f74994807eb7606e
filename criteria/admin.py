"""Admin for criteria sets. Content edits go through the same validator as the text
form: saving a criterion re-reads the whole set and refuses an invalid one, and a
set used by a period is read-only (make a new version instead)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.html import format_html
from import_export.admin import ImportExportMixin

from safety.exchange import SafeImportAdminMixin

from .document import DocumentError, parse_document
from .models import Band, CriteriaSet, Criterion, EvidenceField
from .resources import CriterionResource
from .rules import RuleError, parse_rule
from .store import activate, canonical_text, new_version


class FrozenReadOnlyMixin:
    """Content is edited in drafts only: an active set changes by a new version, a frozen one never."""

    def _frozen(self, obj):
        criteria_set = obj if isinstance(obj, CriteriaSet) else (obj.owning_set() if obj else None)
        return criteria_set is not None and (criteria_set.is_frozen or criteria_set.status != "draft")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


class FrozenInline(FrozenReadOnlyMixin, admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(obj)


class BandInline(FrozenInline):
    model = Band
    fields = ("order", "label", "lower", "upper", "reason")


class EvidenceFieldInline(FrozenInline):
    model = EvidenceField
    fields = ("order", "key", "label", "kind", "choices")


@admin.register(CriteriaSet)
class CriteriaSetAdmin(FrozenReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "version", "name", "status", "frozen", "decision_number", "page")
    list_filter = ("status", "headline")
    search_fields = ("code", "name", "decision_number")
    filter_horizontal = ("blocks",)
    inlines = [BandInline]
    readonly_fields = ("frozen_at", "created_at", "updated_at")
    actions = ["make_new_version", "make_active", "download_yaml"]

    @admin.display(boolean=True, description="đã dùng (khoá)")
    def frozen(self, obj):
        return obj.is_frozen

    @admin.display(description="xem")
    def page(self, obj):
        return format_html('<a href="/tieu-chi/{}/v{}/">Xem biểu mẫu</a>', obj.code, obj.version)

    def has_change_permission(self, request, obj=None):
        # A used or active set may still be retired; everything else about it is fixed.
        return admin.ModelAdmin.has_change_permission(self, request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self._frozen(obj):
            return [f.name for f in CriteriaSet._meta.concrete_fields if f.name != "status"] + ["blocks"]
        return self.readonly_fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        try:
            parse_document(form.instance.document())
        except DocumentError as exc:
            messages.warning(request, "Bộ tiêu chí chưa hợp lệ: " + "; ".join(exc.problems))

    @admin.action(description="Tạo phiên bản mới (bản nháp) từ bộ tiêu chí đã chọn")
    def make_new_version(self, request, queryset):
        for criteria_set in queryset:
            copy = new_version(criteria_set)
            self.message_user(request, f"Đã tạo {copy.code} phiên bản {copy.version} (nháp).")

    @admin.action(description="Kích hoạt (phiên bản đang áp dụng cũ chuyển sang ngừng áp dụng)")
    def make_active(self, request, queryset):
        for criteria_set in queryset:
            try:
                activate(criteria_set)
            except (DocumentError, ValidationError) as exc:
                problems = exc.problems if isinstance(exc, DocumentError) else exc.messages
                self.message_user(request, f"Không kích hoạt được {criteria_set.code} v{criteria_set.version}: "
                                  + "; ".join(problems), level=messages.ERROR)
            else:
                self.message_user(request, f"Đã kích hoạt {criteria_set.code} v{criteria_set.version}.")

    @admin.action(description="Tải văn bản YAML")
    def download_yaml(self, request, queryset):
        text = "".join(canonical_text(cs.document()) for cs in queryset[:1])
        response = HttpResponse(text, content_type="text/yaml; charset=utf-8")
        first = queryset.first()
        response["Content-Disposition"] = f'attachment; filename="{first.code}-v{first.version}.yaml"'
        return response


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ("criteria_set", "parent", "order", "code", "title", "max_points", "applies_to",
                  "not_assessed_points", "not_assessed_reason", "note", "documents", "rule")

    def clean(self):
        cleaned = super().clean()
        criteria_set = cleaned.get("criteria_set")
        if criteria_set is not None and criteria_set.status != "draft":
            raise ValidationError("Chỉ sửa được tiêu chí của bộ tiêu chí nháp; hãy tạo phiên bản mới.")
        if cleaned.get("rule") is not None:
            try:
                parse_rule(cleaned["rule"], where=f"Tiêu chí {cleaned.get('code', '')}")
            except RuleError as exc:
                self.add_error("rule", str(exc))
        return cleaned


@admin.register(Criterion)
class CriterionAdmin(SafeImportAdminMixin, FrozenReadOnlyMixin, ImportExportMixin, admin.ModelAdmin):
    form = CriterionForm
    resource_classes = [CriterionResource]
    list_display = ("code", "short_title", "max_points", "applies_to", "rule_kind", "criteria_set")
    list_filter = ("criteria_set",)
    search_fields = ("code", "title")
    list_select_related = ("criteria_set",)
    inlines = [EvidenceFieldInline]

    @admin.display(description="tiêu chí")
    def short_title(self, obj):
        return obj.title[:90]

    @admin.display(description="quy tắc")
    def rule_kind(self, obj):
        return (obj.rule or {}).get("kind", "")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        try:
            parse_document(form.instance.criteria_set.document())
        except DocumentError as exc:
            messages.warning(request, "Bộ tiêu chí chưa hợp lệ sau thay đổi này: " + "; ".join(exc.problems))
