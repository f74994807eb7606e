"""Static files storage: WhiteNoise's hashed and compressed files after collectstatic."""

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
