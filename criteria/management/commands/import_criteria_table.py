import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from criteria.document import DocumentError
from criteria.models import CriteriaSet
from criteria.table_import import TableImportError, import_table, save_imported


class Command(BaseCommand):
    help = ("Nhập bảng tiêu chí của quyết định (.xlsx hoặc .docx) thành một bộ tiêu chí nháp. "
            "Bảng có lỗi bị từ chối, liệt kê mọi lỗi theo dòng, không tạo gì.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .xlsx hoặc .docx có bảng tiêu chí")
        parser.add_argument("--code", required=True, help="mã bộ tiêu chí, ví dụ laocai-2026-so-nganh")
        parser.add_argument("--name", required=True, help="tên bộ tiêu chí")
        parser.add_argument("--dry-run", action="store_true", help="chỉ đọc và in cách hiểu từng dòng, không tạo")

    def handle(self, *args, path, code, name, dry_run, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"Không tìm thấy tệp: {path}")
        if CriteriaSet.objects.filter(code=code).exists() and not dry_run:
            raise CommandError(f"Đã có bộ tiêu chí mã '{code}'; hãy chọn mã khác hoặc tạo phiên bản mới")
        data = source.read_bytes()
        try:
            result = import_table(data, source.name, code=code, name=name)
        except TableImportError as exc:
            raise CommandError(f"Không nhập được {source.name}:\n  " + "\n  ".join(exc.problems)) from None
        self.stdout.write(f"Bảng tiêu chí: {result.table}, dòng tiêu đề {result.header_row}; "
                          f"{result.groups_count} nhóm, {result.criteria_count} tiêu chí")
        for row in result.rows:
            if row.kind in ("group", "criterion"):
                self.stdout.write(f"  dòng {row.number}: {'  ' * row.depth}{row.reading}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"  lưu ý — {warning}"))
        if dry_run:
            self.stdout.write("Chạy thử (--dry-run): chưa tạo bộ tiêu chí nào.")
            return
        try:
            criteria_set = save_imported(result.document, filename=source.name,
                                         sha256=hashlib.sha256(data).hexdigest())
        except (DocumentError, ValidationError) as exc:
            problems = getattr(exc, "problems", None) or exc.messages
            raise CommandError("Không lưu được:\n  " + "\n  ".join(problems)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Đã tạo bộ tiêu chí nháp {criteria_set.code} v{criteria_set.version}: {criteria_set.name}"))
