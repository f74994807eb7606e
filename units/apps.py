from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "Đơn vị và khối"

    def ready(self):
        from django.contrib.auth import get_user_model

        from . import collation
        from .naming import full_name

        collation.connect()

        def get_full_name(user):
            """Family name first, as Vietnamese names are written (see units.naming.person_name)."""
            return full_name(user.last_name, user.first_name)

        # Django's own puts the given name first; every template, the admin and the history use this.
        get_user_model().get_full_name = get_full_name
