"""Demo data for a first look: every shipped criteria set, the demo units, a demo administrator.

Safe to run again: loading is idempotent and the units import updates rows by code.
"""

from pathlib import Path

import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from units.resources import UnitResource

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - printed at start; demo only


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn: các bộ tiêu chí, danh sách đơn vị mẫu, tài khoản quản trị mẫu."

    def handle(self, *args, **options):
        fixtures = Path(settings.BASE_DIR) / "fixtures"
        call_command("load_criteria", str(fixtures / "criteria"), stdout=self.stdout)
        dataset = tablib.Dataset().load((fixtures / "demo" / "units.csv").read_text(encoding="utf-8"), format="csv")
        result = UnitResource().import_data(dataset, dry_run=False, raise_errors=False)
        if result.has_errors() or result.has_validation_errors():
            raise CommandError("Không nạp được danh sách đơn vị mẫu (fixtures/demo/units.csv).")
        self.stdout.write(f"Đơn vị mẫu: {result.totals['new']} mới, {result.totals['update']} cập nhật, "
                          f"{result.totals['skip']} không đổi.")
        User = get_user_model()
        admin, _ = User.objects.get_or_create(username="quantri",
                                              defaults={"first_name": "Quản trị", "last_name": "hệ thống"})
        admin.is_staff = admin.is_superuser = True
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        self.stdout.write("")
        self.stdout.write("Tài khoản trình diễn (chỉ dùng để xem thử):")
        self.stdout.write(f"  quản trị viên: quantri / {DEMO_PASSWORD}")
