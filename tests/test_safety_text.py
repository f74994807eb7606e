"""The shared text validators: what is refused, what is cleaned, with which message."""

import pytest
from django.core.exceptions import ValidationError

from safety.formulas import escape_text, unescape_text
from safety.text import SafeTextField, check_text, clean_filename, ids, parse_int


@pytest.mark.parametrize(("name", "cleaned"), [
    ("bao-cao-\u202excod.pdf", "bao-cao-xcod.pdf"),
    ("..\\..\\windows\\system32\\a.pdf", "a.pdf"),
    ("/etc/passwd", "passwd"),
    ("tệp\x00rỗng.pdf", "tệprỗng.pdf"),
    ("Tie\u0302\u0300n.pdf", "Tiền.pdf"),  # decomposed diacritics become NFC
    ("   ", "tep"),
    ("a" * 300 + ".docx", "a" * 145 + ".docx"),
])
def test_file_names_are_cleaned(name, cleaned):
    assert clean_filename(name) == cleaned


@pytest.mark.parametrize(("text", "message"), [
    ("lý do\x00", "“Lý do” chứa ký tự NUL"),
    ("lý do\x1b[31m", "“Lý do” chứa ký tự điều khiển (U+001B)"),
    ("lý do \u202e", "“Lý do” chứa ký tự đổi chiều văn bản (U+202E)"),
    ("x" * 2001, "“Lý do” dài 2.001 ký tự, vượt giới hạn 2.000 ký tự."),
])
def test_text_refused_with_the_field_named(text, message):
    with pytest.raises(ValidationError) as exc:
        check_text(text, label="Lý do", limit=2000)
    assert message in exc.value.messages[0]


def test_line_breaks_and_tabs_are_kept_in_multiline_text():
    assert check_text("  dòng 1\n\tdòng 2\r\n  ", label="Lý do", limit=100) == "dòng 1\n\tdòng 2"


def test_form_field_uses_the_same_checks_and_renders_the_limit():
    field = SafeTextField(label="Ghi chú", limit=10)
    assert field.clean(" ngắn ") == "ngắn"
    with pytest.raises(ValidationError, match="vượt giới hạn 10 ký tự"):
        field.clean("quá dài so với giới hạn")
    assert 'maxlength="10"' in field.widget.render("n", "")


@pytest.mark.parametrize("raw", ["²", "١", "3.5", "-1", "31", "", "1e3"])
def test_numbers_typed_by_users(raw):
    with pytest.raises(ValidationError, match="nhập số nguyên từ 1 đến 30"):
        parse_int(raw, label="Số ngày mở lại", lo=1, hi=30)
    assert parse_int("", label="x", lo=1, hi=30, default=3) == 3
    assert ids(["12", "abc", "²", " 7 ", "1" * 30]) == [12, 7]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "＝1"])
def test_formula_like_text_round_trips_through_escaping(text):
    assert escape_text(text) == "'" + text and unescape_text(escape_text(text)) == text
    assert escape_text("Sở Nội vụ") == "Sở Nội vụ" and escape_text(12) == 12
