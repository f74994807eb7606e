from django import template

from assessment.history import _show

register = template.Library()


@register.simple_tag
def evidence_value(values, fld):
    """A stored evidence value as people read it (1.000; 78,5; Có; the choice's words)."""
    if not values or fld.key not in values:
        return "—"
    return _show(values.get(fld.key), fld)


@register.filter
def duration(delta):
    """A waiting time in days and hours: '3 ngày 4 giờ'."""
    if delta is None:
        return ""
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    return f"{days} ngày {hours} giờ" if days else f"{hours} giờ"
