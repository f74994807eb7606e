"""A background job as the user sees it: what it does, who asked, how far it got, its result or
the reason it failed.

The task queue (django.tasks API, ``django_tasks_db`` backend) only carries ``run_job(job_id)``;
everything the pages show lives here, so the queue can be swapped without touching the pages.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Job(models.Model):
    class Kind(models.TextChoices):
        PUBLISH = "publish", "Công bố phụ lục"
        SEAL = "seal", "Ký số phụ lục bằng chứng thư của cơ quan"
        BULK_IMPORT = "bulk_import", "Ghi số liệu cả kỳ từ tệp Excel"
        HISTORICAL = "historical", "Nhập kết quả đã công bố các năm trước"
        WHATIF = "whatif", "Chấm thử theo bộ tiêu chí khác"
        EXPORT = "export", "Xuất kết quả"
        NOTIFY = "notify", "Gửi thông báo"
        REMINDERS = "reminders", "Nhắc hạn nộp phiếu"

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        SUCCEEDED = "succeeded", "Hoàn thành"
        FAILED = "failed", "Không thành công"

    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    title = models.CharField("tên công việc", max_length=300)
    params = models.JSONField("tham số", default=dict)
    key = models.CharField("khoá chống chạy trùng", max_length=200, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người yêu cầu", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    heartbeat_at = models.DateTimeField("tín hiệu sống gần nhất", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    max_attempts = models.PositiveSmallIntegerField("số lần chạy tối đa", default=2)
    done = models.PositiveIntegerField("đã xong", default=0)
    total = models.PositiveIntegerField("tổng số", default=0)
    step = models.CharField("bước", max_length=200, blank=True)
    unit_label = models.CharField("đơn vị đếm", max_length=40, blank=True)
    result = models.JSONField("kết quả", null=True, blank=True)
    message = models.TextField("thông báo lỗi", blank=True)
    task_id = models.CharField("mã trong hàng đợi", max_length=64, blank=True)
    worker = models.CharField("tiến trình chạy", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "công việc chạy nền"
        verbose_name_plural = "công việc chạy nền"
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(status="failed") & ~Q(key=""),
                                    name="job_key_unique_unless_failed",
                                    violation_error_message="Công việc này đã được yêu cầu."),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]

    def __str__(self):
        return f"{self.title} ({self.get_status_display().lower()})"

    @property
    def percent(self):
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def finished(self):
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
