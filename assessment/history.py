"""The history tab: every recorded change of a form, told in plain Vietnamese."""

from dataclasses import dataclass, field

from criteria.fields import NO, YES, display
from criteria.numbers import parse_number, vn

from .models import Assessment

ANSWER_FIELDS = {
    "values": "số liệu của đơn vị",
    "points": "điểm đơn vị nhập",
    "note": "ghi chú",
    "explanation": "giải trình",
    "reviewed_values": "số liệu thẩm định",
    "reviewed_points": "điểm thẩm định",
    "poor_data": "số liệu không đảm bảo chất lượng",
}


@dataclass
class Entry:
    when: object
    who: str
    what: str
    changes: list = field(default_factory=list)
    reason: str = ""


def _who(record):
    user = record.history_user
    if user is None:
        return "Hệ thống"
    return user.get_full_name() or user.username


def show_value(value, fld=None):
    """A stored value as people read it: through its field's kind when known."""
    if fld is not None:
        return display(fld, value)
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return YES if value else NO
    try:
        return vn(parse_number(value))
    except (ValueError, TypeError):
        return str(value)


def _value_changes(old, new, scheme, label):
    old, new = old or {}, new or {}
    lines = []
    for key in list(dict.fromkeys([*old, *new])):
        if old.get(key) != new.get(key):
            fld = scheme.fields.get(key)
            name = fld.label if fld else key
            lines.append(f"{label} “{name}”: {show_value(old.get(key), fld)} → {show_value(new.get(key), fld)}")
    return lines


def history_entries(assessment):
    scheme = assessment.criteria_set.scheme()
    entries = []
    status_labels = dict(Assessment.Status.choices)
    records = list(assessment.history.select_related("history_user").order_by("history_date", "history_id"))
    for previous, record in zip([None, *records], records, strict=False):
        if previous is None:
            entries.append(Entry(record.history_date, _who(record), "Tạo phiếu tự đánh giá",
                                 reason=record.history_change_reason or ""))
            continue
        changes = []
        if previous.status != record.status:
            changes.append(f"Trạng thái: {status_labels[previous.status]} → {status_labels[record.status]}")
        if previous.days_late != record.days_late:
            changes.append(f"Số ngày nộp muộn: {previous.days_late} → {record.days_late}")
        if previous.reopened_until != record.reopened_until and record.reopened_until:
            changes.append("Mở lại cho đơn vị sửa")
        if changes:
            entries.append(Entry(record.history_date, _who(record), "Phiếu", changes,
                                 record.history_change_reason or ""))
    answer_model = assessment.answers.model
    answer_records = (answer_model.history.filter(assessment_id=assessment.pk)
                      .select_related("history_user", "criterion").order_by("id", "history_date", "history_id"))
    previous_by_answer = {}
    for record in answer_records:
        previous = previous_by_answer.get(record.id)
        previous_by_answer[record.id] = record
        if previous is None:
            continue
        code = record.criterion.code
        changes = []
        for name, label in ANSWER_FIELDS.items():
            old, new = getattr(previous, name), getattr(record, name)
            if old == new:
                continue
            if name in ("values", "reviewed_values"):
                changes += _value_changes(old if old is not None else (previous.values if name == "reviewed_values" else {}),
                                          new if new is not None else (record.values if name == "reviewed_values" else {}),
                                          scheme, label.capitalize())
                if name == "reviewed_values" and new is None:
                    changes.append("Thẩm định giữ số liệu của đơn vị")
            else:
                changes.append(f"{label.capitalize()}: {show_value(old)} → {show_value(new)}")
        if changes:
            entries.append(Entry(record.history_date, _who(record), f"Tiêu chí {code}", changes,
                                 record.history_change_reason or ""))
    for record in (assessment.files.model.history.filter(assessment_id=assessment.pk)
                   .select_related("history_user").order_by("history_date")):
        if record.history_type == "+":
            what = f"Tải lên tệp “{record.original_name}”"
        elif record.removed:
            what = f"Gỡ tệp “{record.original_name}”"
        else:
            continue
        entries.append(Entry(record.history_date, _who(record), what, reason=""))
    for comment in assessment.comments.select_related("author", "criterion"):
        where = f"tiêu chí {comment.criterion.code}" if comment.criterion else "cả phiếu"
        entries.append(Entry(comment.created_at, comment.author.get_full_name() or comment.author.username,
                             f"Ý kiến giải trình ({where})", [comment.text]))
    entries.sort(key=lambda e: e.when)
    return entries
