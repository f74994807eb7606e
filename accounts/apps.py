from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản và nhật ký an ninh"

    def ready(self):
        from . import signals

        signals.connect()
