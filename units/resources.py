"""Units in and out of Excel (django-import-export), with Vietnamese column headings."""

from import_export import fields, resources, widgets

from safety.exchange import SafeExportMixin

from .models import Block, Unit


class VietnameseBooleanWidget(widgets.BooleanWidget):
    """Reads Có/Không (and x, 1/0, TRUE/FALSE) as spreadsheets from the provinces write them."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "Có", "có", "CÓ", "x", "X"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "Không", "không", "KHÔNG"]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "Có" if value else "Không"


class CodeWidget(widgets.ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            label = self.model._meta.verbose_name
            raise ValueError(f"Không có {label} với mã '{value}'") from None


class UnitResource(SafeExportMixin, resources.ModelResource):
    code = fields.Field("code", column_name="Mã đơn vị", widget=widgets.CharWidget())
    name = fields.Field("name", column_name="Tên đơn vị", widget=widgets.CharWidget())
    short_name = fields.Field("short_name", column_name="Tên viết tắt", widget=widgets.CharWidget())
    block = fields.Field("block", column_name="Khối", widget=CodeWidget(Block, "code"))
    parent = fields.Field("parent", column_name="Đơn vị cấp trên", widget=CodeWidget(Unit, "code"))
    has_procedures = fields.Field("has_procedures", column_name="Có TTHC", widget=VietnameseBooleanWidget())
    is_voluntary = fields.Field("is_voluntary", column_name="Đối tượng khuyến khích", widget=VietnameseBooleanWidget())
    is_active = fields.Field("is_active", column_name="Đang hoạt động", widget=VietnameseBooleanWidget())

    class Meta:
        model = Unit
        import_id_fields = ("code",)
        fields = ("code", "name", "short_name", "block", "parent", "has_procedures", "is_voluntary", "is_active")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def import_data(self, dataset, *args, **kwargs):
        """All or nothing: one bad row rolls back the whole file, so a half-imported list never exists."""
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, *args, **kwargs)
