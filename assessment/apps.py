from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Periods, self-assessments, answers, evidence, review and workflow (built on criteria and units)."""

    name = "assessment"
    verbose_name = "Đánh giá"

    def ready(self):
        # The permission rules register themselves with django-rules on import. The module is
        # named for what it holds (``permissions``), so rules' autodiscovery of ``rules.py`` misses it.
        from django.contrib.auth.models import PermissionsMixin

        from . import permissions  # noqa: F401
        from .roles import workflow_has_perm

        if not getattr(PermissionsMixin.has_perm, "workflow_checked", False):
            PermissionsMixin.has_perm = workflow_has_perm(PermissionsMixin.has_perm)
