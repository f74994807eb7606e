"""Files a request leaves behind: previews never confirmed, temporary uploads of killed
requests, evidence files whose record was never committed.

Called by ``manage.py remove_stale_files`` (run it from cron, e.g. hourly) and, cheaply, by the
upload views themselves ("cleanup on use").
"""

import time
from pathlib import Path

from django.conf import settings

PREVIEW_MAX_AGE = 24 * 3600
TEMP_MAX_AGE = 3600


def temp_dir():
    path = Path(settings.FILE_UPLOAD_TEMP_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _old_files(folder, max_age, now):
    if not folder.exists():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and now - p.stat().st_mtime > max_age]


def remove_stale(*, now=None, orphans=True):
    """Remove stale previews, temporary uploads and orphaned evidence files; returns what was removed."""
    now = now if now is not None else time.time()
    removed = []
    for path in _old_files(Path(settings.MEDIA_ROOT) / "offline", PREVIEW_MAX_AGE, now):
        path.unlink(missing_ok=True)
        removed.append(path)
    for path in _old_files(Path(settings.FILE_UPLOAD_TEMP_DIR), TEMP_MAX_AGE, now):
        path.unlink(missing_ok=True)
        removed.append(path)
    if orphans:
        from assessment.models import EvidenceFile

        root = Path(settings.MEDIA_ROOT)
        candidates = _old_files(root / "evidence", TEMP_MAX_AGE, now)
        if candidates:
            known = set(EvidenceFile.objects.values_list("file", flat=True))
            for path in candidates:
                if str(path.relative_to(root)) not in known:
                    path.unlink(missing_ok=True)
                    removed.append(path)
    return removed


def remove_stale_previews():
    """The cheap part, done on every upload: previews older than a day."""
    now = time.time()
    for path in _old_files(Path(settings.MEDIA_ROOT) / "offline", PREVIEW_MAX_AGE, now):
        path.unlink(missing_ok=True)
