from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Ranking, publication snapshots, PDF/Excel annexes and signatures (reads the other apps)."""

    name = "reports"
    verbose_name = "Báo cáo và công bố"
