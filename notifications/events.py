"""Who is told what, when a form moves; deadline reminders; sending the e-mails.

The workflow verbs call ``notify_on_commit(event, assessment)``; once their transaction commits a
"notify" job stores the in-app notices and mails them. Everything here is idempotent (keys), so a
job run twice, or retried after its worker died, tells nobody twice.
"""

import datetime
import logging
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import Notification, Preference, Reminder

logger = logging.getLogger("notifications")
K = Notification.Kind
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _name(user):
    return (f"{user.last_name} {user.first_name}".strip() if user else "") or (user.username if user else "")


def notify_on_commit(event, assessment):
    """Queue the notices of ``event`` for after the current transaction commits (nothing is sent
    for a move that is rolled back)."""
    assessment_pk = assessment.pk
    transaction.on_commit(lambda: _enqueue(event, assessment_pk))


def _enqueue(event, assessment_pk):
    from assessment.models import Assessment
    from jobs.runner import enqueue

    record = Assessment.history.filter(id=assessment_pk).order_by("-history_id").values("history_id").first()
    marker = record["history_id"] if record else 0
    enqueue("notify", title=f"Gửi thông báo ({event})", params={"event": event, "assessment": assessment_pk,
                                                                 "marker": marker},
            key=f"notify:{event}:{assessment_pk}:{marker}")


def unit_staff(unit):
    return get_user_model().objects.filter(is_active=True, unit_memberships__unit=unit).distinct()


def reviewers_of(assessment):
    return get_user_model().objects.filter(
        Q(review_assignments__unit=assessment.unit) | Q(review_assignments__block=assessment.unit.block_id),
        is_active=True, review_assignments__period=assessment.period_id).distinct()


def leaders():
    from assessment.roles import Role

    return get_user_model().objects.filter(is_active=True, groups__name=Role.LEADER).distinct()


def _last_change(assessment):
    return assessment.history.select_related("history_user").order_by("-history_id").first()


def messages_for(event, assessment):
    """[(users, kind, subject, body, link)] for one move of one form."""
    unit, period = assessment.unit.name, assessment.period.name
    form_link = reverse("assessment:form", args=[assessment.pk])
    record = _last_change(assessment)
    when = timezone.localtime(record.history_date, VN).strftime("%H:%M %d/%m/%Y") if record else ""
    who = _name(record.history_user) if record else ""
    if event == "submitted":
        resubmitted = assessment.history.filter(status="returned").exists()
        kind = K.RESUBMITTED if resubmitted else K.SUBMITTED
        verb = "nộp lại phiếu sau khi giải trình" if resubmitted else "nộp phiếu tự đánh giá"
        return [(reviewers_of(assessment), kind, f"{unit} đã {verb}",
                 f"{unit} đã {verb} ({period}) lúc {when}. Phiếu đang chờ anh/chị thẩm định.",
                 reverse("assessment:review", args=[assessment.pk]))]
    if event == "returned":
        reason = (record.history_change_reason or "") if record else ""
        return [(unit_staff(assessment.unit), K.RETURNED, f"Phiếu tự đánh giá của {unit} bị trả lại để giải trình",
                 f"{who} đã trả lại phiếu của {unit} ({period}) lúc {when}.\nLý do: {reason}\n"
                 "Mở phiếu để giải trình, sửa theo đề nghị rồi nộp lại.", form_link)]
    if event == "accepted":
        return [
            (unit_staff(assessment.unit), K.ACCEPTED, f"Phiếu của {unit} đã được thẩm định xong",
             f"Sở đã hoàn thành thẩm định phiếu của {unit} ({period}) lúc {when}; phiếu chờ lãnh đạo phê duyệt.",
             form_link),
            (leaders(), K.AWAITING, f"Phiếu của {unit} chờ phê duyệt",
             f"Phiếu của {unit} ({period}) đã thẩm định xong lúc {when} và đang chờ phê duyệt.",
             reverse("assessment:period", args=[assessment.period_id])),
        ]
    if event == "approved":
        return [(unit_staff(assessment.unit), K.APPROVED, f"Kết quả của {unit} đã được phê duyệt",
                 f"{who} đã phê duyệt kết quả đánh giá của {unit} ({period}) lúc {when}.", form_link)]
    raise ValueError(event)


def store(users, kind, key, subject, body, link):
    """The in-app notices (one per user, never twice); returns those created now."""
    created = []
    for user in users:
        try:
            with transaction.atomic():
                created.append(Notification.objects.create(user=user, kind=kind, key=key[:200], subject=subject[:300],
                                                           body=body, link=link))
        except IntegrityError:
            continue
    return created


def send_pending(notifications=None):
    """Mail every notice not mailed yet, to users with an address who want it. Returns the number sent;
    a notice is marked mailed only after the SMTP server accepted it."""
    now = timezone.now()
    # The sweep leaves the last minutes' notices to the job that created them.
    pending = notifications if notifications is not None else Notification.objects.filter(
        emailed_at__isnull=True, created_at__gte=now - datetime.timedelta(days=2),
        created_at__lte=now - datetime.timedelta(minutes=5)).select_related("user")
    pending = [n for n in pending if n.emailed_at is None]
    if not pending:
        return 0
    optional_off = set(Preference.objects.filter(optional_email=False).values_list("user_id", flat=True))
    sent = 0
    with get_connection() as mail:
        for notice in pending:
            user = notice.user
            if not user.email or (not notice.essential and user.pk in optional_off):
                continue
            body = f"Kính gửi {_name(user)},\n\n{notice.body}\n\n{settings.SITE_URL}{notice.link}\n\n" \
                   "Thư gửi tự động từ hệ thống đánh giá, xếp hạng mức độ ứng dụng CNTT; vui lòng không trả lời thư này.\n"
            if not notice.essential:
                body += f"Tắt thư thông báo không bắt buộc: {settings.SITE_URL}{reverse('notifications:list')}\n"
            EmailMessage(notice.subject, body, to=[user.email], connection=mail).send()
            Notification.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
            sent += 1
    return sent


def handle_event(event, assessment_pk, marker):
    from assessment.models import Assessment

    assessment = Assessment.objects.select_related("unit__block", "period").get(pk=assessment_pk)
    created = []
    for users, kind, subject, body, link in messages_for(event, assessment):
        created += store(users, kind, f"{kind}:{assessment_pk}:{marker}", subject, body, link)
    return created


def notify_published(publication):
    """Every unit of the published period hears of the annex."""
    from units.models import Unit

    period = publication.period
    units = Unit.objects.filter(assessments__period=period).distinct()
    users = get_user_model().objects.filter(is_active=True, unit_memberships__unit__in=units).distinct()
    return store(users, K.PUBLISHED, f"published:{publication.pk}",
                 f"Đã công bố kết quả đánh giá {period.name} (lần {publication.version})",
                 f"Phụ lục kết quả {period.name}, văn bản số {publication.number}, đã được công bố lần "
                 f"{publication.version}.", reverse("reports:publication", args=[publication.pk]))


# --- deadline reminders ----------------------------------------------------

def reminder_due(deadline, today):
    """Which reminder, if any, is due on ``today`` (local date) for ``deadline``: 7 days before
    (until the 1-day one takes over), 1 day before (until the deadline), the day after (for a week)."""
    if deadline - datetime.timedelta(days=7) <= today < deadline - datetime.timedelta(days=1):
        return Reminder.Kind.WEEK
    if deadline - datetime.timedelta(days=1) <= today < deadline + datetime.timedelta(days=1):
        return Reminder.Kind.DAY if today < deadline else None
    if deadline + datetime.timedelta(days=1) <= today <= deadline + datetime.timedelta(days=7):
        return Reminder.Kind.OVERDUE
    return None


def send_due_reminders(now=None):
    """Remind every unit whose form is not submitted in an open period, once per reminder and
    deadline, in the app and by e-mail. Returns the reminders sent."""
    from assessment.models import Assessment, Period

    today = timezone.localtime(now or timezone.now(), VN).date()
    forms = (Assessment.objects.filter(period__status=Period.Status.OPEN, submitted_at__isnull=True,
                                       status__in=[Assessment.Status.DRAFT, Assessment.Status.RETURNED])
             .select_related("unit", "period"))
    sent, notices = [], []
    for form in forms:
        deadline = form.period.deadline
        kind = reminder_due(deadline, today)
        if kind is None:
            continue
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(assessment=form, kind=kind, deadline=deadline)
                days = (deadline - today).days
                if kind == Reminder.Kind.OVERDUE:
                    subject = f"{form.unit.name}: đã quá hạn nộp phiếu tự đánh giá ({deadline:%d/%m/%Y})"
                    body = (f"Hạn nộp phiếu tự đánh giá {form.period.name} là ngày {deadline:%d/%m/%Y}; phiếu của "
                            f"{form.unit.name} chưa nộp. Phiếu nộp muộn bị trừ điểm theo số ngày chậm; hãy nộp sớm nhất có thể.")
                else:
                    subject = f"{form.unit.name}: còn {days} ngày đến hạn nộp phiếu tự đánh giá ({deadline:%d/%m/%Y})"
                    body = (f"Hạn nộp phiếu tự đánh giá {form.period.name} là ngày {deadline:%d/%m/%Y} (còn {days} ngày); "
                            f"phiếu của {form.unit.name} chưa nộp.")
                notices += store(unit_staff(form.unit), K.REMINDER, f"reminder:{form.pk}:{kind}:{deadline.isoformat()}",
                      subject, body, reverse("assessment:form", args=[form.pk]))
        except IntegrityError:
            continue
        sent.append(reminder)
    send_pending(notices)
    return sent
