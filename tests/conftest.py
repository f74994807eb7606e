import pytest
from django.core.management import call_command

from .seeds import FIXTURES


@pytest.fixture
def shipped_sets(db):
    """Every shipped criteria set, loaded the way the README's run command loads them."""
    call_command("load_criteria", str(FIXTURES))


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("can.bo", password="mat-khau-thu-123", first_name="Cán bộ")
    client.force_login(user)
    return client
