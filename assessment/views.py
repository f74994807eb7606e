"""Thin views: fetch the object through the access rules, call a workflow verb, render."""

import datetime
import hashlib
import io
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from criteria.models import Criterion
from safety import text as safe_text
from safety.cleanup import remove_stale_previews

from . import workflow
from .forms import ReviewForm, UnitForm
from .history import history_entries
from .models import Assessment, EvidenceFile, Period
from .periods import criteria_changes
from .permissions import get_assessment_for
from .queues import filter_by_unit_name, search_text
from .roles import Role, has_role, is_admin, sees_everything
from .scoring import answer_rows, problems_for, score_both_for_display
from .workflow import ConflictError, WorkflowError


def _forbid(request, assessment, message):
    messages.error(request, message)
    return redirect("assessment:form", assessment.pk)


@login_required
def home(request):
    user = request.user
    own = (Assessment.objects.filter(unit__memberships__user=user)
           .select_related("period", "unit", "criteria_set").prefetch_related("period__publications")
           .order_by("-period__year", "unit__name"))
    periods = Period.objects.none()
    if user.has_perm("assessment.list_periods"):
        periods = Period.objects.exclude(status=Period.Status.DRAFT) if not sees_everything(user) else Period.objects.all()
        periods = periods.annotate(total=Count("assessments"), submitted=Count(
            "assessments", filter=~Q(assessments__status__in=[Assessment.Status.DRAFT, Assessment.Status.RETURNED])))
    return render(request, "assessment/home.html", {"own": own, "periods": periods})


def _queue(request, period):
    forms = (Assessment.objects.visible_to(request.user).filter(period=period)
             .select_related("unit__block", "criteria_set"))
    block = safe_text.plain_parameter(request.GET.get("khoi"))
    status = safe_text.choice(request.GET.get("trang-thai", ""), Assessment.Status.values)
    if block:
        forms = forms.filter(unit__block__code=block)
    if status:
        forms = forms.filter(status=status)
    return forms.order_by("unit__block__order", "unit__name")


@login_required
def period_detail(request, pk):
    if not request.user.has_perm("assessment.list_periods"):
        raise Http404("Không tìm thấy kỳ đánh giá.")
    period = get_object_or_404(Period, pk=pk)
    forms = list(_queue(request, period))
    if not forms and not sees_everything(request.user):
        raise Http404("Không tìm thấy kỳ đánh giá.")
    query = search_text(request)
    forms = filter_by_unit_name(forms, query)
    now = timezone.now()
    for form in forms:
        form.waiting = now - form.submitted_at if form.submitted_at and form.status == Assessment.Status.SUBMITTED else None
    blocks = {f.unit.block.code: f.unit.block.name for f in forms}
    has_bands = any(s.scheme().bands for s in {f.criteria_set for f in forms})
    return render(request, "assessment/period.html", {
        "period": period, "forms": forms, "blocks": sorted(blocks.items()),
        "statuses": Assessment.Status.choices, "chosen_block": safe_text.plain_parameter(request.GET.get("khoi")),
        "chosen_status": safe_text.choice(request.GET.get("trang-thai", ""), Assessment.Status.values), "q": query,
        "can_approve": has_role(request.user, Role.LEADER), "is_admin": is_admin(request.user),
        "has_bands": has_bands,
    })


@login_required
@require_POST
def approve_many(request, pk):
    period = get_object_or_404(Period, pk=pk)
    if not has_role(request.user, Role.LEADER):
        raise PermissionDenied
    back = reverse("assessment:period", args=[period.pk])
    query = {k: request.POST.get(k, "") for k in ("khoi", "trang-thai") if request.POST.get(k)}
    if query:
        back += "?" + urlencode(query)
    ticked = request.POST.getlist("phieu")
    ids = safe_text.ids(ticked)
    if not ticked:
        messages.error(request, "Chưa chọn phiếu nào: đánh dấu các phiếu đã thẩm định cần phê duyệt rồi bấm lại.")
        return redirect(back)
    chosen = [a for a in Assessment.objects.visible_to(request.user).filter(period=period, pk__in=ids)
              .select_related("unit") if request.user.has_perm("assessment.approve_form", a)]
    approved, refused = workflow.approve_many(chosen, by=request.user)
    if approved:
        messages.success(request, f"Đã phê duyệt {len(approved)} phiếu.")
    skipped = len(ticked) - len(chosen)
    if skipped:
        refused.append(f"{skipped} phiếu chưa thẩm định xong hoặc không thuộc quyền phê duyệt, đã bỏ qua.")
    for message in refused:
        messages.error(request, message)
    return redirect(back)


def _context(assessment, answers, **extra):
    scheme = assessment.criteria_set.scheme()
    files = list(assessment.files.filter(removed=False).select_related("criterion", "uploaded_by"))
    comments = list(assessment.comments.select_related("criterion", "author"))
    return {"assessment": assessment, "scheme": scheme, "answers": {a.criterion.code: a for a in answers},
            "files": files, "comments": comments, **extra}


def _filled(node, answer):
    """A leaf counts as entered when every figure it needs (and its points, if manual) is there."""
    if answer is None or node.rule is None or node.is_substitute:
        return True
    if node.rule.manual and answer.points is None:
        return False
    return all(answer.values.get(f.key) not in (None, "") for f in node.fields if f.kind != "text")


def _rows(scheme, assessment, answers, form, own, reviewed, files, comments, *, review=False, diff=None,
          warnings=None):
    """The criteria tree as the rows of the official form, with everything each row shows."""
    by_code = {a.criterion.code: a for a in answers}
    files_by = {}
    for f in files:
        files_by.setdefault(f.criterion.code if f.criterion else None, []).append(f)
    comments_by = {}
    for c in comments:
        comments_by.setdefault(c.criterion.code if c.criterion else None, []).append(c)
    has_procedures = assessment.unit.has_procedures
    diff, warnings = diff or {}, warnings or {}
    rows = []

    def bound(name):
        return form[name] if form is not None and name in form.fields else None

    def walk(node, depth, section):
        answer = by_code.get(node.code)
        inputs, review_inputs, request_inputs = [], [], []
        if form is not None and node.rule is not None and not node.children:
            prefix, pprefix = ("rf", "rp") if review else ("f", "p")
            inputs = [b for b in (bound(f"{prefix}__{f.key}") for f in node.fields) if b is not None]
            extra = [bound(f"{pprefix}__{node.code}")]
            if review:
                extra += [bound(f"rq__{node.code}"), bound(f"rr__{node.code}")]
                request_inputs = [b for b in (bound(f"rb__{node.code}"), bound(f"rbr__{node.code}")) if b is not None]
            review_inputs = [b for b in extra if b is not None]
        applies = node.applies(has_procedures)
        leaf = (not node.children and node.rule is not None and applies and not node.is_substitute
                and not node.is_deduction)
        adjusted = answer is not None and (answer.reviewed_values is not None or answer.reviewed_points is not None
                                           or answer.poor_data)
        row_files = files_by.get(node.code, [])
        changes = diff.get(node.code)
        rows.append({
            "node": node, "depth": depth, "answer": answer, "applies": applies, "section": section,
            "own": own.criteria.get(node.code) if own else None,
            "reviewed": reviewed.criteria.get(node.code) if reviewed else None,
            "inputs": [(b, warnings.get(b.name)) for b in inputs], "extra_inputs": review_inputs,
            "request_inputs": request_inputs,
            "note": bound(f"n__{node.code}"), "explain": bound(f"x__{node.code}"),
            "version": bound(f"v__{node.code}"),
            "files": row_files, "comments": comments_by.get(node.code, []),
            "fields": node.fields, "leaf": leaf, "filled": _filled(node, answer) if leaf else True,
            "adjusted": adjusted, "changes": changes,
            "flags": " ".join(k for k, on in (
                ("khac", adjusted), ("giai-trinh", bool(answer and answer.explanation.strip())),
                ("co", bool(answer and (answer.poor_data or answer.request))),
                ("tep-moi", bool(changes and changes["added"])), ("doi", bool(changes))) if on),
        })
        for child in node.children:
            walk(child, depth + 1, section)

    for node in scheme.nodes:
        walk(node, 0, node.code)
    return rows


def _sections(scheme, rows, own):
    """Section navigation: each top-level group with its subtotal and whether all is entered."""
    sections = []
    for node in scheme.nodes:
        leaves = [r for r in rows if r["section"] == node.code and r["leaf"]]
        result = own.criteria.get(node.code) if own else None
        sections.append({"code": node.code, "title": node.title, "is_deduction": node.is_deduction,
                         "points": result.points if result is not None and result.applicable else None,
                         "done": sum(1 for r in leaves if r["filled"]), "count": len(leaves)})
    return sections


def _problem_links(form, problems):
    """The error summary: each problem with the id of the field (or row) it is about."""
    links = []
    for text in problems:
        target = ""
        if form is not None:
            for name, errors in form.errors.items():
                if name in form.fields and any(str(e) in text or text.endswith(str(e)) for e in errors):
                    target = form[name].auto_id
                    break
        if not target:
            match = re.search(r"Tiêu chí ([0-9A-Za-z.]+)", text)
            if match:
                target = f"tc-{match.group(1).rstrip('.')}"
        links.append({"text": text, "target": target})
    return links


def _render_form(request, assessment, answers, form, *, review=False, problems=(), status=200,
                 saved_not_submitted=False):
    from .changes import return_notice, since_last_submission
    from .warnings import figure_warnings, last_year_values

    scheme = assessment.criteria_set.scheme()
    own, reviewed = score_both_for_display(assessment, scheme, answer_rows(answers))
    context = _context(assessment, answers, form=form, own=own, reviewed=reviewed, review=review,
                       problems=_problem_links(form, problems))
    editable = form is not None and not review
    warnings = {}
    if editable or review:
        last_year, year = last_year_values(assessment)
        warnings = figure_warnings(scheme, {a.criterion.code: (a.reviewed_values if review and a.reviewed_values
                                                               is not None else a.values) for a in answers},
                                   last_year, year, prefix="rf" if review else "f")
    diff = since_last_submission(assessment, scheme, answers) if review or assessment.status != "draft" else {}
    context["rows"] = _rows(scheme, assessment, answers, form, own, reviewed, context["files"],
                            context["comments"], review=review, diff=diff, warnings=warnings)
    set_changes = criteria_changes(assessment)
    for row in context["rows"]:
        row["change"] = set_changes.get(row["node"].code)
        row["carried"] = row["answer"] is not None and row["answer"].is_carried
    context["sections"] = _sections(scheme, context["rows"], reviewed if review else own)
    leaves = [r for r in context["rows"] if r["leaf"]]
    context["progress"] = {"done": sum(1 for r in leaves if r["filled"]), "count": len(leaves),
                           "next": next((r["node"].code for r in leaves if not r["filled"]), None)}
    context["editable"] = editable
    context["saved_not_submitted"] = saved_not_submitted
    context["read_only_reason"] = assessment.read_only_reason()
    context["returned"] = return_notice(assessment, answers, context["comments"]) if not review else None
    context["diff_count"] = len(diff)
    # Column 6 means something only once a reviewer has looked at the form.
    context["show_review"] = review or assessment.status in ("returned", "reviewed", "approved")
    user = request.user
    context["can"] = {action: user.has_perm(f"assessment.{action}_form", assessment)
                      for action in ("edit", "review", "comment", "approve", "unapprove", "reopen")}
    context["submission_problems"] = (workflow.submission_problems(assessment, answers)
                                      if context["can"]["edit"] and not review else [])
    context["general_files"] = [f for f in context["files"] if f.criterion is None]
    context["general_comments"] = [c for c in context["comments"] if c.criterion is None]
    context["scan_kind"] = EvidenceFile.Kind.SIGNED_SCAN
    context["consistency_warnings"] = (reviewed if review else own).warnings
    return render(request, "assessment/form.html", context, status=status)


def _unit_changes(form, assessment, answers):
    """Cleaned changes from the unit's form, or problems attached to the form's inputs."""
    changes, problems = form.changes()
    if not problems:
        rows = answer_rows(answers)
        for code, new in changes.items():
            rows[code].update({"values": new["values"], "points": new["points"]})
        problems = problems_for(assessment, assessment.criteria_set.scheme(), rows, reviewed=False)
    if problems:
        form.attach_problems(problems)
    return changes, problems


@login_required
def form_view(request, pk):
    assessment = get_assessment_for(request.user, pk)
    answers = workflow.load_answers(assessment)
    editable = request.user.has_perm("assessment.edit_form", assessment)
    if request.method != "POST":
        return _render_form(request, assessment, answers, UnitForm(assessment, answers) if editable else None)
    if not editable:
        return _forbid(request, assessment, assessment.read_only_reason() or "Bạn không sửa được phiếu này.")
    form = UnitForm(assessment, answers, request.POST)
    autosave = request.headers.get("X-Autosave") == "1"
    problems = []
    if form.is_valid():
        changes, problems = _unit_changes(form, assessment, answers)
        if not problems:
            try:
                changed = workflow.save_unit_answers(assessment, changes, form.versions(), by=request.user,
                                                     autosave=autosave)
                if request.POST.get("action") == "submit":
                    workflow.submit(assessment, by=request.user)
                    messages.success(request, "Đã nộp phiếu. Phiếu chờ Sở TTTT thẩm định.")
                    return redirect("assessment:form", assessment.pk)
            except WorkflowError as exc:
                problems = exc.messages
                if isinstance(exc, ConflictError) or request.POST.get("action") != "submit":
                    form.add_error(None, exc)
                else:
                    # The draft was saved; only the submission is refused. A fresh form carries the
                    # new versions, so the next save does not collide with this one.
                    answers = workflow.load_answers(assessment)
                    return _render_form(request, assessment, answers, UnitForm(assessment, answers),
                                        problems=problems, status=400, saved_not_submitted=True)
            else:
                if autosave:
                    return JsonResponse({"saved": True, "changed": [a.criterion.code for a in changed],
                                         "versions": {a.criterion.code: a.version for a in changed},
                                         "at": timezone.localtime().strftime("%H:%M")})
                messages.success(request, "Đã lưu phiếu." if changed else "Không có thay đổi nào để lưu.")
                return redirect("assessment:form", assessment.pk)
    if autosave:
        return JsonResponse({"saved": False, "errors": problems_to_text(form, problems)}, status=400)
    answers = workflow.load_answers(assessment)
    return _render_form(request, assessment, answers, form, problems=problems_to_text(form, problems), status=400)


def problems_to_text(form, problems):
    texts = [str(p) for p in problems]
    if not texts:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            texts += [f"{label}: {e}" if label else e for e in errors]
    return texts


def _signed(node, result, places):
    """Points as the form shows them: deductions with a minus sign, so a group of deductions
    never reads as a gain."""
    if not result.applicable:
        return "—"
    text = f"{result.points:.{places}f}".replace(".", ",")
    return f"−{text}" if node.is_deduction and result.points else text


@login_required
@require_POST
def form_preview(request, pk):
    """Live recompute while typing: the engine's scores and explanations for what is in the form now."""
    assessment = get_assessment_for(request.user, pk)
    review = request.POST.get("side") == "review"
    action = "review" if review else "edit"
    if not request.user.has_perm(f"assessment.{action}_form", assessment):
        return JsonResponse({"error": assessment.read_only_reason() or "Không có quyền."}, status=403)
    answers = workflow.load_answers(assessment)
    form = (ReviewForm if review else UnitForm)(assessment, answers, request.POST)
    errors = {}
    if not form.is_valid():
        return JsonResponse({"errors": {k: [str(e) for e in v] for k, v in form.errors.items()}}, status=400)
    changes, problems = form.changes()
    rows = answer_rows(answers)
    for code, new in changes.items():
        if review:
            rows[code].update({k: new[k] for k in ("reviewed_values", "reviewed_points", "poor_data")})
        else:
            rows[code].update({"values": new["values"], "points": new["points"]})
    scheme = assessment.criteria_set.scheme()
    if not problems:
        problems = problems_for(assessment, scheme, rows, reviewed=review)
    if problems:
        form.attach_problems(problems)
        errors = {k: [str(e) for e in v] for k, v in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    own, reviewed = score_both_for_display(assessment, scheme, rows)
    result = reviewed if review else own
    places = scheme.points_places
    from .warnings import figure_warnings, last_year_values

    last_year, year = last_year_values(assessment)
    typed = {code: ((new.get("reviewed_values") if new.get("reviewed_values") is not None else rows[code]["values"])
                    if review else new["values"]) for code, new in changes.items()}
    return JsonResponse({
        "errors": {},
        "field_warnings": figure_warnings(scheme, typed, last_year, year, prefix="rf" if review else "f"),
        "criteria": {code: {"points": _signed(scheme.by_code[code], r, places),
                            "explanation": r.explanation} for code, r in result.criteria.items()},
        "total": f"{result.total:.{places}f}".replace(".", ","),
        "score": f"{result.score:.{scheme.score_places}f}".replace(".", ","),
        "classification": result.classification,
        "consistency": result.warnings,
    })


@login_required
def review(request, pk):
    assessment = get_assessment_for(request.user, pk)
    if not request.user.has_perm("assessment.review_form", assessment):
        return _forbid(request, assessment, "Phiếu không ở bước thẩm định hoặc không được phân công cho bạn.")
    answers = workflow.load_answers(assessment)
    if request.method != "POST":
        return _render_form(request, assessment, answers, ReviewForm(assessment, answers), review=True)
    action = request.POST.get("action", "save")
    form = ReviewForm(assessment, answers, request.POST)
    problems = []
    if form.is_valid():
        changes, problems = form.changes()
        if problems:
            form.attach_problems(problems)
        else:
            try:
                workflow.save_review(assessment, changes, form.versions(), by=request.user)
                if action == "return":
                    workflow.return_to_unit(assessment, by=request.user, reason=request.POST.get("reason", ""))
                    messages.success(request, "Đã trả lại phiếu cho đơn vị giải trình.")
                    return redirect("assessment:form", assessment.pk)
                if action == "accept":
                    workflow.accept_review(assessment, by=request.user)
                    messages.success(request, "Đã hoàn thành thẩm định phiếu.")
                    return redirect("assessment:form", assessment.pk)
            except WorkflowError as exc:
                problems = exc.messages
                form.add_error(None, exc)
            else:
                messages.success(request, "Đã lưu kết quả thẩm định.")
                return redirect("assessment:review", assessment.pk)
    answers = workflow.load_answers(assessment)
    return _render_form(request, assessment, answers, form, review=True, problems=problems_to_text(form, problems),
                        status=400)


@login_required
@require_POST
def decide(request, pk, verb):
    """Approve, unapprove or reopen one form."""
    action = {"phe-duyet": "approve", "huy-phe-duyet": "unapprove", "mo-lai": "reopen"}[verb]
    assessment = get_assessment_for(request.user, pk)
    if not request.user.has_perm(f"assessment.{action}_form", assessment):
        return _forbid(request, assessment, "Bạn không thực hiện được thao tác này với phiếu ở trạng thái hiện tại.")
    reason = request.POST.get("reason", "")
    try:
        if action == "approve":
            workflow.approve(assessment, by=request.user)
            messages.success(request, "Đã phê duyệt kết quả.")
        elif action == "unapprove":
            workflow.unapprove(assessment, by=request.user, reason=reason)
            messages.success(request, "Đã huỷ phê duyệt.")
        else:
            try:
                days = safe_text.parse_int(request.POST.get("days"), label="Số ngày mở lại", lo=1, hi=30, default=3)
            except ValidationError as exc:
                raise WorkflowError(exc.messages) from exc
            until = timezone.now() + datetime.timedelta(days=days)
            workflow.reopen(assessment, by=request.user, reason=reason, until=until)
            messages.success(request, "Đã mở lại phiếu cho đơn vị.")
    except WorkflowError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("assessment:form", assessment.pk)


@login_required
@require_POST
def upload(request, pk):
    assessment = get_assessment_for(request.user, pk)
    if not request.user.has_perm("assessment.edit_form", assessment):
        return _forbid(request, assessment, assessment.read_only_reason() or "Bạn không sửa được phiếu này.")
    uploaded = request.FILES.get("file")
    code = safe_text.plain_parameter(request.POST.get("criterion"))
    criterion = None
    if code:
        criterion = Criterion.objects.filter(criteria_set=assessment.criteria_set, code=code).first()
        if criterion is None:
            raise Http404("Không có tiêu chí này.")
    kind = EvidenceFile.Kind.SIGNED_SCAN if request.POST.get("kind") == "signed_scan" else EvidenceFile.Kind.EVIDENCE
    record, problems = None, []
    if uploaded is None:
        problems = ["Chưa chọn tệp để tải lên."]
    else:
        try:
            record = workflow.upload_evidence(assessment, uploaded, by=request.user, criterion=criterion, kind=kind)
        except WorkflowError as exc:
            problems = exc.messages
    if request.headers.get("X-Requested-With") == "fetch":
        # The form page uploads in place, so figures typed but not yet saved stay on the page.
        if record is None:
            return JsonResponse({"ok": False, "message": " ".join(problems)}, status=400)
        return JsonResponse({"ok": True, "message": f"Đã tải lên “{record.original_name}”.", "file": {
            "name": record.original_name, "url": reverse("assessment:download", args=[record.pk]),
            "size": filesizeformat(record.size), "remove": reverse("assessment:remove", args=[record.pk])}})
    if record is None:
        for message in problems:
            messages.error(request, message)
    else:
        messages.success(request, f"Đã tải lên “{safe_text.clean_filename(uploaded.name)}”.")
    return redirect(reverse("assessment:form", args=[assessment.pk]) + (f"#tc-{code}" if code else ""))


def _file_for(request, file_pk):
    record = get_object_or_404(EvidenceFile.objects.select_related("assessment", "criterion"), pk=file_pk,
                               removed=False)
    get_assessment_for(request.user, record.assessment_id)
    return record


@login_required
def download(request, file_pk):
    record = _file_for(request, file_pk)
    response = FileResponse(record.file.open("rb"), content_type=record.content_type, as_attachment=True,
                            filename=record.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def remove(request, file_pk):
    record = _file_for(request, file_pk)
    if not request.user.has_perm("assessment.edit_form", record.assessment):
        return _forbid(request, record.assessment, record.assessment.read_only_reason())
    try:
        workflow.remove_evidence(record, by=request.user)
        messages.success(request, f"Đã gỡ “{record.original_name}”.")
    except WorkflowError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assessment:form", record.assessment_id)


@login_required
@require_POST
def comment(request, pk):
    assessment = get_assessment_for(request.user, pk)
    if not request.user.has_perm("assessment.comment_form", assessment):
        return _forbid(request, assessment, "Bạn không tham gia giải trình phiếu này.")
    code = safe_text.plain_parameter(request.POST.get("criterion"))
    criterion = Criterion.objects.filter(criteria_set=assessment.criteria_set, code=code).first() if code else None
    try:
        workflow.add_comment(assessment, by=request.user, text=request.POST.get("text", ""), criterion=criterion)
        messages.success(request, "Đã gửi ý kiến.")
    except WorkflowError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("assessment:form", args=[assessment.pk]) + (f"#tc-{code}" if code else ""))


@login_required
def history(request, pk):
    assessment = get_assessment_for(request.user, pk)
    return render(request, "assessment/history.html",
                  {"assessment": assessment, "entries": history_entries(assessment),
                   "can_reopen": is_admin(request.user)})


@login_required
def offline_download(request, pk):
    """The form as an Excel file to fill offline."""
    from .offline import build_workbook

    assessment = get_assessment_for(request.user, pk)
    data = build_workbook(assessment, workflow.load_answers(assessment))
    response = FileResponse(io.BytesIO(data), as_attachment=True,
                            filename=f"phieu-{assessment.unit.code}-{assessment.period.year}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return response


def _offline_store():
    """Previewed uploads wait here for confirmation, in the default storage (any app server reads
    them); on the filesystem storage that is MEDIA_ROOT/offline, where stale previews are removed."""
    from config.storage import StoredFolder

    remove_stale_previews()
    return StoredFolder("offline")


@login_required
@require_POST
def offline_upload(request, pk):
    """Upload a filled offline form: first a preview of every change and problem (nothing written),
    then, on confirmation, the same file is read again and saved through the workflow verb."""
    from .offline import MAX_BYTES, OfflineFileError, read_workbook

    assessment = get_assessment_for(request.user, pk)
    if not request.user.has_perm("assessment.edit_form", assessment):
        return _forbid(request, assessment, assessment.read_only_reason() or "Bạn không sửa được phiếu này.")
    remove_stale_previews()
    confirm = request.POST.get("xac-nhan", "")
    if confirm:
        if not re.fullmatch(r"[0-9a-f]{64}", confirm) or not (_offline_store() / f"{confirm}.xlsx").exists():
            messages.error(request, "Không tìm thấy tệp đã xem trước; hãy tải tệp lên lại.")
            return redirect("assessment:form", assessment.pk)
        data, name = (_offline_store() / f"{confirm}.xlsx").read_bytes(), safe_text.clean_filename(
            request.POST.get("ten"), fallback="tệp")
    else:
        uploaded = request.FILES.get("file")
        if uploaded is None:
            messages.error(request, "Chưa chọn tệp Excel để tải lên.")
            return redirect("assessment:form", assessment.pk)
        name = safe_text.clean_filename(uploaded.name)
        if uploaded.size > MAX_BYTES:
            messages.error(request, f"Tệp “{name}” vượt giới hạn {MAX_BYTES // 1048576} MB.")
            return redirect("assessment:form", assessment.pk)
        data = uploaded.read()
    answers = workflow.load_answers(assessment)
    try:
        reading = read_workbook(assessment, answers, data, name)
    except OfflineFileError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("assessment:form", assessment.pk)
    if confirm and not reading.problems:
        versions = {key[3:]: int(value) for key, value in request.POST.items()
                    if key.startswith("v__") and re.fullmatch(r"[0-9]{1,9}", value)}
        try:
            changed = workflow.save_unit_answers(assessment, reading.changes, versions, by=request.user)
        except WorkflowError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            (_offline_store() / f"{confirm}.xlsx").unlink(missing_ok=True)
            messages.success(request, f"Đã lưu số liệu từ tệp “{name}” ({len(changed)} tiêu chí thay đổi).")
        return redirect("assessment:form", assessment.pk)
    digest = hashlib.sha256(data).hexdigest()
    if not reading.problems:
        (_offline_store() / f"{digest}.xlsx").write_bytes(data)
    return render(request, "assessment/offline_preview.html", {
        "assessment": assessment, "reading": reading, "digest": digest, "name": name,
        "versions": {a.criterion.code: a.version for a in answers}}, status=400 if reading.problems else 200)


@login_required
def bulk_answers(request, pk):
    """Administrators load figures for many units of a period from one spreadsheet: template,
    upload, preview (nothing written), confirm."""
    from criteria.models import CriteriaSet

    from . import bulk
    from .offline import OfflineFileError

    if not is_admin(request.user):
        raise Http404("Không tìm thấy trang.")
    period = get_object_or_404(Period, pk=pk)
    sets = list(CriteriaSet.objects.filter(pk__in=period.criteria_sets.values("criteria_set")))
    chosen = next((cs for cs in sets if str(cs.pk) == (request.POST.get("bo") or request.GET.get("bo"))), None)
    if request.method == "GET" and chosen and request.GET.get("mau"):
        response = HttpResponse(bulk.build_template(period, chosen),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="so-lieu-ky-{period.pk}-{chosen.code}.xlsx"'
        return response
    context = {"period": period, "sets": sets, "chosen": chosen}
    if request.method == "POST" and chosen:
        remove_stale_previews()
        confirm = request.POST.get("xac-nhan", "")
        uploaded = request.FILES.get("file")
        if confirm and re.fullmatch(r"[0-9a-f]{64}", confirm) and (_offline_store() / f"{confirm}.xlsx").exists():
            data, name = (_offline_store() / f"{confirm}.xlsx").read_bytes(), safe_text.clean_filename(
                request.POST.get("ten"), fallback="tệp")
        elif uploaded is not None and uploaded.size > settings.BULK_MAX_BYTES:
            messages.error(request, f"Tệp “{safe_text.clean_filename(uploaded.name)}” dung lượng "
                           f"{safe_text.megabytes(uploaded.size)} MB, vượt giới hạn {settings.BULK_MAX_BYTES // 1048576} MB.")
            return redirect(f"{reverse('assessment:bulk', args=[period.pk])}?bo={chosen.pk}")
        elif uploaded is not None:
            data, name = uploaded.read(), safe_text.clean_filename(uploaded.name)
        else:
            messages.error(request, "Chưa chọn tệp Excel để tải lên.")
            return redirect(f"{reverse('assessment:bulk', args=[period.pk])}?bo={chosen.pk}")
        if confirm and re.fullmatch(r"[0-9a-f]{64}", confirm):
            from jobs.runner import enqueue
            from jobs.views import follow

            job = enqueue("bulk_import", title=f"Ghi số liệu từ tệp “{name}” vào {period.name}", by=request.user,
                          params={"period": period.pk, "criteria_set": chosen.pk, "file": f"offline/{confirm}.xlsx",
                                  "name": name}, key=f"bulk_import:{period.pk}:{chosen.pk}:{confirm}")
            return follow(request, job, failed_to=f"{reverse('assessment:bulk', args=[period.pk])}?bo={chosen.pk}")
        try:
            reading = bulk.read_sheet(period, chosen, data, name)
        except OfflineFileError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(f"{reverse('assessment:bulk', args=[period.pk])}?bo={chosen.pk}")
        digest = hashlib.sha256(data).hexdigest()
        if not reading.problems:
            (_offline_store() / f"{digest}.xlsx").write_bytes(data)
        context.update(reading=reading, digest=digest, name=name)
        return render(request, "assessment/bulk.html", context, status=400 if reading.problems else 200)
    return render(request, "assessment/bulk.html", context)
