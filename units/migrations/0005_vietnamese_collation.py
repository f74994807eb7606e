from django.db import migrations, models


def create_collation(apps, schema_editor):
    """PostgreSQL takes ``vi`` from ICU; SQLite connections register it in units/collation.py."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE COLLATION IF NOT EXISTS vi (provider = icu, locale = 'vi')")


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS vi")


class Migration(migrations.Migration):

    dependencies = [
        ('units', '0004_succession'),
    ]

    operations = [
        migrations.RunPython(create_collation, drop_collation),
        migrations.AlterField(
            model_name='block',
            name='name',
            field=models.CharField(db_collation='vi', max_length=200, verbose_name='tên khối'),
        ),
        migrations.AlterField(
            model_name='unit',
            name='name',
            field=models.CharField(db_collation='vi', max_length=300, verbose_name='tên đơn vị'),
        ),
    ]
