"""``manage.py worker``: django-tasks-db's ``db_worker`` (same options, same graceful shutdown on
SIGTERM/SIGINT: the running job finishes, then the process exits) plus, in a side thread, the
recovery of jobs whose worker died and the hourly deadline reminders."""

import os

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jobs.maintenance import MaintenanceThread


class Command(DbWorkerCommand):
    help = "Chạy tiến trình xử lý công việc nền (db_worker) kèm khôi phục công việc bị gián đoạn và nhắc hạn."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-maintenance", action="store_false", dest="maintenance",
                            help="Không chạy việc định kỳ (khôi phục công việc, nhắc hạn) trong tiến trình này.")

    def handle(self, *args, maintenance=True, **options):
        child_of_reloader = os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        if maintenance and (not options.get("reload") or child_of_reloader):
            MaintenanceThread(settings.JOBS_MAINTENANCE_SECONDS).start()
        return super().handle(*args, **options)
