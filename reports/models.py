"""Publication records: the issuing profile (configuration), reviewers' remarks per unit,
and the immutable published annexes.

``reports`` reads units, criteria and assessments; it writes only these rows.
"""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from simple_history.models import HistoricalRecords

from config import appendonly
from config.chain import ChainedHistory


class IssuingProfile(models.Model):
    """Who issues and signs the annex. Configuration, not code: bodies are renamed and duties
    move between departments (the 2025 reorganisation did both)."""

    class Authority(models.TextChoices):
        NONE = "", "Ký trực tiếp"
        TM = "TM.", "TM. (thay mặt tập thể)"
        KT = "KT.", "KT. (ký thay người đứng đầu)"
        Q = "Q.", "Q. (quyền)"
        TL = "TL.", "TL. (thừa lệnh)"

    name = models.CharField("tên cấu hình", max_length=200, unique=True)
    parent_body = models.CharField("cơ quan chủ quản", max_length=200, blank=True,
                                   help_text="Ví dụ: UBND TỈNH LÀO CAI (để trống nếu cơ quan ban hành là UBND tỉnh).")
    issuing_body = models.CharField("cơ quan ban hành", max_length=200,
                                    help_text="Ví dụ: SỞ THÔNG TIN VÀ TRUYỀN THÔNG.")
    place = models.CharField("địa danh", max_length=100, help_text="Ví dụ: Lào Cai.")
    authority = models.CharField("hình thức ký", max_length=4, choices=Authority.choices, blank=True)
    authority_of = models.CharField("ký thay/thay mặt cho", max_length=200, blank=True,
                                    help_text="Ví dụ: GIÁM ĐỐC (KT. GIÁM ĐỐC) hoặc ỦY BAN NHÂN DÂN (TM. ỦY BAN NHÂN DÂN).")
    signer_title = models.CharField("chức vụ người ký", max_length=200, help_text="Ví dụ: PHÓ GIÁM ĐỐC.")
    signer_name = models.CharField("họ tên người ký", max_length=200)
    recipients = models.TextField("nơi nhận", help_text="Mỗi dòng một nơi nhận, ví dụ: - UBND tỉnh (b/c);")
    is_default = models.BooleanField("dùng mặc định", default=False)
    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        verbose_name = "cơ quan ban hành, người ký"
        verbose_name_plural = "cơ quan ban hành, người ký"
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_profile",
                                    violation_error_message="Chỉ một cấu hình được dùng mặc định."),
        ]

    def __str__(self):
        return self.name

    def as_document(self):
        return {"parent_body": self.parent_body, "issuing_body": self.issuing_body,
                "place": self.place, "authority": self.authority,
                "authority_of": self.authority_of, "signer_title": self.signer_title, "signer_name": self.signer_name,
                "recipients": [line.strip() for line in self.recipients.splitlines() if line.strip()]}


class Remarks(models.Model):
    """What the unit did well / not well (nội dung thực hiện tốt / chưa tốt), drafted from the
    scored criteria and edited by the reviewer before publication."""

    assessment = models.OneToOneField("assessment.Assessment", on_delete=models.CASCADE, related_name="remarks")
    strengths = models.TextField("nội dung thực hiện tốt", blank=True)
    weaknesses = models.TextField("nội dung chưa tốt", blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người sửa", null=True,
                                  on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField("sửa lúc", auto_now=True)
    history = HistoricalRecords(bases=[ChainedHistory])

    class Meta:
        verbose_name = "nhận xét đơn vị"
        verbose_name_plural = "nhận xét đơn vị"

    def __str__(self):
        return str(self.assessment)


class PublicationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_by__isnull=True)


class Publication(models.Model):
    """A published annex: a frozen snapshot of every row and score, with its hash, the PDF and
    Excel rendered from it once, and (later) the signed PDF exactly as uploaded or sealed.

    The database refuses any change (config.appendonly) except attaching the signature:
    once, or again while the attached one does not chain to a trusted root. A correction is
    a new Publication that names the one it supersedes. Publications form one hash chain
    per installation: ``chain_prev`` is the ``chain_hash`` of the one published before.
    """

    period = models.ForeignKey("assessment.Period", verbose_name="kỳ đánh giá", on_delete=models.PROTECT,
                               related_name="publications")
    version = models.PositiveSmallIntegerField("lần công bố")
    supersedes = models.OneToOneField("self", verbose_name="thay thế bản", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")
    correction_reason = models.TextField("lý do đính chính", blank=True)
    document = models.JSONField("nội dung công bố")
    content_hash = models.CharField("mã băm nội dung (SHA-256)", max_length=64, unique=True)
    pdf = models.BinaryField("phụ lục PDF")
    pdf_sha256 = models.CharField("mã băm PDF", max_length=64, db_index=True)
    xlsx = models.BinaryField("phụ lục Excel")
    xlsx_sha256 = models.CharField("mã băm tệp Excel", max_length=64, blank=True)
    chain_prev = models.CharField("mã chuỗi của bản công bố trước", max_length=64, blank=True, unique=True)
    chain_hash = models.CharField("mã chuỗi", max_length=64, blank=True)
    signed_pdf = models.BinaryField("bản PDF đã ký", null=True, blank=True)
    signed_sha256 = models.CharField("mã băm bản đã ký", max_length=64, blank=True, db_index=True)
    signed_trusted = models.BooleanField("chữ ký thuộc nguồn tin cậy", default=False)
    signature = models.JSONField("thông tin chữ ký", null=True, blank=True)
    signed_at = models.DateTimeField("ký lúc", null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người đưa bản ký", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người công bố", on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField("công bố lúc", auto_now_add=True)

    objects = PublicationQuerySet.as_manager()

    SIGNATURE_FIELDS = ("signed_pdf", "signed_sha256", "signed_trusted", "signature", "signed_at", "signed_by")

    class Meta:
        ordering = ["period", "-version"]
        verbose_name = "phụ lục công bố"
        verbose_name_plural = "phụ lục công bố"
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="publication_version_unique",
                                    violation_error_message="Kỳ đánh giá đã có lần công bố này."),
        ]

    def __str__(self):
        return f"{self.period} — lần {self.version}"

    def save(self, *args, **kwargs):
        """A new publication joins the chain; a stored one may only receive its signature (the
        database refuses anything else anyway; this says it in words)."""
        if self.pk is None:
            with transaction.atomic():
                self.xlsx_sha256 = sha256(self.xlsx or b"")
                last = Publication.objects.select_for_update().order_by("-pk").first()
                self.chain_prev = last.chain_hash if last else ""
                self.chain_hash = self.compute_chain_hash()
                super().save(*args, **kwargs)
            return
        else:
            stored = Publication.objects.filter(pk=self.pk).values(*self.FROZEN, "signed_sha256", "signed_trusted").first()
            changed = [f for f in self.FROZEN if _plain(stored[f]) != _plain(getattr(self, f))]
            if stored["signed_sha256"] and stored["signed_trusted"] and self.signed_sha256 != stored["signed_sha256"]:
                changed.append("signed_pdf")
            if changed:
                raise ValidationError(f"Phụ lục đã công bố không sửa được ({', '.join(changed)}); "
                                      "cần sửa thì công bố bản đính chính.")
        super().save(*args, **kwargs)

    def compute_chain_hash(self):
        return chain_digest(self)

    @property
    def number(self):
        return self.document["meta"]["number"]


Publication.FROZEN = tuple(f.attname for f in Publication._meta.concrete_fields
                           if f.name not in ("id", *Publication.SIGNATURE_FIELDS))

# Append-only in the database; the signature columns change only while no trusted signature is attached.
appendonly.protect(Publication, mutable=Publication.SIGNATURE_FIELDS,
                   mutable_while="OLD.\"signed_sha256\" = '' OR NOT OLD.\"signed_trusted\"")
appendonly.protect(Remarks.history.model)
appendonly.protect(IssuingProfile.history.model)


def chain_digest(publication):
    """What the publication chain hashes: identity, every stored file's hash and the predecessor's
    chain hash. A plain function so that a migration's state model can use it too."""
    values = {"period": publication.period_id, "version": publication.version,
              "supersedes": publication.supersedes_id, "content_hash": publication.content_hash,
              "pdf_sha256": publication.pdf_sha256, "xlsx_sha256": publication.xlsx_sha256,
              "published_by": publication.published_by_id, "chain_prev": publication.chain_prev}
    return sha256(json.dumps(values, sort_keys=True).encode())


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def sha256(data):
    return hashlib.sha256(bytes(data)).hexdigest()
