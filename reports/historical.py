"""Past published result tables: read them, match their units, keep them exactly as published,
and audit them against the criteria set's own rules.

A table is a CSV or .xlsx with a header row: the rank ("Xếp hạng" or "STT"), the unit ("Đơn vị"),
one column per top-level criterion of the set (its code: I, II…, TC1…), and where printed the
total ("Tổng điểm"), the headline figure ("Chỉ số" / "Điểm đánh giá"), the class ("Xếp loại") and
whether the unit handles administrative procedures ("Có TTHC": Có/Không).
"""

import csv
import difflib
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from criteria.numbers import NumberFormatError, parse_number, round_half_up, vn

RANK = ("xếp hạng", "hạng", "thứ hạng")  # "STT" only numbers the rows: a list in that order is not a ranking
UNIT = ("đơn vị", "tên đơn vị", "cơ quan")
TOTAL = ("tổng điểm", "tổng")
FIGURE = ("chỉ số", "điểm đánh giá", "kết quả")
CLASS = ("xếp loại", "phân loại")
PROCEDURES = ("có tthc",)
ABBREVIATIONS = {"tbxh": "thương binh và xã hội", "ptnt": "phát triển nông thôn", "ubnd": "ủy ban nhân dân",
                 "kcn": "khu công nghiệp", "vhttdl": "văn hóa thể thao và du lịch", "tttt": "thông tin và truyền thông",
                 "khcn": "khoa học và công nghệ", "gtvt": "giao thông vận tải", "lđ": "lao động"}


class TableError(ValidationError):
    """The table cannot be read (every reason, in Vietnamese: ``.messages``)."""


@dataclass
class Row:
    line: int
    rank: str
    name: str
    groups: dict
    total: str
    figure: str
    classification: str
    has_procedures: bool = True
    problems: list = field(default_factory=list)


def normalise(name, *, expand=False):
    """Comparable form of a unit name: NFC, lower case, no punctuation, 'hoá'/'hóa' alike; with
    ``expand``, abbreviations spelled out (TBXH, PTNT…)."""
    text = unicodedata.normalize("NFC", name).lower().replace("hoá", "hóa").replace("uỷ", "ủy")
    text = re.sub(r"[–—\-,.()]", " ", text)
    words = [ABBREVIATIONS.get(w, w) if expand else w for w in text.split()]
    return " ".join(" ".join(words).split())


def _decimal(text, where):
    try:
        return parse_number(text) if text not in (None, "") else None
    except NumberFormatError as exc:
        raise TableError([f"{where}: {exc} (giá trị: {text})"]) from exc


def read_table(data, name, scheme):
    """Rows of a published table, numbers kept as printed (decimal text with a dot)."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        lines = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TableError([f"Tệp “{name}” không phải văn bản UTF-8."]) from exc
        lines = list(csv.reader(io.StringIO(text)))
    if not lines:
        raise TableError([f"Tệp “{name}” trống."])
    header = [h.strip() for h in lines[0]]
    lower = [h.lower() for h in header]

    def find(names):
        return next((i for i, h in enumerate(lower) if h in names), None)

    columns = {"rank": find(RANK), "unit": find(UNIT), "total": find(TOTAL), "figure": find(FIGURE),
               "class": find(CLASS), "procedures": find(PROCEDURES)}
    groups = {n.code: header.index(n.code) for n in scheme.nodes if n.code in header}
    problems = []
    if columns["unit"] is None:
        problems.append(f"Tệp “{name}”: thiếu cột “Đơn vị”.")
    if not groups:
        problems.append(f"Tệp “{name}”: không có cột nào mang mã nhóm tiêu chí của bộ {scheme.code} "
                        f"({', '.join(n.code for n in scheme.nodes)}).")
    if problems:
        raise TableError(problems)
    rows = []
    for number, cells in enumerate(lines[1:], 2):
        if not any(c.strip() for c in cells):
            continue

        def cell(key, cells=cells):
            index = columns[key]
            return cells[index].strip() if index is not None and index < len(cells) else ""

        where = f"Dòng {number}"
        points = {}
        for code, index in groups.items():
            value = _decimal(cells[index].strip() if index < len(cells) else "", f"{where}, cột {code}")
            points[code] = None if value is None else format(value, "f")
        total = _decimal(cell("total"), f"{where}, cột Tổng điểm")
        if total is None and len(points) == 1:
            total = Decimal(next(iter(points.values())) or "0")
        figure = _decimal(cell("figure"), f"{where}, cột {header[columns['figure']] if columns['figure'] is not None else ''}")
        procedures = cell("procedures").lower()
        rows.append(Row(line=number, rank=cell("rank"), name=unicodedata.normalize("NFC", cell("unit")), groups=points,
                        total=format(total, "f") if total is not None else "",
                        figure=format(figure, "f") if figure is not None else "",
                        classification=cell("class"), has_procedures=procedures not in ("không", "khong", "0")))
    return rows


def match_units(names, units):
    """For each name: ("exact", unit), ("near", unit, similarity %) for a likely match a person must
    confirm, or ("new", None) when nothing is close."""
    units = list(units)
    exact = {normalise(u.name): u for u in units}
    index = {normalise(u.name, expand=True): u for u in units}
    keys = list(index)
    result = {}
    for name in names:
        if normalise(name) in exact:
            result[name] = ("exact", exact[normalise(name)], 100)
            continue
        key = normalise(name, expand=True)  # an abbreviation is a likely match, still for a person to confirm
        best = difflib.get_close_matches(key, keys, n=1, cutoff=0.75)
        if best:
            ratio = int(difflib.SequenceMatcher(None, key, best[0]).ratio() * 100)
            result[name] = ("near", index[best[0]], ratio)
        else:
            result[name] = ("new", None, 0)
    return result


def applicable_max(scheme, has_procedures):
    """The maximum a unit can reach: the top-level groups that apply to it."""
    return sum((n.assessed_max or 0 for n in scheme.nodes if not n.is_deduction and n.applies(has_procedures)),
               Decimal(0))


def audit(scheme, rows):
    """Every disagreement between the table and the set's rules, as (line, unit, what, published, by the rules)."""
    findings = []
    maxima = {n.code: n for n in scheme.nodes}
    for row in rows:
        total = Decimal(0)
        for code, text in row.groups.items():
            if text is None:
                continue
            value = Decimal(text)
            total += value
            node = maxima[code]
            top = node.assessed_max if node.applies(row.has_procedures) else Decimal(0)
            if top is not None and value > top:
                findings.append((row.line, row.name, f"điểm nhóm {code} vượt điểm tối đa", vn(value), f"≤ {vn(top)}"))
        total = round_half_up(total, scheme.points_places)
        if row.total and Decimal(row.total) != total:
            findings.append((row.line, row.name, "tổng điểm khác tổng các nhóm", vn(Decimal(row.total)), vn(total)))
        published_total = Decimal(row.total) if row.total else total
        applicable = applicable_max(scheme, row.has_procedures)
        expected = scheme.headline_figure(published_total, applicable)
        figure = Decimal(row.figure) if row.figure else expected
        if row.figure and figure != expected:
            findings.append((row.line, row.name, "chỉ tiêu xếp hạng không khớp tổng điểm", vn(figure), vn(expected)))
        band = scheme.classify(figure)
        if row.classification and band is not None and band.label != row.classification:
            findings.append((row.line, row.name, f"xếp loại không đúng mức ({band.describe()})", row.classification,
                             band.label))
        row.figure_value = figure
    ranked = sorted((r for r in rows if r.rank.isdigit()), key=lambda r: int(r.rank))
    for a, b in itertools.pairwise(ranked):
        if a.figure_value < b.figure_value:
            findings.append((b.line, b.name, "thứ hạng ngược thứ tự điểm", f"hạng {b.rank} ({vn(b.figure_value)})",
                             f"trên {a.name} (hạng {a.rank}, {vn(a.figure_value)})"))
        elif a.figure_value == b.figure_value and a.rank != b.rank:
            findings.append((b.line, b.name, "bằng điểm nhưng khác hạng", f"hạng {b.rank}",
                             f"đồng hạng {a.rank} với {a.name}"))
    return findings


def import_table(rows, scheme, criteria_set, *, block, year, name, meta, units, by):
    """Record a past table as a closed period with one publication whose figures are exactly as
    printed; ``units`` maps each row's name to its Unit (matched or newly created by the caller).
    Returns the publication; its document carries the audit findings."""
    import datetime

    from django.db import transaction

    from assessment.models import Period, PeriodCriteriaSet

    from .models import Publication, sha256
    from .render import render_pdf, render_xlsx
    from .snapshot import block_document, content_hash

    findings = audit(scheme, rows)
    document_rows = []
    for row in rows:
        unit = units[row.name]
        applicable = applicable_max(scheme, row.has_procedures)
        document_rows.append({
            "unit_code": unit.code, "unit_name": row.name, "voluntary": False, "has_procedures": row.has_procedures,
            "groups": {k: v for k, v in row.groups.items() if v is not None}, "deductions": "0",
            "total": row.total, "max": format(applicable, "f"), "score": format(row.figure_value, "f"),
            "self_total": row.total, "self_score": format(row.figure_value, "f"),
            "classification": row.classification, "reason": "", "criteria": {}, "self_criteria": {},
            "strengths": "", "weaknesses": "", "days_late": 0, "approved_by": "",
            "rank": int(row.rank) if row.rank.isdigit() else None, "group_ranks": {}})
    date = datetime.date.fromisoformat(meta["date"])
    document = {
        "period": {"name": name, "year": year},
        "meta": meta,
        "blocks": [block_document(block, scheme, document_rows, rank=False)],
        "supersedes": None,
        "imported": {"note": "Số liệu nhập từ bảng kết quả đã công bố, giữ nguyên như văn bản gốc.",
                     "audit": [list(f) for f in findings]},
    }
    with transaction.atomic():
        period = Period.objects.create(year=year, name=name, opens_on=date, deadline=date, data_cutoff=date,
                                       status=Period.Status.CLOSED)
        PeriodCriteriaSet.objects.create(period=period, block=block, criteria_set=criteria_set)
        period.participants.set(set(units.values()))
        criteria_set.freeze()
        document["period"]["id"] = period.pk
        digest = content_hash(document)
        pdf = render_pdf(document, digest)
        return Publication.objects.create(period=period, version=1, document=document, content_hash=digest, pdf=pdf,
                                          pdf_sha256=sha256(pdf), xlsx=render_xlsx(document, digest), published_by=by)
