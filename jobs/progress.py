"""Progress reporting from anywhere in a job's call stack, without passing a callback down.

``report(done, total, step)`` is a no-op outside a job, so library code (scoring a period,
rendering an annex) can call it unconditionally.
"""

import contextvars
import threading
import time

_current = contextvars.ContextVar("job_progress", default=None)


class Progress:
    """The running job's latest progress, kept in memory and written to its row by whoever can:
    the job's own thread when it is not inside a transaction (a write there would be invisible
    until commit, and rolled back with it), otherwise the heartbeat thread."""

    def __init__(self, job_id, *, write):
        self.job_id = job_id
        self.done = self.total = 0
        self.step = self.unit_label = ""
        self._write = write
        self._written_at = 0.0
        self.lock = threading.Lock()
        self.dirty = False

    def update(self, done, total, step, unit_label=""):
        from django.db import connection

        with self.lock:
            changed_step = step != self.step
            self.done, self.total, self.step, self.unit_label = int(done), int(total), step[:200], unit_label[:40]
            self.dirty = True
        now = time.monotonic()
        if not connection.in_atomic_block and (changed_step or now - self._written_at >= 0.5 or done >= total):
            self._written_at = now
            self._write(self)

    def snapshot(self):
        with self.lock:
            self.dirty = False
            return {"done": self.done, "total": self.total, "step": self.step, "unit_label": self.unit_label}


def report(done, total, step, unit_label="đơn vị"):
    current = _current.get()
    if current is not None:
        current.update(done, total, step, unit_label)


def activate(progress):
    return _current.set(progress)


def deactivate(token):
    _current.reset(token)
