"""Notifications: in the app and by e-mail, received by a real SMTP server (aiosmtpd on a free
port); deadline reminders on the Asia/Ho_Chi_Minh calendar."""

import datetime
import email
import email.policy
import socket
import zoneinfo

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from assessment import workflow
from assessment.models import Period
from notifications.events import send_due_reminders
from notifications.models import Notification, Preference, Reminder

from .world import answer, build_complete_answers, submitted

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, str(message["Subject"]).strip(), message.get_content()))
        return "250 OK"

    def to(self, address):
        return [(subject, body) for rcpt, subject, body in self.messages if address in rcpt]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


@pytest.fixture
def mailed_world(world):
    for name, user in world.users.items():
        user.email = f"{name.replace('_', '.')}@laocai.gov.vn"
        user.save()
    return world


def test_each_move_tells_the_right_people_by_mail_and_in_the_app(mailed_world, inbox, login,
                                                                 django_capture_on_commit_callbacks):
    world = mailed_world
    with django_capture_on_commit_callbacks(execute=True):
        form = submitted(world)
    [(subject, body)] = inbox.to("reviewer.a@laocai.gov.vn")
    assert subject == "Sở Thông tin và Truyền thông đã nộp phiếu tự đánh giá"
    assert body.startswith("Kính gửi Trần Thị Lan,") and f"/phieu/{form.pk}/tham-dinh/" in body
    assert inbox.to("reviewer.b@laocai.gov.vn") == []  # not assigned to unit A

    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_to_unit(form, by=world.reviewer_a, reason="Bổ sung báo cáo văn bản đến")
    [(subject, body)] = inbox.to("staff.a@laocai.gov.vn")
    assert subject == "Phiếu tự đánh giá của Sở Thông tin và Truyền thông bị trả lại để giải trình"
    assert "Trần Thị Lan đã trả lại phiếu" in body and "Lý do: Bổ sung báo cáo văn bản đến" in body
    assert inbox.to("staff.b@laocai.gov.vn") == []

    with django_capture_on_commit_callbacks(execute=True):
        build_complete_answers(form, world.staff_a)
        workflow.submit(form, by=world.staff_a)
    assert inbox.to("reviewer.a@laocai.gov.vn")[-1][0] == "Sở Thông tin và Truyền thông đã nộp lại phiếu sau khi giải trình"

    with django_capture_on_commit_callbacks(execute=True):
        workflow.accept_review(form, by=world.reviewer_a)
    assert inbox.to("staff.a@laocai.gov.vn")[-1][0] == "Phiếu của Sở Thông tin và Truyền thông đã được thẩm định xong"
    assert inbox.to("leader@laocai.gov.vn")[-1][0] == "Phiếu của Sở Thông tin và Truyền thông chờ phê duyệt"

    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(form, by=world.leader)
    assert inbox.to("staff.a@laocai.gov.vn")[-1][0] == "Kết quả của Sở Thông tin và Truyền thông đã được phê duyệt"

    # In the app: the header counts the unread ones; opening one marks it read and goes to the form.
    client = login(world.staff_a)
    header = client.get(reverse("home")).content.decode()
    assert 'aria-label="3 thông báo chưa đọc">3</span>' in header
    returned = world.staff_a.notifications.get(kind="returned")
    assert client.get(reverse("notifications:open", args=[returned.pk]))["Location"] == f"/phieu/{form.pk}/"
    assert 'aria-label="2 thông báo chưa đọc"' in client.get(reverse("notifications:list")).content.decode()


def test_optional_mail_can_be_turned_off_but_a_return_still_arrives(mailed_world, inbox, login,
                                                                     django_capture_on_commit_callbacks):
    world = mailed_world
    response = login(world.reviewer_a).post(reverse("notifications:preferences"), {}, follow=True)
    assert "không nhận thư điện tử cho thông báo không bắt buộc" in response.content.decode()
    assert Preference.objects.get(user=world.reviewer_a).optional_email is False
    Preference.objects.create(user=world.staff_a, optional_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        form = submitted(world)
        workflow.return_to_unit(form, by=world.reviewer_a, reason="Thiếu số liệu")
    assert inbox.to("reviewer.a@laocai.gov.vn") == []  # optional: turned off
    assert world.reviewer_a.notifications.count() == 1  # still in the app
    assert [s for s, _ in inbox.to("staff.a@laocai.gov.vn")] == [
        "Phiếu tự đánh giá của Sở Thông tin và Truyền thông bị trả lại để giải trình"]


def test_a_notice_is_never_sent_twice(mailed_world, inbox, django_capture_on_commit_callbacks):
    from jobs.models import Job
    from jobs.runner import run

    world = mailed_world
    with django_capture_on_commit_callbacks(execute=True):
        submitted(world)
    job = Job.objects.get(kind="notify")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)  # delivered again by the queue
    run(job.pk)
    assert len(inbox.to("reviewer.a@laocai.gov.vn")) == 1
    assert Notification.objects.filter(user=world.reviewer_a).count() == 1


def at(day, hour=8):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=VN)


@pytest.fixture
def deadline_world(django_user_model, db):
    from .world import build_world

    world = build_world(django_user_model, today=datetime.date(2026, 11, 2), deadline=datetime.date(2026, 11, 20))
    for name, user in world.users.items():
        user.email = f"{name.replace('_', '.')}@laocai.gov.vn"
        user.save()
    return world


def sent(now):
    return sorted((r.assessment.unit.code, r.kind) for r in send_due_reminders(now))


def test_reminders_7_days_1_day_and_overdue_once_each(deadline_world, inbox):
    world = deadline_world
    deadline = datetime.date(2026, 11, 20)
    assert sent(at(deadline - datetime.timedelta(days=8))) == []
    assert sent(at(deadline - datetime.timedelta(days=7))) == [("SNV", "7d"), ("STTTT", "7d")]
    assert sent(at(deadline - datetime.timedelta(days=7), hour=17)) == []  # not twice
    assert sent(at(deadline - datetime.timedelta(days=3))) == []
    assert sent(at(deadline - datetime.timedelta(days=1))) == [("SNV", "1d"), ("STTTT", "1d")]
    assert sent(at(deadline)) == []
    assert sent(at(deadline + datetime.timedelta(days=1))) == [("SNV", "overdue"), ("STTTT", "overdue")]
    assert sent(at(deadline + datetime.timedelta(days=2))) == []
    subjects = [s for s, _ in inbox.to("staff.a@laocai.gov.vn")]
    assert subjects == [
        "Sở Thông tin và Truyền thông: còn 7 ngày đến hạn nộp phiếu tự đánh giá (20/11/2026)",
        "Sở Thông tin và Truyền thông: còn 1 ngày đến hạn nộp phiếu tự đánh giá (20/11/2026)",
        "Sở Thông tin và Truyền thông: đã quá hạn nộp phiếu tự đánh giá (20/11/2026)"]
    assert world.staff_a.notifications.filter(kind="reminder").count() == 3


def test_reminders_follow_the_vietnamese_calendar(deadline_world):
    # 17:30 UTC on 12/11 is already 00:30 on 13/11 in Hà Nội: seven days before the 20th.
    assert sent(datetime.datetime(2026, 11, 12, 17, 30, tzinfo=datetime.UTC)) == [("SNV", "7d"), ("STTTT", "7d")]


def test_submitting_stops_reminders_and_a_moved_deadline_replans_them(deadline_world, inbox):
    world = deadline_world
    assert len(sent(at(datetime.date(2026, 11, 13)))) == 2
    workflow.submit(build_complete_answers(world.form_a, world.staff_a), by=world.staff_a,
                    now=at(datetime.date(2026, 11, 14)))
    assert sent(at(datetime.date(2026, 11, 19))) == [("SNV", "1d")]  # Sở TTTT submitted
    Period.objects.filter(pk=world.period.pk).update(deadline=datetime.date(2026, 11, 30))
    assert sent(at(datetime.date(2026, 11, 21))) == []  # no "overdue" for the old deadline
    assert sent(at(datetime.date(2026, 11, 23))) == [("SNV", "7d")]  # re-planned for the 30th
    assert sent(at(datetime.date(2026, 11, 29))) == [("SNV", "1d")]
    assert Reminder.objects.filter(assessment=world.form_b, deadline=datetime.date(2026, 11, 30)).count() == 2
    assert "còn 7 ngày đến hạn nộp phiếu tự đánh giá (30/11/2026)" in inbox.to("staff.b@laocai.gov.vn")[-2][0]
    assert answer(world.form_a, "I.1").values  # the submitted form is untouched


def test_the_workers_hourly_tick_sends_the_days_reminders_once(django_user_model, db, inbox,
                                                               django_capture_on_commit_callbacks):
    from django.utils import timezone

    from jobs.maintenance import tick
    from jobs.models import Job

    from .world import build_world

    today = timezone.localdate()
    world = build_world(django_user_model, deadline=today + datetime.timedelta(days=7))
    world.staff_b.email = "staff.b@laocai.gov.vn"
    world.staff_b.save()
    tick()
    tick()  # the next tick in the same hour: the same job, nothing sent again
    job = Job.objects.get(kind="reminders")
    assert job.status == Job.Status.SUCCEEDED and job.result["message"].startswith("Đã nhắc hạn 2 phiếu")
    assert [s for s, _ in inbox.to("staff.b@laocai.gov.vn")] == [
        f"Sở Nội vụ: còn 7 ngày đến hạn nộp phiếu tự đánh giá ({world.period.deadline:%d/%m/%Y})"]
