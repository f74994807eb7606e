"""Preparing a period in the browser, for administrators: next year's period from this one
("Tạo kỳ mới từ kỳ này"), reviewer assignments by full name, opening the period.

Administrators configure; the verbs in ``assessment.workflow`` do the work and keep the history.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from criteria.diff import diff_documents
from units.models import Block, Unit
from units.naming import person_name, sort_key

from . import workflow
from .models import Period, PeriodCriteriaSet, ReviewerAssignment
from .roles import Role, is_admin


def _period_for_admin(request, pk):
    if not is_admin(request.user):
        raise Http404("Không tìm thấy kỳ đánh giá.")
    return get_object_or_404(Period, pk=pk)


class CarryForwardForm(forms.Form):
    start_from_previous = forms.BooleanField(
        label="Mỗi đơn vị bắt đầu từ số liệu đã thẩm định của kỳ này (ở các tiêu chí còn giữ nguyên)",
        required=False, initial=True)
    confirm = forms.BooleanField(label="Tôi đã xem và muốn tạo kỳ mới", required=True,
                                 error_messages={"required": "Hãy đánh dấu xác nhận trước khi tạo kỳ mới."})


def criteria_changes(assessment):
    """{criterion code: change} of this form's criteria set against the set the same block used in
    the period this one was carried from: the form marks new and changed criteria."""
    source = assessment.period.carried_from_id
    if source is None:
        return {}
    previous = (PeriodCriteriaSet.objects.filter(period_id=source, block_id=assessment.unit.block_id)
                .select_related("criteria_set").first())
    if previous is None or previous.criteria_set_id == assessment.criteria_set_id:
        return {}
    return diff_documents(previous.criteria_set.document(), assessment.criteria_set.document()).by_code


def carry_forward_plan(period):
    """What "Tạo kỳ mới từ kỳ này" will create, for the page to show before anything is written."""
    sets = []
    for pcs in period.criteria_sets.select_related("criteria_set", "block").order_by("block__order"):
        current = pcs.criteria_set
        newer = workflow.newest_version(current)
        diff = diff_documents(current.document(), newer.document()) if newer.pk != current.pk else None
        sets.append({"block": pcs.block, "current": current, "next": newer, "diff": diff})
    return {
        "year": period.year + 1,
        "dates": [(label, workflow.next_year(getattr(period, name))) for name, label in
                  [("opens_on", "Ngày mở"), ("deadline", "Hạn nộp phiếu"), ("data_cutoff", "Số liệu tính đến ngày")]],
        "sets": sets,
        "participants": period.participants.filter(is_active=True).count(),
        "inactive": period.participants.filter(is_active=False).count(),
        "assignments": period.reviewer_assignments.count(),
    }


@login_required
def carry_forward(request, pk):
    period = _period_for_admin(request, pk)
    existing = period.carried_to.first()
    form = CarryForwardForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            new = workflow.carry_forward(period, by=request.user,
                                         start_from_previous=form.cleaned_data["start_from_previous"])
        except workflow.WorkflowError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Đã tạo kỳ “{new.name}” (đang chuẩn bị). Kiểm tra phân công thẩm định rồi mở kỳ.")
            return redirect("assessment:assignments", new.pk)
    return render(request, "assessment/carry_forward.html", {
        "period": period, "form": form, "plan": carry_forward_plan(period), "existing": existing})


class AssignmentForm(forms.Form):
    reviewer = forms.ModelChoiceField(label="Thẩm định viên", queryset=get_user_model().objects.none(),
                                      error_messages={"required": "Chọn thẩm định viên.",
                                                      "invalid_choice": "Thẩm định viên không hợp lệ."})
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.none(), required=False,
                                  error_messages={"invalid_choice": "Đơn vị không hợp lệ."})
    block = forms.ModelChoiceField(label="hoặc cả khối", queryset=Block.objects.none(), required=False,
                                   error_messages={"invalid_choice": "Khối không hợp lệ."})

    def __init__(self, period, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reviewers = get_user_model().objects.filter(groups__name=Role.REVIEWER, is_active=True)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda u: f"{person_name(u)} ({u.username})"
        self.fields["reviewer"].choices = [("", "— chọn —")] + [
            (u.pk, f"{person_name(u)} ({u.username})") for u in sorted(reviewers, key=lambda u: sort_key(person_name(u)))]
        self.fields["unit"].queryset = period.participants.all()
        self.fields["block"].queryset = Block.objects.filter(units__in=period.participants.all()).distinct()

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("block")):
            raise forms.ValidationError("Chọn một đơn vị hoặc cả một khối (chỉ một trong hai).")
        return data


class RemoveAssignmentForm(forms.Form):
    assignment = forms.IntegerField(min_value=1)


@login_required
def assignments(request, pk):
    period = _period_for_admin(request, pk)
    if request.method == "POST" and request.POST.get("action") == "remove":
        remove = RemoveAssignmentForm(request.POST)
        if remove.is_valid() and ReviewerAssignment.objects.filter(
                period=period, pk=remove.cleaned_data["assignment"]).delete()[0]:
            messages.success(request, "Đã bỏ phân công.")
        return redirect("assessment:assignments", period.pk)
    form = AssignmentForm(period, request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                ReviewerAssignment.objects.create(period=period, reviewer=data["reviewer"], unit=data["unit"],
                                                  block=data["block"])
        except IntegrityError:
            messages.error(request, "Phân công này đã có.")
        else:
            target = data["unit"] or f"cả khối {data['block']}"
            messages.success(request, f"Đã phân công {person_name(data['reviewer'])} thẩm định {target}.")
            return redirect("assessment:assignments", period.pk)
    rows = sorted(period.reviewer_assignments.select_related("reviewer", "unit", "block"),
                  key=lambda a: (sort_key(person_name(a.reviewer)), sort_key(str(a.unit or a.block))))
    return render(request, "assessment/assignments.html", {"period": period, "form": form, "rows": rows})


@login_required
def open_period(request, pk):
    period = _period_for_admin(request, pk)
    if request.method == "POST":
        try:
            workflow.open_period(period, by=request.user)
        except workflow.WorkflowError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Đã mở kỳ “{period.name}”: đã tạo phiếu cho {period.assessments.count()} đơn vị.")
    return redirect("assessment:period", period.pk)
