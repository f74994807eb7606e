"""What a user is told (in the app, and by e-mail unless they turned it off), and which deadline
reminders went out.

``key`` makes every notice idempotent: a job that runs twice finds the notice already there and
neither stores nor mails it again.
"""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    class Kind(models.TextChoices):
        RETURNED = "returned", "Phiếu bị trả lại"
        ACCEPTED = "accepted", "Phiếu đã thẩm định xong"
        APPROVED = "approved", "Phiếu đã được phê duyệt"
        PUBLISHED = "published", "Phụ lục đã công bố"
        SUBMITTED = "submitted", "Phiếu mới nộp"
        RESUBMITTED = "resubmitted", "Phiếu nộp lại"
        AWAITING = "awaiting", "Phiếu chờ phê duyệt"
        REMINDER = "reminder", "Nhắc hạn nộp phiếu"

    # Mailed even to users who turned off optional e-mail: the unit has to act, or loses points.
    ESSENTIAL = {Kind.RETURNED, Kind.REMINDER}

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người nhận", on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices)
    key = models.CharField("khoá", max_length=200)
    subject = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung")
    link = models.CharField("đường dẫn", max_length=300, blank=True)
    created_at = models.DateTimeField("lúc", auto_now_add=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed_at = models.DateTimeField("đã gửi thư lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user",
                                    violation_error_message="Thông báo này đã gửi cho người dùng."),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.subject

    @property
    def essential(self):
        return self.kind in self.ESSENTIAL


class Preference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    optional_email = models.BooleanField(
        "nhận thư điện tử cho thông báo không bắt buộc", default=True,
        help_text="Thư báo phiếu bị trả lại và thư nhắc hạn nộp phiếu luôn được gửi.")

    class Meta:
        verbose_name = "tuỳ chọn thông báo"
        verbose_name_plural = "tuỳ chọn thông báo"

    def __str__(self):
        return str(self.user)


class Reminder(models.Model):
    """One deadline reminder sent for one form and one deadline: a moved deadline has new rows,
    and the same reminder is never sent twice."""

    class Kind(models.TextChoices):
        WEEK = "7d", "7 ngày trước hạn"
        DAY = "1d", "1 ngày trước hạn"
        OVERDUE = "overdue", "1 ngày sau hạn"

    assessment = models.ForeignKey("assessment.Assessment", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("loại", max_length=8, choices=Kind.choices)
    deadline = models.DateField("hạn nộp khi nhắc")
    sent_at = models.DateTimeField("gửi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "thư nhắc hạn"
        verbose_name_plural = "thư nhắc hạn"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind", "deadline"], name="reminder_once",
                                    violation_error_message="Thư nhắc này đã gửi."),
        ]

    def __str__(self):
        return f"{self.assessment} — {self.get_kind_display()}"
