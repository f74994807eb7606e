"""What if: re-score a period under another version of its criteria set, without touching results."""

import re
from decimal import Decimal

from django.urls import reverse

from assessment import workflow
from assessment.models import Assessment
from criteria.document import load_yaml
from criteria.store import save_document

from .world import CRITERIA_YAML, answer, approved, submitted


def test_other_version_moves_ranks_and_changes_nothing(world, login):
    form_a = submitted(world)
    i1, ii1 = answer(form_a, "I.1"), answer(form_a, "II.1")
    workflow.save_review(form_a, {
        "I.1": {"reviewed_values": dict(i1.values, docs_sw="780"), "reviewed_points": None, "poor_data": False,
                "reason": "Theo sổ văn thư", "changed": True},
        "II.1": {"reviewed_values": None, "reviewed_points": Decimal("5"), "poor_data": False,
                 "reason": "Tham mưu tốt", "changed": True}}, {"I.1": i1.version, "II.1": ii1.version}, by=world.reviewer_a)
    workflow.accept_review(form_a, by=world.reviewer_a)
    workflow.approve(form_a, by=world.leader)
    approved(world, world.form_b, world.staff_b)  # 19,00; Sở TTTT has 19,60 and ranks first today
    document = load_yaml(CRITERIA_YAML)
    document["version"], document["status"], document["total_max"] = 2, "draft", 30
    document["criteria"][0]["children"][0]["max"] = 13  # v2 weighs the document ratio far more
    version2, _ = save_document(document)
    before = [(a.pk, a.reviewed_total, a.status) for a in Assessment.objects.order_by("pk")]
    html = login(world.leader).get(reverse("reports:whatif", args=[world.period.pk]), {"bo": version2.pk}).content.decode()
    table = " ".join(re.sub(r"<[^>]+>", " ", html[html.index('id="whatif"'):]).split())
    # Sở TTTT: 78% × 13 / 90 = 11,27 → 28,27; Sở Nội vụ: 95% ≥ 90% → 13 → 29,00.
    assert "Sở Nội vụ 19,00 Tốt 2 29,00 Tốt 1 ▲ 1" in table
    assert "Sở Thông tin và Truyền thông 19,60 Tốt 1 28,27 Tốt 2 ▼ 1" in table
    assert [(a.pk, a.reviewed_total, a.status) for a in Assessment.objects.order_by("pk")] == before


def test_whatif_is_for_reviewers_and_leaders(world, login):
    approved(world, world.form_a, world.staff_a)
    assert login(world.staff_a).get(reverse("reports:whatif", args=[world.period.pk])).status_code == 403
    assert login(world.reviewer_a).get(reverse("reports:whatif", args=[world.period.pk])).status_code == 200
