from django import template

from reports.formats import number

register = template.Library()

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@register.filter
def num(value):
    return number(value)


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key, "")


@register.filter
def roman(value):
    return ROMAN[int(value) - 1] if 0 < int(value) <= len(ROMAN) else str(value)
