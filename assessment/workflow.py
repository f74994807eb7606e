"""Every change of state in the assessment process, as named verbs.

Each verb is atomic, takes the acting user as keyword-only ``by``, checks what
it needs, and records its own history (who, when, old and new value, why).
They are the only writers of a status; views, admin and commands call them.
Permission (may this user do it?) is decided in ``assessment.permissions``; the
verbs decide whether the thing can be done at all.
"""

import hashlib

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from criteria.models import CriteriaSet
from safety.archives import UnsafeFile
from safety.content import check_active_content
from safety.text import COMMENT_MAX, REASON_MAX, check_text, clean_filename, megabytes

from .models import (
    TRANSITIONS,
    Answer,
    Assessment,
    Comment,
    EvidenceFile,
    Period,
    PeriodCriteriaSet,
    ReviewerAssignment,
)
from .sheet import REVIEW, UNIT, AnswerSheet

S = Assessment.Status

# The allowed moves are TRANSITIONS (assessment.models): verb -> (from statuses, to status).
VERB_LABELS = {
    "submit": "nộp phiếu", "return_to_unit": "trả lại đơn vị", "accept_review": "hoàn thành thẩm định",
    "approve": "phê duyệt", "unapprove": "huỷ phê duyệt", "reopen": "mở lại phiếu",
}
PERIOD_TRANSITIONS = {
    "open": ({Period.Status.DRAFT}, Period.Status.OPEN),
    "start_review": ({Period.Status.OPEN}, Period.Status.REVIEW),
    "close": ({Period.Status.REVIEW}, Period.Status.CLOSED),
}

# Evidence files accepted, by what their content is (not what their name says).
ALLOWED_TYPES = {
    "pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png",
    "doc": "application/msword", "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
SAME_TYPE_NAMES = {"jpeg": "jpg"}
SCAN_TYPES = {"pdf", "jpg", "png"}


class WorkflowError(ValidationError):
    """A move that cannot be made, with every reason, in Vietnamese."""


class ConflictError(WorkflowError):
    """Someone else saved the same answer first."""


class InputProblemsError(WorkflowError):
    """The figures cannot be scored. ``problems`` are the engine's, structured (criterion, field,
    key, value, message), so a view places each beside its input without checking again."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([str(p) for p in self.problems])


def _move(assessment, verb, *, by, reason=""):
    """Lock the row, reload it (the caller's copy may be stale: saving it would put back old
    totals), check the move against the table and set the new status."""
    allowed, target = TRANSITIONS[verb]
    assessment.refresh_from_db(from_queryset=Assessment.objects.select_for_update())
    if assessment.status not in allowed:
        raise WorkflowError(f"Không thể {VERB_LABELS[verb]} khi phiếu đang ở trạng thái "
                            f"“{assessment.get_status_display()}”.")
    assessment.status = target
    assessment._history_user = by
    assessment._change_reason = reason or VERB_LABELS[verb].capitalize()


def _notify(event, assessment):
    """Tell the people concerned, by a background job once the move has committed."""
    from notifications.events import notify_on_commit

    notify_on_commit(event, assessment)


def _text(value, *, label, limit, empty_message=None):
    """User text checked by the shared validator (control characters, documented limit)."""
    try:
        text = check_text(value, label=label, limit=limit)
    except ValidationError as exc:
        raise WorkflowError(exc.messages) from exc
    if empty_message and not text:
        raise WorkflowError(empty_message)
    return text


def _save(instance, *, by, reason):
    instance._history_user = by
    instance._change_reason = reason
    instance.save()


# --- periods ---------------------------------------------------------------

def _move_period(period, verb, *, by):
    allowed, target = PERIOD_TRANSITIONS[verb]
    period.refresh_from_db(from_queryset=Period.objects.select_for_update())
    if period.status not in allowed:
        raise WorkflowError(f"Kỳ đánh giá đang “{period.get_status_display()}”, không chuyển được.")
    period.status = target
    _save(period, by=by, reason={"open": "Mở kỳ đánh giá", "start_review": "Bắt đầu thẩm định",
                                 "close": "Kết thúc kỳ đánh giá"}[verb])


@transaction.atomic
def open_period(period, *, by):
    """Open the period: one form per participating unit, with the criteria set of its block,
    which is frozen from now on."""
    sets = {pcs.block_id: pcs.criteria_set for pcs in period.criteria_sets.select_related("criteria_set")}
    units = list(period.participants.select_related("block"))
    problems = [f"Đơn vị {u.name}: khối “{u.block}” chưa được gán bộ tiêu chí trong kỳ này"
                for u in units if u.block_id not in sets]
    problems += [f"Bộ tiêu chí {cs.code} v{cs.version} chưa đủ điều kiện chấm điểm (bản nháp chưa hoàn thiện)"
                 for cs in sets.values() if not cs.scheme().is_complete]
    if not units:
        problems.append("Kỳ đánh giá chưa có đơn vị tham gia")
    if problems:
        raise WorkflowError(problems)
    _move_period(period, "open", by=by)
    for criteria_set in sets.values():
        criteria_set.freeze()
    leaves = {}
    for cs in sets.values():
        rows = list(cs.criteria.all())
        parents = {c.parent_id for c in rows}
        leaves[cs.pk] = [c for c in rows if c.pk not in parents]
    existing = set(period.assessments.values_list("unit_id", flat=True))
    carried = _previous_figures(period, sets)
    for unit in units:
        if unit.pk in existing:
            continue
        previous = carried.get(unit.pk, {})
        _create_form(period, unit, sets[unit.block_id], leaves[sets[unit.block_id].pk], by=by,
                     reason="Mở kỳ đánh giá", previous=previous, answers_reason=(
                         "Mở kỳ đánh giá, điền sẵn số liệu năm trước" if previous else "Mở kỳ đánh giá"))
    return period


def _create_form(period, unit, criteria_set, leaves, *, by, reason, previous=None, answers_reason=None):
    """A unit's form with one answer per leaf criterion, pre-filled with ``previous`` figures ({code: values})."""
    previous = previous or {}
    assessment = Assessment(period=period, unit=unit, criteria_set=criteria_set)
    _save(assessment, by=by, reason=f"{reason}: tạo phiếu cho đơn vị")
    answers = []
    for criterion in leaves:
        figures = previous.get(criterion.code)
        answers.append(Answer(assessment=assessment, criterion=criterion, values=figures or {},
                              carried_values=figures))
    # With history rows, so the unit's first figures show as "(trống) → value".
    bulk_create_with_history(answers, Answer, default_user=by, default_change_reason=answers_reason or reason)
    rescore(assessment)
    return assessment


PERIOD_DATES = {"opens_on": "Ngày mở", "deadline": "Hạn nộp phiếu", "data_cutoff": "Số liệu tính đến ngày"}


def _lock_period_for_change(period, reason):
    if not (reason or "").strip():
        raise WorkflowError("Cần ghi lý do điều chỉnh kỳ đánh giá (lý do được lưu vào lịch sử của kỳ).")
    period.refresh_from_db(from_queryset=Period.objects.select_for_update())
    if period.status == Period.Status.CLOSED:
        raise WorkflowError("Kỳ đánh giá đã kết thúc, không điều chỉnh được nữa.")


@transaction.atomic
def change_period_dates(period, *, by, reason, **dates):
    """Once a period has opened, its dates change only here, each change and its reason kept in
    the period's history (before it opens the administrator edits them freely)."""
    _lock_period_for_change(period, reason)
    changes = []
    for name, value in dates.items():
        if name not in PERIOD_DATES:
            raise TypeError(name)
        old = getattr(period, name)
        if value is not None and value != old:
            changes.append(f"{PERIOD_DATES[name]} {old:%d/%m/%Y} → {value:%d/%m/%Y}")
            setattr(period, name, value)
    if not changes:
        raise WorkflowError("Các ngày mới trùng với ngày đang có; không có gì thay đổi.")
    if period.opens_on > period.deadline:
        raise WorkflowError("Ngày mở phải trước hoặc bằng hạn nộp phiếu.")
    _save(period, by=by, reason=f"Điều chỉnh kỳ đánh giá: {'; '.join(changes)}. Lý do: {reason.strip()}")
    return period


@transaction.atomic
def add_participant(period, unit, *, by, reason):
    """A unit joins a period that has already opened: its form is created with its block's set."""
    _lock_period_for_change(period, reason)
    if period.participants.filter(pk=unit.pk).exists():
        raise WorkflowError(f"Đơn vị {unit.name} đã tham gia kỳ đánh giá này.")
    pcs = period.criteria_sets.select_related("criteria_set").filter(block_id=unit.block_id).first()
    if pcs is None:
        raise WorkflowError(f"Khối “{unit.block}” của đơn vị {unit.name} chưa được gán bộ tiêu chí trong kỳ này.")
    period.participants.add(unit)
    text = f"Thêm đơn vị {unit.name} vào kỳ đánh giá. Lý do: {reason.strip()}"
    if period.status != Period.Status.DRAFT and not period.assessments.filter(unit=unit).exists():
        rows = list(pcs.criteria_set.criteria.all())
        parents = {c.parent_id for c in rows}
        _create_form(period, unit, pcs.criteria_set, [c for c in rows if c.pk not in parents], by=by, reason=text)
    _save(period, by=by, reason=text)
    return period


def _previous_figures(period, sets):
    """{unit id: {criterion code: figures}} from the period this one was carried from, where the
    unit starts from last year's verified figures (the reviewer's where they changed them): only
    criteria whose evidence fields are declared exactly as before (same keys, kinds and choices),
    so a figure is never read under another meaning."""
    source = period.carried_from
    if source is None or not period.start_from_previous:
        return {}
    old_forms = {f.pk: f for f in source.assessments.filter(unit__in=period.participants.all())
                 .select_related("criteria_set", "unit")}
    result = {}
    for answer in Answer.objects.filter(assessment__in=old_forms.keys()).select_related("criterion"):
        form = old_forms[answer.assessment_id]
        new_set = sets.get(form.unit.block_id)
        figures = answer.reviewed_values if answer.reviewed_values is not None else answer.values
        if new_set is None or not figures:
            continue
        code = answer.criterion.code
        old_node, new_node = form.criteria_set.scheme().by_code.get(code), new_set.scheme().by_code.get(code)
        if old_node is not None and new_node is not None and _same_fields(old_node, new_node):
            result.setdefault(form.unit_id, {})[code] = dict(figures)
    return result


def _same_fields(old, new):
    return [(f.key, f.kind, f.choices) for f in old.fields] == [(f.key, f.kind, f.choices) for f in new.fields]


def next_year(day):
    """The same day a year later (29/02 becomes 28/02): the dates of a carried-forward period."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29/02
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def carry_forward(period, *, by, start_from_previous=True):
    """"Tạo kỳ mới từ kỳ này": next year's period in draft, with the same participants (still
    active), each block's criteria set or its newer active version, the same reviewer assignments
    and every date a year later. The new period opens through ``open_period`` as any other."""
    if period.carried_to.exists():
        raise WorkflowError(f"Đã tạo kỳ “{period.carried_to.first().name}” từ kỳ này.")
    year = period.year + 1
    old_year = str(period.year)
    name = period.name.replace(old_year, str(year)) if old_year in period.name else f"{period.name} ({year})"
    new = Period(year=year, name=name, opens_on=next_year(period.opens_on), deadline=next_year(period.deadline),
                 data_cutoff=next_year(period.data_cutoff), requires_signed_scan=period.requires_signed_scan,
                 carried_from=period, start_from_previous=start_from_previous)
    _save(new, by=by, reason=f"Tạo từ kỳ “{period.name}”")
    new.participants.set(period.participants.filter(is_active=True))
    for pcs in period.criteria_sets.select_related("criteria_set", "block"):
        PeriodCriteriaSet.objects.create(period=new, block=pcs.block, criteria_set=newest_version(pcs.criteria_set))
    for assignment in period.reviewer_assignments.all():
        ReviewerAssignment.objects.create(period=new, reviewer_id=assignment.reviewer_id, unit_id=assignment.unit_id,
                                          block_id=assignment.block_id)
    return new


def newest_version(criteria_set):
    """The active version of the same set if it is newer, else the set itself."""
    newer = (CriteriaSet.objects.filter(code=criteria_set.code, status=CriteriaSet.Status.ACTIVE,
                                        version__gt=criteria_set.version).order_by("-version").first())
    return newer or criteria_set


@transaction.atomic
def start_review(period, *, by):
    _move_period(period, "start_review", by=by)


@transaction.atomic
def close_period(period, *, by):
    pending = period.assessments.exclude(status=S.APPROVED).count()
    if pending:
        raise WorkflowError(f"Còn {pending} phiếu chưa được phê duyệt; chưa kết thúc kỳ được.")
    _move_period(period, "close", by=by)


# --- scores ----------------------------------------------------------------

def load_answers(assessment):
    """The form's answers in the set's order. Of the criterion only the code is read here (the
    scheme knows the rest); not loading its text and rule keeps every save and page cheap."""
    return list(assessment.answers.select_related("criterion").only(
        *(f.name for f in Answer._meta.concrete_fields), "criterion__code", "criterion__order")
        .order_by("criterion__order"))


def cache_results(sheet, assessment, answers, *, fast=False):
    """Put the sheet's results on the answers (points per criterion, both columns) and on the form
    (totals); return the answers whose cached points changed. Writes nothing: ``rescore`` and the
    period-wide import (``bulk.apply``) each write them their own way, from this one computation
    (``fast``: through the compiled plan, the same numbers without explanations)."""
    own, reviewed = sheet.numbers() if fast else sheet.both()
    changed = []
    for answer in answers:
        code = answer.criterion.code
        results = (own.criteria[code].points if own.criteria[code].applicable else None,
                   reviewed.criteria[code].points if reviewed.criteria[code].applicable else None)
        if results != (answer.self_result, answer.reviewed_result):
            answer.self_result, answer.reviewed_result = results
            changed.append(answer)
    assessment.self_total, assessment.self_score = own.total, own.score
    assessment.reviewed_total, assessment.reviewed_score = reviewed.total, reviewed.score
    assessment.max_points, assessment.classification = reviewed.max_points, reviewed.classification
    return changed


TOTALS = ("self_total", "self_score", "reviewed_total", "reviewed_score", "max_points", "classification")


def rescore(assessment, answers=None, *, sheet=None):
    """Recompute both columns with the engine and cache them (answers and form totals)."""
    answers = answers if answers is not None else load_answers(assessment)
    sheet = sheet or AnswerSheet.of(assessment, answers)
    changed = cache_results(sheet, assessment, answers)
    if changed:
        Answer.objects.bulk_update(changed, ["self_result", "reviewed_result"])
    Assessment.objects.filter(pk=assessment.pk).update(**{name: getattr(assessment, name) for name in TOTALS})
    return sheet.both()


# --- the unit's form -------------------------------------------------------

def _claim(answer, version):
    """Optimistic lock: bump the version only if nobody saved this answer since ``version`` was read."""
    if version is None:
        return False
    claimed = Answer.objects.filter(pk=answer.pk, version=version).update(version=F("version") + 1)
    answer.version = version + 1
    return bool(claimed)


def _apply_changes(assessment, changes, versions, *, by, reason, fields, side):
    """Write the changed answers, refusing all of them if any was saved by someone else
    since it was read, or if ``side`` of the resulting sheet does not score (InputProblemsError).
    Returns the changed answers."""
    answers = load_answers(assessment)
    by_code = {a.criterion.code: a for a in answers}
    changed = []
    for code, new in changes.items():
        answer = by_code[code]
        if all(getattr(answer, f) == new[f] for f in fields if f in new):
            continue
        changed.append((answer, new))
    conflicts = [a.criterion.code for a, _ in changed if not _claim(a, versions.get(a.criterion.code))]
    if conflicts:
        raise ConflictError(
            [f"Tiêu chí {code}: người khác đã lưu thay đổi trước bạn; tải lại phiếu để xem bản mới nhất "
             "rồi nhập lại (thay đổi của bạn chưa được lưu)." for code in conflicts])
    for answer, new in changed:
        for f in fields:
            if f in new:
                setattr(answer, f, new[f])
    sheet = AnswerSheet.of(assessment, answers)
    problems = sheet.problems(side)
    if problems:
        raise InputProblemsError(problems)
    for answer, new in changed:
        _save(answer, by=by, reason=new.get("reason") or reason)
    if changed:
        rescore(assessment, answers, sheet=sheet)
    return [a for a, _ in changed]


@transaction.atomic
def save_unit_answers(assessment, changes, versions, *, by, autosave=False):
    """The unit saves its draft: figures (column 3), points for manual criteria, notes (7), explanations."""
    assessment = Assessment.objects.select_for_update().select_related("period", "unit__block").get(pk=assessment.pk)
    if not assessment.editable_by_unit():
        raise WorkflowError(assessment.read_only_reason())
    scheme = assessment.criteria_set.scheme()
    from .indicators import keep_automatic

    changes = keep_automatic(scheme, assessment, changes)
    return _apply_changes(
        assessment, changes, versions, by=by, reason="Tự động lưu" if autosave else "Đơn vị lưu phiếu",
        fields=("values", "points", "note", "explanation"), side=UNIT)


@transaction.atomic
def save_review(assessment, changes, versions, *, by):
    """The reviewer's figures or points (column 6) and poor-data flags; every change carries its reason."""
    assessment = Assessment.objects.select_for_update().select_related("period", "unit__block").get(pk=assessment.pk)
    if not assessment.can("accept_review"):
        raise WorkflowError(f"Chỉ thẩm định được phiếu đã nộp; phiếu đang “{assessment.get_status_display()}”.")
    for code, new in changes.items():
        if new.get("reason"):
            new["reason"] = _text(new["reason"], label=f"Lý do điều chỉnh tiêu chí {code}", limit=REASON_MAX)
    missing = [code for code, new in changes.items() if new.get("changed") and not (new.get("reason") or "").strip()]
    problems = [f"Tiêu chí {code}: cần ghi lý do điều chỉnh (số liệu thẩm định khác số liệu đơn vị)"
                for code in missing]
    problems += [f"Tiêu chí {code}: đánh dấu “cần bổ sung” thì phải ghi nội dung cần bổ sung"
                 for code, new in changes.items() if new.get("request_missing")]
    if problems:
        raise WorkflowError(problems)
    return _apply_changes(
        assessment, changes, versions, by=by, reason="Thẩm định",
        fields=("reviewed_values", "reviewed_points", "poor_data", "review_reason", "request"), side=REVIEW)


def submission_problems(assessment, answers=None):
    """What stops the unit from submitting, criterion by criterion."""
    answers = answers if answers is not None else load_answers(assessment)
    scheme = assessment.criteria_set.scheme()
    has_procedures = assessment.unit.has_procedures
    files = set(assessment.files.filter(removed=False, kind=EvidenceFile.Kind.EVIDENCE)
                .values_list("criterion__code", flat=True))
    problems = []
    for answer in answers:
        node = scheme.by_code[answer.criterion.code]
        if not node.applies(has_procedures) or node.rule is None or node.is_substitute:
            continue
        if node.rule.manual and answer.points is None:
            problems.append(f"Tiêu chí {node.code}: chưa nhập điểm tự đánh giá")
        missing = [f.label for f in node.fields if f.kind != "text" and answer.values.get(f.key) in (None, "")]
        if missing:
            problems.append(f"Tiêu chí {node.code}: chưa nhập “{missing[0]}”"
                            + (f" và {len(missing) - 1} số liệu khác" if len(missing) > 1 else ""))
        if node.documents and node.code not in files and not answer.explanation.strip():
            problems.append(f"Tiêu chí {node.code}: chưa đính kèm tài liệu kiểm chứng ({node.documents}); "
                            "không có thì phải viết giải trình")
    if assessment.period.requires_signed_scan and not assessment.files.filter(
            removed=False, kind=EvidenceFile.Kind.SIGNED_SCAN).exists():
        problems.append("Chưa đính kèm bản quét phiếu tự đánh giá có ký, đóng dấu")
    return problems


@transaction.atomic
def submit(assessment, *, by, now=None):
    """Submit for review. After the deadline it is still accepted; the set's late-day
    deduction then applies, counted from the submission date."""
    now = now or timezone.now()
    assessment = Assessment.objects.select_for_update().select_related("period", "unit__block").get(pk=assessment.pk)
    if not assessment.editable_by_unit():
        raise WorkflowError(assessment.read_only_reason())
    answers = load_answers(assessment)
    problems = submission_problems(assessment, answers)
    if problems:
        raise WorkflowError(problems)
    _move(assessment, "submit", by=by)
    assessment.submitted_at = now
    assessment.submission_count += 1
    assessment.days_late = assessment.period.days_late(now)
    reason = "Nộp phiếu"
    if assessment.days_late:
        reason += f" muộn {assessment.days_late} ngày so với hạn {assessment.period.deadline:%d/%m/%Y}"
    assessment._change_reason = reason
    assessment.reopened_until = None
    assessment.save()
    rescore(assessment, answers)
    _notify("submitted", assessment)
    return assessment


@transaction.atomic
def return_to_unit(assessment, *, by, reason):
    reason = _text(reason, label="Nội dung đề nghị giải trình", limit=REASON_MAX,
                   empty_message="Cần ghi nội dung đề nghị đơn vị giải trình khi trả lại phiếu.")
    _move(assessment, "return_to_unit", by=by, reason=reason)
    assessment.save()
    Comment.objects.create(assessment=assessment, author=by, text=f"Trả lại phiếu: {reason}")
    _notify("returned", assessment)
    return assessment


@transaction.atomic
def accept_review(assessment, *, by):
    _move(assessment, "accept_review", by=by, reason="Hoàn thành thẩm định")
    assessment.save()
    _notify("accepted", assessment)
    return assessment


@transaction.atomic
def approve(assessment, *, by):
    _move(assessment, "approve", by=by, reason="Lãnh đạo phê duyệt kết quả")
    assessment.save()
    _notify("approved", assessment)
    return assessment


def approve_many(assessments, *, by):
    """Approve several forms; each succeeds or fails on its own. Returns (approved, refusals)."""
    approved, refused = [], []
    for assessment in assessments:
        try:
            approved.append(approve(assessment, by=by))
        except WorkflowError as exc:
            refused.append(f"{assessment.unit.name}: {' '.join(exc.messages)}")
    return approved, refused


@transaction.atomic
def unapprove(assessment, *, by, reason):
    reason = _text(reason, label="Lý do huỷ phê duyệt", limit=REASON_MAX,
                   empty_message="Cần ghi lý do huỷ phê duyệt.")
    _move(assessment, "unapprove", by=by, reason=f"Huỷ phê duyệt: {reason}")
    assessment.save()
    return assessment


@transaction.atomic
def reopen(assessment, *, by, reason, until):
    """An administrator gives one unit its form back, for a stated reason and a limited time."""
    reason = _text(reason, label="Lý do mở lại phiếu", limit=REASON_MAX,
                   empty_message="Cần ghi lý do mở lại phiếu.")
    if until <= timezone.now():
        raise WorkflowError("Thời hạn mở lại phải ở tương lai.")
    _move(assessment, "reopen", by=by, reason=f"Mở lại phiếu đến {timezone.localtime(until):%H:%M %d/%m/%Y}: {reason}")
    assessment.reopened_until = until
    assessment.reopen_reason = reason
    assessment.save()
    return assessment


# --- evidence files and clarifications -------------------------------------

def check_upload(uploaded, *, kind):
    """Size (before reading), type by content (a file whose bytes are not what its name says is
    refused) and active content (scripts, macros, polyglots)."""
    name = clean_filename(uploaded.name)
    if uploaded.size > settings.EVIDENCE_MAX_BYTES:
        raise WorkflowError(f"Tệp “{name}” dung lượng {megabytes(uploaded.size)} MB, vượt giới hạn "
                            f"{settings.EVIDENCE_MAX_BYTES // 1048576} MB.")
    if uploaded.size == 0:
        raise WorkflowError(f"Tệp “{name}” rỗng.")
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    detected = filetype.guess(head)
    extension = detected.extension if detected else None
    allowed = SCAN_TYPES if kind == EvidenceFile.Kind.SIGNED_SCAN else set(ALLOWED_TYPES)
    accepted = ", ".join(sorted(e.upper() for e in allowed))
    if extension not in allowed:
        what = f"nội dung là {extension.upper()}" if extension else "không nhận ra được nội dung"
        raise WorkflowError(f"Tệp “{name}” không được chấp nhận ({what}). Chỉ nhận: {accepted}.")
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if SAME_TYPE_NAMES.get(suffix, suffix) != extension:
        raise WorkflowError(f"Tệp “{name}” có phần mở rộng .{suffix or '(không có)'} nhưng nội dung là "
                            f"{extension.upper()}: đổi tên cho đúng loại tệp rồi tải lên lại.")
    data = b"".join(uploaded.chunks())
    uploaded.seek(0)
    try:
        check_active_content(data, name, extension)
    except UnsafeFile as exc:
        raise WorkflowError(exc.messages) from exc
    return ALLOWED_TYPES[extension]


def upload_evidence(assessment, uploaded, *, by, criterion=None, kind=EvidenceFile.Kind.EVIDENCE):
    """Store the file and its record together: if the record cannot be written (or the request
    dies on the way), the stored bytes are removed again, so no orphan file stays behind."""
    stored = None
    try:
        with transaction.atomic():
            if not assessment.editable_by_unit():
                raise WorkflowError(assessment.read_only_reason())
            content_type = check_upload(uploaded, kind=kind)
            digest = hashlib.sha256()
            for chunk in uploaded.chunks():
                digest.update(chunk)
            uploaded.seek(0)
            record = EvidenceFile(assessment=assessment, criterion=criterion, kind=kind,
                                  original_name=clean_filename(uploaded.name), size=uploaded.size,
                                  content_type=content_type, sha256=digest.hexdigest(), uploaded_by=by)
            record.file.save(record.sha256, uploaded, save=False)
            stored = record.file.name
            _save(record, by=by, reason=f"Tải lên “{record.original_name}”")
    except BaseException:
        if stored:
            record.file.storage.delete(stored)
        raise
    return record


@transaction.atomic
def remove_evidence(record, *, by):
    if not record.assessment.editable_by_unit():
        raise WorkflowError(record.assessment.read_only_reason())
    record.removed = True
    _save(record, by=by, reason=f"Gỡ tệp “{record.original_name}”")


def add_comment(assessment, *, by, text, criterion=None):
    text = _text(text, label="Nội dung giải trình", limit=COMMENT_MAX, empty_message="Nội dung giải trình đang trống.")
    return Comment.objects.create(assessment=assessment, criterion=criterion, author=by, text=text)
