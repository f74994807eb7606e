"""One group per role. Permissions on objects are decided in assessment/permissions.py, not here."""

from django.db import migrations

ROLES = ["Cán bộ đơn vị", "Thẩm định viên", "Lãnh đạo", "Quản trị viên"]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
