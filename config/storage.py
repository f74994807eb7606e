"""Storages: WhiteNoise's static files; and files the app keeps between two requests (a
previewed upload awaiting confirmation) through Django's default storage, so any app server
reads what another one stored: no local paths."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names (cached for a year) and gzip/brotli copies, from the manifest collectstatic
    writes. Where nothing was collected (tests, benchmarks, a developer's machine), a file's URL
    is its plain name rather than an error, and the finders serve it."""

    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name


class StoredFile:
    def __init__(self, name):
        self.name = name

    def exists(self):
        return default_storage.exists(self.name)

    def read_bytes(self):
        with default_storage.open(self.name, "rb") as handle:
            return handle.read()

    def write_bytes(self, data):
        if default_storage.exists(self.name):
            default_storage.delete(self.name)
        default_storage.save(self.name, ContentFile(data))

    def unlink(self, missing_ok=False):
        if missing_ok and not self.exists():
            return
        default_storage.delete(self.name)


class StoredFolder:
    """``folder / "name"`` gives a StoredFile, as a pathlib folder would give a path."""

    def __init__(self, prefix):
        self.prefix = prefix.strip("/")

    def __truediv__(self, name):
        return StoredFile(f"{self.prefix}/{name}")
