"""Publishing under concurrency, through a real server and real threads.

Five leaders press "Công bố" for the same period at the same moment: one publication is
made, the four others are told in Vietnamese that the period has just been published (no
500, no IntegrityError). And while a form is un-approved and approved again and again,
every annex published meanwhile says "pending" exactly for the forms missing from its rows.
"""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from assessment import workflow
from assessment.models import Assessment
from reports.models import IssuingProfile, Publication
from reports.snapshot import publish
from tests.pages import page_fields

from .test_concurrency import Browser
from .world import approved, build_world

PROFILE = {"name": "Sở TTTT Lào Cai", "issuing_body": "Sở Thông tin và Truyền thông", "place": "Lào Cai",
           "signer_title": "Giám đốc", "signer_name": "Nguyễn Văn Hùng", "recipients": "- Lưu: VT.", "is_default": True}


def run_together(count, work):
    start = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            start.wait()
            results[i] = work(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_concurrent_first_publications_one_wins(live_server, django_user_model):
    world = build_world(django_user_model)
    approved(world, world.form_a, world.staff_a)
    approved(world, world.form_b, world.staff_b, change="780")
    profile = IssuingProfile.objects.create(**PROFILE)
    path = reverse("reports:publish", args=[world.period.pk])
    results_path = reverse("reports:results", args=[world.period.pk])
    browsers = [Browser(live_server.url, world.leader) for _ in range(5)]
    pages = [b.open(results_path) for b in browsers]
    assert [status for status, _ in pages] == [200] * 5
    data = [{"profile": str(profile.pk), "date": "2021-01-05", "number": "15/QĐ-STTTT", "title": "", "reason": "",
             "xac-nhan": "1",  # the confirmation step's button (a POST without it publishes nothing)
             "csrfmiddlewaretoken": page_fields(html)["csrfmiddlewaretoken"]} for _, html in pages]

    responses = run_together(5, lambda i: browsers[i].open(path, data[i]))
    assert [status for status, _ in responses] == [302] * 5, responses  # no 500
    assert Publication.objects.filter(period=world.period).count() == 1
    pages = [b.open(results_path)[1] for b in browsers]
    won = [html for html in pages if "Đã công bố phụ lục lần 1." in html]
    lost = [html for html in pages if "Kỳ này đã công bố (lần 1, số 15/QĐ-STTTT); bản đính chính cần ghi lý do." in html]
    assert (len(won), len(lost)) == (1, 4)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pending_count_agrees_with_rows_while_a_form_is_unapproved(django_user_model):
    world = build_world(django_user_model)
    approved(world, world.form_a, world.staff_a)
    approved(world, world.form_b, world.staff_b, change="780")
    profile = IssuingProfile.objects.create(**PROFILE)
    forms = Assessment.objects.filter(period=world.period).count()
    stop = threading.Event()

    def toggle():
        while not stop.is_set():
            form = Assessment.objects.get(pk=world.form_b.pk)
            if form.status == Assessment.Status.APPROVED:
                workflow.unapprove(form, by=world.leader, reason="Kiểm tra lại số liệu")
            else:
                workflow.approve(form, by=world.leader)

    def publish_several():
        made = []
        for n in range(4):
            try:
                made.append(publish(world.period, profile, by=world.leader, number=f"{15 + n}/QĐ-STTTT",
                                    date=datetime.date(2021, 1, 5), reason="" if n == 0 else f"Đính chính lần {n}"))
            except workflow.WorkflowError as exc:  # nothing changed since the last one: said so, nothing stored
                assert re.search("không khác bản đã công bố", " ".join(exc.messages)), exc.messages
        stop.set()
        return made

    made = run_together(2, lambda i: publish_several() if i == 0 else toggle())[0]
    assert made
    for item in Publication.objects.filter(period=world.period):
        rows = sum(len(block["rows"]) for block in item.document["blocks"])
        assert item.document["pending"] == forms - rows, (item.version, item.document["pending"], rows)
