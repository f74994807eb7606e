"""Results of the forms out to Excel (django-import-export): one row per unit and period."""

from import_export import fields, resources

from safety.exchange import SafeExportMixin

from .models import Assessment


class ResultResource(SafeExportMixin, resources.ModelResource):
    period = fields.Field("period__name", column_name="Kỳ đánh giá")
    year = fields.Field("period__year", column_name="Năm")
    block = fields.Field("unit__block__name", column_name="Khối")
    unit_code = fields.Field("unit__code", column_name="Mã đơn vị")
    unit_name = fields.Field("unit__name", column_name="Đơn vị")
    criteria_set = fields.Field(column_name="Bộ tiêu chí")
    status = fields.Field(column_name="Trạng thái")
    self_total = fields.Field("self_total", column_name="Tổng điểm tự đánh giá")
    reviewed_total = fields.Field("reviewed_total", column_name="Tổng điểm thẩm định")
    reviewed_score = fields.Field("reviewed_score", column_name="Kết quả (chỉ tiêu xếp hạng)")
    max_points = fields.Field("max_points", column_name="Điểm tối đa áp dụng")
    classification = fields.Field("classification", column_name="Xếp loại")
    days_late = fields.Field("days_late", column_name="Số ngày nộp muộn")

    class Meta:
        model = Assessment
        fields = ("period", "year", "block", "unit_code", "unit_name", "criteria_set", "status", "self_total",
                  "reviewed_total", "reviewed_score", "max_points", "classification", "days_late")
        export_order = fields

    def dehydrate_criteria_set(self, obj):
        return f"{obj.criteria_set.code} v{obj.criteria_set.version}"

    def dehydrate_status(self, obj):
        return obj.get_status_display()

    def get_queryset(self):
        return Assessment.objects.select_related("period", "unit__block", "criteria_set")
