"""The security log (issue #10): a row for each event, with user, address and time (UTC in the
database, Vietnamese time on screen), a JSON line in the application log, readable by an
administrator and refused UPDATE and DELETE by the database itself."""

import json
import logging

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.models import SecurityEvent
from assessment.roles import Role

from .world import PASSWORD

Kind = SecurityEvent.Kind


@pytest.fixture
def json_lines():
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(record.getMessage()))

    handler = Collect()
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_events_are_logged_with_user_address_and_time(world, client, json_lines):
    client.post(reverse("login"), {"username": "canbo.a", "password": "sai"}, REMOTE_ADDR="192.0.2.10")
    client.post(reverse("login"), {"username": "canbo.a", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10")
    # Unit A's staff asks for unit B's form and unit page: 404, and a row.
    assert client.get(reverse("assessment:form", args=[world.form_b.pk]), REMOTE_ADDR="192.0.2.10").status_code == 404
    assert client.get(reverse("reports:unit", args=[world.form_b.unit.code]), REMOTE_ADDR="192.0.2.10").status_code == 404
    # A form that does not exist is a 404 too, but nobody was refused anything.
    assert client.get(reverse("assessment:form", args=[999999])).status_code == 404
    client.post(reverse("logout"), REMOTE_ADDR="192.0.2.10")

    failed = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert (failed.username, failed.user_id, failed.address, failed.path) == ("canbo.a", None, "192.0.2.10", "/dang-nhap/")
    login = SecurityEvent.objects.get(kind=Kind.LOGIN)
    assert (login.user_id, login.address) == (world.staff_a.pk, "192.0.2.10")
    assert login.at.utcoffset().total_seconds() == 0
    refused = list(SecurityEvent.objects.filter(kind=Kind.ACCESS_REFUSED).order_by("id").values_list("detail", flat=True))
    assert refused == [{"object": "phiếu tự đánh giá", "key": str(world.form_b.pk)},
                       {"object": "đơn vị", "key": world.form_b.unit.code}]
    assert SecurityEvent.objects.filter(kind=Kind.LOGOUT, username="canbo.a").exists()

    assert [line["event"] for line in json_lines] == ["login_failed", "login", "access_refused", "access_refused", "logout"]
    assert json_lines[1]["user"] == "canbo.a" and json_lines[1]["address"] == "192.0.2.10"
    assert json_lines[1]["at"].endswith("+00:00")


def test_role_changes_are_logged_with_who_made_them(world, client):
    client.force_login(world.admin)
    world.admin.is_superuser = True
    world.admin.save()
    reviewer = Group.objects.get(name=Role.REVIEWER)
    url = reverse("admin:auth_user_change", args=[world.staff_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"password", "groups", "user_permissions"}}
    data.update({"groups": [reviewer.pk, Group.objects.get(name=Role.UNIT_STAFF).pk], "date_joined_0": "01/01/2026",
                 "date_joined_1": "08:00:00", "last_login_0": "", "last_login_1": ""})
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SecurityEvent.objects.filter(kind=Kind.ROLE_CHANGED, username="canbo.a").latest("id")
    assert event.detail == {"added": [Role.REVIEWER], "by": "quantri"}
    world.staff_a.groups.remove(reviewer)
    assert SecurityEvent.objects.filter(kind=Kind.ROLE_CHANGED, username="canbo.a").latest("id").detail == {
        "removed": [Role.REVIEWER]}
    assert SecurityEvent.objects.filter(kind=Kind.ROLE_CHANGED, username="quantri", detail__flags__isnull=False).exists()


def test_the_log_cannot_be_changed_or_deleted(world, client):
    client.post(reverse("login"), {"username": "canbo.a", "password": PASSWORD})
    event = SecurityEvent.objects.get(kind=Kind.LOGIN)
    table = SecurityEvent._meta.db_table
    attempts = [
        lambda: SecurityEvent.objects.filter(pk=event.pk).update(username="ai-do"),
        lambda: SecurityEvent.objects.filter(pk=event.pk).delete(),
        lambda: SecurityEvent.objects.all().delete(),
        lambda: event.delete(),
        lambda: SecurityEvent(pk=event.pk, kind=Kind.LOGOUT, username="ai-do").save(),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    for sql in (f"UPDATE {table} SET username = 'ai-do' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.username == "canbo.a" and SecurityEvent.objects.filter(kind=Kind.LOGIN).count() == 1
    # Appending still works.
    client.post(reverse("logout"))
    assert SecurityEvent.objects.filter(kind=Kind.LOGOUT).count() == 1


def test_administrators_read_the_log_in_vietnamese_time_and_cannot_edit_it(world, client):
    world.admin.is_superuser = True
    world.admin.save()
    client.post(reverse("login"), {"username": "quantri", "password": PASSWORD})
    event = SecurityEvent.objects.get(kind=Kind.LOGIN)
    listing = client.get(reverse("admin:accounts_securityevent_changelist"))
    assert listing.status_code == 200
    text = listing.content.decode()
    from django.utils import timezone

    assert timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M") in text
    assert (timezone.localtime(event.at).utcoffset().total_seconds()) == 7 * 3600
    assert 'name="action"' not in text  # no bulk delete
    assert client.get(reverse("admin:accounts_securityevent_change", args=[event.pk])).status_code == 200
    assert client.post(reverse("admin:accounts_securityevent_change", args=[event.pk]), {"username": "x"}).status_code == 403
    assert client.post(reverse("admin:accounts_securityevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk, username="quantri").exists()
