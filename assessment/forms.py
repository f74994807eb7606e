"""The unit's form and the reviewer's form, built from the criteria set of the assessment."""

from django import forms

from criteria.fields import clean, form_value, stored_value
from criteria.forms import EvidenceInputsMixin, field_name, points_name
from criteria.numbers import NumberFormatError, parse_number, vn
from criteria.scoring import Problem
from safety.text import COMMENT_MAX, NOTE_MAX, REASON_MAX, SafeTextField


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
