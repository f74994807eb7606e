"""The unit's form and the reviewer's form, built from the criteria set of the assessment."""

from django import forms

from criteria.fields import clean, form_value, stored_value
from criteria.forms import EvidenceInputsMixin, field_name, points_name
from criteria.numbers import NumberFormatError, parse_number, vn
from criteria.scoring import Problem
from safety import text as safe_text
from safety.text import COMMENT_MAX, NOTE_MAX, REASON_MAX, SafeTextField

from .models import Assessment, EvidenceFile


def version_name(code):
    return f"v__{code}"


class _AnswersForm(EvidenceInputsMixin, forms.Form):
    """Common to both sides: inputs per leaf, one version per answer, typed values read back."""

    def __init__(self, assessment, answers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.answers = {a.criterion.code: a for a in answers}
        self.scheme = assessment.criteria_set.scheme()
        for code, answer in self.answers.items():
            self.fields[version_name(code)] = forms.IntegerField(widget=forms.HiddenInput, initial=answer.version,
                                                                 required=False)

    def mark_automatic(self, prefix, *, disable):
        """Automatic figures show where they came from; the unit cannot change them."""
        if not any(getattr(f, "automatic", "") for f in self.scheme.fields.values()):
            return
        from .indicators import describe, provenance

        found = provenance(self.assessment)
        for key, fld in self.scheme.fields.items():
            name = field_name(key, prefix)
            if not getattr(fld, "automatic", "") or name not in self.fields:
                continue
            origin = found.get(key)
            self.fields[name].help_text = (describe(*origin) if origin else
                                           f"Chỉ số tự động ({fld.automatic}): chưa có số liệu nhập từ nguồn")
            if disable:
                self.fields[name].disabled = True

    def applicable_leaves(self):
        has_procedures = self.assessment.unit.has_procedures
        return [n for n in self.scheme.leaves
                if n.rule is not None and n.applies(has_procedures) and n.code in self.answers]

    def clean_name(self):
        return safe_text.clean_filename(self.cleaned_data["name"], fallback="tệp")

    def versions(self):
        return {code: self.cleaned_data.get(version_name(code)) for code in self.answers}

    def typed_values(self, node):
        """The node's typed values, cleaned; problems are attached to the inputs."""
        values, problems = {}, []
        for fld in node.fields:
            raw = self.cleaned_data.get(field_name(fld.key, self.evidence_prefix))
            if raw in (None, ""):
                continue
            try:
                values[fld.key] = stored_value(clean(fld, raw))
            except NumberFormatError as exc:
                problems.append(Problem(self.assessment.unit.name, node.code, raw, str(exc), fld.label, fld.key))
        return values, problems

    def typed_points(self, node):
        raw = self.cleaned_data.get(points_name(node.code, self.points_prefix))
        if raw in (None, ""):
            return None, []
        try:
            return parse_number(raw), []
        except NumberFormatError as exc:
            return None, [Problem(self.assessment.unit.name, node.code, raw, f"điểm {exc}")]


class UnitForm(_AnswersForm):
    """Columns (3), (5) for manual criteria, (7), and the explanation where a document is missing."""

    def __init__(self, assessment, answers, *args, **kwargs):
        super().__init__(assessment, answers, *args, **kwargs)
        self.add_evidence_inputs(self.scheme)
        for node in self.applicable_leaves():
            answer = self.answers[node.code]
            self.fields[f"n__{node.code}"] = SafeTextField(
                label="Ghi chú", limit=NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 1, "aria-label": f"Ghi chú (cột 7) tiêu chí {node.code}",
                                             "placeholder": "Ghi chú"}))
            self.initial[f"n__{node.code}"] = answer.note
            if node.documents:
                self.fields[f"x__{node.code}"] = SafeTextField(
                    label="Giải trình (khi không có tài liệu kiểm chứng)", limit=COMMENT_MAX,
                    widget=forms.Textarea(attrs={"rows": 2}))
                self.initial[f"x__{node.code}"] = answer.explanation
            for fld in node.fields:
                self.initial[field_name(fld.key)] = form_value(fld, answer.values.get(fld.key))
            if answer.points is not None:
                self.initial[points_name(node.code)] = vn(answer.points)
        for name in list(self.fields):
            if name.startswith(("f__", "p__")) and name.split("__", 1)[1] not in self._applicable_keys():
                del self.fields[name]
        self.mark_automatic("f", disable=True)

    def _applicable_keys(self):
        if not hasattr(self, "_keys"):
            leaves = self.applicable_leaves()
            self._keys = {f.key for n in leaves for f in n.fields} | {n.code for n in leaves}
        return self._keys

    def changes(self):
        """{code: new stored state} for every applicable answer, or the problems found."""
        changes, problems = {}, []
        for node in self.applicable_leaves():
            values, value_problems = self.typed_values(node)
            points, point_problems = self.typed_points(node) if node.rule.manual else (None, [])
            problems += value_problems + point_problems
            changes[node.code] = {"values": values, "points": points,
                                  "note": self.cleaned_data.get(f"n__{node.code}", ""),
                                  "explanation": self.cleaned_data.get(f"x__{node.code}", self.answers[node.code].explanation)}
        return changes, problems


class ReviewForm(_AnswersForm):
    """Column (6): the reviewer's figures and points, poor-data flags, and why each changed."""

    def __init__(self, assessment, answers, *args, **kwargs):
        super().__init__(assessment, answers, *args, **kwargs)
        self.add_evidence_inputs(self.scheme, prefix="rf", points_prefix="rp",
                                 points_for=lambda node: True)
        deduction_per_criterion = any(n.rule is not None and n.rule.takes_criteria
                                      for n in self.scheme.leaves)
        for node in self.applicable_leaves():
            answer = self.answers[node.code]
            values = answer.reviewed_values if answer.reviewed_values is not None else answer.values
            for fld in node.fields:
                self.initial[field_name(fld.key, "rf")] = form_value(fld, values.get(fld.key))
            if answer.reviewed_points is not None:
                self.initial[points_name(node.code, "rp")] = vn(answer.reviewed_points)
            if deduction_per_criterion and not node.is_deduction and not node.is_substitute:
                self.fields[f"rq__{node.code}"] = forms.BooleanField(
                    label="Số liệu không đảm bảo chất lượng (trừ điểm)", required=False, initial=answer.poor_data)
            self.fields[f"rr__{node.code}"] = SafeTextField(label="Lý do điều chỉnh", limit=REASON_MAX,
                                                            initial=answer.review_reason)
            self.fields[f"rb__{node.code}"] = forms.BooleanField(label="Cần bổ sung", required=False,
                                                                 initial=bool(answer.request))
            self.fields[f"rbr__{node.code}"] = SafeTextField(label="Nội dung cần bổ sung", limit=REASON_MAX,
                                                             initial=answer.request)
        self.mark_automatic("rf", disable=False)

    def changes(self):
        changes, problems = {}, []
        for node in self.applicable_leaves():
            answer = self.answers[node.code]
            values, value_problems = self.typed_values(node)
            points, point_problems = self.typed_points(node) if not node.is_deduction else (None, [])
            problems += value_problems + point_problems
            reviewed_values = None if values == answer.values else values
            poor = bool(self.cleaned_data.get(f"rq__{node.code}", answer.poor_data))
            reason = self.cleaned_data.get(f"rr__{node.code}", "").strip()
            request = self.cleaned_data.get(f"rbr__{node.code}", "").strip()
            marked = bool(self.cleaned_data.get(f"rb__{node.code}"))
            new = {"reviewed_values": reviewed_values, "reviewed_points": points, "poor_data": poor,
                   "reason": reason, "request": request, "request_missing": marked and not request}
            unit_points = answer.points if node.rule.manual else None
            differs = reviewed_values is not None or (points is not None and points != unit_points) or poor
            # A reason is owed only for a figure that differs from the unit's latest one: taking
            # over what the unit resubmitted (or clearing an adjustment) needs no justification.
            new["changed"] = differs and (reviewed_values != answer.reviewed_values
                                          or points != answer.reviewed_points or poor != answer.poor_data)
            new["review_reason"] = reason if differs else ""
            changes[node.code] = new
        return changes, problems


# --- small forms for small actions -----------------------------------------
#
# Every URL or POST parameter a view reads goes through one of these, so a wrong value
# (``phieu=abc``, ``days=²``, ``profile=abc``) gives a Vietnamese message naming the parameter
# instead of a 500. Free text uses safety.text's checks and documented limits (``text()``);
# a NUL anywhere in a request is refused before any view by safety.middleware.

ERRORS = {
    "required": "Chưa nhập {label}.",
    "invalid": "{label} không hợp lệ.",
    "invalid_choice": "{label} không hợp lệ.",
    "invalid_list": "{label} không hợp lệ.",
    "invalid_pk_value": "{label} không hợp lệ.",
    "min_value": "{label} phải từ {low} trở lên.",
    "max_value": "{label} không được lớn hơn {high}.",
    "max_length": "{label} dài quá {length} ký tự.",
    "null_characters_not_allowed": "{label} chứa ký tự không hợp lệ.",
}


class ParamForm(forms.Form):
    """A form over request parameters. ``params`` maps a field to its parameter's name where the
    two differ (URLs use Vietnamese words with hyphens); every error message is Vietnamese and
    names the field (set ``label``)."""

    params: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label or "Giá trị")
            low = getattr(field, "min_value", None)
            high = getattr(field, "max_value", None)
            length = getattr(field, "max_length", None)
            for code, message in ERRORS.items():
                field.error_messages[code] = message.format(label=label, low=low, high=high, length=length)

    def add_prefix(self, field_name):
        return self.params.get(field_name, field_name)

    def error_messages(self):
        """Every error, as sentences for ``messages.error``."""
        return [str(e) for errors in self.errors.values() for e in errors]


def text(label, *, limit, multiline=True):
    """Free text: trimmed, refused with a message naming ``label`` beyond ``limit`` characters or
    when it holds control or bidi characters (safety.text.check_text)."""
    return safe_text.SafeTextField(label=label, limit=limit, multiline=multiline)


def parameter(label, *, limit=safe_text.PARAMETER_MAX):
    """A short one-line parameter (a code, a file name)."""
    return text(label, limit=limit, multiline=False)


def upload(label):
    """A file parameter. Its content (empty, too large, of the wrong type) is judged by the verb
    that takes it, which names the file in its message."""
    return forms.FileField(label=label, required=False, allow_empty_file=True)


class QueueFilterForm(ParamForm):
    """The filters of a period's queue: ``?khoi=…&trang-thai=…``."""

    params = {"block": "khoi", "status": "trang-thai"}
    block = forms.SlugField(label="Khối", required=False, max_length=50)
    status = forms.ChoiceField(label="Trạng thái", required=False, choices=[("", ""), *Assessment.Status.choices])


class DecisionForm(ParamForm):
    """Approve, unapprove or reopen one form."""

    reason = text("Lý do", limit=safe_text.REASON_MAX)
    days = parameter("Số ngày mở lại", limit=20)

    def clean_days(self):
        """Whole days from 1 to 30, 3 when not given."""
        return safe_text.parse_int(self.cleaned_data["days"], label="Số ngày mở lại", lo=1, hi=30, default=3)


class UnitActionForm(ParamForm):
    """What the unit's form page was asked to do besides saving figures."""

    action = forms.ChoiceField(label="Thao tác", required=False, choices=[("", ""), ("save", "Lưu"), ("submit", "Nộp")])


class ReviewActionForm(ParamForm):
    action = forms.ChoiceField(label="Thao tác", required=False,
                               choices=[("", ""), ("save", "Lưu"), ("return", "Trả lại"), ("accept", "Hoàn thành")])
    reason = text("Nội dung đề nghị giải trình", limit=safe_text.REASON_MAX)


class PreviewForm(ParamForm):
    side = forms.ChoiceField(label="Cột điểm", required=False, choices=[("", ""), ("self", "Tự đánh giá"),
                                                                         ("review", "Thẩm định")])


class IdListField(forms.Field):
    """A repeated parameter of row ids (``phieu=3&phieu=7``). What is not a plain number cannot
    name a row and is left out; the caller counts it among the rows it skipped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return safe_text.ids(value or [])


class BulkApproveForm(ParamForm):
    params = {"chosen": "phieu"}
    chosen = IdListField(label="Phiếu được chọn", required=False)

    def given(self):
        """How many forms the request named, well-formed or not."""
        return len(self.data.getlist("phieu")) if hasattr(self.data, "getlist") else len(self.cleaned_data["chosen"])


class CommentForm(ParamForm):
    text = text("Nội dung giải trình", limit=safe_text.COMMENT_MAX)
    criterion = parameter("Tiêu chí")


class UploadForm(ParamForm):
    file = upload("Tệp")
    criterion = parameter("Tiêu chí")
    kind = forms.ChoiceField(label="Loại tệp", required=False, choices=[("", ""), *EvidenceFile.Kind.choices])


class ConfirmUploadForm(ParamForm):
    """An Excel upload: a new file, or the confirmation of one already previewed (by its SHA-256)."""

    params = {"confirm": "xac-nhan", "name": "ten", "criteria_set": "bo", "template": "mau"}
    file = upload("Tệp Excel")
    confirm = forms.RegexField(label="Mã tệp đã xem trước", regex=r"^[0-9a-f]{64}$", required=False)
    name = forms.CharField(label="Tên tệp", required=False)
    criteria_set = forms.IntegerField(label="Bộ tiêu chí", required=False, min_value=1, max_value=2**31 - 1)
    template = forms.BooleanField(label="Tải tệp mẫu", required=False)

    def versions(self):
        """The answer versions the preview was made from (``v__<code>``); malformed ones are left out,
        which makes the save refuse those answers as changed by someone else."""
        return {key[3:]: int(value) for key, value in self.data.items()
                if key.startswith("v__") and isinstance(value, str) and value.isascii() and value.isdigit()
                and len(value) < 10}
