"""The access matrix: every URL × every role × own/other unit gives the expected answer.

Form A (Sở Thông tin và Truyền thông) is submitted and carries one evidence file.
staff_a and reviewer_a belong to it; staff_b and reviewer_b to unit B. A form a
user may not see is a 404, never a 403 that would confirm it exists.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

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
    "criteria_import": ("get",  [302, 403, 403, 403, 403, 403, 200]),
    "indicators":      ("get",  [302, 403, 403, 403, 403, 403, 200]),
}

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
        "criteria_import": (reverse("criteria:import"), {}),
        "indicators": (reverse("assessment:indicators"), {}),
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
