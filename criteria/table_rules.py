"""Scoring text of an official table -> a structured rule, where it follows a known pattern.

The patterns are those provinces print (QĐ 3299/QĐ-UBND Lào Cai and the DTI
tables since 2022):

* threshold-linear: "100% trở lên: 3; Từ 80% - dưới 100%: [tỷ lệ % × điểm tối
  đa / 100%]; Dưới 80%: 0" -> ``ratio`` over a percentage;
* ratio: "Tỷ lệ = a / b; Điểm = Tỷ lệ × Điểm tối đa" -> ``ratio`` over two counts;
* count steps: "Từ 4 lần trở lên: 20; 3 lần: 15; …" -> ``count_steps``;
* yes/no: "Có: 2; Không: 0" -> ``yes_no``;
* choice levels: "Chủ tịch: tối đa; Phó Chủ tịch: 1/2 × tối đa; Chưa có: 0"
  -> ``choice``;
* deductions ("mỗi ngày … trừ 0,5 điểm") and Lào Cai's substitute for units
  without administrative procedures.

Clerks' spellings are tolerated: ≥ and <, "trở lên", "từ … đến dưới …",
x/×/*, decimal commas, "%" with or without a space, stray brackets. A text
that fits none of them stays a ``manual`` criterion whose printed text is the
scoring method shown to the unit and the reviewer. Every recognised rule
comes with the evidence fields it needs, labelled from the text.
"""

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from units.naming import fold

from .numbers import NumberFormatError, parse_number, plain, vn

NUM = r"(\d+(?:[.,]\d+)?)"
PCT = re.compile(NUM + r"\s*\)?\s*%")
TIMES = r"(?<![a-zà-ỹ])(?:x|×|\*)"
FORMULA = re.compile(
    TIMES + r"\s*(?:điểm\s*tối\s*đa|tối\s*đa|" + NUM + r")\s*\)?\s*\]?\s*/\s*\(?\s*" + NUM + r"\s*\)?\s*%?",
    re.IGNORECASE)
RATE_TIMES_MAX = re.compile(r"điểm\s*(?:đạt được\s*)?=\s*t[ỷỉ]\s*lệ\s*(?:%\s*)?" + TIMES + r"\s*(?:điểm\s*)?tối\s*đa",
                            re.IGNORECASE)
RATIO_DEF = re.compile(r"^t[ỷỉ]\s*lệ(?:\s*\(%\))?\s*=\s*(.+?)\s*/\s*(.+?)(?:\s*" + TIMES + r"\s*100\s*%?)?\s*\.?$",
                       re.IGNORECASE)
SUBSTITUTE = re.compile(r"t[ỷỉ]\s*lệ\s*điểm\s*đạt\s*được\s*(?:của)?\s*(.+?)\s*" + TIMES
                        + r"\s*tổng\s*điểm\s*tối\s*đa\s*(?:của)?\s*\[(.+?)\]", re.IGNORECASE)
EVIDENCE_MARKERS = ("thong tin kiem chung", "thong tin cung cap", "so lieu kiem chung", "thong tin bo sung")


def _num(text):
    return parse_number(text.replace(" ", ""))


@dataclass
class Outcome:
    rule: dict
    reading: str
    fields: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    note: str = ""
    warnings: list = field(default_factory=list)
    deduction: bool = False
    applies_to: str = ""
    method: str = ""  # the scoring lines as printed (evidence lines and notes go elsewhere)


class _NoMatch(Exception):
    pass


# --- pieces of a line -----------------------------------------------------

def points_of(line, maximum):
    """Split "condition: points" -> (condition, points or None, had a points part).

    Points may be a number ("2", "0,5", "2 điểm"), "tối đa", "1/2 × tối đa" or
    "0,5 × tối đa". A line whose last part is not points gives (line, None, False).
    """
    text = line.strip().rstrip(".;")
    head, sep, tail = text.rpartition(":")
    if not sep:
        match = re.match(r"^(.*?)[\s:]+" + NUM + r"\s*điểm$", text, re.IGNORECASE)
        if match:
            return match.group(1).strip(), _num(match.group(2)), True
        return text, None, False
    tail = re.sub(r"\s*\(.*\)\s*$", "", tail.strip()).strip().rstrip(".")
    folded = fold(tail)
    if not folded:
        return head.strip(), None, True
    match = re.fullmatch(NUM + r"\s*(?:diem|d)?", folded)
    if match:
        return head.strip(), _num(match.group(1)), True
    if maximum is not None:
        if re.fullmatch(r"(?:diem\s*)?toi da", folded):
            return head.strip(), maximum, True
        match = re.fullmatch(r"(\d+)\s*/\s*(\d+)\s*(?:x|×|\*)?\s*(?:diem\s*)?toi da", folded)
        if match and int(match.group(2)):
            return head.strip(), maximum * Decimal(match.group(1)) / Decimal(match.group(2)), True
        match = re.fullmatch(NUM + r"\s*(?:x|×|\*)\s*(?:diem\s*)?toi da", folded)
        if match:
            return head.strip(), maximum * _num(match.group(1)), True
    return text, None, False


def _is_below(text):
    folded = fold(text)
    return folded.startswith(("duoi", "<", "nho hon", "it hon")) or re.search(r"(?:^|\W)(duoi|<)\s*\d", folded) is not None


def _is_negative(text):
    folded = fold(text)
    return folded.startswith(("khong", "chua", "0 ")) or folded in ("khong", "chua co")


# --- the evidence part ------------------------------------------------------

def split_text(lines):
    """Scoring lines, evidence lines (after "Thông tin kiểm chứng"), notes."""
    scoring, evidence, notes = [], [], []
    mode = scoring
    for _, text in lines:
        folded = fold(text).lstrip("(")
        if folded.startswith("ghi chu"):
            notes.append(text.strip())
            continue
        if folded.startswith(EVIDENCE_MARKERS):
            mode = evidence
            rest = text.split(":", 1)[1].strip() if ":" in text else ""
            if rest:
                evidence.append(rest)
            continue
        mode.append(text.strip())
    return scoring, evidence, notes


class Keys:
    """Unique, readable field keys for a whole set."""

    STOP = {"tong", "so", "luong", "cua", "cac", "duoc", "va", "trong", "ty", "ti", "le", "nhung"}

    def __init__(self, taken):
        self.taken = taken

    def make(self, label, fallback):
        words = [w for w in re.sub(r"[^a-z0-9 ]", " ", fold(label)).split() if w not in self.STOP]
        base = "_".join(words[:4])[:40].strip("_") or fallback
        if not base[0].isalpha():
            base = "f_" + base
        key, n = base, 2
        while key in self.taken:
            key, n = f"{base}_{n}", n + 1
        self.taken.add(key)
        return key


def _evidence_fields(evidence, keys, code):
    fields, documents = [], []
    for text in evidence:
        label = text.strip().rstrip(":").rstrip("….").strip()
        folded = fold(label)
        if not label:
            continue
        if folded.startswith(("tong so", "so luong", "so ", "tong ")):
            kind = "money" if re.search(r"\b(dong|trieu dong|kinh phi)\b", folded) else "count"
            fields.append({"key": keys.make(label, f"c{code}"), "label": label, "kind": kind})
        elif folded.startswith(("ty le", "ti le")):
            fields.append({"key": keys.make(label, f"c{code}"), "label": label, "kind": "percent"})
        else:
            documents.append(label)
    return fields, documents


# --- recognisers ------------------------------------------------------------

def _threshold(node, lines, keys):
    full_at = divisor = zero_at = linear_low = None
    warnings = []
    definition = None
    saw_percent = False
    for line in lines:
        if definition is None and RATIO_DEF.match(line):
            definition = RATIO_DEF.match(line)
            continue
        rate = RATE_TIMES_MAX.search(line)
        formula = FORMULA.search(line)
        if rate or formula:
            if divisor is not None:
                raise _NoMatch
            start = (rate or formula).start()
            before = line[:start]
            if formula:
                divisor = _num(formula.group(2))
                if formula.group(1) and node.max is not None and _num(formula.group(1)) != node.max:
                    warnings.append(f"công thức nhân với {formula.group(1)} nhưng điểm tối đa là {vn(node.max)}")
            else:
                divisor = Decimal(100)
            percents = PCT.findall(before)
            saw_percent = saw_percent or bool(percents) or "%" in line
            below = fold(before).lstrip("(").startswith(("duoi", "<"))
            linear_low = _num(percents[0]) if percents and not below else Decimal(0)
            continue
        head, points, has_points = points_of(line, node.max)
        percents = PCT.findall(head)
        if not percents:
            raise _NoMatch
        saw_percent = True
        value = _num(percents[0])
        if _is_below(head):
            if points not in (None, Decimal(0)):
                raise _NoMatch
            if points is None:
                warnings.append(f"'{line}' không ghi điểm: đọc là 0 điểm")
            zero_at = value
        else:
            if points is None:
                if has_points or node.max is not None:
                    warnings.append(f"'{line}' không ghi điểm: đọc là điểm tối đa")
                else:
                    raise _NoMatch
            elif node.max is not None and points < node.max:
                raise _NoMatch
            elif node.max is not None and points > node.max:
                warnings.append(f"'{line}' ghi {vn(points)} điểm, lớn hơn điểm tối đa {vn(node.max)}: "
                                "tính bằng điểm tối đa")
            if full_at is not None:
                raise _NoMatch
            full_at = value
    if not saw_percent and definition is None:
        raise _NoMatch
    if full_at is None and divisor is None:
        raise _NoMatch
    if full_at is None:
        full_at = min(divisor, Decimal(100))
    if divisor is None:
        divisor = full_at
    zero_below = zero_at if zero_at is not None else (linear_low if linear_low is not None else full_at)
    if divisor <= 0 or not (0 <= zero_below <= full_at <= 100):
        raise _NoMatch
    rule = {"kind": "ratio"}
    fields = []
    if definition is not None:
        num_label = definition.group(1).strip(" ()")
        den_label = definition.group(2).strip(" ()")
        num_key, den_key = keys.make(num_label, f"tu_so_{node.code}"), keys.make(den_label, f"mau_so_{node.code}")
        fields = [{"key": num_key, "label": num_label[:1].upper() + num_label[1:], "kind": "count"},
                  {"key": den_key, "label": den_label[:1].upper() + den_label[1:], "kind": "count"}]
        rule.update(numerator=[num_key], denominator=[den_key])
        subject = f"{fields[0]['label']} / {fields[1]['label']}"
    else:
        label = _percent_label(node, lines)
        key = keys.make(label, f"ty_le_{node.code}")
        fields = [{"key": key, "label": label, "kind": "percent"}]
        rule["percent"] = key
        subject = label
    rule["full_at"] = full_at
    if zero_below:
        rule["zero_below"] = zero_below
    rule["divisor"] = divisor
    reading = f"Tỷ lệ có ngưỡng ({subject}): từ {vn(full_at)}% trở lên → tối đa"
    if zero_below < full_at:
        reading += f"; từ {vn(zero_below)}% → tỷ lệ × {vn(node.max) if node.max is not None else 'tối đa'} / {vn(divisor)}"
    if zero_below:
        reading += f"; dưới {vn(zero_below)}% → 0"
    return rule, fields, reading, warnings


def _percent_label(node, lines):
    title = node.title.strip().rstrip(":.… ")
    if fold(title).startswith(("ty le", "ti le")):
        return f"{title} (%)"
    for line in lines:
        head, _, _ = points_of(line, node.max)
        match = PCT.search(head)
        if match and not _is_below(head):
            rest = head[match.end():].strip(" ,.)")
            rest = re.sub(r"(?i)^trở lên\s*", "", rest)
            rest = re.sub(r"(?i)\btrở lên\b", "", rest).strip(" ,.")
            if len(rest.split()) >= 3 and not FORMULA.search(rest):
                return f"Tỷ lệ % {rest}"
    return f"Tỷ lệ % đạt được: {title}"


def _count_of(head):
    """The first whole number of a condition that is not a percentage ("Từ 02 cuộc họp trở lên")."""
    for match in re.finditer(r"\d+(?:[.,]\d+)?(\s*\)?\s*%)?", head):
        if not match.group(1):
            text = match.group(0)
            if not text.isdigit():
                return None
            return Decimal(int(text))
    return None


def _count_steps(node, lines):
    steps, zero_lines = [], 0
    for line in lines:
        head, points, _ = points_of(line, node.max)
        if points is None:
            raise _NoMatch
        if _is_negative(head) or _is_below(head):
            if points != 0:
                raise _NoMatch
            zero_lines += 1
            continue
        count = _count_of(head)
        if count is None:
            raise _NoMatch
        steps.append((count, points))
    steps = [s for s in steps if s[1] != 0]
    if not steps or (len(steps) == 1 and not zero_lines):
        raise _NoMatch
    steps.sort(key=lambda s: s[0], reverse=True)
    if any(a[0] == b[0] or a[1] < b[1] for a, b in itertools.pairwise(steps)):
        raise _NoMatch
    return steps


def _yes_no(node, lines):
    parsed = [points_of(line, node.max) for line in lines]
    if len(parsed) != 2 or any(p is None for _, p, _ in parsed):
        raise _NoMatch
    negatives = [p for p in parsed if _is_negative(p[0])]
    if len(negatives) != 1 or negatives[0][1] != 0:
        raise _NoMatch
    positive = next(p for p in parsed if p is not negatives[0])
    if positive[1] <= 0 or (node.max is not None and positive[1] > node.max):
        raise _NoMatch
    return positive


def _choice(node, lines):
    parsed = [points_of(line, node.max) for line in lines]
    if len(parsed) < 2 or any(p is None for _, p, _ in parsed):
        raise _NoMatch
    if node.max is not None and any(p > node.max for _, p, _ in parsed):
        raise _NoMatch
    if len({fold(h) for h, _, _ in parsed}) != len(parsed) or any(not h for h, _, _ in parsed):
        raise _NoMatch
    return parsed


DEDUCT = re.compile(r"trừ\s*0*" + NUM + r"\s*(?:điểm)?", re.IGNORECASE)


def _deduction(node, text, keys):
    match = DEDUCT.search(text)
    if not match or node.max is not None:
        raise _NoMatch
    amount = _num(match.group(1))
    folded = fold(text)
    if re.search(r"moi ngay|1 ngay|mot ngay", folded):
        return {"kind": "deduction_per_day", "per_day": amount}, [], f"Trừ điểm: mỗi ngày nộp muộn trừ {vn(amount)}"
    if re.search(r"moi tieu chi|1 tieu chi|mot tieu chi", folded):
        return ({"kind": "deduction_per_criterion", "per_criterion": amount}, [],
                f"Trừ điểm: mỗi tiêu chí có số liệu không đảm bảo trừ {vn(amount)}")
    label = DEDUCT.sub("", text).strip(" ,.;:")
    key = keys.make(label, f"tru_{node.code}")
    return ({"kind": "deduction_flat", "field": key, "points": amount},
            [{"key": key, "label": label, "kind": "yes_no"}], f"Trừ điểm: có thì trừ {vn(amount)} ({label})")


def _levels_text(parsed):
    return "; ".join(f"{h} → {vn(p)}" for h, p, _ in parsed)


def read_rule(node, taken_keys, *, deduction_context=False) -> Outcome:
    """The rule, fields, documents and note of one leaf criterion of an imported table."""
    keys = Keys(taken_keys)
    scoring, evidence, notes = split_text(node.lines)
    fields, documents = _evidence_fields(evidence, keys, node.code)
    note = "\n".join(notes)
    text = " ".join(scoring)

    def done(rule, reading, extra=(), warnings=(), **kw):
        return Outcome(rule, reading, [*extra, *fields], documents, note, list(warnings),
                       method="\n".join(scoring), **kw)

    if deduction_context or (node.max is None and "trừ" in (text or node.title).lower()):
        try:
            rule, extra, reading = _deduction(node, text or node.title, keys)
            return done(rule, reading, extra, deduction=True)
        except _NoMatch:
            pass
    match = SUBSTITUTE.search(text)
    if match:
        replaced = [p.strip(" -–;,") for p in re.split(r"\s+[-–]\s+|;|\s+và\s+", match.group(2)) if p.strip(" -–")]
        return done({"kind": "substitute_ratio", "source": match.group(1).strip(), "replaces": replaced},
                    "Thay thế theo tỷ lệ")
    if not scoring:
        return done({"kind": "manual"}, "Chấm trực tiếp (bảng không ghi cách tính điểm)")
    try:
        rule, extra, reading, warnings = _threshold(node, scoring, keys)
        return done(rule, reading, extra, warnings)
    except (_NoMatch, NumberFormatError):
        pass
    counted = [f for f in fields if f["kind"] in ("count", "money")]
    try:
        steps = _count_steps(node, scoring)
        if len(counted) == 1:
            subject, extra = counted[0], []
        else:
            label = f"{node.title.strip().rstrip(':.… ')} (số lượng)"
            subject = {"key": keys.make(label, f"so_luong_{node.code}"), "label": label, "kind": "count"}
            extra = [subject]
        rule = {"kind": "count_steps", "fields": [subject["key"]],
                "steps": [{"min": m, "points": p} for m, p in steps]}
        reading = "Bậc theo số lượng: " + "; ".join(f"từ {vn(m)} → {vn(p)}" for m, p in steps)
        return done(rule, reading, extra)
    except (_NoMatch, NumberFormatError):
        pass
    try:
        head, points, _ = _yes_no(node, scoring)
        label = node.title.strip().rstrip(":.… ") if fold(head) in ("co", "da co", "co thuc hien") else head
        key = keys.make(label, f"co_khong_{node.code}")
        rule = {"kind": "yes_no", "field": key}
        if node.max is None or points != node.max:
            rule["yes"] = points
        return done(rule, f"Có/Không ({label}): Có → {vn(points)}; Không → 0",
                    [{"key": key, "label": label, "kind": "yes_no"}])
    except (_NoMatch, NumberFormatError):
        pass
    try:
        parsed = _choice(node, scoring)
        label = f"Mức đạt được: {node.title.strip().rstrip(':.… ')}"
        key = keys.make(node.title, f"muc_{node.code}")
        choices = [{"value": f"muc_{i}", "label": h} for i, (h, _, _) in enumerate(parsed, 1)]
        points = {f"muc_{i}": _round_points(p) for i, (_, p, _) in enumerate(parsed, 1)}
        return done({"kind": "choice", "field": key, "points": points},
                    f"Chọn mức: {_levels_text(parsed)}",
                    [{"key": key, "label": label, "kind": "choice", "choices": choices}])
    except (_NoMatch, NumberFormatError):
        pass
    return done({"kind": "manual"}, "Chấm trực tiếp: cách tính điểm giữ nguyên như bảng in")


def _round_points(value):
    return Decimal(plain(value.quantize(Decimal("0.0001")))) if value.as_tuple().exponent < -4 else value
