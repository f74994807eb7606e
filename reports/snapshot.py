"""Build the publication document of a period from its approved forms, and publish it.

The document is plain JSON (numbers as decimal strings) holding everything the
annex shows; its SHA-256 over the canonical text is the publication's identity.
PDF and Excel are rendered from the document alone, once, at publication.
"""

import json
import unicodedata
from decimal import Decimal

from django.db import IntegrityError, transaction

from assessment.models import Assessment, Period
from assessment.scoring import answer_rows, score_both_numbers
from assessment.workflow import WorkflowError, load_answers
from criteria.numbers import plain
from jobs.progress import report

from .analysis import FIGURE_NAMES, band_reason, draft_remarks, rank_block
from .models import Publication, Remarks, sha256


def _text(value):
    return unicodedata.normalize("NFC", value or "")


def _num(value, places):
    """Fixed decimals as the set rounds them ("2.60"), so the annex prints what the rules give."""
    return format(value.quantize(Decimal(1).scaleb(-places)), "f") if value is not None else ""


def canonical(document):
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(document):
    return sha256(canonical(document).encode("utf-8"))


def approver(assessment):
    record = assessment.history.filter(status=Assessment.Status.APPROVED).select_related("history_user") \
        .order_by("-history_date").first()
    if record is None or record.history_user is None:
        return ""
    return record.history_user.get_full_name() or record.history_user.username


def block_rows(period, *, statuses=(Assessment.Status.APPROVED,)):
    """{block: (criteria set, [rows])} for the forms in ``statuses``, scored by the set's compiled plan."""
    forms = (Assessment.objects.filter(period=period, status__in=statuses)
             .select_related("unit__block", "criteria_set", "period").order_by("unit__block__order", "unit__name"))
    remarks = {r.assessment_id: r for r in Remarks.objects.filter(assessment__in=forms)}
    blocks = {}
    forms = list(forms)
    for done, form in enumerate(forms):
        report(done, len(forms), "Đang tính điểm")
        scheme = form.criteria_set.scheme()
        own, reviewed = score_both_numbers(form, scheme, answer_rows(load_answers(form)))
        pp, sp = scheme.points_places, scheme.score_places
        drafted = draft_remarks(scheme, reviewed)
        note = remarks.get(form.pk)
        row = {
            "unit_code": form.unit.code, "unit_name": _text(form.unit.name), "voluntary": form.unit.is_voluntary,
            "has_procedures": form.unit.has_procedures,
            "groups": {n.code: _num(reviewed.criteria[n.code].points, pp) for n in scheme.nodes
                       if reviewed.criteria[n.code].applicable and not n.is_deduction},
            "deductions": _num(reviewed.deductions, pp),
            "total": _num(reviewed.total, pp), "max": _num(reviewed.max_points, pp), "score": _num(reviewed.score, sp),
            "self_total": _num(own.total, pp), "self_score": _num(own.score, sp),
            "classification": reviewed.classification or "",
            "reason": _text(band_reason(reviewed.band, scheme.headline)),
            "criteria": {c: _num(r.points, pp) for c, r in reviewed.criteria.items() if r.applicable},
            "self_criteria": {c: _num(r.points, pp) for c, r in own.criteria.items() if r.applicable},
            "strengths": _text(note.strengths if note else drafted[0]),
            "weaknesses": _text(note.weaknesses if note else drafted[1]),
            "days_late": form.days_late,
            "approved_by": approver(form) if form.status == Assessment.Status.APPROVED else "",
            "assessment": form.pk,
        }
        key = form.unit.block
        blocks.setdefault(key, (scheme, []))[1].append(row)
    return blocks


def block_document(block, scheme, rows, *, rank=True):
    """One block of a publication document; ``rank=False`` keeps the ranks the rows carry (a
    historical table as printed)."""
    groups = [{"code": n.code, "title": _text(n.title), "max": plain(n.max_points) if n.max_points is not None else ""}
              for n in scheme.nodes if not n.is_deduction]
    if rank:
        rank_block(rows, [g["code"] for g in groups])
    return {
        "code": block.code, "name": _text(block.name),
        "criteria_set": {"code": scheme.code, "version": scheme.version, "name": _text(scheme.name),
                         "headline": scheme.headline, "figure": FIGURE_NAMES[scheme.headline],
                         "ranking_rule": _text(scheme.ranking_rule), "tie_rule": _text(scheme.tie_rule),
                         "decision": _text(scheme.decision_number)},
        "bands": [{"label": b.label, "lower": plain(b.lower) if b.lower is not None else None,
                   "upper": plain(b.upper) if b.upper is not None else None,
                   "reason": _text(band_reason(b, scheme.headline))} for b in scheme.bands],
        "groups": groups,
        "criteria_titles": {n.code: _text(n.title) for n in scheme.leaves if n.rule is not None},
        "rows": rows,
    }


def build_document(period, profile, *, number, date, title="", supersedes=None, reason="",
                   statuses=(Assessment.Status.APPROVED,)):
    blocks = [block_document(block, scheme, rows) for block, (scheme, rows) in block_rows(period, statuses=statuses).items()]
    meta = profile.as_document()
    meta.update({"number": _text(number), "date": date.isoformat(), "title": _text(title or (
        f"KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG MỨC ĐỘ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM {period.year}"))})
    meta = {k: ([_text(x) for x in v] if isinstance(v, list) else _text(v) if isinstance(v, str) else v)
            for k, v in meta.items()}
    return {
        "period": {"id": period.pk, "name": _text(period.name), "year": period.year},
        "meta": meta,
        "blocks": blocks,
        "supersedes": ({"version": supersedes.version, "hash": supersedes.content_hash, "number": supersedes.number,
                        "reason": _text(reason)} if supersedes else None),
    }


class PublishConflict(WorkflowError):
    """Another publication was written at the same moment; nothing of this one was stored."""


@transaction.atomic
def publish(period, profile, *, by, number, date, title="", reason=""):
    """Freeze the period's approved results as a new publication version (a correction when one exists).

    The period row is locked first, so concurrent publications of a period run one after the
    other (the second sees the first and is told so); the period's forms are locked too, so the
    pending count and the rows are read from one unchanging state."""
    from .render import render_pdf, render_xlsx

    list(Period.objects.select_for_update().filter(pk=period.pk).values_list("pk", flat=True))
    statuses = list(Assessment.objects.select_for_update().filter(period=period).values_list("status", flat=True))
    pending = sum(status != Assessment.Status.APPROVED for status in statuses)
    if Assessment.Status.APPROVED not in statuses:
        raise WorkflowError("Chưa có phiếu nào được phê duyệt; chưa công bố được.")
    if not (number or "").strip():
        raise WorkflowError("Cần nhập số văn bản công bố.")
    previous = Publication.objects.filter(period=period).order_by("-version").first()
    if previous is not None and not reason.strip():
        raise WorkflowError(f"Kỳ này đã công bố (lần {previous.version}, số {previous.number}); "
                            "bản đính chính cần ghi lý do.")
    document = build_document(period, profile, number=number, date=date, title=title,
                              supersedes=previous, reason=reason)
    document["pending"] = pending
    digest = content_hash(document)
    if previous is not None and previous.document["blocks"] == document["blocks"] and \
            previous.document["meta"] == document["meta"]:
        raise WorkflowError("Nội dung không khác bản đã công bố; không cần bản đính chính.")
    units = sum(len(b["rows"]) for b in document["blocks"])
    report(0, units, "Đang dựng phụ lục PDF")
    pdf = render_pdf(document, digest)
    report(units, units, "Đang dựng phụ lục Excel")
    xlsx = render_xlsx(document, digest)
    publication = Publication(
        period=period, version=(previous.version + 1) if previous else 1, supersedes=previous,
        correction_reason=reason, document=document, content_hash=digest, pdf=pdf, pdf_sha256=sha256(pdf),
        xlsx=xlsx, published_by=by)
    try:  # saving links it to the chain
        with transaction.atomic():
            publication.save()
    except IntegrityError as exc:  # another period's publication took the same place in the chain
        raise PublishConflict("Một phụ lục khác vừa được công bố cùng lúc; chưa công bố được bản này, "
                              "hãy bấm công bố lại.") from exc
    return publication
