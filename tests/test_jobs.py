"""Background jobs through the real queue: django-tasks-db's database backend and a real worker
process (``manage.py worker``) on the test database."""

import os
import signal
import time

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from jobs.runner import recover_stale
from jobs.tasks import run_job
from jobs.views import describe
from reports.models import Publication

from .jobs_helpers import DATABASE_BACKEND, run_worker_batch, start_worker
from .world import approved, build_world


@pytest.fixture
def tworld(django_db_serialized_rollback, transactional_db, django_user_model, settings, tmp_path):
    """The story's world, committed, so a worker process sees it; jobs go on the database queue."""
    settings.TASKS = DATABASE_BACKEND
    settings.MEDIA_ROOT = tmp_path
    return build_world(django_user_model)


def publish_post(client, world, profile, number="15/QĐ-STTTT"):
    return client.post(reverse("reports:publish", args=[world.period.pk]),
                       {"profile": profile.pk, "number": number, "date": "2026-12-01"})


def test_publishing_through_the_job_end_to_end(tworld, profile, login):
    approved(tworld, tworld.form_a, tworld.staff_a)
    approved(tworld, tworld.form_b, tworld.staff_b, change="780")
    client = login(tworld.leader)
    response = publish_post(client, tworld, profile)
    job = Job.objects.get(kind=Job.Kind.PUBLISH)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Công bố phụ lục Kỳ đánh giá" in page and "Đang chờ" in page
    assert not Publication.objects.exists()  # nothing until the job has finished

    output = run_worker_batch()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, (job.message, output)
    publication = Publication.objects.get()
    assert [r["unit_name"] for r in publication.document["blocks"][0]["rows"]] == [
        "Sở Thông tin và Truyền thông", "Sở Nội vụ"]
    assert bytes(publication.pdf).startswith(b"%PDF") and publication.published_by == tworld.leader
    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert state["percent"] == 100 and state["text"] == "Đã công bố phụ lục lần 1."
    assert state["url"] == reverse("reports:publication", args=[publication.pk])
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Mở phụ lục công bố lần 1" in page
    # The units heard of it (a notify job queued on commit and run by the same worker).
    assert tworld.staff_a.notifications.get(kind="published").subject.startswith("Đã công bố kết quả đánh giá Kỳ đánh giá")
    # Another unit's staff cannot see the leader's job.
    assert login(tworld.staff_b).get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_failure_gives_the_message_and_writes_nothing(tworld, profile, login):
    client = login(tworld.leader)
    response = publish_post(client, tworld, profile)
    run_worker_batch()
    job = Job.objects.get(kind="publish")
    assert job.status == Job.Status.FAILED
    assert job.message == "Chưa có phiếu nào được phê duyệt; chưa công bố được."
    page = client.get(response["Location"]).content.decode()
    assert "Chưa có phiếu nào được phê duyệt; chưa công bố được." in page and "Không thành công" in page
    assert not Publication.objects.exists()
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"  # the queue ran it; the job reports the refusal


def test_asking_twice_or_running_twice_changes_nothing(tworld, profile, login):
    approved(tworld, tworld.form_a, tworld.staff_a)
    client = login(tworld.leader)
    publish_post(client, tworld, profile)
    publish_post(client, tworld, profile)  # a second click: a second attempt, refused by the verb
    first, second = Job.objects.filter(kind="publish").order_by("pk")
    run_worker_batch()
    run_job.enqueue(first.pk)  # the same job delivered again by the queue
    run_worker_batch()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Job.Status.SUCCEEDED and first.attempts == 1
    assert second.status == Job.Status.FAILED
    assert second.message == "Kỳ này đã công bố (lần 1, số 15/QĐ-STTTT); bản đính chính cần ghi lý do."
    assert Publication.objects.count() == 1
    page = client.get(reverse("jobs:detail", args=[second.pk])).content.decode()
    assert "Kỳ này đã công bố (lần 1, số 15/QĐ-STTTT); bản đính chính cần ghi lý do." in page


def _kill_when_running(job, worker):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == Job.Status.RUNNING:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
            return
        assert worker.poll() is None, worker.stdout.read()
        time.sleep(0.02)
    raise AssertionError("the worker never started the job")


def test_a_killed_workers_job_is_retried_then_failed_never_running_forever(tworld, profile, login):
    approved(tworld, tworld.form_a, tworld.staff_a)
    publish_post(login(tworld.leader), tworld, profile)
    job = Job.objects.get(kind="publish")

    _kill_when_running(job, start_worker())
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and not Publication.objects.exists()  # killed half-way: nothing written
    assert recover_stale() == ([job.pk], [])
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 1
    assert DBTaskResult.objects.filter(status="FAILED", exception_class_path="jobs.runner.WorkerLost").count() == 1

    _kill_when_running(job, start_worker())  # the second attempt dies too
    assert recover_stale() == ([], [job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 2
    assert job.message.startswith("Tiến trình chạy nền bị dừng đột ngột khi đang công bố phụ lục (đã chạy 2 lần)")
    assert not Publication.objects.exists()
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()


def test_a_silent_job_on_another_machine_is_recovered_after_the_stale_time(tworld, settings):
    from django.utils import timezone

    job = Job.objects.create(kind=Job.Kind.WHATIF, title="Chấm thử", params={}, status=Job.Status.RUNNING,
                             attempts=1, worker="may-chu-khac:4242", heartbeat_at=timezone.now())
    assert recover_stale() == ([], [])  # it still beats
    later = timezone.now() + timezone.timedelta(seconds=settings.JOBS_STALE_SECONDS + 1)
    assert recover_stale(later) == ([job.pk], [])


def test_progress_is_reported_and_shown(tworld, login):
    from criteria.document import load_yaml
    from criteria.store import save_document

    from .world import CRITERIA_YAML

    approved(tworld, tworld.form_a, tworld.staff_a)
    approved(tworld, tworld.form_b, tworld.staff_b)
    document = load_yaml(CRITERIA_YAML)
    document["version"], document["status"] = 2, "draft"
    version2, _ = save_document(document)
    client = login(tworld.leader)
    response = client.get(reverse("reports:whatif", args=[tworld.period.pk]), {"bo": version2.pk})
    job = Job.objects.get(kind=Job.Kind.WHATIF)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    output = run_worker_batch(LOG_LEVEL="ERROR")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, (job.message, output)
    assert job.total == 2 and job.done == 2  # "Đang chấm lại: x / 2"
    html = client.get(reverse("reports:whatif", args=[tworld.period.pk]), {"bo": version2.pk}).content.decode()
    assert "Sở Nội vụ" in html and "Sở Thông tin và Truyền thông" in html
    # What a running job's page says: step, counts in Vietnamese numbers, percentage.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=1200, total=2000,
                                         step="Đang dựng phụ lục PDF", unit_label="đơn vị")
    job.refresh_from_db()
    assert describe(job) == "Đang dựng phụ lục PDF: 1.200 / 2.000 đơn vị" and job.percent == 60
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'value="60"' in page and "Đang dựng phụ lục PDF: 1.200 / 2.000 đơn vị" in page


def test_administrators_list_every_job(tworld, login):
    Job.objects.create(kind=Job.Kind.PUBLISH, title="Công bố phụ lục thử", created_by=tworld.leader,
                       status=Job.Status.FAILED, message="Lỗi thử")
    html = login(tworld.admin).get(reverse("jobs:list")).content.decode()
    assert "Công bố phụ lục thử" in html and "Không thành công" in html
    assert login(tworld.leader).get(reverse("jobs:list")).status_code == 404


def test_historical_import_in_the_background(django_db_serialized_rollback, transactional_db, django_user_model,
                                             settings, tmp_path):
    import io

    from django.core.management import call_command

    from .seeds import FIXTURES

    settings.TASKS = DATABASE_BACKEND
    settings.MEDIA_ROOT = tmp_path
    call_command("load_criteria", str(FIXTURES))
    django_user_model.objects.create_superuser("quantri", password="x")
    out = io.StringIO()
    args = [str(FIXTURES.parent / "history" / "tc5-2021.csv"), "--criteria", "tc5-2021", "--year", "2021",
            "--name", "Phiếu đánh giá 2021", "--number", "…/STTTT-VP", "--date", "2021-11-30",
            "--issuer", "Sở Thông tin và Truyền thông", "--place", "Bình Phước", "--accept-near", "--nen"]
    call_command("import_results", *args, stdout=out)
    job = Job.objects.get(kind=Job.Kind.HISTORICAL)
    assert f"Công việc số {job.pk} (đang chờ)" in out.getvalue() and not Publication.objects.exists()
    call_command("import_results", *args, stdout=io.StringIO())  # asked twice: the same job
    assert Job.objects.filter(kind=Job.Kind.HISTORICAL).count() == 1
    output = run_worker_batch()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, (job.message, output)
    item = Publication.objects.get()
    assert item.period.year == 2021 and item.document["blocks"][0]["rows"][0]["score"] == "2.67"
    assert job.result["message"] == f"Đã nhập {len(item.document['blocks'][0]['rows'])} đơn vị: Phiếu đánh giá 2021."


def test_sigterm_lets_the_running_job_finish_then_the_worker_stops(tworld, profile, login):
    approved(tworld, tworld.form_a, tworld.staff_a)
    publish_post(login(tworld.leader), tworld, profile)
    job = Job.objects.get(kind="publish")
    worker = start_worker()
    deadline = time.monotonic() + 120
    while Job.objects.get(pk=job.pk).status == Job.Status.QUEUED:
        assert time.monotonic() < deadline and worker.poll() is None
        time.sleep(0.02)
    worker.send_signal(signal.SIGTERM)  # what systemd or a deploy sends
    assert worker.wait(120) == 0, worker.stdout.read()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and Publication.objects.count() == 1


def test_sealing_runs_as_a_job(tworld, profile, login, tmp_path, settings):
    approved(tworld, tworld.form_a, tworld.staff_a)
    client = login(tworld.leader)
    publish_post(client, tworld, profile)
    run_worker_batch()
    publication = Publication.objects.get()
    pem = _seal(tmp_path, settings)
    response = client.post(reverse("reports:seal", args=[publication.pk]))
    job = Job.objects.get(kind="seal")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    run_worker_batch(SEAL_PKCS12_PATH=settings.SEAL_PKCS12_PATH, SEAL_PKCS12_PASSPHRASE=settings.SEAL_PKCS12_PASSPHRASE)
    job.refresh_from_db()
    publication.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert publication.signed_sha256 and publication.signature["signer"] and pem.exists()
    assert client.get(reverse("reports:signed", args=[publication.pk])).content.startswith(b"%PDF")


def _seal(tmp_path, settings):
    """The signing tests' throwaway certificate, made by their fixture's own code."""
    from .test_signing import seal_certificate

    return seal_certificate.__wrapped__(tmp_path, settings)


def test_the_period_wide_import_commit_runs_in_a_worker(tworld, login, tmp_path):
    import io
    import re

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_bulk import FIGURES
    from .world import answer

    client = login(tworld.admin)
    url = reverse("assessment:bulk", args=[tworld.period.pk])
    set_pk = tworld.form_a.criteria_set_id
    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {"bo": set_pk, "mau": "1"}).content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "STTTT")
    for key, value in FIGURES.items():
        row[header.index(key)].value = value
    data = io.BytesIO()
    book.save(data)
    preview = client.post(url, {"bo": set_pk, "file": SimpleUploadedFile("so-lieu.xlsx", data.getvalue())})
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview.content.decode()))
    response = client.post(url, fields)
    job = Job.objects.get(kind="bulk_import")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert answer(tworld.form_a, "I.1").values == {}  # nothing written before the job ran
    output = run_worker_batch()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, (job.message, output)
    assert job.result["message"] == "Đã ghi 6 tiêu chí của 1 đơn vị từ tệp “so-lieu.xlsx”."
    assert answer(tworld.form_a, "I.1").values["docs_in"] in (1000, "1000")
    assert not list(tmp_path.glob("offline/*.xlsx"))  # the previewed file is removed once written
