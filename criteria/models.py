"""Criteria sets as stored rows. The text form is the source of truth for their
content: rows are written only through ``criteria.store`` and read back as a
document, so the database and the YAML file can never disagree."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from config import appendonly
from units.models import Block

from .document import TEXT_NODE_KEYS, parse_document
from .fields import FIELD_KINDS
from .numbers import parse_number, plain
from .scheme import APPLIES_TO, HEADLINES, STATUSES

# Parsed schemes of frozen sets, by (pk, code, version): their content can no longer change.
_FROZEN_SCHEMES = {}


class FrozenCriteriaSetError(ValidationError):
    pass


def _frozen_message(criteria_set):
    return (f"Bộ tiêu chí {criteria_set.code} phiên bản {criteria_set.version} đã được sử dụng cho kỳ đánh giá "
            "nên không thể sửa. Hãy tạo phiên bản mới.")


class CriteriaSetQuerySet(models.QuerySet):
    def current(self, code):
        """The version to use for ``code``: the active one, else the newest."""
        rows = self.filter(code=code)
        return rows.filter(status=CriteriaSet.Status.ACTIVE).first() or rows.order_by("-version").first()


class CriteriaSet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", STATUSES["draft"]
        ACTIVE = "active", STATUSES["active"]
        RETIRED = "retired", STATUSES["retired"]

    class Headline(models.TextChoices):
        TOTAL = "total", HEADLINES["total"]
        INDEX = "index", HEADLINES["index"]
        MEAN = "mean", HEADLINES["mean"]

    code = models.SlugField("mã", max_length=80)
    version = models.PositiveIntegerField("phiên bản", default=1)
    name = models.CharField("tên", max_length=500)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision_number = models.CharField("số quyết định ban hành", max_length=100, blank=True)
    decision_date = models.DateField("ngày ban hành", null=True, blank=True)
    decision_issuer = models.CharField("cơ quan ban hành", max_length=300, blank=True)
    source = models.TextField("nguồn", blank=True)
    blocks = models.ManyToManyField(Block, verbose_name="áp dụng cho khối", blank=True, related_name="criteria_sets")
    headline = models.CharField("kết quả xếp hạng theo", max_length=10, choices=Headline.choices, default=Headline.TOTAL)
    points_places = models.PositiveSmallIntegerField("số chữ số thập phân của điểm", default=2)
    score_places = models.PositiveSmallIntegerField("số chữ số thập phân của kết quả", default=2)
    total_max = models.DecimalField("tổng điểm tối đa", max_digits=9, decimal_places=3, null=True, blank=True)
    ranking_rule = models.TextField("quy tắc xếp hạng", blank=True)
    tie_rule = models.TextField("quy tắc đồng hạng", blank=True)
    guidance = models.TextField("hướng dẫn, chú thích của văn bản", blank=True)
    checks = models.JSONField("kiểm tra tính nhất quán của số liệu", default=list, blank=True)
    frozen_at = models.DateTimeField("đã dùng cho kỳ đánh giá từ", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteriaset_code_version_unique",
                                    violation_error_message="Đã có bộ tiêu chí cùng mã và phiên bản."),
            models.UniqueConstraint(fields=["code"], condition=models.Q(status="active"),
                                    name="criteriaset_one_active_version",
                                    violation_error_message="Mỗi mã bộ tiêu chí chỉ có một phiên bản đang áp dụng."),
        ]

    def __str__(self):
        return f"{self.name} ({self.code} v{self.version})"

    @property
    def is_frozen(self):
        return self.frozen_at is not None

    def freeze(self):
        """Called when a period starts using this set: from then on its content cannot change."""
        if self.frozen_at is None:
            self.frozen_at = timezone.now()
            CriteriaSet.objects.filter(pk=self.pk, frozen_at__isnull=True).update(frozen_at=self.frozen_at)

    def check_editable(self):
        if self.is_frozen:
            raise FrozenCriteriaSetError(_frozen_message(self))

    def save(self, *args, **kwargs):
        if self.pk and self.is_frozen:
            stored = CriteriaSet.objects.get(pk=self.pk)
            changed = [f.name for f in self._meta.concrete_fields
                       if f.name not in {"status", "updated_at"}
                       and getattr(stored, f.attname) != getattr(self, f.attname)]
            if changed:
                raise FrozenCriteriaSetError(_frozen_message(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_editable()
        return super().delete(*args, **kwargs)

    def document(self):
        """This set as its text-form document (written by criteria.store.save_document)."""
        return _set_document(self)

    def scheme(self):
        """The plain-value scheme the scoring engine uses. Cached on the instance, and
        across requests once the set is frozen (its content can no longer change)."""
        if not hasattr(self, "_scheme"):
            key = (self.pk, self.code, self.version)
            cached = _FROZEN_SCHEMES.get(key) if self.is_frozen else None
            if cached is None:
                cached = parse_document(self.document())
                if self.is_frozen:
                    _FROZEN_SCHEMES[key] = cached
            self._scheme = cached
        return self._scheme


class _FrozenGuard(models.Model):
    """Rows that belong to a criteria set refuse to change once the set is frozen."""

    class Meta:
        abstract = True

    def owning_set(self):
        raise NotImplementedError

    def save(self, *args, **kwargs):
        self.owning_set().check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.owning_set().check_editable()
        return super().delete(*args, **kwargs)


class Band(_FrozenGuard):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="bands")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    label = models.CharField("xếp loại", max_length=50)
    lower = models.DecimalField("cận dưới (gồm)", max_digits=12, decimal_places=4, null=True, blank=True)
    upper = models.DecimalField("cận trên (không gồm)", max_digits=12, decimal_places=4, null=True, blank=True)
    reason = models.CharField("lý do xếp loại", max_length=300, blank=True)

    class Meta:
        ordering = ["criteria_set", "order"]
        verbose_name = "mức xếp loại"
        verbose_name_plural = "các mức xếp loại"

    def __str__(self):
        return self.label

    def owning_set(self):
        return self.criteria_set


class Criterion(_FrozenGuard):
    class AppliesTo(models.TextChoices):
        ALL = "all", APPLIES_TO["all"]
        WITH_PROCEDURES = "with_procedures", APPLIES_TO["with_procedures"]
        WITHOUT_PROCEDURES = "without_procedures", APPLIES_TO["without_procedures"]

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    order = models.PositiveIntegerField("thứ tự", default=0)
    code = models.CharField("mã", max_length=30)
    title = models.TextField("tiêu chí")
    max_points = models.DecimalField("điểm tối đa", max_digits=9, decimal_places=3, null=True, blank=True)
    applies_to = models.CharField("áp dụng cho", max_length=20, choices=AppliesTo.choices, default=AppliesTo.ALL)
    not_assessed_points = models.DecimalField("điểm không đánh giá", max_digits=9, decimal_places=3,
                                              null=True, blank=True)
    not_assessed_reason = models.TextField("lý do không đánh giá", blank=True)
    note = models.TextField("ghi chú", blank=True)
    documents = models.TextField("tài liệu kiểm chứng cần đính kèm", blank=True)
    method = models.TextField("cách xác định và tính điểm (như văn bản in)", blank=True)
    data_source = models.TextField("nguồn thu thập dữ liệu", blank=True)
    verifier = models.TextField("đơn vị phối hợp xác minh", blank=True)
    automatic = models.CharField("chỉ số tự động, nguồn", max_length=300, blank=True)
    guidance = models.TextField("hướng dẫn, chú thích", blank=True)
    rule = models.JSONField("quy tắc chấm điểm", null=True, blank=True)

    class Meta:
        ordering = ["criteria_set", "order"]
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique_in_set",
                                    violation_error_message="Mã tiêu chí đã có trong bộ tiêu chí này."),
        ]

    def __str__(self):
        return f"{self.code}. {self.title[:80]}"

    def owning_set(self):
        return self.criteria_set


class EvidenceField(_FrozenGuard):
    Kind = models.TextChoices("Kind", [(k.upper(), (k, v)) for k, v in FIELD_KINDS.items()])

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="fields")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    key = models.CharField("mã trường", max_length=60)
    label = models.TextField("nội dung")
    kind = models.CharField("kiểu", max_length=10, choices=Kind.choices)
    choices = models.JSONField("các lựa chọn", default=list, blank=True)
    automatic = models.CharField("chỉ số tự động, nguồn", max_length=300, blank=True)

    class Meta:
        ordering = ["criterion", "order"]
        verbose_name = "trường số liệu kiểm chứng"
        verbose_name_plural = "trường số liệu kiểm chứng"

    def __str__(self):
        return self.label

    def owning_set(self):
        return self.criterion.criteria_set


def _decimal(value):
    return None if value is None else parse_number(value)


def _set_document(criteria_set) -> dict:
    """The stored rows of a set as its text-form document."""
    criteria = list(criteria_set.criteria.order_by("order"))
    fields = {}
    for f in EvidenceField.objects.filter(criterion__criteria_set=criteria_set).order_by("order"):
        fields.setdefault(f.criterion_id, []).append(f)
    children = {}
    for c in criteria:
        children.setdefault(c.parent_id, []).append(c)

    def node(c):
        data = {"code": c.code, "title": c.title}
        if c.max_points is not None:
            data["max"] = _decimal(c.max_points)
        if c.applies_to != "all":
            data["applies_to"] = c.applies_to
        if c.not_assessed_points is not None:
            data["not_assessed"] = {"points": _decimal(c.not_assessed_points), "reason": c.not_assessed_reason}
        if c.note:
            data["note"] = c.note
        if c.documents:
            data["documents"] = c.documents
        for key in TEXT_NODE_KEYS:
            if getattr(c, key):
                data[key] = getattr(c, key)
        if c.id in fields:
            data["fields"] = [{"key": f.key, "label": f.label, "kind": f.kind,
                               **({"choices": f.choices} if f.choices else {}),
                               **({"automatic": f.automatic} if f.automatic else {})} for f in fields[c.id]]
        if c.rule is not None:
            data["rule"] = c.rule
        if c.id in children:
            data["children"] = [node(k) for k in children[c.id]]
        return data

    document = {"code": criteria_set.code, "version": criteria_set.version, "name": criteria_set.name,
                "status": str(criteria_set.status),
                "decision": {"number": criteria_set.decision_number or None,
                             "date": criteria_set.decision_date, "issuer": criteria_set.decision_issuer or None},
                "source": criteria_set.source, "blocks": [b.code for b in criteria_set.blocks.order_by("order", "code")],
                "headline": str(criteria_set.headline),
                "rounding": {"points": criteria_set.points_places, "score": criteria_set.score_places},
                "total_max": _decimal(criteria_set.total_max),
                "ranking_rule": criteria_set.ranking_rule, "tie_rule": criteria_set.tie_rule,
                "bands": [{"label": b.label, "lower": _decimal(b.lower), "upper": _decimal(b.upper),
                           **({"reason": b.reason} if b.reason else {})}
                          for b in criteria_set.bands.order_by("order")],
                "guidance": criteria_set.guidance or None, "checks": criteria_set.checks or None,
                "criteria": [node(c) for c in children.get(None, [])]}
    document["decision"] = {k: v for k, v in document["decision"].items() if v is not None}
    return document


def jsonable(value):
    """Rule parameters as JSON: decimals as their exact text, never floats."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


class CriteriaSetRevision(models.Model):
    """One saved change to a criteria set made in the browser editor: who, when, what (in words)
    and the whole text form after it, so any earlier state can be read and compared."""

    criteria_set = models.ForeignKey(CriteriaSet, verbose_name="bộ tiêu chí", on_delete=models.PROTECT,
                                     related_name="revisions")
    number = models.PositiveIntegerField("lần sửa")
    changed_by = models.ForeignKey("auth.User", verbose_name="người sửa", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    changed_at = models.DateTimeField("lúc", default=timezone.now)
    summary = models.CharField("nội dung thay đổi", max_length=500)
    text = models.TextField("văn bản bộ tiêu chí sau khi sửa")

    class Meta:
        ordering = ["criteria_set", "-number"]
        verbose_name = "lần sửa bộ tiêu chí"
        verbose_name_plural = "lịch sử sửa bộ tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "number"], name="criteriaset_revision_unique",
                                    violation_error_message="Lần sửa này đã được ghi."),
        ]

    def __str__(self):
        return f"{self.criteria_set} — lần {self.number}: {self.summary}"


# The edit history is kept like every other history: the database refuses to change or delete it.
appendonly.protect(CriteriaSetRevision)
