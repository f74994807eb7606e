from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Ranking, publication snapshots, PDF/Excel annexes and signatures (reads the other apps)."""

    name = "reports"
    verbose_name = "Báo cáo và công bố"

    def ready(self):
        # The permission rules register themselves with django-rules on import. The module is
        # named for what it holds (``permissions``), so rules' autodiscovery of ``rules.py`` misses it.
        from . import permissions  # noqa: F401
