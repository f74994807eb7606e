from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from units.communes import UnknownProvince, load_communes, provinces
from units.models import Block


class Command(BaseCommand):
    help = ("Nạp các xã, phường, đặc khu của một tỉnh sau sắp xếp 07/2025 (danh mục của gói vietnam-provinces) "
            "vào khối UBND cấp xã. Chạy lại không tạo trùng.")

    def add_arguments(self, parser):
        parser.add_argument("province", nargs="?", help="Tên tỉnh/thành phố (Lào Cai), tên mã (lao_cai) hoặc số (15).")
        parser.add_argument("--block", default="xa", help="Mã khối xếp hạng các xã (mặc định: xa).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ cho biết sẽ thay đổi gì, không ghi.")
        parser.add_argument("--list", dest="show_list", action="store_true", help="Liệt kê các tỉnh, thành phố.")

    def handle(self, *args, province=None, block="xa", dry_run=False, show_list=False, **options):
        if show_list:
            for item in provinces():
                self.stdout.write(f"{item['code']:>3}  {item['name']}: {len(item['wards'])} đơn vị cấp xã")
            return
        if not province:
            raise CommandError("Cần cho biết tỉnh, thành phố, ví dụ: load_communes \"Lào Cai\" (xem --list).")
        target = Block.objects.filter(code=block).first()
        if target is None:
            raise CommandError(f"Không có khối mã “{block}”.")
        try:
            with transaction.atomic():
                result = load_communes(province, target, dry_run=dry_run)
        except UnknownProvince as exc:
            raise CommandError(str(exc)) from None
        prefix = "Sẽ nạp" if dry_run else "Đã nạp"
        self.stdout.write(f"{prefix} {result.province}: {result.total} đơn vị cấp xã vào khối “{target.name}” — "
                          f"{result.created} mới, {result.updated} cập nhật, {result.unchanged} không đổi.")
