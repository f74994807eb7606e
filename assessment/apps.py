from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Periods, self-assessments, answers, evidence, review and workflow (built on criteria and units)."""

    name = "assessment"
    verbose_name = "Đánh giá"

    def ready(self):
        # The permission rules register themselves with django-rules on import. The module is
        # named for what it holds (``permissions``), so rules' autodiscovery of ``rules.py`` misses it.
        from . import permissions  # noqa: F401
