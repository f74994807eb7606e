"""django-import-export made safe both ways.

- Export: every value a resource writes goes through ``escape_text`` (CSV, TSV, XLSX, ODS, JSON,
  YAML, HTML alike): text a spreadsheet would evaluate gets an apostrophe in front; numbers stay
  numbers. django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only strips "=".
- Import: the apostrophe is taken off again; xlsx files are inspected like every other upload
  (bytes actually decompressed, member count, no DTD, no macros) before openpyxl opens them;
  the formats that parse XML without protection (ODS, XLS, HTML) are not offered for import.
- Temporary files of an import wait in ``FILE_UPLOAD_TEMP_DIR``, where ``remove_stale_files``
  finds those of an import never confirmed.
"""

import contextlib
import os
import tempfile

from django.conf import settings
from import_export.formats import base_formats
from import_export.tmp_storages import TempFolderStorage

from .archives import UnsafeFile, inspect_zip
from .formulas import escape_text, unescape_text


class SafeExportMixin:
    """Put first in a ModelResource's bases."""

    def export_field(self, field, instance, **kwargs):
        return escape_text(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for key in list(row.keys()):
            row[key] = unescape_text(row[key])
        return super().before_import_row(row, **kwargs)


class SafeXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        try:
            inspect_zip(in_stream, "tệp Excel")
        except UnsafeFile as exc:
            raise ValueError(" ".join(exc.messages)) from exc
        return super().create_dataset(in_stream)


class UploadTempStorage(TempFolderStorage):
    def remove(self):
        with contextlib.suppress(FileNotFoundError):  # already removed when the file was refused
            super().remove()

    def get_full_path(self):
        return os.path.join(settings.FILE_UPLOAD_TEMP_DIR, os.path.basename(self.name))

    def _open(self, mode="r"):
        if self.name:
            return open(self.get_full_path(), mode, encoding=self.encoding)
        os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(delete=False, dir=settings.FILE_UPLOAD_TEMP_DIR, prefix="nhap-")  # noqa: SIM115
        self.name = os.path.basename(handle.name)
        return handle


IMPORT_FORMATS = [base_formats.CSV, SafeXLSX, base_formats.TSV]


class SafeExportAdminMixin:
    """Put first in the bases of an admin with ExportMixin: filter parameters that are not fields
    (``?action=``, a mistyped link) get a message instead of a server error."""

    def export_action(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.contrib.admin.options import IncorrectLookupParameters
        from django.core.exceptions import FieldError, ValidationError
        from django.shortcuts import redirect

        try:
            return super().export_action(request, *args, **kwargs)
        except (IncorrectLookupParameters, FieldError, ValidationError, ValueError):
            messages.error(request, "Bộ lọc trên địa chỉ trang không hợp lệ; đã bỏ bộ lọc, hãy chọn lại rồi xuất tệp.")
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_export")


class SafeImportAdminMixin(SafeExportAdminMixin):
    """Put first in the bases of an admin with ImportMixin: only the formats read safely."""

    @property
    def import_formats(self):
        return IMPORT_FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        """The reason in Vietnamese (the library's is English and only names the exception class),
        and the temporary copy of the refused file removed at once."""
        import_file = form.cleaned_data.get("import_file") if hasattr(form, "cleaned_data") else None
        stored = getattr(import_file, "tmp_storage_name", None)
        if stored:
            UploadTempStorage(name=stored).remove()
        reason = " ".join(getattr(e, "messages", None) or [str(e)]) if isinstance(e, ValueError) else ""
        form.add_error("import_file", "Không đọc được tệp" + (f": {reason}" if reason else "") +
                       ". Hãy chọn đúng định dạng (CSV, TSV hoặc Excel .xlsx) và dùng tệp xuất từ hệ thống làm mẫu.")
