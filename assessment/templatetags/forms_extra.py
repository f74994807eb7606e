import html
import re

from django import forms, template
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


def _e(value):
    """Escape for HTML text and attribute values (the same characters Django's escape handles)."""
    return html.escape(str(value), quote=True).replace("&#x27;", "&#39;")


def _attrs(attrs):
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {_e(key)}")
        elif value not in (False, None):
            parts.append(f' {_e(key)}="{_e(value)}"')
    return "".join(parts)


_DEVELOPER_NOTE = re.compile(r"\s*\((?:xem |see )?docs/[^)]*\)|\s*\(seed \d+[^)]*\)|\s*seed \d{3}\b", re.I)


@register.filter
def public_note(text):
    """A criterion's note without the developers' references ("xem docs/…", "seed 004"), which
    mean nothing to the people filling the form."""
    return _DEVELOPER_NOTE.sub("", text or "").strip()


@register.simple_tag
def widget(bf, describedby=""):
    """A form input as HTML, written directly. The form pages carry a few hundred inputs and
    Django renders each widget through a template of its own, which made the page the slowest
    thing users do; the HTML is the same as Django's widgets give."""
    w = bf.field.widget
    attrs = {**w.attrs, **bf.build_widget_attrs({}, w), "id": bf.auto_id}
    if bf.errors:
        attrs["aria-invalid"] = "true"
    if describedby:
        attrs["aria-describedby"] = describedby
    value = bf.value()
    # Plain string building (every value escaped by _e): format_html per attribute and option
    # was most of the page's time with 200 criteria.
    if isinstance(w, forms.Select):
        chosen = str(value) if value is not None else ""
        options = "".join(f'<option value="{_e(v)}"{" selected" if str(v) == chosen else ""}>{_e(label)}</option>'
                          for v, label in w.choices)
        return mark_safe(f'<select name="{_e(bf.html_name)}"{_attrs(attrs)}>{options}</select>')  # noqa: S308
    if isinstance(w, forms.CheckboxInput):
        attrs["checked"] = bool(value)
        return mark_safe(f'<input type="checkbox" name="{_e(bf.html_name)}"{_attrs(attrs)}>')  # noqa: S308
    text = w.format_value(value)
    if isinstance(w, forms.Textarea):
        return mark_safe(f'<textarea name="{_e(bf.html_name)}"{_attrs(attrs)}>\n{_e(text or "")}</textarea>')  # noqa: S308
    kind = "hidden" if isinstance(w, forms.HiddenInput) else "text"
    return mark_safe(f'<input type="{kind}" name="{_e(bf.html_name)}" value="{_e(text or "")}"'  # noqa: S308
                     f'{_attrs(attrs)}>')


@register.simple_tag
def labelled(bf, warning=""):
    """An input inside its label, with its errors (and a warning, which does not block) after
    it, each pointed at by the input's aria-describedby."""
    described = []
    notes = []
    if bf.help_text:
        notes.append(f'<span class="muted provenance">{_e(bf.help_text)}</span>')
    if bf.errors:
        described.append(f"err-{bf.auto_id}")
        notes.append(f'<span class="field-error" id="err-{_e(bf.auto_id)}">'
                     f'{_e(" ".join(str(e) for e in bf.errors))}</span>')
    if warning:
        described.append(f"warn-{bf.auto_id}")
        notes.append(f'<span class="field-warning" id="warn-{_e(bf.auto_id)}">{_e(warning)}</span>')
    return mark_safe(f"<label>{_e(bf.label)}{widget(bf, ' '.join(described))}</label>"  # noqa: S308 - all escaped
                     + "".join(notes))


@register.filter
def is_reviewer(user):
    """For the header's "Phiếu của tôi" link."""
    return has_role(user, Role.REVIEWER)
