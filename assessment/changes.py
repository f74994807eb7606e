"""What a returned form asks for, and what changed since the previous submission.

Both are read from the history the verbs already write (django-simple-history), so
nothing new has to be remembered at submission time.
"""

from .history import show_value as _show
from .models import Answer, Assessment, EvidenceFile


def return_notice(assessment, answers, comments):
    """The banner of a returned form: who returned it, when, why, and the criteria the
    reviewer changed, marked "cần bổ sung" or commented on. None unless the form is returned."""
    if assessment.status != Assessment.Status.RETURNED:
        return None
    record = (assessment.history.filter(status=Assessment.Status.RETURNED).select_related("history_user")
              .order_by("-history_date").first())
    if record is None:
        return None
    user = record.history_user
    members = set(assessment.unit.memberships.values_list("user_id", flat=True))
    commented = {c.criterion.code for c in comments if c.criterion_id and c.author_id not in members}
    items = []
    for a in answers:
        code = a.criterion.code
        adjusted = a.reviewed_values is not None or a.reviewed_points is not None or a.poor_data
        if a.request or adjusted or code in commented:
            what = []
            if a.request:
                what.append(f"cần bổ sung: {a.request}")
            if adjusted:
                what.append("thẩm định điều chỉnh" + (f": {a.review_reason}" if a.review_reason else ""))
            if code in commented and not what:
                what.append("có ý kiến trao đổi")
            items.append({"code": code, "what": "; ".join(what), "request": bool(a.request)})
    return {"by": (user.get_full_name() or user.username) if user else "", "at": record.history_date,
            "reason": record.history_change_reason or "", "items": items}


def _state_at(assessment, moment):
    """{answer id: historical row} as each answer stood at ``moment``."""
    rows = (Answer.history.filter(assessment_id=assessment.pk, history_date__lte=moment)
            .order_by("id", "-history_date", "-history_id").values("id", "values", "points", "explanation"))
    state = {}
    for row in rows:
        state.setdefault(row["id"], row)
    return state


def since_last_submission(assessment, scheme, answers):
    """{code: {"figures": [(label, old, new)], "added": [names], "removed": [names]}} between the
    previous submission and now, for a form submitted more than once; {} otherwise."""
    if assessment.submission_count < 2:
        return {}
    submissions = list(assessment.history.filter(status=Assessment.Status.SUBMITTED)
                       .filter(history_change_reason__startswith="Nộp phiếu")
                       .order_by("-history_date").values_list("history_date", flat=True)[:2])
    if len(submissions) < 2:
        return {}
    previous = submissions[1]
    before = _state_at(assessment, previous)
    diff = {}
    for a in answers:
        old = before.get(a.pk)
        if old is None:
            continue
        node = scheme.by_code[a.criterion.code]
        entry = {"figures": [], "added": [], "removed": []}
        for fld in node.fields:
            was, now = (old["values"] or {}).get(fld.key), (a.values or {}).get(fld.key)
            if was != now:
                entry["figures"].append((fld.label, _show(was, fld), _show(now, fld)))
        if old["points"] != a.points:
            entry["figures"].append(("Điểm tự đánh giá", _show(old["points"]), _show(a.points)))
        if (old["explanation"] or "") != (a.explanation or ""):
            entry["figures"].append(("Giải trình", old["explanation"] or "(trống)", a.explanation or "(trống)"))
        diff[a.criterion.code] = entry
    for f in (EvidenceFile.objects.filter(assessment=assessment, criterion__isnull=False, uploaded_at__gt=previous,
                                          removed=False).select_related("criterion")):
        diff.setdefault(f.criterion.code, {"figures": [], "added": [], "removed": []})["added"].append(f.original_name)
    removed = (EvidenceFile.history.filter(assessment_id=assessment.pk, removed=True, history_date__gt=previous,
                                           uploaded_at__lte=previous, criterion__isnull=False)
               .values_list("criterion__code", "original_name"))
    for code, name in removed:
        diff.setdefault(code, {"figures": [], "added": [], "removed": []})["removed"].append(name)
    return {code: d for code, d in diff.items() if d["figures"] or d["added"] or d["removed"]}
