"""The roles of the product. Each is a Django group of the same name."""

from django.db import models


class Role(models.TextChoices):
    UNIT_STAFF = "Cán bộ đơn vị", "Cán bộ đơn vị (điền phiếu tự đánh giá)"
    REVIEWER = "Thẩm định viên", "Thẩm định viên (Sở TTTT)"
    LEADER = "Lãnh đạo", "Lãnh đạo (phê duyệt, công bố)"
    ADMIN = "Quản trị viên", "Quản trị viên"


def has_role(user, role):
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = user._role_cache = set(user.groups.values_list("name", flat=True))
    return role in cache


def is_admin(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.ADMIN))


def is_leader(user):
    return has_role(user, Role.LEADER)


def sees_everything(user):
    return is_admin(user) or is_leader(user)
