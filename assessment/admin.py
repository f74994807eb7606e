"""Admin for periods and forms. Statuses are never edited here directly: the actions
call the workflow verbs, which check the move and record it."""

from django.contrib import admin, messages
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import workflow
from .models import Assessment, Comment, EvidenceFile, Period, PeriodCriteriaSet, ReviewerAssignment
from .resources import ResultResource


class PeriodCriteriaSetInline(admin.TabularInline):
    model = PeriodCriteriaSet
    extra = 0


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
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ("name", "year_text", "opens_on", "deadline", "status")
    list_filter = ("status", "year")
    filter_horizontal = ("participants",)
    readonly_fields = ("status",)
    inlines = [PeriodCriteriaSetInline, ReviewerAssignmentInline]
    actions = ["open_selected", "start_review_selected", "close_selected"]

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
class AssessmentAdmin(ExportMixin, SimpleHistoryAdmin):
    """Statuses change through the workflow verbs only; results export to Excel."""

    resource_classes = [ResultResource]
    list_display = ("unit", "period", "status", "self_total", "reviewed_total", "classification", "days_late")
    list_filter = ("period", "status", "unit__block")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "period")
    readonly_fields = [f.name for f in Assessment._meta.concrete_fields]

    def has_add_permission(self, request):
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(SimpleHistoryAdmin):
    list_display = ("original_name", "assessment", "criterion", "kind", "size", "uploaded_by", "uploaded_at", "removed")
    list_filter = ("kind", "removed")
    readonly_fields = [f.name for f in EvidenceFile._meta.concrete_fields]

    def has_add_permission(self, request):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("assessment", "criterion", "author", "created_at")
    readonly_fields = ("assessment", "criterion", "author", "text", "created_at")

    def has_add_permission(self, request):
        return False
