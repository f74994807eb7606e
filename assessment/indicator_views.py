"""The administrator's page for automatic indicators: import a source's file, see past imports."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from .indicators import MAX_BYTES, IndicatorFileError, apply_indicator_file, period_fields
from .models import IndicatorImport, Period
from .roles import is_admin


class IndicatorImportForm(forms.Form):
    period = forms.ModelChoiceField(label="Kỳ đánh giá", queryset=Period.objects.none(),
                                    error_messages={"required": "Chưa chọn kỳ đánh giá.",
                                                    "invalid_choice": "Kỳ đánh giá không hợp lệ."})
    field = forms.ChoiceField(label="Chỉ số tự động", error_messages={
        "required": "Chưa chọn chỉ số.", "invalid_choice": "Chỉ số không có trong các bộ tiêu chí của kỳ."})
    source_date = forms.DateField(label="Số liệu của nguồn tính đến ngày", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                  widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}),
                                  error_messages={"required": "Chưa nhập ngày của số liệu.",
                                                  "invalid": "Ngày không hợp lệ (dd/mm/yyyy)."})
    file = forms.FileField(label="Tệp số liệu (.csv hoặc .xlsx)",
                           error_messages={"required": "Chưa chọn tệp.", "empty": "Tệp tải lên rỗng."})

    def __init__(self, *args, periods, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["field"].choices = [("", "—"), *choices]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"Tệp '{upload.name}' lớn hơn {MAX_BYTES // 1048576} MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(f"Tệp '{upload.name}' không phải .csv hoặc .xlsx.")
        return upload


@login_required
def indicators(request):
    if not is_admin(request.user):
        raise PermissionDenied("Chỉ quản trị viên được nhập chỉ số tự động.")
    periods = Period.objects.exclude(status=Period.Status.CLOSED).order_by("-year", "name")
    choices = {}
    for period in periods:
        for key, (fld, _) in period_fields(period).items():
            choices[key] = f"{fld.label} — {fld.automatic} ({key})"
    form = IndicatorImportForm(request.POST or None, request.FILES or None, periods=periods,
                               choices=sorted(choices.items(), key=lambda c: c[1]))
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = apply_indicator_file(upload.read(), upload.name, period=form.cleaned_data["period"],
                                         key=form.cleaned_data["field"], source_date=form.cleaned_data["source_date"],
                                         by=request.user)
        except IndicatorFileError as exc:
            problems = exc.problems
        else:
            messages.success(request, f"Đã nhập {batch.file_name}: {batch.rows} đơn vị, cập nhật "
                                      f"{batch.updated_forms} phiếu chưa phê duyệt.")
            for line in batch.skipped:
                messages.warning(request, f"Không cập nhật — {line}")
            return redirect("assessment:indicators")
    imports = IndicatorImport.objects.select_related("period", "imported_by").order_by("-imported_at")[:50]
    return render(request, "assessment/indicators.html", {"form": form, "problems": problems, "imports": imports})
