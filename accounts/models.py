"""The security log: one row per event, never changed or removed (triggers refuse it in the
database, see ``config.appendonly``)."""

from django.db import models

from config import appendonly


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", "Đăng nhập"
        LOGIN_FAILED = "login_failed", "Đăng nhập sai"
        LOCKED_OUT = "locked_out", "Tạm khoá đăng nhập"
        LOGOUT = "logout", "Đăng xuất"
        SESSION_EXPIRED = "session_expired", "Hết thời hạn phiên đăng nhập"
        PASSWORD_CHANGED = "password_changed", "Đổi mật khẩu"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Yêu cầu đặt lại mật khẩu"
        PASSWORD_RESET = "password_reset", "Đặt lại mật khẩu qua thư điện tử"
        ROLE_CHANGED = "role_changed", "Thay đổi vai trò, quyền"
        TWO_FACTOR_ENABLED = "2fa_enabled", "Bật xác thực hai bước"
        TWO_FACTOR_DISABLED = "2fa_disabled", "Tắt xác thực hai bước"
        TWO_FACTOR_VERIFIED = "2fa_verified", "Xác thực hai bước thành công"
        TWO_FACTOR_FAILED = "2fa_failed", "Mã xác thực hai bước sai"
        BACKUP_CODE_USED = "backup_code_used", "Dùng mã dự phòng"
        BACKUP_CODES_CREATED = "backup_codes_created", "Tạo mã dự phòng mới"
        ACCESS_REFUSED = "access_refused", "Từ chối truy cập dữ liệu của đơn vị khác"

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    kind = models.CharField("sự kiện", max_length=32, choices=Kind.choices, db_index=True)
    # No foreign key: a row must outlive the account it names, and deleting a user must not
    # try to update this table.
    user_id = models.BigIntegerField("mã người dùng", null=True, blank=True, db_index=True)
    username = models.CharField("tên đăng nhập", max_length=150, blank=True)
    address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    path = models.CharField("đường dẫn", max_length=500, blank=True)
    detail = models.JSONField("chi tiết", default=dict, blank=True)

    class Meta:
        verbose_name = "sự kiện an ninh"
        verbose_name_plural = "nhật ký an ninh"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.username or '(không rõ)'}"


appendonly.protect(SecurityEvent)
