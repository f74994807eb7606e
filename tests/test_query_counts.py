"""Pages that list many things run a fixed number of queries, whatever the size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.roles import Role
from tests.synthetic import open_period, user
from units.models import Unit


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def counts(client, criteria, units):
    period, _, reviewer = open_period(criteria, units)
    form = period.assessments.first()
    staff = user(f"staff-{criteria}-{units}", Role.UNIT_STAFF, [Unit.objects.get(pk=form.unit_id)])
    client.force_login(staff)
    own = queries(client, f"/phieu/{form.pk}/")
    client.force_login(reviewer)
    return own, queries(client, f"/phieu/{form.pk}/"), queries(client, f"/ky-danh-gia/{period.pk}/")


def test_form_and_queue_queries_do_not_grow(db, client):
    small = counts(client, criteria=5, units=2)
    assert counts(client, criteria=40, units=2) == small  # more criteria
    assert counts(client, criteria=6, units=25) == small  # more units
