"""The criteria of a set in Excel (django-import-export): the spreadsheet view of the text form.

Export any set; import changes only draft sets (a set a period has used is frozen): rows are
matched by set code, version and criterion code, and the rule is the same JSON as the text form's.
The whole set is checked again after the import, as ``load_criteria`` would."""

import json

from import_export import fields, resources, widgets

from safety.exchange import SafeExportMixin

from .models import CriteriaSet, Criterion


class JSONWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return json.loads(value)
        except ValueError as exc:
            raise ValueError(f"Quy tắc không phải JSON hợp lệ: {exc}") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


class CriterionResource(SafeExportMixin, resources.ModelResource):
    set_code = fields.Field(column_name="Bộ tiêu chí", attribute="criteria_set__code", readonly=True)
    set_version = fields.Field(column_name="Phiên bản", attribute="criteria_set__version", readonly=True)
    code = fields.Field("code", column_name="Mã tiêu chí")
    parent_code = fields.Field(column_name="Thuộc nhóm", readonly=True)
    order = fields.Field("order", column_name="Thứ tự", widget=widgets.IntegerWidget())
    title = fields.Field("title", column_name="Tiêu chí")
    max_points = fields.Field("max_points", column_name="Điểm tối đa", widget=widgets.DecimalWidget())
    applies_to = fields.Field("applies_to", column_name="Áp dụng cho")
    documents = fields.Field("documents", column_name="Tài liệu kiểm chứng")
    note = fields.Field("note", column_name="Ghi chú")
    rule = fields.Field("rule", column_name="Quy tắc (JSON)", widget=JSONWidget())

    class Meta:
        model = Criterion
        fields = ("set_code", "set_version", "code", "parent_code", "order", "title", "max_points", "applies_to",
                  "documents", "note", "rule")
        export_order = fields
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = False

    def dehydrate_parent_code(self, obj):
        return obj.parent.code if obj.parent_id else ""

    def get_queryset(self):
        return Criterion.objects.select_related("criteria_set", "parent").order_by("criteria_set", "order")

    def before_import_row(self, row, **kwargs):
        code, version = row.get("Bộ tiêu chí"), row.get("Phiên bản")
        criteria_set = CriteriaSet.objects.filter(code=code, version=version).first()
        if criteria_set is None:
            raise ValueError(f"Không có bộ tiêu chí {code} phiên bản {version}.")
        if criteria_set.status != CriteriaSet.Status.DRAFT:
            raise ValueError(f"Bộ tiêu chí {code} phiên bản {version} không phải bản nháp; hãy tạo phiên bản mới.")
        self._criteria_set = criteria_set

    def get_instance(self, instance_loader, row):
        return Criterion.objects.filter(criteria_set=self._criteria_set, code=row.get("Mã tiêu chí")).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.criteria_set_id is None:
            raise ValueError(f"Tiêu chí {row.get('Mã tiêu chí')} chưa có trong bộ; thêm tiêu chí mới trong trang quản trị.")
