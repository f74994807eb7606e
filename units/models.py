from django.db import models


class Block(models.Model):
    """A group of units ranked together (sở/ban/ngành, UBND cấp huyện, …).

    Data, not code: provinces reorganise, so blocks are rows an administrator edits.
    """

    code = models.SlugField("mã khối", max_length=40, unique=True)
    name = models.CharField("tên khối", max_length=200)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    description = models.TextField("mô tả", blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "khối"
        verbose_name_plural = "khối"

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Unit(models.Model):
    code = models.CharField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=300)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    block = models.ForeignKey(Block, verbose_name="khối", on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", verbose_name="đơn vị cấp trên", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    has_procedures = models.BooleanField(
        "có thủ tục hành chính", default=True,
        help_text="Cơ quan không có TTHC không chấm các mục dịch vụ công (và có thể được tính trên thang điểm khác).")
    is_voluntary = models.BooleanField(
        "đối tượng khuyến khích", default=False,
        help_text="Tham gia tự nguyện: có trong bảng kết quả nhưng không xếp hạng chính thức.")
    is_active = models.BooleanField("đang hoạt động", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["block__order", "name"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="unit_not_own_parent",
                                   violation_error_message="Đơn vị không thể là cấp trên của chính nó."),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user working for a unit: they fill that unit's forms. A person may serve several units."""

    user = models.ForeignKey("auth.User", verbose_name="người dùng", on_delete=models.CASCADE,
                             related_name="unit_memberships")
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = "cán bộ của đơn vị"
        verbose_name_plural = "cán bộ của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_unique",
                                    violation_error_message="Người dùng này đã thuộc đơn vị này."),
        ]

    def __str__(self):
        return f"{self.user} — {self.unit}"
