"""Decimal helpers shared by the engine, the forms and the documents.

Points never touch a float. Rounding is half-up, as official tables round.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(0, 9)}


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(_QUANTA[places], rounding=ROUND_HALF_UP)


def truncate(value: Decimal, places: int) -> Decimal:
    """Cut, never round up: a ratio just under a threshold must not print as the threshold."""
    return value.quantize(_QUANTA[places], rounding=ROUND_DOWN)


def fixed(value, places: int, *, none=None):
    """Exactly ``places`` decimals with a dot, rounded half-up: "2.60". The one formatter for
    documents, JSON and exports; ``vn`` is the one for people. ``None`` gives ``none``."""
    if value is None:
        return none
    return format(round_half_up(value, places), "f")


def plain(value: Decimal) -> str:
    """Shortest exact text with a dot: Decimal('3.00') -> '3', Decimal('2.50') -> '2.5'."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def vn(value, places: int | None = None) -> str:
    """Vietnamese number text: 2,87; 1.234.567; 0,998.

    With ``places`` the value is shown with exactly that many decimals (it is
    expected to be rounded already); without, trailing zeros are dropped.
    """
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(value)
    text = format(value, f",.{places}f") if places is not None else format(value.normalize(), ",f")
    if "." in text and places is None:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


class NumberFormatError(ValueError):
    pass


def parse_number(raw, *, integer=False) -> Decimal:
    """Read a number as a Vietnamese user or a JSON file writes it.

    ``"2,87"`` and ``"2.87"`` both mean 2.87; ``"1.234.567"`` and ``"1 234 567"``
    mean 1234567. For whole-number fields a lone dot is a thousands separator
    (``"1.234"`` is 1234), which is how the official forms print counts.
    Floats are refused: they would carry binary noise into a score.
    """
    kind = type(raw)
    if kind is Decimal:
        value = raw
    elif kind is int:
        value = Decimal(raw)
    elif kind is bool or kind is float:
        raise NumberFormatError("không phải là số hợp lệ")
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            raise NumberFormatError("chưa nhập")
        if text.endswith("%"):
            text = text[:-1]
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif integer or text.count(".") > 1:
            parts = text.split(".")
            if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
                text = "".join(parts)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise NumberFormatError("không phải là số hợp lệ") from None
    if not value.is_finite():
        raise NumberFormatError("không phải là số hợp lệ")
    if integer and value != value.to_integral_value():
        raise NumberFormatError("phải là số nguyên")
    return value
