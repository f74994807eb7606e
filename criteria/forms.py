"""Inputs for a criteria set's evidence fields, shared by the "chấm thử" panel and the
assessment forms. How each field kind is typed and shown is decided by its kind (criteria.fields)."""

from django import forms

from .scoring import UnitInput


def field_name(key, prefix="f"):
    return f"{prefix}__{key}"


def points_name(code, prefix="p"):
    return f"{prefix}__{code}"


def flags_name(code):
    return f"c__{code}"


def points_input(label):
    return forms.CharField(label=label, required=False, max_length=20,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


def levels_input(label, levels):
    """Points held to the levels the source prints: a choice, not a free number."""
    from .numbers import vn

    return forms.ChoiceField(label=label, required=False,
                             choices=[("", "—"), *((vn(v), f"{vn(v)} điểm") for v in levels)])


class EvidenceInputsMixin:
    """Adds evidence inputs for a scheme's leaves to a form and reads them back as answers."""

    def add_evidence_inputs(self, scheme, *, prefix="f", points_prefix="p", points_for=None):
        self.scheme = scheme
        self.evidence_prefix, self.points_prefix = prefix, points_prefix
        points_for = points_for or (lambda node: node.rule.manual)
        for node in scheme.leaves:
            if node.rule is None:
                continue
            for fld in node.fields:
                self.fields[field_name(fld.key, prefix)] = fld.field_kind.form_field(fld)
            if not node.is_deduction and points_for(node):
                levels = node.rule.allowed_points(node)
                self.fields[points_name(node.code, points_prefix)] = (
                    points_input(f"Điểm {node.code}") if levels is None else levels_input(f"Điểm {node.code}", levels))

    def evidence_answers(self):
        data = self.cleaned_data
        answers = {}
        for node in self.scheme.leaves:
            answer = {}
            values = {f.key: data.get(field_name(f.key, self.evidence_prefix)) for f in node.fields}
            values = {k: v for k, v in values.items() if v not in (None, "")}
            if values:
                answer["values"] = values
            points = data.get(points_name(node.code, self.points_prefix))
            if points:
                answer["points"] = points
            if answer:
                answers[node.code] = answer
        return answers

    def attach_problems(self, problems):
        """Put each engine problem beside its input; what has no input goes to the top."""
        for problem in problems:
            message = problem.message + (f" (giá trị: {problem.value})" if problem.value is not None else "")
            candidates = [field_name(problem.key, self.evidence_prefix) if problem.key else None,
                          points_name(problem.criterion, self.points_prefix), flags_name(problem.criterion)]
            target = next((name for name in candidates if name and name in self.fields), None)
            self.add_error(target, message if target else str(problem))


class TryScoreForm(EvidenceInputsMixin, forms.Form):
    """The "chấm thử" panel: the criteria table itself, with inputs in column (3)."""

    has_procedures = forms.BooleanField(label="Cơ quan có thủ tục hành chính (TTHC)", required=False, initial=True)
    days_late = forms.IntegerField(label="Số ngày nộp muộn", min_value=0, max_value=366, initial=0, required=False,
                                   error_messages={"min_value": "Số ngày nộp muộn không được âm.",
                                                   "invalid": "Số ngày nộp muộn phải là số nguyên."})

    def __init__(self, scheme, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_evidence_inputs(scheme)
        for node in scheme.leaves:
            if node.rule is not None and node.rule.takes_criteria:
                self.fields[flags_name(node.code)] = forms.CharField(
                    label="Mã các tiêu chí có số liệu không đảm bảo (cách nhau bởi dấu phẩy)", required=False)

    def unit_input(self):
        answers = self.evidence_answers()
        for node in self.scheme.leaves:
            flagged = self.cleaned_data.get(flags_name(node.code))
            if flagged:
                answers.setdefault(node.code, {})["criteria"] = [c.strip() for c in flagged.split(",") if c.strip()]
        return UnitInput(code="THU", name="Chấm thử", has_procedures=self.cleaned_data.get("has_procedures", False),
                         days_late=self.cleaned_data.get("days_late") or 0, answers=answers)


class TableImportForm(forms.Form):
    """Upload of an official criteria table (the browser side of ``import_criteria_table``)."""

    file = forms.FileField(label="Tệp bảng tiêu chí (.xlsx hoặc .docx)",
                           error_messages={"required": "Chưa chọn tệp bảng tiêu chí.",
                                           "empty": "Tệp tải lên rỗng."})
    code = forms.SlugField(label="Mã bộ tiêu chí", max_length=80,
                           help_text="Chữ thường không dấu, số và dấu gạch ngang, ví dụ laocai-2026-so-nganh.",
                           error_messages={"required": "Chưa nhập mã bộ tiêu chí.",
                                           "invalid": "Mã chỉ gồm chữ cái không dấu, chữ số, gạch ngang, gạch dưới."})
    name = forms.CharField(label="Tên bộ tiêu chí", max_length=500,
                           error_messages={"required": "Chưa nhập tên bộ tiêu chí."})

    def clean_code(self):
        from .models import CriteriaSet

        code = self.cleaned_data["code"]
        if CriteriaSet.objects.filter(code=code).exists():
            raise forms.ValidationError(f"Đã có bộ tiêu chí mã '{code}'; hãy chọn mã khác.")
        return code

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".docx")):
            raise forms.ValidationError(f"Tệp '{upload.name}' không phải .xlsx hoặc .docx.")
        from .table_import import MAX_BYTES

        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"Tệp '{upload.name}' lớn hơn {MAX_BYTES // 1048576} MB.")
        return upload


class TableImportConfirmForm(forms.Form):
    token = forms.CharField(max_length=64, min_length=64)
