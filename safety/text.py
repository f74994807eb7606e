"""Free text and parameters from users, checked in one place.

Every text a user types is refused, with a Vietnamese message naming the field, when it holds a
NUL or another control character (PostgreSQL cannot store NUL; the others only hide content) or
a bidirectional override (U+202E and friends make "hoso‮fdp.exe" read as "hosoexe.pdf"), or when
it is longer than its documented limit. File names are cleaned instead of refused: the name is
only a label, so the harmful characters are removed.

Documented limits (characters, after trimming):

=================================  =====
reason (return, unapprove, reopen,  2000
per-criterion review reason)
comment in a clarification thread   4000
note (column 7)                     2000
remarks (strengths / weaknesses)    4000
publication number                    50
publication title / reason          500 / 2000
search and filter parameters         100
file name (kept)                     150
=================================  =====
"""

import re
import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

REASON_MAX = 2000
COMMENT_MAX = 4000
NOTE_MAX = 2000
REMARKS_MAX = 4000
NUMBER_MAX = 50
TITLE_MAX = 500
PARAMETER_MAX = 100
FILENAME_MAX = 150

# C0 controls except TAB, LF, CR; DEL and C1 controls; bidirectional embeddings, overrides and
# isolates; zero-width marks that only reorder or hide text.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")
_FORBIDDEN_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")


def _describe(char):
    if char == "\x00":
        return "ký tự NUL"
    if char in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c":
        return f"ký tự đổi chiều văn bản (U+{ord(char):04X})"
    return f"ký tự điều khiển (U+{ord(char):04X})"


def megabytes(size):
    """A byte count as Vietnamese megabytes with one decimal: 0,1; 2; 12,5."""
    from criteria.numbers import vn

    return vn(round(Decimal(size) / 1048576, 1))


def _thousands(n):
    return f"{n:,}".replace(",", ".")


def check_text(value, *, label, limit, required=False, multiline=True):
    """The text trimmed, or a ValidationError naming the field and what is wrong with it."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        value = str(value)
    value = unicodedata.normalize("NFC", value.strip())
    bad = (_FORBIDDEN if multiline else _FORBIDDEN_IN_LINE).search(value)
    if bad:
        raise ValidationError(f"“{label}” chứa {_describe(bad.group())}, không lưu được; hãy gõ lại nội dung.",
                              code="control_character")
    if len(value) > limit:
        raise ValidationError(f"“{label}” dài {_thousands(len(value))} ký tự, vượt giới hạn {_thousands(limit)} ký tự.",
                              code="max_length")
    if required and not value:
        raise ValidationError(f"Chưa nhập “{label}”.", code="required")
    return value


def has_control_characters(value):
    return bool(_FORBIDDEN.search(value or ""))


class SafeTextField(forms.CharField):
    """A CharField with the checks of ``check_text``: its label names the field in the message."""

    def __init__(self, *, limit, multiline=True, **kwargs):
        self.limit, self.multiline = limit, multiline
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return "" if value in self.empty_values else str(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs["maxlength"] = str(self.limit)
        return attrs

    def validate(self, value):
        pass

    def clean(self, value):
        value = self.to_python(value)
        return check_text(value, label=str(self.label or "nội dung"), limit=self.limit, required=self.required,
                          multiline=self.multiline)


def clean_filename(name, *, fallback="tep"):
    """A file name safe to show and to send back: no path, no control or bidi characters,
    NFC, at most FILENAME_MAX characters with its extension kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _FORBIDDEN_IN_LINE.sub("", name)
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        name = fallback
    if len(name) > FILENAME_MAX:
        stem, dot, ext = name.rpartition(".")
        keep_extension = dot and 0 < len(ext) <= 10
        name = stem[: FILENAME_MAX - len(ext) - 1].rstrip() + "." + ext if keep_extension else name[:FILENAME_MAX]
    return name


def parse_int(raw, *, label, lo, hi, default=None):
    """An integer typed by a user, within [lo, hi]; digits 0-9 only (int() also takes "²" and "١")."""
    text = (raw or "").strip()
    if not text and default is not None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", text) or not lo <= int(text) <= hi:
        shown = text[:20] + ("…" if len(text) > 20 else "")
        shown = _FORBIDDEN.sub("?", shown)
        raise ValidationError(f"{label} “{shown}” không hợp lệ: nhập số nguyên từ {lo} đến {hi}.", code="invalid")
    return int(text)


def ids(values):
    """Primary keys from a list of parameters, dropping anything that is not a plain number."""
    return [int(v) for v in values if isinstance(v, str) and re.fullmatch(r"[0-9]{1,18}", v.strip())]


def choice(value, choices, default=""):
    """A parameter that must be one of ``choices`` (values); anything else means the default."""
    return value if value in {str(c) for c in choices} else default


def plain_parameter(value, *, limit=PARAMETER_MAX):
    """A search or filter parameter: trimmed, and empty if it holds a control character or is too long."""
    value = (value or "").strip()
    return "" if len(value) > limit or _FORBIDDEN.search(value) else value
