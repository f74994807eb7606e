"""No input gives HTTP 500: random text, bytes and numbers posted (and sent as query strings) to
every endpoint of the URL resolver, logged in as each role and anonymously.

The endpoints are enumerated from the resolver (the project's own URLs, and the admin's add,
change-list and import pages of every registered model), so a new view is covered without
editing this file. A first sweep sends fixed hostile values to every endpoint as every role;
hypothesis then explores (max_examples sized to keep the run well under two minutes on 2 cores).
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import workflow
from assessment.demo import TINY_PDF
from assessment.forms import ReviewForm, UnitForm
from assessment.models import EvidenceFile
from assessment.roles import Role

NASTY = ["\x00", "a\x00b", "x" * 5000, "1e309", "1" + "0" * 309, "²", "٣", "-0", "NaN", "Infinity", "-1",
         "9999999999999999999999", "' OR 1=1 --", "<script>alert(1)</script>", "=HYPERLINK(\"x\")", "\u202egnp.exe",
         "\ud7ff\ufffd", "../../etc/passwd", "%00", "0x10", "1,5", "1.234.567,89", " ", "", "abc", "2021-02-30",
         "99999-01-01", "\t\r\n", "\x07\x1b[31m"]
PARAMETERS = ["reason", "days", "text", "criterion", "kind", "phieu", "profile", "date", "number", "title",
              "strengths", "weaknesses", "xac-nhan", "ten", "bo", "mau", "ma", "trang-thai", "khoi", "action", "side",
              "ca-da-tham-dinh", "q", "o", "p", "e", "_changelist_filters", "format", "resource", "name", "code",
              "year", "status", "csrfmiddlewaretoken"]


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def endpoints(objects):
    """(path, name) for every route whose arguments we can fill with real objects."""
    admin_pages = re.compile(r"_(add|changelist|import|export)$")
    found = []
    for route, entry in _walk(get_resolver().url_patterns):
        route = route.lstrip("^").rstrip("$")
        admin_page = bool(entry.name and admin_pages.search(entry.name)) and "<" not in route
        if route.startswith("quan-tri/") and not admin_page:
            continue
        path = "/" + route
        for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
            value = objects.get((route.split("/")[0], name), objects.get(name))
            if value is None:
                break
            path = re.sub(r"<(?:\w+:)?" + name + ">", str(value), path)
        else:
            found.append(path.replace("\\Z", ""))
    # Logging out would turn the rest of the run anonymous; anonymous requests are covered anyway.
    return sorted(set(found) - {"/dang-xuat/"})


@pytest.fixture
def fuzz(world, profile, django_user_model, settings, tmp_path):
    import datetime as dt

    from reports.snapshot import publish

    from .world import approved

    settings.MEDIA_ROOT = tmp_path
    settings.VERIFY_RATE_LIMIT = 100000
    approved(world, world.form_a, world.staff_a)
    approved(world, world.form_b, world.staff_b, change="780")
    publication = publish(world.period, profile, by=world.leader, number="15/QĐ-STTTT", date=dt.date(2021, 1, 5))
    workflow.unapprove(world.form_a, by=world.leader, reason="Kiểm tra lại")
    workflow.reopen(world.form_a, by=world.admin, reason="Bổ sung số liệu",
                    until=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2))
    evidence = workflow.upload_evidence(world.form_a, SimpleUploadedFile("a.pdf", TINY_PDF), by=world.staff_a)
    superuser = django_user_model.objects.create_superuser("sieu.quantri", password="mat-khau-thu-123")
    superuser.groups.add(Group.objects.get(name=Role.ADMIN))
    users = {"unit_staff": world.staff_a, "reviewer": world.reviewer_a, "leader": world.leader,
             "admin": world.admin, "superuser": superuser, "anonymous": None}
    criteria_set = world.form_a.criteria_set
    objects = {("ky-danh-gia", "pk"): world.period.pk, ("phieu", "pk"): world.form_a.pk,
               ("cong-bo", "pk"): publication.pk, "assessment_pk": world.form_a.pk, "file_pk": evidence.pk,
               ("don-vi", "code"): world.form_a.unit.code, ("tieu-chi", "code"): criteria_set.code,
               "version": criteria_set.version}
    keys = set(PARAMETERS)
    for form in (UnitForm(world.form_a, workflow.load_answers(world.form_a)),
                 ReviewForm(world.form_a, workflow.load_answers(world.form_a))):
        keys |= set(form.fields)
    return {"world": world, "users": users, "paths": endpoints(objects), "keys": sorted(keys),
            "evidence": evidence, "publication": publication}


def _client(users, role):
    from django.test import Client

    client = Client(raise_request_exception=False)
    if users[role] is not None:
        client.force_login(users[role])
    return client


def _check(client, method, path, data, role):
    response = getattr(client, method)(path, data)
    assert response.status_code < 500, f"{role} {method.upper()} {path} {data!r:.300} → {response.status_code}"


ROLES = ["unit_staff", "reviewer", "leader", "admin", "superuser", "anonymous"]


def test_the_sweep_covers_every_kind_of_endpoint(fuzz):
    paths = fuzz["paths"]
    for expected in ("/phieu/", "/ky-danh-gia/", "/cong-bo/", "/xac-minh/", "/tep/", "/don-vi/", "/tieu-chi/",
                     "/quan-tri/units/unit/import/", "/quan-tri/assessment/assessment/export/"):
        assert any(p.startswith(expected) for p in paths), expected
    assert len(paths) > 40


def test_fixed_hostile_values_on_every_endpoint_as_every_role(fuzz):
    """Every endpoint: a POST of hostile text and numbers as each role, and a GET with hostile
    query parameters as two roles in turn (the GET side is cheap to cover with hypothesis too)."""
    clients = {role: _client(fuzz["users"], role) for role in ROLES}
    keys = fuzz["keys"]
    texts = {key: NASTY[i % len(NASTY)] for i, key in enumerate(keys)}
    numbers = {key: ["1e309", "²", "abc", "-1", "9" * 400][i % 5] for i, key in enumerate(keys)}
    query = {"trang-thai": "\x00", "khoi": "x" * 500, "ma": "%00", "bo": "abc", "o": "99.abc", "q": "\x00", "p": "-1",
             "e": "1", "action": ""}
    for n, path in enumerate(fuzz["paths"]):
        for r, role in enumerate(ROLES):
            data = texts if (n + r) % 2 else numbers
            _check(clients[role], "post", path, data | {"file": SimpleUploadedFile("\u202eabc.pdf", b"\x00\xff" * 64)},
                   role)
        for role in (ROLES[n % len(ROLES)], ROLES[(n + 3) % len(ROLES)]):
            _check(clients[role], "get", path, query, role)


text_values = st.one_of(st.text(max_size=300), st.sampled_from(NASTY),
                        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
                        st.integers().map(str), st.decimals(allow_nan=True, allow_infinity=True).map(str),
                        st.floats().map(repr))


@st.composite
def requests(draw, fuzz):
    path = draw(st.sampled_from(fuzz["paths"]))
    role = draw(st.sampled_from(ROLES))
    keys = draw(st.lists(st.sampled_from(fuzz["keys"]), max_size=12, unique=True))
    data = {key: draw(st.one_of(text_values, st.lists(text_values, max_size=3))) for key in keys}
    if draw(st.booleans()):
        data["file"] = SimpleUploadedFile(draw(st.text(max_size=120)) or "tep", draw(st.binary(max_size=2000)))
    method = draw(st.sampled_from(["get", "post", "post"]))
    if method == "get":
        data.pop("file", None)
    return path, role, method, data


def test_random_input_never_gives_500(fuzz):
    clients = {role: _client(fuzz["users"], role) for role in ROLES}

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(requests(fuzz))
    def run(request):
        path, role, method, data = request
        _check(clients[role], method, path, data, role)

    run()
    assert EvidenceFile.objects.filter(pk=fuzz["evidence"].pk).exists()
