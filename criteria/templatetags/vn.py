from django import template

from criteria.numbers import vn as vn_number

register = template.Library()


@register.filter
def vn(value, places=None):
    """Vietnamese number: {{ x|vn }} -> 2,5; {{ x|vn:2 }} -> 2,50."""
    if value is None or value == "":
        return ""
    return vn_number(value, None if places in (None, "") else int(places))


@register.filter
def rule_lines(node, scheme):
    """The rule of a criterion explained in Vietnamese: {{ node|rule_lines:scheme }}."""
    return node.describe(scheme.fields)
