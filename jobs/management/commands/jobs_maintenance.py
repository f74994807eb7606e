"""Once: recover jobs whose worker died and queue the hour's deadline reminders (for cron,
where workers run with --no-maintenance)."""

from django.core.management.base import BaseCommand

from jobs.maintenance import tick


class Command(BaseCommand):
    help = "Khôi phục công việc nền bị gián đoạn và xếp lịch nhắc hạn nộp phiếu (chạy một lần)."

    def handle(self, *args, **options):
        result = tick()
        self.stdout.write(f"Chạy lại: {len(result['retried'])}, đánh dấu lỗi: {len(result['failed'])}, "
                          f"công việc nhắc hạn số {result['reminders']}.")
