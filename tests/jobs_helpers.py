"""Running the real worker (``manage.py worker``, i.e. django-tasks-db's db_worker) in a
subprocess on the test database."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**extra):
    env = dict(os.environ, DATABASE_URL=database_url(), TASKS_BACKEND="database",
               MEDIA_ROOT=str(settings.MEDIA_ROOT), JOBS_HEARTBEAT_SECONDS="0.5", PYTHONUNBUFFERED="1")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def worker_command(*extra):
    return [sys.executable, "manage.py", "worker", "--no-reload", "--no-startup-delay", "--interval", "0.1",
            "--no-maintenance", *extra]


def run_worker_batch(timeout=180, **env):
    """Run every queued job with a real worker process, then return its output."""
    done = subprocess.run(worker_command("--batch"), cwd=ROOT, env=worker_env(**env), capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def start_worker(**env):
    return subprocess.Popen(worker_command(), cwd=ROOT, env=worker_env(**env), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
