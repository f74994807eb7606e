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

import os

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
    def get_full_path(self):
        os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)
        return os.path.join(settings.FILE_UPLOAD_TEMP_DIR, os.path.basename(self.name))


IMPORT_FORMATS = [base_formats.CSV, SafeXLSX, base_formats.TSV]


class SafeImportAdminMixin:
    """Put first in the bases of an admin with ImportMixin: only the formats read safely."""

    @property
    def import_formats(self):
        return IMPORT_FORMATS
