"""Small bar charts as inline SVG, drawn on the server: no chart library, nothing from the Internet."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from criteria.numbers import vn


def bars(items, *, unit="", total=None, width=520, bar=22):
    """Horizontal bars: [(label, value)]. With ``total``, each bar also shows its share."""
    if not items:
        return ""
    top = max([Decimal(v) for _, v in items] + [Decimal(total or 0), Decimal(1)])
    label_w, height = 150, len(items) * (bar + 8) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="chart">']
    for i, (label, value) in enumerate(items):
        y = 8 + i * (bar + 8)
        length = int((width - label_w - 90) * Decimal(value) / top)
        text = f"{vn(value)} {unit}".strip()
        if total:
            text += f" ({vn((Decimal(value) * 100 / total).quantize(Decimal('0.1')))}%)"
        parts.append(f'<text x="{label_w - 6}" y="{y + bar - 6}" text-anchor="end">{escape(label)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{max(length, 1)}" height="{bar}" fill="#0b4f8a"/>'
                     f'<text x="{label_w + length + 6}" y="{y + bar - 6}">{escape(text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label went through escape()


def paired(items, *, width=620, bar=10):
    """Self score against verified score per unit: [(label, self, verified)], two bars each."""
    if not items:
        return ""
    top = max([Decimal(a) for _, a, _ in items] + [Decimal(b) for _, _, b in items] + [Decimal(1)])
    label_w, row = 230, 2 * bar + 10
    height = len(items) * row + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="chart">',
             f'<rect x="{label_w}" y="4" width="10" height="10" fill="#b26b00"/>'
             f'<text x="{label_w + 14}" y="13">Tự đánh giá</text>'
             f'<rect x="{label_w + 110}" y="4" width="10" height="10" fill="#0b4f8a"/>'
             f'<text x="{label_w + 124}" y="13">Thẩm định</text>']
    for i, (label, own, verified) in enumerate(items):
        y = 24 + i * row
        scale = (width - label_w - 70) / top
        a, b = int(Decimal(own) * scale), int(Decimal(verified) * scale)
        parts.append(f'<text x="{label_w - 6}" y="{y + bar + 3}" text-anchor="end">{escape(label[:34])}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{max(a, 1)}" height="{bar}" fill="#b26b00"/>'
                     f'<text x="{label_w + a + 4}" y="{y + bar - 1}" font-size="10">{vn(Decimal(own))}</text>'
                     f'<rect x="{label_w}" y="{y + bar}" width="{max(b, 1)}" height="{bar}" fill="#0b4f8a"/>'
                     f'<text x="{label_w + b + 4}" y="{y + 2 * bar - 1}" font-size="10">{vn(Decimal(verified))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label went through escape()


def line(points, *, width=520, height=200, unit="%"):
    """A line over periods: [(label, value or None, note)], values from 0 to 100."""
    points = [p for p in points if p[1] is not None]
    if not points:
        return ""
    left, right, top, bottom = 40, 20, 16, 36
    span = max(len(points) - 1, 1)
    def x(i):
        return left + (width - left - right) * i / span
    def y(v):
        return top + (height - top - bottom) * (1 - float(v) / 100)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="chart">']
    for level in (0, 50, 100):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(level):.1f}" y2="{y(level):.1f}" stroke="#c9d1d9"/>'
                     f'<text x="{left - 6}" y="{y(level) + 4:.1f}" text-anchor="end">{level}{unit}</text>')
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, (_, v, _) in enumerate(points))
    parts.append(f'<path d="{path}" fill="none" stroke="#0b4f8a" stroke-width="2"/>')
    for i, (label, value, note) in enumerate(points):
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="4" fill="#0b4f8a"/>'
                     f'<text x="{x(i):.1f}" y="{y(value) - 8:.1f}" text-anchor="middle">{escape(note)}</text>'
                     f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label went through escape()
