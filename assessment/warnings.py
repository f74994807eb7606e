"""Warnings, not errors: a figure that is possible but far from what the unit reported last
year, or from the other figures of the same criterion, is probably a typo (an extra zero).
The hard range of each field kind is an error decided by the engine; these only ask the
user to look again, and never block saving or submitting."""

from decimal import Decimal, InvalidOperation

from criteria.forms import field_name
from criteria.numbers import parse_number, vn

from .models import Answer

NUMERIC = ("count", "money")
FAR = Decimal(10)          # ten times more or less than last year
FAR_RELATED = Decimal(100)  # a hundred times more than a related figure


def _number(value):
    if value in (None, ""):
        return None
    try:
        return parse_number(value)
    except (ValueError, TypeError, InvalidOperation):
        return None


def last_year_values(assessment):
    """{(criterion code, field key): value} from the unit's form of the latest earlier period."""
    rows = (Answer.objects.filter(assessment__unit_id=assessment.unit_id,
                                  assessment__period__year__lt=assessment.period.year)
            .order_by("-assessment__period__year").values_list("assessment__period__year", "criterion__code",
                                                              "values"))
    found, year = {}, None
    for y, code, values in rows:
        if year is None:
            year = y
        if y != year:
            break
        for key, value in (values or {}).items():
            found[(code, key)] = value
    return found, year


def figure_warnings(scheme, values_by_code, last_year, year, *, prefix="f"):
    """{input name: message} for figures far from last year's or from their related figures."""
    warnings = {}
    for code, values in values_by_code.items():
        node = scheme.by_code.get(code)
        if node is None:
            continue
        numbers = {f.key: _number(values.get(f.key)) for f in node.fields if f.kind in NUMERIC}
        for fld in node.fields:
            now = numbers.get(fld.key)
            if now is None:
                continue
            before = _number(last_year.get((code, fld.key)))
            if before and now and (now / before >= FAR or before / now >= FAR):
                warnings[field_name(fld.key, prefix)] = (
                    f"Lưu ý: “{fld.label}” là {vn(now)}, khác xa năm {year} ({vn(before)}). "
                    "Hãy kiểm tra lại; nếu đúng thì cứ lưu.")
                continue
            related = [(other, numbers[other.key]) for other in node.fields
                       if other.key != fld.key and numbers.get(other.key)]
            for other, value in related:
                if now / value >= FAR_RELATED:
                    warnings[field_name(fld.key, prefix)] = (
                        f"Lưu ý: “{fld.label}” ({vn(now)}) lớn gấp hơn {vn(FAR_RELATED)} lần "
                        f"“{other.label}” ({vn(value)}). Hãy kiểm tra lại; nếu đúng thì cứ lưu.")
                    break
    return warnings
