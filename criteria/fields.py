"""The kinds of evidence field (số liệu kiểm chứng): one class per kind, registered by name.

A kind knows everything that differs between a count, a percentage, a sum of money, a date,
a yes/no answer, a choice and free text:

- ``clean(field, raw)``: read what a person, a JSON file or a spreadsheet gave, in Vietnamese
  conventions, into the engine's typed value, or raise ``NumberFormatError`` with a Vietnamese
  message. Each kind keeps its values within a documented sane range (``minimum``/``maximum``):
  no one has 99.999.999.999.999.999.999.999 servers, and such a figure would break every
  download that shows it.
- ``display(field, value)``: the stored value as people read it (1.000; 78,5; Có; the choice's words).
- ``form_value`` / ``form_field``: the HTML input and what it shows.
- ``cell_value`` / ``from_cell`` / ``number_format`` / ``validation``: the Excel cell.
- ``sample(field, rng, level)``: a plausible value for demos, benchmarks and tests.

Adding a kind is a change to this file only: write the class and add it to ``register``.
"""

import datetime
from decimal import Decimal

from django import forms
from openpyxl.worksheet.datavalidation import DataValidation

from .numbers import HUNDRED, ZERO, NumberFormatError, parse_number, plain, vn

YES_WORDS = frozenset({"có", "co", "yes", "true", "1", "x"})
NO_WORDS = frozenset({"không", "khong", "no", "false", "0", ""})
YES, NO = "Có", "Không"
MAX_TEXT = 4000


def number_cell(value):
    """A Decimal as an Excel number cell, shown as typed: whole numbers as int, others as the
    float nearest the exact decimal."""
    number = parse_number(value)
    return int(number) if number == number.to_integral_value() else float(number)


class FieldKind:
    kind = ""
    label = ""
    numeric = False
    number_format = None
    #: The sane range, inclusive; None where a kind has none. Documented in docs/architecture.md.
    minimum = None
    maximum = None

    def clean(self, fld, raw):
        raise NotImplementedError

    def display(self, fld, value):
        return str(value)

    def form_value(self, fld, value):
        return value

    def form_field(self, fld, *, required=False):
        return forms.CharField(label=fld.label, required=required, max_length=40,
                               widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def cell_value(self, fld, value):
        return value

    def from_cell(self, fld, text):
        """A spreadsheet cell's text as raw input for ``clean`` (numbers, dates and booleans are
        turned into text before this, the same way for every kind)."""
        return text

    def validation(self, fld):
        raise NotImplementedError

    def sample(self, fld, rng, level):
        raise NotImplementedError

    def _range_error(self):
        return NumberFormatError(f"phải từ {vn(self.minimum)} đến {vn(self.maximum)}")


class _Number(FieldKind):
    numeric = True
    integer = False

    def clean(self, fld, raw):
        value = Decimal(raw) if type(raw) is int else parse_number(raw, integer=self.integer)
        if not 0 <= value <= self.maximum:
            raise NumberFormatError("không được âm") if value < 0 else self._range_error()
        return value

    def display(self, fld, value):
        return vn(parse_number(value))

    def form_value(self, fld, value):
        return vn(parse_number(value))

    def form_field(self, fld, *, required=False):
        mode = "numeric" if self.integer else "decimal"
        return forms.CharField(label=fld.label, required=required, max_length=40,
                               widget=forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"}))

    def cell_value(self, fld, value):
        return number_cell(value)


class CountKind(_Number):
    """How many (servers, documents, staff): a whole number from 0 to one thousand billion."""

    kind = "count"
    label = "Số lượng"
    integer = True
    minimum = ZERO
    maximum = Decimal(10) ** 12
    number_format = "#,##0"

    def validation(self, fld):
        return DataValidation(type="whole", operator="between", formula1="0", formula2=str(self.maximum))

    def sample(self, fld, rng, level):
        return rng.randint(20, 400)


class MoneyKind(_Number):
    """An amount in đồng: a whole number from 0 to 10^18 (a national budget is about 2·10^15)."""

    kind = "money"
    label = "Số tiền (đồng)"
    integer = True
    minimum = ZERO
    maximum = Decimal(10) ** 18
    number_format = "#,##0"

    def validation(self, fld):
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")

    def sample(self, fld, rng, level):
        return rng.choice([0, 150_000_000, 600_000_000])


class PercentKind(_Number):
    kind = "percent"
    label = "Tỷ lệ (%)"
    minimum = ZERO
    maximum = HUNDRED
    number_format = "0.##"

    def clean(self, fld, raw):
        value = parse_number(raw)
        if not ZERO <= value <= HUNDRED:
            raise NumberFormatError("phải từ 0 đến 100")
        return value

    def validation(self, fld):
        return DataValidation(type="decimal", operator="between", formula1="0", formula2="100")

    def sample(self, fld, rng, level):
        return str(min(100, max(0, int(rng.gauss(level * 100, 12)))))


class DateKind(FieldKind):
    """A calendar date, typed dd/mm/yyyy, between 1900 and 2100."""

    kind = "date"
    label = "Ngày"
    number_format = "dd/mm/yyyy"
    minimum = datetime.date(1900, 1, 1)
    maximum = datetime.date(2100, 12, 31)

    def clean(self, fld, raw):
        if isinstance(raw, datetime.datetime):
            raw = raw.date()
        if isinstance(raw, datetime.date):
            value = raw
        else:
            text = str(raw).strip()
            for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
                try:
                    value = datetime.datetime.strptime(text, fmt).date()
                    break
                except ValueError:
                    pass
            else:
                raise NumberFormatError("không phải ngày hợp lệ (dd/mm/yyyy)")
        if not self.minimum <= value <= self.maximum:
            raise NumberFormatError(f"phải từ {self.minimum:%d/%m/%Y} đến {self.maximum:%d/%m/%Y}")
        return value

    def display(self, fld, value):
        return self.form_value(fld, value)

    def form_value(self, fld, value):
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y") if isinstance(value, str) else value

    def form_field(self, fld, *, required=False):
        return forms.CharField(label=fld.label, required=required, max_length=40,
                               widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}))

    def cell_value(self, fld, value):
        return datetime.date.fromisoformat(value)

    def validation(self, fld):
        return DataValidation(type="date", operator="greaterThan", formula1="1")

    def sample(self, fld, rng, level):
        return "2025-12-15"


class YesNoKind(FieldKind):
    """Có/Không; typed as any of ``YES_WORDS`` / ``NO_WORDS``, shown as Có/Không."""

    kind = "yes_no"
    label = "Có/Không"
    form_choices = [("", "—"), ("co", YES), ("khong", NO)]

    def clean(self, fld, raw):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str):
            text = raw.strip().lower()
            if text in YES_WORDS:
                return True
            if text in NO_WORDS:
                return False
        raise NumberFormatError("phải là Có hoặc Không")

    def display(self, fld, value):
        return YES if value else NO

    def form_value(self, fld, value):
        return "co" if value else "khong"

    def form_field(self, fld, *, required=False):
        return forms.ChoiceField(label=fld.label, required=required, choices=self.form_choices)

    def cell_value(self, fld, value):
        return YES if value else NO

    def from_cell(self, fld, text):
        return {YES.lower(): "co", NO.lower(): "khong"}.get(text.lower(), text)

    def validation(self, fld):
        return DataValidation(type="list", formula1=f'"{YES},{NO}"')

    def sample(self, fld, rng, level):
        return rng.random() < level


class ChoiceKind(FieldKind):
    """One of the field's own choices, typed as its value or its words."""

    kind = "choice"
    label = "Lựa chọn"

    def clean(self, fld, raw):
        text = str(raw).strip()
        allowed = fld.choice_labels
        if text in allowed:
            return text
        for value, label in fld.choices:
            if label.lower() == text.lower():
                return value
        raise NumberFormatError(f"không phải một lựa chọn hợp lệ ({'; '.join(allowed.values())})")

    def display(self, fld, value):
        return fld.choice_labels.get(value, value)

    def form_field(self, fld, *, required=False):
        return forms.ChoiceField(label=fld.label, required=required, choices=[("", "—"), *fld.choices])

    def cell_value(self, fld, value):
        return fld.choice_labels.get(value, value)

    def validation(self, fld):
        return DataValidation(type="list", formula1='"' + ",".join(label for _, label in fld.choices) + '"')

    def sample(self, fld, rng, level):
        return rng.choice(fld.choices)[0]


class TextKind(FieldKind):
    kind = "text"
    label = "Văn bản"

    def clean(self, fld, raw):
        text = str(raw)
        if len(text) > MAX_TEXT:
            raise NumberFormatError(f"dài quá {MAX_TEXT} ký tự")
        return text

    def form_field(self, fld, *, required=False):
        return forms.CharField(label=fld.label, required=required, max_length=MAX_TEXT,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def validation(self, fld):
        return DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT))

    def sample(self, fld, rng, level):
        return "Có báo cáo kèm theo."


KINDS = {}


def register(cls):
    KINDS[cls.kind] = cls()
    return cls


for _cls in (CountKind, PercentKind, MoneyKind, DateKind, YesNoKind, ChoiceKind, TextKind):
    register(_cls)

#: name -> Vietnamese label, in the order the text form lists them (the database's choices).
FIELD_KINDS = {name: KINDS[name].label for name in ("count", "percent", "money", "date", "yes_no", "choice", "text")}
NUMERIC = tuple(name for name, kind in KINDS.items() if kind.numeric)


def kind_of(fld) -> FieldKind:
    return KINDS[fld.kind]


def excel_validation(fld):
    """The data validation of a field's input cell, with a message naming the field."""
    rule = kind_of(fld).validation(fld)
    rule.error = f"Giá trị không hợp lệ cho “{fld.label}”."
    rule.errorTitle = "Số liệu không hợp lệ"
    rule.showErrorMessage = True
    return rule


def clean(fld, raw):
    """One raw value of ``fld`` as the engine's typed value, or NumberFormatError."""
    return KINDS[fld.kind].clean(fld, raw)


def stored_value(value):
    """A typed value as JSON: exact decimal text, booleans, ISO dates."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def display(fld, value):
    """A stored value as people read it; "(trống)" when there is none; as stored if it no longer reads."""
    if value is None or value == "":
        return "(trống)"
    try:
        return kind_of(fld).display(fld, value)
    except (NumberFormatError, ArithmeticError, ValueError, TypeError):
        return str(value)


def form_value(fld, value):
    """A stored value as its form input shows it (the way the user typed it)."""
    if value is None:
        return ""
    try:
        return kind_of(fld).form_value(fld, value)
    except (NumberFormatError, ArithmeticError, ValueError, TypeError):
        return str(value)


def cell_value(fld, value):
    """A stored value as the value of its Excel cell (a number cell for numbers, a date cell for dates).

    A value stored before the ranges existed (a 310-digit figure, text that is no number) is
    written as text rather than breaking the download for everyone."""
    if value in (None, ""):
        return None
    try:
        shown = kind_of(fld).cell_value(fld, value)
    except (NumberFormatError, ArithmeticError, ValueError, TypeError):
        return str(value)
    if isinstance(shown, int | float) and not isinstance(shown, bool) and not abs(shown) < EXCEL_MAX:
        return _stored_as_text(value)
    return shown


EXCEL_MAX = 10**15  # a spreadsheet cell holds 15 significant digits


def _stored_as_text(value):
    try:
        return vn(parse_number(value))
    except (NumberFormatError, ArithmeticError, ValueError, TypeError):
        return str(value)


def from_cell(fld, value):
    """An Excel cell's value as raw input for ``clean``; ``fld`` may be None (a cell that is not a figure)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")  # the shortest text that is this float, never binary noise
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    return kind_of(fld).from_cell(fld, text) if fld is not None else text
