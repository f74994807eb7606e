import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessment.indicators import IndicatorFileError, apply_indicator_file
from assessment.models import Period


def _date(text):
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise CommandError(f"Ngày '{text}' không hợp lệ (dd/mm/yyyy)")


class Command(BaseCommand):
    help = ("Nhập số liệu một chỉ số tự động (CSV hoặc .xlsx: mã hoặc tên đơn vị, kỳ hoặc tháng, giá trị) vào các "
            "phiếu chưa phê duyệt của một kỳ, ghi nguồn gốc và lịch sử. Tệp có lỗi bị từ chối, không ghi gì.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--period", required=True, type=int, help="mã số (id) kỳ đánh giá")
        parser.add_argument("--field", required=True, help="mã trường số liệu tự động trong bộ tiêu chí")
        parser.add_argument("--source-date", required=True, help="số liệu của nguồn tính đến ngày (dd/mm/yyyy)")
        parser.add_argument("--user", required=True, help="tên đăng nhập của người nhập")

    def handle(self, *args, path, period, field, source_date, user, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"Không tìm thấy tệp: {path}")
        found = Period.objects.filter(pk=period).first()
        if found is None:
            raise CommandError(f"Không có kỳ đánh giá số {period}")
        who = get_user_model().objects.filter(username=user).first()
        if who is None:
            raise CommandError(f"Không có người dùng '{user}'")
        try:
            batch = apply_indicator_file(source.read_bytes(), source.name, period=found, key=field,
                                         source_date=_date(source_date), by=who)
        except IndicatorFileError as exc:
            raise CommandError(f"Không nhập được {source.name}:\n  " + "\n  ".join(exc.problems)) from None
        self.stdout.write(f"{batch.source}: {batch.file_name} (SHA-256 {batch.sha256}), số liệu ngày "
                          f"{batch.source_date:%d/%m/%Y}: {batch.rows} đơn vị, cập nhật {batch.updated_forms} phiếu")
        for line in batch.skipped:
            self.stdout.write(f"  không cập nhật — {line}")
