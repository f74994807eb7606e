"""Small forms for the parameters of the report views (see assessment.forms.ParamForm)."""

import datetime

from django import forms

from assessment.forms import ParamForm, parameter, text, upload
from safety import text as safe_text

from .models import IssuingProfile


class ResultsForm(ParamForm):
    params = {"include_reviewed": "ca-da-tham-dinh"}
    include_reviewed = forms.ChoiceField(label="Gồm cả phiếu đã thẩm định", required=False,
                                         choices=[("", ""), ("0", "Không"), ("1", "Có")])


class RemarksForm(ParamForm):
    strengths = text("Nội dung thực hiện tốt", limit=safe_text.REMARKS_MAX)
    weaknesses = text("Nội dung chưa tốt", limit=safe_text.REMARKS_MAX)


class PublishForm(ParamForm):
    profile = parameter("Cơ quan ban hành, người ký", limit=20)
    date = parameter("Ngày văn bản", limit=20)
    number = text("Số văn bản", limit=safe_text.NUMBER_MAX, multiline=False)
    title = text("Trích yếu", limit=safe_text.TITLE_MAX)
    reason = text("Lý do đính chính", limit=safe_text.REASON_MAX)

    def clean_profile(self):
        """The chosen issuing profile, or None (the view says none was chosen)."""
        ids = safe_text.ids([self.cleaned_data["profile"]])
        return IssuingProfile.objects.filter(pk=ids[0]).first() if ids else None

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
