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


@pytest.fixture
def profile(db):
    from reports.models import IssuingProfile

    return IssuingProfile.objects.create(
        name="Sở TTTT Lào Cai", parent_body="UBND tỉnh Lào Cai", issuing_body="Sở Thông tin và Truyền thông",
        place="Lào Cai", authority="KT.", authority_of="Giám đốc", signer_title="Phó Giám đốc",
        signer_name="Nguyễn Văn Hùng", recipients="- UBND tỉnh (b/c);\n- Các sở, ban, ngành;\n- Lưu: VT, CNTT.",
        is_default=True)


@pytest.fixture
def published(world, profile):
    """Both forms approved (A: 19,00; B: 18,60 after review) and published as number 15/QĐ-STTTT of 05/01/2021."""
    import datetime

    from reports.snapshot import publish

    from .world import approved

    approved(world, world.form_a, world.staff_a)
    approved(world, world.form_b, world.staff_b, change="780")
    return publish(world.period, profile, by=world.leader, number="15/QĐ-STTTT", date=datetime.date(2021, 1, 5))


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The verification page's rate limit counts in the cache; each test starts with none used."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _jobs_run_in_the_request(settings):
    """Jobs run inside the request through django-tasks' immediate backend, so a test that asks for
    a publication sees it; tests/test_jobs.py switches to the database backend and a real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
