"""Vietnamese names: alphabetical order, diacritics-insensitive matching, family name first.

Pure functions over strings; the database collation ``vi`` (units/collation.py) and every list
sorted in Python use the same key, so SQLite orders as PostgreSQL's ICU ``vi`` collation does.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z in their Latin
places). Tones are a second-level difference in the order ngang, huyền, hỏi, ngã, sắc, nặng, so
"Bảo Thắng" comes before "Bát Xát" (o before t decides; the tones only break ties), and case is the
third level (lower before upper), as in ICU's Vietnamese tailoring.
"""

import unicodedata
from functools import lru_cache

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: i for i, letter in enumerate(ALPHABET)}
# Combining marks that make a new letter (ă â ê ô ơ ư) and those that are tones.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Primary weights: separators and punctuation < digits < letters, as ICU's root order has them.
_DIGIT_BASE = 0x10000
_LETTER_BASE = 0x20000


def _letters(text):
    """(base letter with its letter marks, tone rank, is upper) for each character of ``text``."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        marks = decomposed[1:]
        tone = 0
        kept = ""
        for mark in marks:
            if mark in _TONE_RANK:
                tone = _TONE_RANK[mark]
            elif mark in _LETTER_MARKS:
                kept += mark
        letter = unicodedata.normalize("NFC", base + kept)
        out.append((letter, tone, letter != letter.lower()))
    return out


@lru_cache(maxsize=65536)
def sort_key(text):
    """A key that sorts strings in Vietnamese alphabetical order (see the module docstring)."""
    text = text or ""
    primary, secondary, tertiary = [], [], []
    for letter, tone, upper in _letters(text):
        lower = letter.lower()
        if lower in _LETTER_RANK:
            primary.append(_LETTER_BASE + _LETTER_RANK[lower])
        elif lower.isdigit():
            primary.append(_DIGIT_BASE + int(unicodedata.digit(lower, 0)))
        elif lower.isalpha():
            primary.append(_LETTER_BASE + 0x100 + ord(lower))
        else:
            primary.append(ord(lower))
        secondary.append(tone)
        tertiary.append(1 if upper else 0)
    return (tuple(primary), tuple(secondary), tuple(tertiary), text)


def compare(a, b):
    """-1, 0 or 1: the comparison SQLite's collation callback expects."""
    ka, kb = sort_key(a or ""), sort_key(b or "")
    return (ka > kb) - (ka < kb)


def fold(text):
    """Lower case without tones or letter marks (đ → d) and with single spaces: how search, the
    criteria-table reader's headers and the password policy compare Vietnamese text."""
    decomposed = unicodedata.normalize("NFD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def matches(query, *texts):
    """Whether every word of ``query`` occurs in one of ``texts``, ignoring case and diacritics."""
    words = fold(query).split()
    haystack = " ".join(fold(t) for t in texts)
    return all(word in haystack for word in words)


def full_name(family_and_middle, given=""):
    """A Vietnamese full name, family name first: ("Nguyễn", "Văn Hùng") → "Nguyễn Văn Hùng"."""
    return " ".join(part.strip() for part in (family_and_middle, given) if part and part.strip())


def person_name(user):
    """How a person is named everywhere (header, lists, history, documents): family name first.

    Django keeps the family name in ``last_name`` ("Họ") and the rest in ``first_name`` ("Tên"), and
    its own ``get_full_name`` puts the given name first ("Văn Hùng Nguyễn"), which is wrong here.
    """
    if user is None:
        return ""
    return full_name(user.last_name, user.first_name) or user.get_username()
