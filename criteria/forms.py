"""The "chấm thử" (try it) form: the criteria table itself, with inputs in column (3)."""

from django import forms

from .scoring import UnitInput

YES_NO = [("", "—"), ("co", "Có"), ("khong", "Không")]


def field_name(key):
    return f"f__{key}"


def points_name(code):
    return f"p__{code}"


def flags_name(code):
    return f"c__{code}"


class TryScoreForm(forms.Form):
    has_procedures = forms.BooleanField(label="Cơ quan có thủ tục hành chính (TTHC)", required=False, initial=True)
    days_late = forms.IntegerField(label="Số ngày nộp muộn", min_value=0, max_value=366, initial=0, required=False,
                                   error_messages={"min_value": "Số ngày nộp muộn không được âm.",
                                                   "invalid": "Số ngày nộp muộn phải là số nguyên."})

    def __init__(self, scheme, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        for node in scheme.leaves:
            rule = node.rule
            if rule is None:
                continue
            for fld in node.fields:
                name = field_name(fld.key)
                if fld.kind == "choice":
                    self.fields[name] = forms.ChoiceField(label=fld.label, required=False,
                                                          choices=[("", "—"), *fld.choices])
                elif fld.kind == "yes_no":
                    self.fields[name] = forms.ChoiceField(label=fld.label, required=False, choices=YES_NO)
                elif fld.kind == "text":
                    self.fields[name] = forms.CharField(label=fld.label, required=False,
                                                        widget=forms.Textarea(attrs={"rows": 2}))
                else:
                    self.fields[name] = forms.CharField(label=fld.label, required=False,
                                                        widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            if rule.manual:
                self.fields[points_name(node.code)] = forms.CharField(
                    label=f"Điểm {node.code}", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            if rule.kind == "deduction_per_criterion":
                self.fields[flags_name(node.code)] = forms.CharField(
                    label="Mã các tiêu chí có số liệu không đảm bảo (cách nhau bởi dấu phẩy)", required=False)

    def unit_input(self):
        data = self.cleaned_data
        answers = {}
        for node in self.scheme.leaves:
            answer = {}
            values = {f.key: data.get(field_name(f.key)) for f in node.fields}
            values = {k: v for k, v in values.items() if v not in (None, "")}
            if values:
                answer["values"] = values
            if data.get(points_name(node.code)):
                answer["points"] = data[points_name(node.code)]
            if data.get(flags_name(node.code)):
                answer["criteria"] = [c.strip() for c in data[flags_name(node.code)].split(",") if c.strip()]
            if answer:
                answers[node.code] = answer
        return UnitInput(code="THU", name="Chấm thử", has_procedures=data.get("has_procedures", False),
                         days_late=data.get("days_late") or 0, answers=answers)

    def attach_problems(self, problems):
        """Put each engine problem beside its input, and keep the full sentence for the summary."""
        for problem in problems:
            message = problem.message + (f" (giá trị: {problem.value})" if problem.value is not None else "")
            if problem.key and field_name(problem.key) in self.fields:
                self.add_error(field_name(problem.key), message)
            elif points_name(problem.criterion) in self.fields:
                self.add_error(points_name(problem.criterion), message)
            elif flags_name(problem.criterion) in self.fields:
                self.add_error(flags_name(problem.criterion), message)
            else:
                self.add_error(None, str(problem))
