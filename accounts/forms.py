from django import forms
from django.contrib.auth import forms as auth_forms


class TokenForm(forms.Form):
    code = forms.CharField(
        label="Mã xác thực", max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        error_messages={"required": "Hãy nhập mã 6 chữ số trong ứng dụng xác thực (hoặc một mã dự phòng).",
                        "max_length": "Mã xác thực dài tối đa 32 ký tự."})

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isalnum() or not code.isascii():
            raise forms.ValidationError("Mã xác thực chỉ gồm chữ số (hoặc chữ và số với mã dự phòng).")
        return code.lower() if not code.isdigit() else code


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label="Mật khẩu hiện tại", strip=False, max_length=4096,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Mật khẩu hiện tại không đúng.")
        return password


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Địa chỉ thư điện tử của tài khoản", max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Hãy nhập địa chỉ thư điện tử.", "invalid": "Địa chỉ thư điện tử không hợp lệ."})
