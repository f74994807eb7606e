"""What the workers do between jobs: recover jobs whose worker died, and start the hour's
deadline reminders (a job, so it runs once however many workers there are)."""

import logging
import threading
import zoneinfo

from django.db import connection
from django.utils import timezone

logger = logging.getLogger("jobs")


def tick(now=None):
    from .runner import enqueue, recover_stale

    now = now or timezone.now()
    retried, failed = recover_stale(now)
    hour = timezone.localtime(now, zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m-%d %H")
    reminders = enqueue("reminders", title=f"Nhắc hạn nộp phiếu ({hour} giờ)", params={}, key=f"reminders:{hour}")
    return {"retried": retried, "failed": failed, "reminders": reminders.pk}


class MaintenanceThread(threading.Thread):
    def __init__(self, every):
        super().__init__(daemon=True, name="jobs-maintenance")
        self.every = every
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                tick()
            except Exception:
                logger.exception("job maintenance failed; trying again in %s s", self.every)
            finally:
                connection.close()
            self.stopped.wait(self.every)
