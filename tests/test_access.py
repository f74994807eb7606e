"""The access matrix: every URL × every role × own/other unit gives the expected answer.

Form A (Sở Thông tin và Truyền thông) is submitted and carries one evidence file.
staff_a and reviewer_a belong to it; staff_b and reviewer_b to unit B. A form a
user may not see is a 404, never a 403 that would confirm it exists. The pages of a
publication are checked after both forms were approved and published.

The list of URLs is not kept by hand: ``test_every_named_url_is_in_the_matrix`` walks the
URL resolver, so a new page without a row here fails.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from assessment import workflow
from assessment.demo import TINY_PDF
from assessment.models import Assessment, Comment, EvidenceFile

from .world import answer, build_complete_answers

ROLES = ["anonymous", "staff_a", "staff_b", "reviewer_a", "reviewer_b", "leader", "admin"]

# url name -> (method, expected status per role in ROLES order)
MATRIX = {
    "home":            ("get",  [302, 200, 200, 200, 200, 200, 200]),
    "period":          ("get",  [302, 404, 404, 200, 200, 200, 200]),
    "form":            ("get",  [302, 200, 404, 200, 404, 200, 200]),
    "history":         ("get",  [302, 200, 404, 200, 404, 200, 200]),
    "review":          ("get",  [302, 302, 404, 200, 404, 302, 302]),
    "preview":         ("post", [302, 403, 404, 403, 404, 403, 403]),
    "preview_review":  ("post", [302, 403, 404, 200, 404, 403, 403]),
    "download":        ("get",  [302, 200, 404, 200, 404, 200, 200]),
    "upload":          ("post", [302, 302, 404, 302, 404, 302, 302]),
    "remove":          ("post", [302, 302, 404, 302, 404, 302, 302]),
    "comment":         ("post", [302, 302, 404, 302, 404, 302, 302]),
    "approve":         ("post", [302, 302, 404, 302, 404, 302, 302]),
    "unapprove":       ("post", [302, 302, 404, 302, 404, 302, 302]),
    "reopen":          ("post", [302, 302, 404, 302, 404, 302, 302]),
    "approve_many":    ("post", [302, 403, 403, 403, 403, 302, 403]),
    "criteria":        ("get",  [302, 200, 200, 200, 200, 200, 200]),
    "results":         ("get",  [302, 403, 403, 200, 200, 200, 200]),
    "dashboard":       ("get",  [302, 403, 403, 200, 200, 200, 200]),
    "unit_sheet":      ("get",  [302, 200, 404, 200, 404, 200, 200]),
    "remarks":         ("post", [302, 403, 404, 302, 404, 302, 403]),
    "verify":          ("get",  [200, 200, 200, 200, 200, 200, 200]),
    "admin":           ("get",  [302, 302, 302, 302, 302, 302, 200]),
    "bulk":            ("get",  [302, 404, 404, 404, 404, 404, 200]),
    "bulk_template":   ("get",  [302, 404, 404, 404, 404, 404, 200]),
    "offline":         ("get",  [302, 200, 404, 200, 404, 200, 200]),
    "offline_upload":  ("post", [302, 302, 404, 302, 404, 302, 302]),
    "whatif":          ("get",  [302, 403, 403, 200, 200, 200, 200]),
    "unit":            ("get",  [302, 200, 404, 200, 200, 200, 200]),
    "unit_xlsx":       ("get",  [302, 200, 404, 200, 200, 200, 200]),
    "criteria_detail": ("get",  [302, 200, 200, 200, 200, 200, 200]),
    "criteria_yaml":   ("get",  [302, 200, 200, 200, 200, 200, 200]),
    "criteria_import": ("get",  [302, 403, 403, 403, 403, 403, 200]),
    "indicators":      ("get",  [302, 403, 403, 403, 403, 403, 200]),
    "my_forms":        ("get",  [302, 404, 404, 200, 200, 404, 404]),
    "progress":        ("get",  [302, 404, 404, 404, 404, 200, 200]),
    "assignments":     ("get",  [302, 404, 404, 404, 404, 404, 200]),
    "carry_forward":   ("get",  [302, 404, 404, 404, 404, 404, 200]),
    "open_period":     ("post", [302, 404, 404, 404, 404, 404, 302]),
    "criteria_edit":   ("get",  [302, 404, 404, 404, 404, 404, 200]),
    "criteria_check":  ("post", [302, 404, 404, 404, 404, 404, 200]),
    "impact":          ("get",  [302, 404, 404, 404, 404, 404, 302]),
    "publish_preview": ("get",  [302, 403, 403, 403, 403, 400, 403]),
    "healthz":         ("get",  [200, 200, 200, 200, 200, 200, 200]),
    "jobs":            ("get",  [302, 404, 404, 404, 404, 404, 200]),
    "job":             ("get",  [302, 200, 404, 404, 404, 404, 200]),
    "job_status":      ("get",  [302, 200, 404, 404, 404, 404, 200]),
    "notifications":   ("get",  [302, 200, 200, 200, 200, 200, 200]),
    "notices_read":    ("post", [302, 302, 302, 302, 302, 302, 302]),
    "notice_settings": ("post", [302, 302, 302, 302, 302, 302, 302]),
    # Someone else's notice is not shown: it leads back to one's own list.
    "notice":          ("get",  [302, 302, 302, 302, 302, 302, 302]),
}

# After publication (both forms approved, annex 15/QĐ-STTTT published, not signed). Units A and B
# took part in the period, so their staff open and download the annex too.
PUBLISHED_MATRIX = {
    "publication":     ("get",  [302, 200, 200, 200, 200, 200, 200]),
    "pdf":             ("get",  [302, 200, 200, 200, 200, 200, 200]),
    "xlsx":            ("get",  [302, 200, 200, 200, 200, 200, 200]),
    "signed":          ("get",  [302, 404, 404, 404, 404, 404, 404]),
    "upload_signed":   ("post", [302, 403, 403, 403, 403, 302, 403]),
    "seal":            ("post", [302, 403, 403, 403, 403, 302, 403]),
    "publish":         ("post", [302, 403, 403, 403, 403, 302, 403]),
}
# Named URLs with no row: signing in and out, and a user's own account pages (they show only the
# signed-in user's own account, never another's object).
NOT_IN_MATRIX = {"login", "logout", "account", "password_change", "password_reset", "password_reset_done",
                 "password_reset_confirm", "password_reset_complete", "two_factor_setup", "two_factor_verify",
                 "two_factor_backup_codes", "two_factor_disable"}

# Which POSTs really change something for which role (the others must change nothing).
EFFECTIVE = {("comment", "staff_a"), ("comment", "reviewer_a"), ("comment", "leader"), ("reopen", "admin"),
             ("remarks", "reviewer_a"), ("remarks", "leader")}


@pytest.fixture
def state(world):
    form = build_complete_answers(world.form_a, world.staff_a)
    pdf = SimpleUploadedFile("bao-cao.pdf", TINY_PDF, content_type="application/pdf")
    record = workflow.upload_evidence(form, pdf, by=world.staff_a, criterion=answer(form, "I.1").criterion)
    workflow.submit(form, by=world.staff_a)
    return world, Assessment.objects.get(pk=form.pk), record


def request_for(name, form, record, period):
    pk = form.pk
    urls = {
        "home": (reverse("home"), {}),
        "period": (reverse("assessment:period", args=[period.pk]), {}),
        "form": (reverse("assessment:form", args=[pk]), {}),
        "history": (reverse("assessment:history", args=[pk]), {}),
        "review": (reverse("assessment:review", args=[pk]), {}),
        "preview": (reverse("assessment:preview", args=[pk]), {"side": "self"}),
        "preview_review": (reverse("assessment:preview", args=[pk]), {"side": "review"}),
        "download": (reverse("assessment:download", args=[record.pk]), {}),
        "upload": (reverse("assessment:upload", args=[pk]),
                   {"file": SimpleUploadedFile("them.pdf", TINY_PDF, content_type="application/pdf")}),
        "remove": (reverse("assessment:remove", args=[record.pk]), {}),
        "comment": (reverse("assessment:comment", args=[pk]), {"text": "Ý kiến thử"}),
        "approve": (reverse("assessment:approve", args=[pk]), {}),
        "unapprove": (reverse("assessment:unapprove", args=[pk]), {"reason": "Thử"}),
        "reopen": (reverse("assessment:reopen", args=[pk]), {"reason": "Bổ sung số liệu", "days": "2"}),
        "approve_many": (reverse("assessment:approve_many", args=[period.pk]), {"phieu": [pk]}),
        "criteria": (reverse("criteria:list"), {}),
        "results": (reverse("reports:results", args=[period.pk]), {}),
        "dashboard": (reverse("reports:dashboard", args=[period.pk]), {}),
        "unit_sheet": (reverse("reports:unit_sheet", args=[pk]), {}),
        "remarks": (reverse("reports:remarks", args=[pk]), {"strengths": "Tốt", "weaknesses": ""}),
        "verify": (reverse("reports:verify"), {}),
        "admin": (reverse("admin:index"), {}),
        "bulk": (reverse("assessment:bulk", args=[period.pk]), {}),
        "bulk_template": (reverse("assessment:bulk", args=[period.pk]), {"bo": form.criteria_set_id, "mau": "1"}),
        "offline": (reverse("assessment:offline", args=[pk]), {}),
        "offline_upload": (reverse("assessment:offline_upload", args=[pk]), {}),
        "whatif": (reverse("reports:whatif", args=[period.pk]), {}),
        "unit": (reverse("reports:unit", args=[form.unit.code]), {}),
        "unit_xlsx": (reverse("reports:unit_xlsx", args=[form.unit.code]), {}),
        "criteria_detail": (reverse("criteria:detail", args=[form.criteria_set.code, form.criteria_set.version]), {}),
        "criteria_yaml": (reverse("criteria:yaml", args=[form.criteria_set.code, form.criteria_set.version]), {}),
        "criteria_import": (reverse("criteria:import"), {}),
        "indicators": (reverse("assessment:indicators"), {}),
        "my_forms": (reverse("assessment:my_forms"), {}),
        "progress": (reverse("assessment:progress", args=[period.pk]), {}),
        "assignments": (reverse("assessment:assignments", args=[period.pk]), {}),
        "carry_forward": (reverse("assessment:carry_forward", args=[period.pk]), {}),
        "open_period": (reverse("assessment:open_period", args=[period.pk]), {}),
        "criteria_edit": (reverse("criteria:edit", args=[form.criteria_set.code, form.criteria_set.version]), {}),
        "criteria_check": (reverse("criteria:edit_check", args=[form.criteria_set.code, form.criteria_set.version]),
                           {"code_before": "I.1"}),
        "impact": (reverse("reports:impact", args=[form.criteria_set.code, form.criteria_set.version]), {}),
        "publish_preview": (reverse("reports:publish_preview", args=[period.pk]), {}),
        "healthz": (reverse("healthz"), {}),
        "jobs": (reverse("jobs:list"), {}),
        "job": (reverse("jobs:detail", args=[_job(form).pk]), {}),
        "job_status": (reverse("jobs:status", args=[_job(form).pk]), {}),
        "notifications": (reverse("notifications:list"), {}),
        "notices_read": (reverse("notifications:mark_read"), {}),
        "notice_settings": (reverse("notifications:preferences"), {}),
        "notice": (reverse("notifications:open", args=[_notice(form).pk]), {}),
    }
    return urls[name]


def _job(form):
    """A job started by unit A's staff (only they and administrators may follow it)."""
    from jobs.models import Job

    staff = form.unit.memberships.first().user
    return Job.objects.get_or_create(key="access-matrix", defaults={
        "kind": Job.Kind.choices[0][0], "title": "Thử", "created_by": staff})[0]


def _notice(form):
    from notifications.models import Notification

    staff = form.unit.memberships.first().user
    return Notification.objects.get_or_create(user=staff, key="access-matrix", defaults={
        "kind": Notification.Kind.choices[0][0], "subject": "Thử", "body": "Thử", "link": "/"})[0]


def published_request_for(name, publication):
    pk = publication.pk
    urls = {
        "publication": (reverse("reports:publication", args=[pk]), {}),
        "pdf": (reverse("reports:pdf", args=[pk]), {}),
        "xlsx": (reverse("reports:xlsx", args=[pk]), {}),
        "signed": (reverse("reports:signed", args=[pk]), {}),
        "upload_signed": (reverse("reports:upload_signed", args=[pk]), {}),
        "seal": (reverse("reports:seal", args=[pk]), {}),
        "publish": (reverse("reports:publish", args=[publication.period_id]), {}),
    }
    return urls[name]


def snapshot(form, record):
    form.refresh_from_db()
    record.refresh_from_db()
    return (form.status, form.reopened_until, record.removed, Comment.objects.filter(assessment=form).count(),
            EvidenceFile.objects.filter(assessment=form).count(),
            tuple(form.answers.order_by("pk").values_list("version", flat=True)))


@pytest.mark.parametrize("name", list(MATRIX))
def test_access_matrix(state, client, name):
    world, form, record = state
    method, expected = MATRIX[name]
    url, data = request_for(name, form, record, world.period)
    for role, status in zip(ROLES, expected, strict=True):
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        before = snapshot(form, record)
        if "file" in data:
            data["file"].seek(0)
        response = getattr(client, method)(url, data)
        assert response.status_code == status, f"{name} as {role}: {response.status_code}, expected {status}"
        if role == "anonymous" and status == 302:
            assert response["Location"].startswith("/dang-nhap/") or response["Location"].startswith("/quan-tri/login/")
        if method == "post" and (name, role) not in EFFECTIVE:
            assert snapshot(form, record) == before, f"{name} as {role} changed something"


def test_refusals_say_why_in_vietnamese(state, client):
    world, form, _ = state
    client.force_login(world.staff_a)
    response = client.post(reverse("assessment:upload", args=[form.pk]),
                           {"file": SimpleUploadedFile("them.pdf", TINY_PDF)}, follow=True)
    assert "Phiếu đã nộp và đang chờ Sở thẩm định" in response.content.decode()
    client.force_login(world.leader)
    response = client.get(reverse("assessment:review", args=[form.pk]), follow=True)
    assert "Phiếu không ở bước thẩm định hoặc không được phân công cho bạn." in response.content.decode()


def test_queue_lists_only_what_is_assigned(state, client):
    world = state[0]
    client.force_login(world.reviewer_b)
    html = client.get(reverse("assessment:period", args=[world.period.pk])).content.decode()
    assert "Sở Nội vụ" in html and "Sở Thông tin và Truyền thông" not in html
    client.force_login(world.reviewer_a)
    html = client.get(reverse("assessment:period", args=[world.period.pk]), {"trang-thai": "submitted"}).content.decode()
    assert "Sở Thông tin và Truyền thông" in html and "Sở Nội vụ" not in html


def publication_snapshot(publication):
    publication.refresh_from_db()
    return (publication.signed_sha256, publication.period.publications.count())


@pytest.mark.parametrize("name", list(PUBLISHED_MATRIX))
def test_access_matrix_after_publication(published, world, client, name):
    method, expected = PUBLISHED_MATRIX[name]
    url, data = published_request_for(name, published)
    for role, status in zip(ROLES, expected, strict=True):
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        before = publication_snapshot(published)
        response = getattr(client, method)(url, data)
        assert response.status_code == status, f"{name} as {role}: {response.status_code}, expected {status}"
        if role == "anonymous":
            assert response["Location"].startswith("/dang-nhap/")
        if method == "post":
            assert publication_snapshot(published) == before, f"{name} as {role} changed something"


def named_urls(patterns=None, namespace=""):
    """Every named URL of the project, as "namespace:name" (the admin's own pages excepted)."""
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_named_url_is_in_the_matrix(state):
    world, form, record = state
    covered = {resolve(request_for(name, form, record, world.period)[0].split("?")[0]).view_name for name in MATRIX}
    publication = type("P", (), {"pk": 1, "period_id": world.period.pk})()
    covered |= {resolve(published_request_for(name, publication)[0]).view_name for name in PUBLISHED_MATRIX}
    missing = named_urls() - covered - NOT_IN_MATRIX
    assert not missing, f"URLs without a row in the access matrix: {', '.join(sorted(missing))}"
