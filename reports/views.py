"""Results, dashboard, publication, signing and verification pages. Thin: the work is in
analysis (pure), snapshot (publish), render (PDF/Excel) and signing (pyHanko)."""

import datetime
import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessment.models import Assessment, Period
from assessment.permissions import get_assessment_for
from safety import text as safe_text

from . import charts, integrity, signing
from .analysis import summary
from .models import IssuingProfile, Publication, Remarks, sha256
from .snapshot import block_document, block_rows


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _blocks(period, statuses):
    return [block_document(block, scheme, rows) for block, (scheme, rows) in block_rows(period, statuses=statuses).items()]


@login_required
def results(request, pk):
    """The ranking as it stands: approved forms (and, marked, reviewed ones awaiting approval)."""
    _require(request, "reports.view_results")
    period = get_object_or_404(Period, pk=pk)
    include_reviewed = request.GET.get("ca-da-tham-dinh") == "1"
    statuses = [Assessment.Status.APPROVED] + ([Assessment.Status.REVIEWED] if include_reviewed else [])
    blocks = _blocks(period, statuses)
    pending = period.assessments.exclude(status=Assessment.Status.APPROVED).count()
    publications = list(period.publications.select_related("published_by").order_by("-version"))
    profiles = IssuingProfile.objects.order_by("-is_default", "name")
    editable = set()
    if not publications or request.user.has_perm("reports.publish"):  # reviewers edit remarks until publication
        forms = Assessment.objects.filter(pk__in=[r["assessment"] for b in blocks for r in b["rows"]]).select_related("unit")
        editable = {f.pk for f in forms if request.user.has_perm("reports.edit_remarks", f)}
    edited = set(Remarks.objects.filter(assessment__period=period, edited_by__isnull=False)
                 .values_list("assessment_id", flat=True))
    return render(request, "reports/results.html", {
        "period": period, "blocks": blocks, "pending": pending, "include_reviewed": include_reviewed,
        "edited": edited,
        "publications": publications, "profiles": profiles, "today": timezone.localdate(),
        "can_publish": request.user.has_perm("reports.publish"), "editable": editable,
    })


@login_required
@require_POST
def remarks(request, assessment_pk):
    assessment = get_assessment_for(request.user, assessment_pk)
    _require(request, "reports.edit_remarks", assessment)
    if assessment.period.publications.exists() and not request.user.has_perm("reports.publish"):
        messages.error(request, "Kết quả đã công bố; nhận xét chỉ còn lãnh đạo sửa được, để công bố bản đính chính.")
        return redirect("reports:results", assessment.period_id)
    try:
        strengths = safe_text.check_text(request.POST.get("strengths"), label="Nội dung thực hiện tốt",
                                         limit=safe_text.REMARKS_MAX)
        weaknesses = safe_text.check_text(request.POST.get("weaknesses"), label="Nội dung chưa tốt",
                                          limit=safe_text.REMARKS_MAX)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{assessment.unit.name}: {message} Nhận xét chưa được lưu.")
        return redirect("reports:results", assessment.period_id)
    note, _ = Remarks.objects.get_or_create(assessment=assessment)
    note.strengths, note.weaknesses = strengths, weaknesses
    note.edited_by = request.user
    note._change_reason = "Sửa nội dung thực hiện tốt / chưa tốt"
    note.save()
    messages.success(request, f"Đã lưu nhận xét cho {assessment.unit.name}.")
    return redirect("reports:results", assessment.period_id)


def _publish_fields(data):
    """The publishing form read once: (profile, number, date, title, reason, problems). Dates are
    typed dd/mm/yyyy (yyyy-mm-dd is read too); texts go through the common limits of safe_text."""
    problems = []
    profile_ids = safe_text.ids([data.get("profile", "")])
    profile = IssuingProfile.objects.filter(pk=profile_ids[0]).first() if profile_ids else None
    if profile is None:
        problems.append("Chưa chọn cơ quan ban hành, người ký (cấu hình trong trang quản trị).")
    raw = safe_text.plain_parameter(data.get("date"), limit=20).strip()
    date = None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            date = datetime.datetime.strptime(raw, pattern).date()
            break
        except ValueError:
            continue
    if date is None:
        problems.append(f"Ngày văn bản “{raw}” không hợp lệ. Nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2021.")
    texts = {}
    for key, label, limit in (("number", "Số văn bản", safe_text.NUMBER_MAX),
                              ("title", "Trích yếu", safe_text.TITLE_MAX),
                              ("reason", "Lý do đính chính", safe_text.REASON_MAX)):
        try:
            texts[key] = safe_text.check_text(data.get(key), label=label, limit=limit, multiline=key != "number")
        except ValidationError as exc:
            problems += exc.messages
            texts[key] = ""
    return profile, texts["number"].strip(), date, texts["title"], texts["reason"], problems


@login_required
@require_POST
def publish_view(request, pk):
    """Publishing is two steps: the first POST shows what will be published (forms not approved,
    whether the period is still open, the annex's first page) and publishes nothing; only a POST
    carrying the explicit confirmation publishes."""
    _require(request, "reports.publish")
    period = get_object_or_404(Period, pk=pk)
    profile, number, date, title, reason, problems = _publish_fields(request.POST)
    if not problems and request.POST.get("xac-nhan") != "1":
        if not period.assessments.filter(status=Assessment.Status.APPROVED).exists():
            problems.append("Chưa có phiếu nào được phê duyệt; chưa công bố được.")
        elif not number:
            problems.append("Cần nhập số văn bản công bố.")
        else:
            pending = list(period.assessments.exclude(status=Assessment.Status.APPROVED)
                           .select_related("unit").order_by("unit__name"))
            drafts = (period.assessments.filter(status=Assessment.Status.APPROVED)
                      .exclude(remarks__edited_by__isnull=False).count())
            return render(request, "reports/publish_confirm.html", {
                "period": period, "profile": profile, "number": number, "date": date, "title": title,
                "reason": reason, "pending": pending, "drafts": drafts,
                "approved": period.assessments.filter(status=Assessment.Status.APPROVED).count(),
                "still_open": period.status in (Period.Status.OPEN, Period.Status.REVIEW),
                "correction": period.publications.exists(),
                "preview_query": urlencode({"profile": profile.pk, "number": number, "date": date.strftime("%d/%m/%Y"),
                                            "title": title}),
            })
    if not problems:
        from jobs.runner import enqueue
        from jobs.views import follow

        params = {"period": period.pk, "profile": profile.pk, "number": number, "date": date.isoformat(),
                  "title": title, "reason": reason}
        # No idempotency key: each request is its own attempt, and the verb's lock and checks
        # refuse a second identical publication with a message ("Kỳ này đã công bố …").
        job = enqueue("publish", title=f"Công bố phụ lục {period.name}", params=params, by=request.user)
        return follow(request, job, failed_to=reverse("reports:results", args=[period.pk]))
    for problem in problems:
        messages.error(request, problem)
    return redirect("reports:results", period.pk)


@login_required
def publish_preview(request, pk):
    """Page 1 of the annex that publishing would produce now, as a PNG; nothing is stored."""
    from .preview import first_page_png
    from .snapshot import build_document

    _require(request, "reports.publish")
    period = get_object_or_404(Period, pk=pk)
    profile, number, date, title, _, problems = _publish_fields(request.GET)
    if problems or not period.assessments.filter(status=Assessment.Status.APPROVED).exists():
        return HttpResponse(" ".join(problems) or "Chưa có phiếu nào được phê duyệt.", status=400,
                            content_type="text/plain; charset=utf-8")
    document = build_document(period, profile, number=number or "…", date=date, title=title)
    png, _pages = first_page_png(document)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def dashboard(request, pk):
    _require(request, "reports.view_results")
    period = get_object_or_404(Period, pk=pk)
    previous = (Publication.objects.filter(period__year__lt=period.year).current()
                .order_by("-period__year", "-version").first())
    before = {b["code"]: b for b in previous.document["blocks"]} if previous else {}
    blocks = []
    for block in _blocks(period, [Assessment.Status.APPROVED]):
        data = summary(block, before.get(block["code"]))
        blocks.append({"block": block, "summary": data, "class_chart": charts.bars(
            [(c["label"], c["count"]) for c in data["by_class"]], unit="đơn vị"),
            "group_chart": charts.bars([(g["code"], g["reached"]) for g in data["groups"]], unit="đơn vị",
                                       total=data["units"]),
            "claims_chart": charts.paired([(c["unit_name"], c["self_total"], c["total"]) for c in data["claims"]])})
    return render(request, "reports/dashboard.html", {"period": period, "blocks": blocks, "previous": previous})


def _publication_for(request, pk):
    """Reviewers, leaders and administrators see every publication; a unit's staff those of the
    periods their unit took part in (anyone else gets 403, as before)."""
    item = get_object_or_404(Publication.objects.select_related("period", "supersedes", "published_by"), pk=pk)
    if not request.user.has_perm("reports.view_results") and not item.period.participants.filter(
            memberships__user=request.user).exists():
        raise PermissionDenied
    return item


@login_required
def publication(request, pk):
    item = _publication_for(request, pk)
    return render(request, "reports/publication.html", {
        "publication": item, "superseded_by": getattr(item, "superseded_by", None),
        "can_sign": request.user.has_perm("reports.sign") and not _already_signed(item),
        "signature_report": signing.describe(item.signed_pdf) if item.signed_sha256 else None,
        "seal_configured": bool(settings.SEAL_PKCS12_PATH),
    })


@login_required
def download(request, pk, kind):
    item = _publication_for(request, pk)
    base = f"phu-luc-{item.period.year}-lan-{item.version}"
    if kind == "pdf":
        data, name, ctype = item.pdf, f"{base}.pdf", "application/pdf"
    elif kind == "xlsx":
        data, name = item.xlsx, f"{base}.xlsx"
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif kind == "signed" and item.signed_pdf:
        data, name, ctype = item.signed_pdf, f"{base}-da-ky.pdf", "application/pdf"
    else:
        raise Http404("Chưa có tệp này.")
    response = HttpResponse(bytes(data), content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _store_signed(item, data, report, *, by):
    item.signed_pdf, item.signed_sha256, item.signed_trusted = data, sha256(data), report.trusted
    item.signature, item.signed_at, item.signed_by = report.as_dict(), timezone.now(), by
    item.save(update_fields=Publication.SIGNATURE_FIELDS)


def _signature_refusal(item, report):
    """Why a checked signature is still not stored, or ''."""
    if settings.SIGNATURE_REQUIRE_TRUSTED and not report.trusted:
        return ("không xác định được nguồn tin cậy của chứng thư người ký (không thuộc chuỗi tin cậy đã cấu hình); "
                "hệ thống yêu cầu chữ ký thuộc nguồn tin cậy nên chưa nhận tệp.")
    return ""


def _already_signed(item):
    """A trusted signature is final; an untrusted one may be replaced by a better one."""
    return bool(item.signed_sha256 and item.signed_trusted)


@login_required
@require_POST
def upload_signed(request, pk):
    item = _publication_for(request, pk)
    _require(request, "reports.sign")
    uploaded = request.FILES.get("file")
    if _already_signed(item):
        messages.error(request, "Phụ lục này đã có bản ký; bản đã ký không thay được.")
    elif uploaded is None:
        messages.error(request, "Chưa chọn tệp PDF đã ký.")
    elif uploaded.size > settings.SIGNED_PDF_MAX_BYTES:
        messages.error(request, f"Tệp “{safe_text.clean_filename(uploaded.name)}” quá lớn.")
    else:
        data = uploaded.read()
        try:
            report = signing.verify_signed(item.pdf, data)
        except signing.SignatureProblem as exc:
            for problem in exc.messages:
                messages.error(request, f"Tệp “{safe_text.clean_filename(uploaded.name)}”: {problem}")
        else:
            refusal = _signature_refusal(item, report)
            if refusal:
                messages.error(request, f"Tệp “{uploaded.name}”: {refusal}")
            else:
                replaced = bool(item.signed_sha256)
                _store_signed(item, data, report, by=request.user)
                messages.success(request, f"Đã nhận bản ký của {report.signer or 'người ký'}"
                                 + (" (thay bản ký trước)" if replaced else "") + ". " + report.verdict_text
                                 + ("" if report.trusted else " Có thể tải lên bản ký khác để thay."))
    return redirect("reports:publication", item.pk)


@login_required
@require_POST
def seal(request, pk):
    item = _publication_for(request, pk)
    _require(request, "reports.sign")
    if _already_signed(item):
        messages.error(request, "Phụ lục này đã có bản ký.")
        return redirect("reports:publication", item.pk)
    from jobs.runner import enqueue
    from jobs.views import follow

    job = enqueue("seal", title=f"Ký số phụ lục công bố lần {item.version}: {item.period.name}",
                  params={"publication": item.pk}, by=request.user, key=f"seal:{item.pk}:{item.signed_sha256}")
    return follow(request, job, failed_to=reverse("reports:publication", args=[item.pk]))


def seal_publication(publication_pk, *, by):
    """Sign the annex with the organisation's seal on the server (run as a job): the signed copy
    is kept only if it verifies against the published PDF. Returns the publication and what to say."""
    item = Publication.objects.select_for_update().get(pk=publication_pk)
    if _already_signed(item):
        raise signing.SignatureProblem("Phụ lục này đã có bản ký.")
    data = signing.seal(item.pdf, location=item.document["meta"]["place"])
    report = signing.verify_signed(item.pdf, data)
    refusal = _signature_refusal(item, report)
    if refusal:
        raise signing.SignatureProblem(f"Chứng thư của cơ quan: {refusal}")
    _store_signed(item, data, report, by=by)
    return item, "Đã ký số bằng chứng thư của cơ quan. " + report.verdict_text


def verify(request):
    """Anyone may check a copy: upload the PDF or type its SHA-256."""
    result, digest = None, safe_text.plain_parameter(request.GET.get("ma"), limit=200).lower()
    if digest and not re.fullmatch(r"[0-9a-f]{64}", digest):
        messages.error(request, f"“{digest[:70]}” không phải mã SHA-256 (64 chữ số thập lục phân 0–9, a–f).")
        digest = ""
    if request.method == "POST" and request.FILES.get("file"):
        uploaded = request.FILES["file"]
        if uploaded.size > settings.SIGNED_PDF_MAX_BYTES:
            messages.error(request, f"Tệp “{safe_text.clean_filename(uploaded.name)}” quá lớn để là một phụ lục.")
        else:
            hasher = hashlib.sha256()
            for chunk in uploaded.chunks():
                hasher.update(chunk)
            digest = hasher.hexdigest()
    if digest:
        item = (Publication.objects.filter(pdf_sha256=digest).first()
                or Publication.objects.filter(signed_sha256=digest).first()
                or Publication.objects.filter(content_hash=digest).first())
        result = {"digest": digest, "publication": item,
                  "signed": bool(item and item.signed_sha256 == digest),
                  "superseded_by": getattr(item, "superseded_by", None) if item else None}
        if item is not None:
            # Genuine only if what is stored still agrees with its own hashes and the chain.
            result["problems"] = integrity.publication_problems(item)
            if result["signed"] and not result["problems"]:
                result["signature"] = signing.describe(item.signed_pdf)
    return render(request, "reports/verify.html", {"result": result})


@login_required
def unit_sheet(request, assessment_pk):
    """The unit's filled official form (columns 1–7) as a PDF."""
    from assessment.scoring import answer_rows, score_both_for_display
    from assessment.workflow import load_answers

    from .render import render_unit_pdf

    assessment = get_assessment_for(request.user, assessment_pk)
    scheme = assessment.criteria_set.scheme()
    answers = load_answers(assessment)
    own, reviewed = score_both_for_display(assessment, scheme, answer_rows(answers))
    by_code = {a.criterion.code: a for a in answers}
    rows = []

    def walk(node, depth):
        rows.append({"node": node, "depth": depth, "answer": by_code.get(node.code),
                     "own": own.criteria[node.code], "reviewed": reviewed.criteria[node.code]})
        for child in node.children:
            walk(child, depth + 1)

    for node in scheme.nodes:
        walk(node, 0)
    digest = sha256(f"{assessment.pk}:{assessment.changed_at.isoformat()}".encode())
    pdf = render_unit_pdf({"assessment": assessment, "scheme": scheme, "rows": rows, "own": own,
                           "reviewed": reviewed, "digest": digest,
                           "show_review": assessment.status in (Assessment.Status.RETURNED, Assessment.Status.REVIEWED,
                                                                Assessment.Status.APPROVED)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="phieu-{assessment.unit.code}-{assessment.period.year}.pdf"'
    return response


def _unit_for(request, code):
    """A unit's page is for its own staff, reviewers, leaders and administrators."""
    from assessment.roles import Role, has_role, sees_everything
    from units.models import Unit

    unit = get_object_or_404(Unit.objects.select_related("block"), code=code)
    user = request.user
    if not (sees_everything(user) or has_role(user, Role.REVIEWER) or unit.memberships.filter(user=user).exists()):
        from accounts.security import refused

        refused(user, "đơn vị", unit.code)
        raise Http404("Không tìm thấy đơn vị.")
    return unit


@login_required
def unit_results(request, code):
    from .trend import unit_trend

    unit = _unit_for(request, code)
    rows = unit_trend(unit)
    def note(r):
        return " ".join(x for x in (r["classification"], f"hạng {r['rank']}/{r['ranked']}" if r["rank"] else "") if x)

    chart = charts.line([(str(r["year"]), r["share"], note(r)) for r in rows])
    return render(request, "reports/unit.html", {"unit": unit, "rows": rows, "chart": chart,
                                                 "successions": unit.successors.select_related("new_unit"),
                                                 "predecessors": unit.predecessors.select_related("old_unit")})


@login_required
def unit_results_xlsx(request, code):
    from .trend import trend_xlsx, unit_trend

    unit = _unit_for(request, code)
    response = HttpResponse(trend_xlsx(unit, unit_trend(unit)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{unit.code}.xlsx"'
    return response


@login_required
def whatif(request, pk):
    """Re-score the period's reviewed answers under another criteria set version; nothing is stored."""
    from criteria.models import CriteriaSet

    _require(request, "reports.view_results")
    period = get_object_or_404(Period, pk=pk)
    used = {pcs.criteria_set_id for pcs in period.criteria_sets.all()}
    blocks = set(period.criteria_sets.values_list("block__code", flat=True))
    choices = [cs for cs in CriteriaSet.objects.order_by("code", "version")
               if cs.pk not in used and set(cs.scheme().blocks) & blocks and cs.scheme().is_complete]
    chosen = next((cs for cs in choices if str(cs.pk) == request.GET.get("bo")), None)
    rows, notes = [], []
    if chosen:
        from django.db.models import Max

        from assessment.models import Answer
        from jobs.runner import enqueue
        from jobs.views import follow

        # The same question on the same data is answered once; any new answer or status changes the key.
        changed = period.assessments.aggregate(at=Max("changed_at"))["at"]
        answered = Answer.history.filter(assessment__period=period).aggregate(last=Max("history_id"))["last"]
        job = enqueue("whatif", title=f"Chấm thử {period.name} theo bộ {chosen.code} phiên bản {chosen.version}",
                      params={"period": period.pk, "criteria_set": chosen.pk}, by=request.user,
                      key=f"whatif:{period.pk}:{chosen.pk}:{changed.isoformat() if changed else ''}:{answered or 0}")
        if job.status != job.Status.SUCCEEDED:
            return follow(request, job, failed_to=reverse("reports:whatif", args=[period.pk]))
        rows, notes = job.result["rows"], job.result["notes"]
    return render(request, "reports/whatif.html", {"period": period, "choices": choices, "chosen": chosen,
                                                   "rows": rows, "notes": notes})


@login_required
def impact(request, code, version):
    """The criteria editor's impact preview: the what-if of the latest period that used this set
    (another version of it), re-scored under this version."""
    from criteria.models import CriteriaSet

    criteria_set = CriteriaSet.objects.filter(code=code, version=version).first()
    if criteria_set is None or not request.user.has_perm("criteria.edit_set"):
        raise Http404("Không có bộ tiêu chí này.")
    period = (Period.objects.filter(criteria_sets__criteria_set__code=code)
              .exclude(criteria_sets__criteria_set=criteria_set).order_by("-year", "-pk").first())
    if period is None:
        messages.info(request, "Chưa có kỳ đánh giá nào dùng bộ tiêu chí này để so sánh.")
        return redirect("criteria:edit", code, version)
    return redirect(f"{reverse('reports:whatif', args=[period.pk])}?bo={criteria_set.pk}")
