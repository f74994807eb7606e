"""Demo data for a first look. Safe to run again: loading is idempotent, units are
updated by code, and the demo period is created once."""

from pathlib import Path

import tablib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from assessment.demo import DEMO_PASSWORD, USERS, create_demo
from reports.demo import create_profile
from units.models import Unit
from units.resources import UnitResource


class Command(BaseCommand):
    help = ("Nạp dữ liệu trình diễn: bộ tiêu chí, các sở và 99 xã, phường của tỉnh Lào Cai mới, người dùng theo vai trò, "
            "một kỳ đánh giá đang mở với phiếu ở mọi trạng thái.")

    def handle(self, *args, **options):
        fixtures = Path(settings.BASE_DIR) / "fixtures"
        call_command("load_criteria", str(fixtures / "criteria"), stdout=self.stdout)
        dataset = tablib.Dataset().load((fixtures / "demo" / "units.csv").read_text(encoding="utf-8"), format="csv")
        result = UnitResource().import_data(dataset, dry_run=False, raise_errors=False)
        if result.has_errors() or result.has_validation_errors():
            raise CommandError("Không nạp được danh sách đơn vị mẫu (fixtures/demo/units.csv).")
        self.stdout.write(f"Đơn vị mẫu: {result.totals['new']} mới, {result.totals['update']} cập nhật, "
                          f"{result.totals['skip']} không đổi.")
        call_command("load_communes", "Lào Cai", stdout=self.stdout)
        period, _ = create_demo()
        create_profile()
        self.stdout.write(f"Kỳ đánh giá: {period.name} ({period.get_status_display()}), "
                          f"hạn nộp {period.deadline:%d/%m/%Y}.")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản trình diễn (mật khẩu chung: {DEMO_PASSWORD}):")
        roles = {"quantri": "quản trị viên", "lanhdao": "lãnh đạo, phê duyệt, công bố, ký số", "thamdinh": "thẩm định viên",
                 "thamdinh2": "thẩm định viên thứ hai"}
        for username, _, _, units in USERS:
            what = roles.get(username) or f"cán bộ {', '.join(Unit.objects.get(code=c).name for c in units)}"
            self.stdout.write(f"  {username:<13} {what}")
