from django.core.management.base import BaseCommand

from safety.cleanup import remove_stale


class Command(BaseCommand):
    help = ("Xoá tệp xem trước quá một ngày, tệp tải lên tạm của các yêu cầu bị ngắt và tệp kiểm chứng "
            "không thuộc hồ sơ nào (chạy định kỳ, ví dụ mỗi giờ).")

    def handle(self, *args, **options):
        removed = remove_stale()
        for path in removed:
            self.stdout.write(f"Đã xoá {path}")
        self.stdout.write(f"Đã xoá {len(removed)} tệp.")
