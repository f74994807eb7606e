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


def workflow_has_perm(has_perm):
    """Wrap ``User.has_perm`` so that the superuser flag is not a role.

    Django answers every permission with True for an active superuser. For the workflow's
    permissions (the django-rules ones: fill, review, approve, publish, sign…) only the rules
    decide, so an administrator acts in the workflow only through a role the account holds."""
    import rules

    def checked(user, perm, obj=None):
        if rules.perm_exists(perm):
            return user.is_active and rules.has_perm(perm, user, obj)
        return has_perm(user, perm, obj)

    checked.workflow_checked = True
    return checked
