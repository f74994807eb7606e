"""Small forms for the parameters of the report views (see assessment.forms.ParamForm)."""


from django import forms

from assessment.forms import ParamForm, text, upload
from safety import text as safe_text


class ResultsForm(ParamForm):
    params = {"include_reviewed": "ca-da-tham-dinh"}
    include_reviewed = forms.ChoiceField(label="Gồm cả phiếu đã thẩm định", required=False,
                                         choices=[("", ""), ("0", "Không"), ("1", "Có")])


class RemarksForm(ParamForm):
    strengths = text("Nội dung thực hiện tốt", limit=safe_text.REMARKS_MAX)
    weaknesses = text("Nội dung chưa tốt", limit=safe_text.REMARKS_MAX)


class WhatIfForm(ParamForm):
    params = {"criteria_set": "bo"}
    criteria_set = forms.IntegerField(label="Bộ tiêu chí", required=False, min_value=1, max_value=2**31 - 1)


class SignedUploadForm(ParamForm):
    file = upload("Tệp PDF đã ký")
