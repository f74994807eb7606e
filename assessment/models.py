"""Periods, self-assessments (phiếu), answers, evidence files and clarification threads.

Statuses change only through the verbs in ``assessment.workflow``; every
model that matters keeps its history (django-simple-history), with who, when
and why.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from config import appendonly
from config.chain import ChainedHistory
from criteria.models import CriteriaSet, Criterion
from units.models import Block, Membership, Unit

from .roles import Role, sees_everything


class Period(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Đang chuẩn bị"
        OPEN = "open", "Đang nhận phiếu"
        REVIEW = "review", "Đang thẩm định"
        CLOSED = "closed", "Đã kết thúc"

    year = models.PositiveSmallIntegerField("năm đánh giá")
    name = models.CharField("tên kỳ đánh giá", max_length=300)
    opens_on = models.DateField("ngày mở")
    deadline = models.DateField("hạn nộp phiếu", help_text="Nộp sau ngày này bị trừ điểm theo bộ tiêu chí.")
    data_cutoff = models.DateField("số liệu tính đến ngày")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    requires_signed_scan = models.BooleanField(
        "bắt buộc đính kèm bản quét phiếu có ký, đóng dấu", default=False)
    participants = models.ManyToManyField(Unit, verbose_name="đơn vị tham gia", blank=True,
                                          related_name="periods")
    carried_from = models.ForeignKey("self", verbose_name="tạo từ kỳ", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="carried_to")
    start_from_previous = models.BooleanField(
        "đơn vị bắt đầu từ số liệu năm trước", default=False,
        help_text="Khi mở kỳ, phiếu của mỗi đơn vị điền sẵn số liệu đã thẩm định của kỳ trước ở các tiêu chí còn giữ nguyên.")
    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = "kỳ đánh giá"
        verbose_name_plural = "kỳ đánh giá"
        constraints = [
            models.CheckConstraint(condition=Q(opens_on__lte=models.F("deadline")), name="period_opens_before_deadline",
                                   violation_error_message="Ngày mở phải trước hoặc bằng hạn nộp phiếu."),
        ]

    def __str__(self):
        return self.name

    def days_late(self, when):
        """Calendar days after the deadline (the sources say "mỗi ngày", not working days)."""
        day = timezone.localdate(when) if isinstance(when, datetime.datetime) else when
        return max(0, (day - self.deadline).days)


class PeriodCriteriaSet(models.Model):
    """Which criteria set a block is assessed with in a period."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="criteria_sets")
    block = models.ForeignKey(Block, verbose_name="khối", on_delete=models.PROTECT)
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name="bộ tiêu chí", on_delete=models.PROTECT)

    class Meta:
        verbose_name = "bộ tiêu chí của khối"
        verbose_name_plural = "bộ tiêu chí theo khối"
        constraints = [
            models.UniqueConstraint(fields=["period", "block"], name="period_block_unique",
                                    violation_error_message="Mỗi khối chỉ dùng một bộ tiêu chí trong một kỳ."),
        ]

    def __str__(self):
        return f"{self.block}: {self.criteria_set}"


class ReviewerAssignment(models.Model):
    """A reviewer is responsible, in one period, for one unit or for a whole block."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reviewer_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="thẩm định viên", on_delete=models.CASCADE,
                                 related_name="review_assignments")
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", null=True, blank=True, on_delete=models.CASCADE)
    block = models.ForeignKey(Block, verbose_name="cả khối", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = "phân công thẩm định"
        verbose_name_plural = "phân công thẩm định"
        constraints = [
            models.CheckConstraint(condition=Q(unit__isnull=False) ^ Q(block__isnull=False),
                                   name="assignment_unit_xor_block",
                                   violation_error_message="Phân công cho một đơn vị hoặc cả một khối (chọn một)."),
        ]

    def __str__(self):
        return f"{self.reviewer} — {self.unit or self.block}"


def reviewer_filter(user, prefix=""):
    """Q matching assessments assigned to ``user`` (directly, or through the unit's block)."""
    assigned = ReviewerAssignment.objects.filter(period=OuterRef(f"{prefix}period"), reviewer=user).filter(
        Q(unit=OuterRef(f"{prefix}unit")) | Q(block=OuterRef(f"{prefix}unit__block")))
    return Exists(assigned)


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Access decided once: leadership and administrators see all; unit staff their units'
        forms; reviewers what is assigned to them. Anything else does not exist for the user."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        member = Exists(Membership.objects.filter(user=user, unit=OuterRef("unit")))
        return self.filter(member | reviewer_filter(user))


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Đang điền"
        SUBMITTED = "submitted", "Đã nộp, chờ thẩm định"
        RETURNED = "returned", "Trả lại để giải trình"
        REVIEWED = "reviewed", "Đã thẩm định"
        APPROVED = "approved", "Đã phê duyệt"

    period = models.ForeignKey(Period, verbose_name="kỳ đánh giá", on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="assessments")
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name="bộ tiêu chí", on_delete=models.PROTECT,
                                     related_name="assessments")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    days_late = models.PositiveIntegerField("số ngày nộp muộn", default=0)
    reopened_until = models.DateTimeField("được mở lại đến", null=True, blank=True)
    reopen_reason = models.TextField("lý do mở lại", blank=True)
    self_total = models.DecimalField("tổng điểm tự đánh giá", max_digits=9, decimal_places=3, null=True, blank=True)
    self_score = models.DecimalField("kết quả tự đánh giá", max_digits=9, decimal_places=4, null=True, blank=True)
    reviewed_total = models.DecimalField("tổng điểm thẩm định", max_digits=9, decimal_places=3, null=True, blank=True)
    reviewed_score = models.DecimalField("kết quả thẩm định", max_digits=9, decimal_places=4, null=True, blank=True)
    max_points = models.DecimalField("điểm tối đa áp dụng", max_digits=9, decimal_places=3, null=True, blank=True)
    classification = models.CharField("xếp loại (thẩm định)", max_length=50, blank=True)
    submission_count = models.PositiveIntegerField("số lần nộp", default=0)
    changed_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    history = HistoricalRecords(bases=[ChainedHistory])

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["period", "unit__block__order", "unit__name"]
        verbose_name = "phiếu tự đánh giá"
        verbose_name_plural = "phiếu tự đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="assessment_one_per_unit_and_period",
                                    violation_error_message="Mỗi đơn vị chỉ có một phiếu trong một kỳ đánh giá."),
        ]

    def __str__(self):
        return f"{self.unit} — {self.period}"

    @property
    def resubmitted(self):
        """Submitted again after a return ("Đã nộp lại"), waiting for the reviewer."""
        return self.status == self.Status.SUBMITTED and self.submission_count > 1

    @property
    def queue_label(self):
        return "Đã nộp lại, chờ thẩm định" if self.resubmitted else self.get_status_display()

    @property
    def reopened(self):
        return self.reopened_until is not None and self.reopened_until > timezone.now()

    def can(self, verb):
        """Whether the form's status allows ``verb`` (a key of TRANSITIONS) now."""
        return self.status in TRANSITIONS[verb][0]

    def editable_by_unit(self):
        """The unit may edit while the form is theirs — in a status it can submit from — in an
        open period (or reopened by an administrator for a limited time)."""
        if not self.can("submit"):
            return False
        return self.period.status == Period.Status.OPEN or self.reopened

    def read_only_reason(self):
        """Why the unit cannot edit now, in words a user understands; '' when they can."""
        if self.editable_by_unit():
            return ""
        if self.status in NOT_THE_UNITS:
            return NOT_THE_UNITS[self.status]
        if self.period.status == Period.Status.DRAFT:
            return "Kỳ đánh giá chưa mở."
        return (f"Kỳ đánh giá đang ở trạng thái “{self.period.get_status_display()}”, đơn vị không sửa phiếu được. "
                "Cần sửa thì đề nghị quản trị viên mở lại phiếu.")


S = Assessment.Status

#: The form's life, written once: verb -> (statuses it may start from, status it leads to).
#: Only the verbs in ``assessment.workflow`` move along it; who may edit or act in which status
#: (``Assessment.can``, ``editable_by_unit``, the permission rules) is read from it.
TRANSITIONS = {
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED),
    "return_to_unit": ({S.SUBMITTED}, S.RETURNED),
    "accept_review": ({S.SUBMITTED}, S.REVIEWED),
    "approve": ({S.REVIEWED}, S.APPROVED),
    "unapprove": ({S.APPROVED}, S.REVIEWED),
    "reopen": ({S.DRAFT, S.SUBMITTED, S.RETURNED, S.REVIEWED}, S.RETURNED),
}
#: Why the unit cannot edit in the statuses where the form is not theirs (see ``read_only_reason``).
NOT_THE_UNITS = {
    S.SUBMITTED: "Phiếu đã nộp và đang chờ Sở thẩm định. Nếu Sở trả lại để giải trình, đơn vị sẽ sửa được.",
    S.REVIEWED: "Phiếu đã được thẩm định xong, đang chờ lãnh đạo phê duyệt.",
    S.APPROVED: "Kết quả đã được lãnh đạo phê duyệt nên không sửa được nữa.",
}
assert set(NOT_THE_UNITS) == set(S) - TRANSITIONS["submit"][0]


class Answer(models.Model):
    """One criterion of one form: the unit's figures and score beside the reviewer's.

    ``values``/``points`` are the unit's (column 3 and 5); ``reviewed_values``/
    ``reviewed_points`` are the reviewer's changes (column 6), empty where the
    reviewer accepted the unit's figures. Scores are cached from the engine.
    ``version`` guards against two people saving over each other.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="+")
    values = models.JSONField("số liệu đơn vị", default=dict, blank=True)
    points = models.DecimalField("điểm đơn vị nhập", max_digits=9, decimal_places=3, null=True, blank=True)
    note = models.TextField("ghi chú (cột 7)", blank=True)
    explanation = models.TextField("giải trình khi không có tài liệu kiểm chứng", blank=True)
    reviewed_values = models.JSONField("số liệu thẩm định", null=True, blank=True)
    reviewed_points = models.DecimalField("điểm thẩm định nhập", max_digits=9, decimal_places=3, null=True, blank=True)
    poor_data = models.BooleanField("số liệu không đảm bảo chất lượng", default=False)
    review_reason = models.TextField("lý do điều chỉnh của thẩm định", blank=True)
    request = models.TextField("nội dung cần bổ sung (thẩm định yêu cầu)", blank=True,
                               help_text="Không trống nghĩa là tiêu chí được đánh dấu “cần bổ sung”.")
    self_result = models.DecimalField("điểm tự đánh giá", max_digits=9, decimal_places=3, null=True, blank=True)
    reviewed_result = models.DecimalField("điểm thẩm định", max_digits=9, decimal_places=3, null=True, blank=True)
    carried_values = models.JSONField(
        "số liệu năm trước", null=True, blank=True,
        help_text="Số liệu điền sẵn từ kỳ trước khi mở kỳ; còn bằng số liệu hiện tại thì phiếu ghi “số liệu năm trước”.")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["assessment", "criterion__order"]
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="answer_one_per_criterion",
                                    violation_error_message="Mỗi tiêu chí chỉ có một câu trả lời trong phiếu."),
        ]

    def __str__(self):
        return f"{self.assessment} — {self.criterion.code}"

    @property
    def is_carried(self):
        """Still last year's figures, untouched by the unit ("số liệu năm trước")."""
        return bool(self.carried_values) and self.values == self.carried_values


def evidence_path(instance, filename):
    return f"evidence/{instance.assessment_id}/{instance.sha256[:2]}/{instance.sha256}"


class EvidenceFile(models.Model):
    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "Tài liệu kiểm chứng"
        SIGNED_SCAN = "signed_scan", "Bản quét phiếu có ký, đóng dấu"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="files")
    criterion = models.ForeignKey(Criterion, verbose_name="tiêu chí", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.EVIDENCE)
    file = models.FileField("tệp", upload_to=evidence_path, max_length=300)
    original_name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    content_type = models.CharField("kiểu nội dung", max_length=100)
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người tải lên", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now)
    removed = models.BooleanField("đã gỡ", default=False)
    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        ordering = ["assessment", "uploaded_at"]
        verbose_name = "tệp kiểm chứng"
        verbose_name_plural = "tệp kiểm chứng"

    def __str__(self):
        return self.original_name


class Comment(models.Model):
    """The clarification thread (giải trình): per criterion, or for the whole form."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    criterion = models.ForeignKey(Criterion, verbose_name="tiêu chí", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người viết", on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField("nội dung")
    created_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "ý kiến giải trình"
        verbose_name_plural = "ý kiến giải trình"

    def __str__(self):
        return self.text[:60]


# History is append-only in the database: UPDATE and DELETE refused by triggers (config.appendonly).
for _model in (Period, Assessment, Answer, EvidenceFile):
    appendonly.protect(_model.history.model)

__all__ = ["Answer", "Assessment", "Comment", "EvidenceFile", "Period", "PeriodCriteriaSet", "ReviewerAssignment",
           "Role"]


class IndicatorImport(models.Model):
    """One imported file of an automatic indicator (e.g. the QĐ 766 public-service index), kept with
    its provenance: what it is, which file (and its hash), who imported it, when, and the source's date."""

    period = models.ForeignKey(Period, verbose_name="kỳ đánh giá", on_delete=models.PROTECT,
                               related_name="indicator_imports")
    field_key = models.CharField("mã trường số liệu", max_length=60)
    source = models.CharField("nguồn", max_length=300)
    file_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    source_date = models.DateField("số liệu của nguồn tính đến ngày")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người nhập", on_delete=models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField("nhập lúc", default=timezone.now)
    rows = models.PositiveIntegerField("số dòng dùng", default=0)
    updated_forms = models.PositiveIntegerField("số phiếu được cập nhật", default=0)
    skipped = models.JSONField("phiếu không cập nhật (lý do)", default=list, blank=True)

    class Meta:
        ordering = ["-source_date", "-imported_at"]
        verbose_name = "lần nhập chỉ số tự động"
        verbose_name_plural = "các lần nhập chỉ số tự động"

    def __str__(self):
        return f"{self.source}: {self.file_name} ({self.source_date:%d/%m/%Y})"


class IndicatorValue(models.Model):
    batch = models.ForeignKey(IndicatorImport, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    value = models.CharField("giá trị", max_length=40)
    month = models.CharField("tháng của số liệu", max_length=7, blank=True)
    row = models.PositiveIntegerField("dòng trong tệp", default=0)

    class Meta:
        ordering = ["batch", "row"]
        verbose_name = "giá trị chỉ số tự động"
        verbose_name_plural = "giá trị chỉ số tự động"
        constraints = [models.UniqueConstraint(fields=["batch", "unit"], name="indicator_value_once_per_unit")]

    def __str__(self):
        return f"{self.unit_id}: {self.value}"


# What an automatic indicator import brought in, and from which file, is never rewritten either.
appendonly.protect(IndicatorImport)
appendonly.protect(IndicatorValue)
