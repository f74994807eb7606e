from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Periods, self-assessments, answers, evidence, review and workflow (built on criteria and units)."""

    name = "assessment"
    verbose_name = "Đánh giá"
