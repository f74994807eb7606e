"""Admin for periods and forms. Statuses are never edited here directly: the actions
call the workflow verbs, which check the move and record it."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from import_export.admin import ExportMixin

from config.history_admin import ReadOnlyHistoryAdmin
from safety.exchange import SafeExportAdminMixin
from units.models import Unit

from . import workflow
from .models import Assessment, Comment, EvidenceFile, IndicatorImport, Period, PeriodCriteriaSet, ReviewerAssignment
from .resources import ResultResource


def _opened(period):
    return period is not None and period.status != Period.Status.DRAFT


class PeriodCriteriaSetInline(admin.TabularInline):
    """Which set each block uses: fixed once the period has opened (the forms were created with it)."""

    model = PeriodCriteriaSet
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not _opened(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _opened(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _opened(obj) and super().has_delete_permission(request, obj)


class PeriodAdjustForm(forms.Form):
    opens_on = forms.DateField(label="Ngày mở mới", required=False)
    deadline = forms.DateField(label="Hạn nộp phiếu mới", required=False)
    data_cutoff = forms.DateField(label="Số liệu tính đến ngày (mới)", required=False)
    unit = forms.ModelChoiceField(label="Thêm đơn vị tham gia", queryset=Unit.objects.none(), required=False)
    reason = forms.CharField(label="Lý do điều chỉnh", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.exclude(pk__in=period.participants.values("pk")).order_by("name")


class ReviewerAssignmentInline(admin.TabularInline):
    model = ReviewerAssignment
    extra = 0
    autocomplete_fields = ("reviewer", "unit")


def _run(modeladmin, request, queryset, verb, done):
    for period in queryset:
        try:
            verb(period, by=request.user)
        except workflow.WorkflowError as exc:
            modeladmin.message_user(request, f"{period}: " + "; ".join(exc.messages), level=messages.ERROR)
        else:
            modeladmin.message_user(request, f"{period}: {done}")


@admin.register(Period)
class PeriodAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "year_text", "opens_on", "deadline", "status")
    list_filter = ("status", "year")
    filter_horizontal = ("participants",)
    readonly_fields = ("status",)
    inlines = [PeriodCriteriaSetInline, ReviewerAssignmentInline]
    actions = ["open_selected", "start_review_selected", "close_selected"]
    FIXED_ONCE_OPEN = ("year", "opens_on", "deadline", "data_cutoff", "requires_signed_scan", "participants")

    def get_readonly_fields(self, request, obj=None):
        """Once open, dates, sets and participants change only through the named verbs (with a reason)."""
        if _opened(obj):
            return ("status", *self.FIXED_ONCE_OPEN, "adjust_link")
        return self.readonly_fields

    @admin.display(description="Điều chỉnh sau khi mở")
    def adjust_link(self, obj):
        url = reverse("admin:assessment_period_adjust", args=[obj.pk])
        return format_html('<a href="{}">Điều chỉnh thời hạn hoặc thêm đơn vị (ghi lý do)</a>', url)

    def get_urls(self):
        return [path("<int:pk>/dieu-chinh/", self.admin_site.admin_view(self.adjust_view),
                     name="assessment_period_adjust"), *super().get_urls()]

    def adjust_view(self, request, pk):
        """Change an opened period's dates or add a unit, through the workflow verbs."""
        period = get_object_or_404(Period, pk=pk)
        if not self.has_change_permission(request, period):
            raise PermissionDenied
        form = PeriodAdjustForm(request.POST or None, period=period)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                dates = {k: data[k] for k in workflow.PERIOD_DATES if data[k]}
                if dates:
                    workflow.change_period_dates(period, by=request.user, reason=data["reason"], **dates)
                if data["unit"]:
                    workflow.add_participant(period, data["unit"], by=request.user, reason=data["reason"])
                if not dates and not data["unit"]:
                    raise workflow.WorkflowError("Chưa nhập ngày mới hoặc chọn đơn vị cần thêm.")
            except workflow.WorkflowError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                self.message_user(request, f"{period}: đã điều chỉnh, lý do được lưu trong lịch sử của kỳ.")
                return redirect("admin:assessment_period_change", period.pk)
        return render(request, "admin/assessment/period/adjust.html", {
            **self.admin_site.each_context(request), "title": f"Điều chỉnh kỳ đánh giá: {period}",
            "period": period, "form": form, "opts": self.model._meta})

    @admin.display(description="năm", ordering="year")
    def year_text(self, period):
        """A year is a label, not a quantity: 2026, never "2.026"."""
        return str(period.year)

    @admin.action(description="Mở kỳ đánh giá (tạo phiếu cho các đơn vị tham gia)")
    def open_selected(self, request, queryset):
        _run(self, request, queryset, workflow.open_period, "đã mở, đã tạo phiếu cho các đơn vị.")

    @admin.action(description="Chuyển sang thẩm định (đơn vị không sửa phiếu được nữa)")
    def start_review_selected(self, request, queryset):
        _run(self, request, queryset, workflow.start_review, "đã chuyển sang thẩm định.")

    @admin.action(description="Kết thúc kỳ đánh giá")
    def close_selected(self, request, queryset):
        _run(self, request, queryset, workflow.close_period, "đã kết thúc.")


@admin.register(Assessment)
class AssessmentAdmin(SafeExportAdminMixin, ExportMixin, ReadOnlyHistoryAdmin):
    """Statuses change through the workflow verbs only; results export to Excel."""

    resource_classes = [ResultResource]
    list_display = ("unit", "period", "status", "self_total", "reviewed_total", "classification", "days_late")
    list_filter = ("period", "status", "unit__block")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "period")
    readonly_fields = [f.name for f in Assessment._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        """Deleting a form or a file would undo the workflow behind its back; files are removed by
        the unit through the workflow (kept for history), forms live as long as their period."""
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyHistoryAdmin):
    list_display = ("original_name", "assessment", "criterion", "kind", "size", "uploaded_by", "uploaded_at", "removed")
    list_filter = ("kind", "removed")
    readonly_fields = [f.name for f in EvidenceFile._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        """Deleting a form or a file would undo the workflow behind its back; files are removed by
        the unit through the workflow (kept for history), forms live as long as their period."""
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("assessment", "criterion", "author", "created_at")
    readonly_fields = ("assessment", "criterion", "author", "text", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(IndicatorImport)
class IndicatorImportAdmin(admin.ModelAdmin):
    """Imports of automatic indicators are a record of provenance: read only here; new ones come
    through the "Chỉ số tự động" page or the ``import_indicator`` command."""

    list_display = ("period", "field_key", "source", "file_name", "source_date", "imported_by", "imported_at",
                    "rows", "updated_forms")
    list_filter = ("period", "field_key")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
