
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0006_automatic_indicator_imports'),
        ('assessment', '0006_review_requests_and_resubmission'),
    ]

    operations = [
    ]
