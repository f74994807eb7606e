"""The three blocks every province starts with. They are ordinary rows: an
administrator renames, adds or retires blocks when the province reorganises."""

from django.db import migrations

BLOCKS = [
    ("so-nganh", "Sở, ban, ngành", 1),
    ("huyen", "UBND cấp huyện", 2),
    ("xa", "UBND cấp xã", 3),
]


def create(apps, schema_editor):
    Block = apps.get_model("units", "Block")
    for code, name, order in BLOCKS:
        Block.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
