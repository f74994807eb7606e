"""Small forms for the parameters of the report views (see assessment.forms.ParamForm)."""

import datetime

from django import forms

from assessment.forms import ParamForm, text, upload

from .models import IssuingProfile


class ResultsForm(ParamForm):
    params = {"include_reviewed": "ca-da-tham-dinh"}
    include_reviewed = forms.ChoiceField(label="Gồm cả phiếu đã thẩm định", required=False,
                                         choices=[("", ""), ("0", "Không"), ("1", "Có")])


class RemarksForm(ParamForm):
    strengths = text("Nội dung thực hiện tốt")
    weaknesses = text("Nội dung chưa tốt")


class PublishForm(ParamForm):
    profile = forms.ModelChoiceField(label="Cơ quan ban hành, người ký", queryset=IssuingProfile.objects.all(),
                                     required=False)
    date = forms.CharField(label="Ngày văn bản", required=False, max_length=40)
    number = text("Số văn bản", max_length=100)
    title = text("Trích yếu", max_length=500)
    reason = text("Lý do đính chính")

    def clean_date(self):
        """The date as the page's date input sends it (yyyy-mm-dd)."""
        raw = self.cleaned_data["date"]
        if not raw:
            return None
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            raise forms.ValidationError(f"Ngày văn bản “{raw}” không hợp lệ.", code="invalid") from None


class WhatIfForm(ParamForm):
    params = {"criteria_set": "bo"}
    criteria_set = forms.IntegerField(label="Bộ tiêu chí", required=False, min_value=1, max_value=2**31 - 1)


class SignedUploadForm(ParamForm):
    file = upload("Tệp PDF đã ký")
