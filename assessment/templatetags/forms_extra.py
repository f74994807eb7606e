from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from assessment.roles import Role, has_role
from criteria.fields import display

register = template.Library()


@register.simple_tag
def evidence_value(values, fld):
    """A stored evidence value as people read it (1.000; 78,5; Có; the choice's words)."""
    if not values or fld.key not in values:
        return "—"
    return display(fld, values.get(fld.key))


@register.filter
def duration(delta):
    """A waiting time in days and hours: '3 ngày 4 giờ'."""
    if delta is None:
        return ""
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    return f"{days} ngày {hours} giờ" if days else f"{hours} giờ"


def _attrs(attrs):
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", key))
        elif value not in (False, None):
            parts.append(format_html(' {}="{}"', key, value))
    return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html


@register.simple_tag
def widget(bf):
    """A form input as HTML, written directly. The form pages carry a few hundred inputs and
    Django renders each widget through a template of its own, which made the page the slowest
    thing users do; the HTML is the same as Django's widgets give."""
    w = bf.field.widget
    attrs = {**w.attrs, **bf.build_widget_attrs({}, w), "id": bf.auto_id}
    if bf.errors:
        attrs["aria-invalid"] = "true"
    value = bf.value()
    if isinstance(w, forms.Select):
        chosen = str(value) if value is not None else ""
        options = format_html_join("", '<option value="{}"{}>{}</option>',
                                   ((v, mark_safe(" selected") if str(v) == chosen else "", label)
                                    for v, label in w.choices))
        return format_html('<select name="{}"{}>{}</select>', bf.html_name, _attrs(attrs), options)
    if isinstance(w, forms.CheckboxInput):
        attrs["checked"] = bool(value)
        return format_html('<input type="checkbox" name="{}"{}>', bf.html_name, _attrs(attrs))
    text = w.format_value(value)
    if isinstance(w, forms.Textarea):
        return format_html('<textarea name="{}"{}>\n{}</textarea>', bf.html_name, _attrs(attrs), text or "")
    kind = "hidden" if isinstance(w, forms.HiddenInput) else "text"
    return format_html('<input type="{}" name="{}" value="{}"{}>', kind, bf.html_name, text or "", _attrs(attrs))


@register.simple_tag
def labelled(bf):
    """An input inside its label, with its errors after it."""
    errors = format_html_join("", '<span class="field-error">{}</span>', ((e,) for e in bf.errors))
    return format_html("<label>{}{}</label>{}", bf.label, widget(bf), errors)


@register.filter
def is_reviewer(user):
    """For the header's "Phiếu của tôi" link."""
    return has_role(user, Role.REVIEWER)
