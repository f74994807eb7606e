from django.db import models


class Block(models.Model):
    """A group of units ranked together (sở/ban/ngành, UBND cấp huyện, …).

    Data, not code: provinces reorganise, so blocks are rows an administrator edits.
    """

    code = models.SlugField("mã khối", max_length=40, unique=True)
    name = models.CharField("tên khối", max_length=200, db_collation="vi")
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


class DivisionType(models.TextChoices):
    COMMUNE = "xa", "Xã"
    WARD = "phuong", "Phường"
    SPECIAL_ZONE = "dac-khu", "Đặc khu"


class Unit(models.Model):
    code = models.CharField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=300, db_collation="vi")
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
    official_code = models.CharField(
        "mã đơn vị hành chính", max_length=10, blank=True,
        help_text="Mã của Tổng cục Thống kê cho xã, phường, đặc khu (sau sắp xếp 07/2025); trống với sở, ban, ngành.")
    division_type = models.CharField("loại đơn vị hành chính", max_length=10, choices=DivisionType.choices, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["block__order", "name"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="unit_not_own_parent",
                                   violation_error_message="Đơn vị không thể là cấp trên của chính nó."),
            models.UniqueConstraint(fields=["official_code"], condition=~models.Q(official_code=""),
                                    name="unit_official_code_unique",
                                    violation_error_message="Đã có đơn vị mang mã đơn vị hành chính này."),
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


class Succession(models.Model):
    """A reorganisation between two units, so results stay comparable across it: the old unit was
    renamed to, merged into, or split off as the new one on a date (the 2025 merger of provinces and
    the end of district People's Committees made many of these)."""

    class Kind(models.TextChoices):
        RENAMED = "renamed", "Đổi tên thành"
        MERGED = "merged", "Sáp nhập vào"
        SPLIT = "split", "Tách ra thành"

    old_unit = models.ForeignKey(Unit, verbose_name="đơn vị cũ", on_delete=models.CASCADE, related_name="successors")
    kind = models.CharField("hình thức", max_length=10, choices=Kind.choices)
    new_unit = models.ForeignKey(Unit, verbose_name="đơn vị mới", on_delete=models.CASCADE,
                                 related_name="predecessors")
    date = models.DateField("từ ngày")
    note = models.CharField("căn cứ (quyết định)", max_length=300, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "sắp xếp lại đơn vị"
        verbose_name_plural = "sắp xếp lại đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="succession_unique",
                                    violation_error_message="Đã ghi nhận quan hệ giữa hai đơn vị này."),
            models.CheckConstraint(condition=~models.Q(old_unit=models.F("new_unit")), name="succession_not_self",
                                   violation_error_message="Đơn vị cũ và đơn vị mới phải khác nhau."),
        ]

    def __str__(self):
        return f"{self.old_unit} — {self.get_kind_display().lower()} {self.new_unit} ({self.date:%d/%m/%Y})"


def lineage(unit):
    """The unit and every unit it descends from (renamed from, merged from, split from), oldest
    links included, as {unit id: (unit, how it came in)}. Cycles in bad data stop the walk."""
    found = {unit.pk: (unit, "")}
    frontier = [unit]
    while frontier:
        links = Succession.objects.filter(new_unit__in=frontier).select_related("old_unit", "new_unit")
        frontier = []
        for link in links:
            if link.old_unit_id not in found:
                found[link.old_unit_id] = (link.old_unit, f"{link.get_kind_display()} {link.new_unit.name} "
                                                          f"từ {link.date:%d/%m/%Y}")
                frontier.append(link.old_unit)
    return found
