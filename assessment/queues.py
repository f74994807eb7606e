"""Lists that answer "what is waiting for me": a reviewer's own forms and a period's progress.

Both read through ``Assessment.objects.visible_to`` like every other page; unit names are matched
without diacritics (units.naming.matches) and listed in Vietnamese alphabetical order.
"""

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from units.naming import matches, sort_key

from .models import Answer, Assessment, Period, reviewer_filter
from .roles import Role, has_role, sees_everything

SEARCH_MAX = 100


def search_text(request):
    """The ``q`` parameter, trimmed to something sane (hostile or accidental input is just text)."""
    return " ".join(request.GET.get("q", "").replace("\x00", "").split())[:SEARCH_MAX]


def filter_by_unit_name(forms, query):
    """Forms whose unit name or short name contains every word of ``query``, diacritics ignored."""
    if not query:
        return forms
    return [f for f in forms if matches(query, f.unit.name, f.unit.short_name, f.unit.code)]


@login_required
def my_forms(request):
    """"Phiếu của tôi": the forms assigned to this reviewer, the longest waiting for review first."""
    if not has_role(request.user, Role.REVIEWER):
        raise Http404("Trang này dành cho thẩm định viên.")
    query = search_text(request)
    forms = list(Assessment.objects.filter(reviewer_filter(request.user))
                 .exclude(period__status=Period.Status.CLOSED)
                 .select_related("period", "unit__block", "criteria_set"))
    forms = filter_by_unit_name(forms, query)
    now = timezone.now()
    waiting = sorted((f for f in forms if f.status == Assessment.Status.SUBMITTED),
                     key=lambda f: (f.submitted_at or now, sort_key(f.unit.name)))
    for form in waiting:
        form.waiting = now - form.submitted_at if form.submitted_at else None
    others = sorted((f for f in forms if f.status != Assessment.Status.SUBMITTED),
                    key=lambda f: (-f.period.year, f.period.name, sort_key(f.unit.name)))
    return render(request, "assessment/my_forms.html", {"waiting": waiting, "others": others, "q": query})


PROGRESS_COLUMNS = [
    ("not_started", "Chưa bắt đầu"),
    (Assessment.Status.DRAFT, "Đang điền"),
    (Assessment.Status.SUBMITTED, "Đã nộp"),
    (Assessment.Status.RETURNED, "Trả lại"),
    (Assessment.Status.REVIEWED, "Đã thẩm định"),
    (Assessment.Status.APPROVED, "Đã phê duyệt"),
]


def progress_state(form):
    """Where a form stands, with "not started" for a draft nobody has saved yet."""
    if form.status == Assessment.Status.DRAFT and not form.started:
        return "not_started"
    return form.status


@login_required
def period_progress(request, pk):
    """A period's progress per block, for leadership and administrators: how many forms stand where,
    and which units are late (not submitted after the deadline, or submitted late)."""
    if not sees_everything(request.user):
        raise Http404("Không tìm thấy kỳ đánh giá.")
    period = get_object_or_404(Period, pk=pk)
    query = search_text(request)
    started = Exists(Answer.objects.filter(assessment=OuterRef("pk"), version__gt=1))
    forms = list(period.assessments.annotate(started=started).select_related("unit__block"))
    forms = filter_by_unit_name(forms, query)
    today = timezone.localdate()
    past_deadline = today > period.deadline
    blocks = {}
    for form in forms:
        block = blocks.setdefault(form.unit.block_id, {"block": form.unit.block, "counts": Counter(), "late": []})
        state = progress_state(form)
        block["counts"][state] += 1
        unsubmitted = form.can("submit") and form.submitted_at is None
        if past_deadline and unsubmitted:
            form.late_text = f"chưa nộp, quá hạn {(today - period.deadline).days} ngày"
            block["late"].append(form)
        elif form.days_late:
            form.late_text = f"nộp muộn {form.days_late} ngày"
            block["late"].append(form)
    rows = []
    for block in sorted(blocks.values(), key=lambda b: (b["block"].order, sort_key(b["block"].name))):
        block["cells"] = [block["counts"][key] for key, _ in PROGRESS_COLUMNS]
        block["total"] = sum(block["cells"])
        block["late"].sort(key=lambda f: sort_key(f.unit.name))
        rows.append(block)
    return render(request, "assessment/progress.html", {
        "period": period, "columns": [label for _, label in PROGRESS_COLUMNS], "rows": rows, "q": query,
        "past_deadline": past_deadline,
    })
