"""The password policy, with Vietnamese messages: at least 12 characters; not one of Django's
20 000 common passwords nor a common Vietnamese one (``matkhau…``, a province name and a year
such as ``Laocai2026``, ``123456789…``, ``demo-2026``); not like the user's own names."""

import re
from difflib import SequenceMatcher

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

from units.naming import fold

# Province and city names before and after the 2025 merger, and the old districts' best-known
# towns, without diacritics or spaces; plus words Vietnamese users build passwords from.
PLACES = [
    "angiang", "bariavungtau", "baria", "vungtau", "bacgiang", "backan", "baclieu", "bacninh", "bentre", "binhdinh",
    "binhduong", "binhphuoc", "binhthuan", "camau", "cantho", "caobang", "danang", "daklak", "daknong", "dienbien",
    "dongnai", "dongthap", "gialai", "hagiang", "hanam", "hanoi", "hatinh", "haiduong", "haiphong", "haugiang",
    "hoabinh", "hungyen", "khanhhoa", "kiengiang", "kontum", "laichau", "lamdong", "langson", "laocai", "longan",
    "namdinh", "nghean", "ninhbinh", "ninhthuan", "phutho", "phuyen", "quangbinh", "quangnam", "quangngai", "quangninh",
    "quangtri", "soctrang", "sonla", "tayninh", "thaibinh", "thainguyen", "thanhhoa", "thuathienhue", "hue",
    "tiengiang", "travinh", "tuyenquang", "vinhlong", "vinhphuc", "yenbai", "hochiminh", "tphochiminh", "tphcm", "hcm",
    "saigon", "sapa", "dalat", "nhatrang", "halong", "vietnam", "vietnamese",
]
WORDS = [
    "matkhau", "matkhaumoi", "matkhaucu", "password", "passwd", "pass", "admin", "administrator", "quantri",
    "quantrivien", "root", "user", "nguoidung", "canbo", "thamdinh", "lanhdao", "demo", "trinhdien", "thunghiem",
    "test", "kiemthu", "abc", "abcd", "abcdef", "qwerty", "qwertyuiop", "asdf", "asdfgh", "zxcvbn", "iloveyou",
    "anhyeuem", "emyeuanh", "yeuem", "yeuanh", "tinhyeu", "xinchao", "chaoban", "hello", "welcome", "ubnd", "stttt",
    "sotttt", "sokhcn", "sokhoahoc", "cntt", "chuyendoiso", "doanhnghiep", "congty", "coquan", "vanphong",
]
COMMON_CORES = frozenset(PLACES) | frozenset(WORDS)
COMMON_PREFIXES = ("matkhau", "password", "quantri", "admin")


def letters(text):
    return re.sub(r"[^a-z]", "", fold(text))


class MinimumLengthValidator:
    def __init__(self, min_length=12):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự (mới có {len(password)}).",
                code="password_too_short")

    def get_help_text(self):
        return f"Mật khẩu có ít nhất {self.min_length} ký tự; nên dùng một câu dễ nhớ."


class CommonPasswordValidator(CommonPasswordValidator):
    """Django's list of 20 000 common passwords, and the common Vietnamese patterns: a common
    word or place name with digits and punctuation around it, ``matkhau…``, digits only."""

    def validate(self, password, user=None):
        core = letters(password)
        folded = fold(password).strip()
        if (folded in self.passwords or not core or core in COMMON_CORES or core.startswith(COMMON_PREFIXES)
                or _repeats_common(core)):
            raise ValidationError(
                "Mật khẩu này quá phổ biến, dễ bị đoán (ví dụ “matkhau…”, tên tỉnh kèm năm, dãy số "
                "“123456789”). Hãy chọn mật khẩu khác.", code="password_too_common")

    def get_help_text(self):
        return "Không dùng mật khẩu phổ biến như “matkhau123”, “Laocai2026”, “123456789”."


def _repeats_common(core):
    for size in range(1, len(core) // 2 + 1):
        if len(core) % size == 0 and core[:size] * (len(core) // size) == core:
            return core[:size] in COMMON_CORES or size <= 3
    return False


class UserAttributeSimilarityValidator:
    """Not like the user name, the family or given name, the full name or the e-mail address,
    compared without diacritics (``nguyenvanhung2026`` is like “Nguyễn Văn Hùng”)."""

    ATTRIBUTES = ("username", "first_name", "last_name", "email")

    def __init__(self, max_similarity=0.7):
        self.max_similarity = max_similarity

    def validate(self, password, user=None):
        if user is None:
            return
        values = [str(getattr(user, name, "") or "") for name in self.ATTRIBUTES]
        values.append(f"{getattr(user, 'last_name', '')} {getattr(user, 'first_name', '')}")
        values.append(f"{getattr(user, 'first_name', '')} {getattr(user, 'last_name', '')}")
        candidate = letters(password)
        for value in values:
            parts = [letters(value), *(letters(p) for p in re.split(r"[\W_]+", fold(value)))]
            for part in parts:
                if len(part) < 3:
                    continue
                if (len(part) >= 5 and part in candidate) or (
                        SequenceMatcher(a=candidate, b=part).quick_ratio() >= self.max_similarity
                        and SequenceMatcher(a=candidate, b=part).ratio() >= self.max_similarity):
                    raise ValidationError(
                        "Mật khẩu quá giống tên đăng nhập, họ tên hoặc địa chỉ thư điện tử của bạn.",
                        code="password_too_similar")

    def get_help_text(self):
        return "Mật khẩu không được giống tên đăng nhập, họ tên hay địa chỉ thư điện tử."
