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


@pytest.fixture
def world(db, django_user_model):
    """Units A and B with their staff and reviewers, a leader, an administrator, and an open period."""
    from .world import build_world

    return build_world(django_user_model)


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users log in for real, but hashing their passwords need not be slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _forget_parsed_schemes():
    """Each test's database starts afresh, so must the cache of frozen sets' parsed schemes."""
    from criteria import models

    models._FROZEN_SCHEMES.clear()
