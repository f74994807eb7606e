"""Files the app keeps between two requests (a previewed upload awaiting confirmation), through
Django's default storage, so any app server can read what another one stored: no local paths."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


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
