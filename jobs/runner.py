"""Enqueue, run and watch background jobs.

A job runs at most once at a time (a conditional update claims it), and a job whose handler is
``atomic`` commits its work and its "done" mark in one transaction: a worker killed half-way
leaves nothing written, and a retry starts from scratch. A running job's worker writes a
heartbeat every few seconds; ``recover_stale`` gives a job whose worker is gone (no heartbeat
for ``JOBS_STALE_SECONDS``, or its process no longer exists on this machine) another attempt,
or marks it failed with a message once its attempts are used up. Nothing stays "running".
"""

import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from . import progress as progress_module
from .models import Job

logger = logging.getLogger("jobs")
S = Job.Status


@dataclass(frozen=True)
class Handler:
    function: object
    atomic: bool
    max_attempts: int = 2
    priority: int = 0


_HANDLERS = {}


def handler(kind, *, atomic, max_attempts=2, priority=0):
    """Register ``function(job)`` as the work of ``kind``; it returns the result dict
    (``url``, ``label``, ``message``) or raises ValidationError with Vietnamese messages.
    Work someone is watching on a job page goes before mail (a lower ``priority``)."""
    def register(function):
        _HANDLERS[kind] = Handler(function, atomic, max_attempts, priority)
        return function
    return register


def _handlers():
    from . import handlers  # noqa: F401  (registers every kind)

    return _HANDLERS


def this_worker():
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue(kind, *, title, params, by=None, key=None):
    """Create the job and put it on the queue; with ``key``, asking again for the same work
    while it is waiting, running or done returns the existing job instead of a second one."""
    if key:
        existing = Job.objects.filter(key=key).exclude(status=S.FAILED).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, title=title[:300], params=params, key=(key or "")[:200],
                                     created_by=by if by is not None and by.is_authenticated else None,
                                     max_attempts=_handlers()[kind].max_attempts)
    except IntegrityError:
        return Job.objects.filter(key=key).exclude(status=S.FAILED).first()
    _put_on_queue(job)
    job.refresh_from_db()
    return job


def _put_on_queue(job):
    from .tasks import run_job

    result = run_job.using(priority=_handlers()[job.kind].priority).enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


def _write_progress(job_id, state):
    Job.objects.filter(pk=job_id, status=S.RUNNING).update(heartbeat_at=timezone.now(), **state)


class Heartbeat(threading.Thread):
    """Writes the job's heartbeat and latest progress from its own database connection."""

    def __init__(self, job_id, state):
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.job_id, self.state = job_id, state
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(settings.JOBS_HEARTBEAT_SECONDS):
                try:
                    _write_progress(self.job_id, self.state.snapshot())
                except OperationalError:
                    # SQLite: the job's own transaction holds the write lock; try again next beat.
                    logger.debug("heartbeat of job %s postponed", self.job_id)
        finally:
            connection.close()


def run(job_id):
    """Run one job (called by the queue's task). Safe to call twice: only a waiting job is claimed."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=S.QUEUED).update(
        status=S.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now, worker=this_worker(),
        step="Bắt đầu", message="")
    if not claimed:
        logger.info("job %s is not waiting; nothing to do", job_id)
        return None
    job = Job.objects.select_related("created_by").get(pk=job_id)
    spec = _handlers()[job.kind]
    state = progress_module.Progress(job.pk, write=lambda p: _write_progress(job.pk, p.snapshot()))
    token = progress_module.activate(state)
    beat = None
    if not connection.in_atomic_block:
        beat = Heartbeat(job.pk, state)
        beat.start()
    try:
        if spec.atomic:
            with transaction.atomic():
                result = spec.function(job) or {}
                _finish(job, result)
        else:
            result = spec.function(job) or {}
            _finish(job, result)
    except ValidationError as exc:
        _fail(job, " ".join(exc.messages))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, f"Lỗi hệ thống khi {job.get_kind_display().lower()} (công việc số {job.pk}); "
                   "chưa có thay đổi nào được ghi. Hãy thử lại; nếu vẫn lỗi, báo quản trị viên.")
    finally:
        if beat is not None:
            beat.stopped.set()
            beat.join()
        progress_module.deactivate(token)
    job.refresh_from_db()
    return job.result


def _finish(job, result):
    Job.objects.filter(pk=job.pk, status=S.RUNNING).update(
        status=S.SUCCEEDED, result=result, finished_at=timezone.now(), step="Hoàn thành", done=F("total"))


def _fail(job, message):
    Job.objects.filter(pk=job.pk, status=S.RUNNING).update(
        status=S.FAILED, message=message, finished_at=timezone.now(), result=None)


def _process_gone(worker):
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _process_alive_here(worker):
    host, _, pid = worker.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not _process_gone(worker)


def recover_stale(now=None):
    """Retry or fail every running job whose worker is gone. Returns (retried, failed) job ids."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=settings.JOBS_STALE_SECONDS)
    retried, failed = [], []
    for job in Job.objects.filter(status=S.RUNNING):
        silent = job.heartbeat_at is None or job.heartbeat_at < cutoff
        if not (_process_gone(job.worker) or (silent and not _process_alive_here(job.worker))):
            continue
        DBTaskResult.objects.filter(pk=job.task_id or None).exclude(status__in=["SUCCESSFUL", "FAILED"]).update(
            status="FAILED", finished_at=now, exception_class_path="jobs.runner.WorkerLost",
            traceback=f"Worker {job.worker} stopped while running job {job.pk}.")
        if job.attempts < job.max_attempts:
            if Job.objects.filter(pk=job.pk, status=S.RUNNING, attempts=job.attempts).update(
                    status=S.QUEUED, step="Chạy lại sau khi tiến trình trước bị dừng", task_id="", worker=""):
                job.refresh_from_db()
                _put_on_queue(job)
                retried.append(job.pk)
        elif Job.objects.filter(pk=job.pk, status=S.RUNNING, attempts=job.attempts).update(
                status=S.FAILED, finished_at=now,
                message=f"Tiến trình chạy nền bị dừng đột ngột khi đang {job.get_kind_display().lower()} "
                        f"(đã chạy {job.attempts} lần); chưa có thay đổi nào được ghi. Hãy yêu cầu lại."):
            failed.append(job.pk)
    if retried or failed:
        logger.warning("stale jobs: retried %s, failed %s", retried, failed)
    return retried, failed
