"""Editing a draft criteria set in the browser, as changes to its text-form document.

Every action takes the document (``CriteriaSet.document()``), changes it, and the caller saves it
through ``criteria.store.save_document`` after ``parse_document`` accepted it: the browser editor,
the YAML file and the admin's import all go through the same reader, so they validate alike.
Keys this editor does not know (added by another tool) are kept as they are.

Rule parameters are typed as short Vietnamese-friendly text, one input per parameter
(``PARAMS``): numbers with a comma or a dot, field keys separated by commas, levels as
"giá trị: điểm; …", steps as "từ: điểm; …". The rule is read back as sentences by the set's
own reader (``Node.describe``), never shown as JSON.
"""

import copy
import re
from decimal import Decimal, InvalidOperation

from .fields import FIELD_KINDS
from .numbers import plain
from .rules import RULE_KINDS
from .scheme import APPLIES_TO


class EditError(ValueError):
    """A change that cannot be made, in Vietnamese."""


# name -> (Vietnamese label, input type)
PARAMS = {
    "percent": ("Số liệu là tỷ lệ % có sẵn (mã số liệu)", "field"),
    "numerator": ("Tử số: cộng các số liệu (mã, cách nhau dấu phẩy)", "fields"),
    "denominator": ("Mẫu số: cộng các số liệu (mã, cách nhau dấu phẩy)", "fields"),
    "may_exceed": ("Tử số được lớn hơn mẫu số", "bool"),
    "full_at": ("Đạt điểm tối đa khi tỷ lệ từ (%)", "number"),
    "zero_below": ("0 điểm khi tỷ lệ dưới (%)", "number"),
    "divisor": ("Điểm = tỷ lệ × điểm tối đa ÷", "number"),
    "field": ("Số liệu (mã)", "field"),
    "yes": ("Điểm khi “Có”", "number"),
    "no": ("Điểm khi “Không”", "number"),
    "points": ("Điểm", "points"),
    "fields": ("Số liệu được cộng (mã, cách nhau dấu phẩy)", "fields"),
    "steps": ("Các bậc “từ: điểm”, cách nhau dấu chấm phẩy (ví dụ 4: 20; 3: 15; 1: 5)", "steps"),
    "days_field": ("Số ngày làm việc (mã số liệu)", "field"),
    "floor": ("Mức sàn (lần/ngày)", "number"),
    "full_above": ("Đạt tối đa khi trên (lần/ngày)", "number"),
    "source": ("Tính theo tỷ lệ điểm của tiêu chí (mã)", "criteria"),
    "replaces": ("Thay cho các tiêu chí (mã, cách nhau dấu phẩy)", "criteria"),
    "per_day": ("Trừ mỗi ngày (điểm)", "number"),
    "per_criterion": ("Trừ mỗi tiêu chí (điểm)", "number"),
    "zero_of_zero": ("Khi không phát sinh (0/0): zero = 0 điểm, full = điểm tối đa, not_applicable = không áp dụng; "
                     "để trống = 0 điểm và báo thẩm định viên", "text"),
    "levels": ("Các mức điểm được chấm, cách nhau dấu chấm phẩy (ví dụ 0; 2; 4)", "levels"),
}
NODE_TEXT = [("title", "Tên tiêu chí"), ("documents", "Tài liệu kiểm chứng"), ("note", "Hướng dẫn, ghi chú")]


def rule_kinds():
    return [(kind, cls.label) for kind, cls in RULE_KINDS.items()]


def param_spec(name):
    return PARAMS.get(name, (name, "text"))


def _number(text, where):
    cleaned = text.strip().replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", cleaned):
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise EditError(f"{where}: “{text}” không phải là số") from None
    if not value.is_finite() or abs(value) > Decimal("1e12"):
        raise EditError(f"{where}: “{text}” không phải là số hợp lệ")
    return value


def _codes(text):
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]


def _pairs(text, where):
    pairs = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        if ":" not in part:
            raise EditError(f"{where}: “{part}” phải có dạng “giá trị: điểm”")
        key, value = (s.strip() for s in part.rsplit(":", 1))
        pairs.append((key, _number(value, where)))
    return pairs


def parse_param(name, text, *, kind, where):
    """The document value of one rule parameter typed as text; None when left empty."""
    label, typ = param_spec(name)
    where = f"{where}, “{label}”"
    text = (text or "").strip()
    if typ == "bool":
        return True if text else None
    if not text:
        return None
    if typ == "number":
        return _number(text, where)
    if typ == "field":
        return text
    if typ in ("fields", "criteria"):
        codes = _codes(text)
        return codes[0] if name == "source" and len(codes) == 1 else codes
    if typ == "steps":
        return [{"min": _number(k, where), "points": v} for k, v in _pairs(text, where)]
    if typ == "levels":
        return [_number(part, where) for part in text.split(";") if part.strip()]
    if typ == "points":
        if kind == "choice":
            return dict(_pairs(text, where))
        return _number(text, where)
    return text


def format_param(name, value):
    """A parameter's document value as the text its input shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Decimal | int | float):
        return plain(Decimal(str(value))).replace(".", ",")
    if isinstance(value, list):
        if name == "levels":
            return "; ".join(format_param("", v) for v in value)
        if value and isinstance(value[0], dict):
            return "; ".join(f"{format_param('', s.get('min'))}: {format_param('', s.get('points'))}" for s in value)
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_param('', v)}" for k, v in value.items())
    return str(value)


# --- the tree ----------------------------------------------------------------

def find(document, code):
    """(node, its parent's children list) for ``code``; EditError when there is none."""
    def search(items):
        for item in items:
            if str(item.get("code")) == code:
                return item, items
            found = search(item.get("children") or [])
            if found:
                return found
        return None

    found = search(document.setdefault("criteria", []))
    if not found:
        raise EditError(f"Không có tiêu chí mã “{code}” trong bộ tiêu chí.")
    return found


def all_codes(document):
    codes = []

    def walk(items):
        for item in items:
            codes.append(str(item.get("code")))
            walk(item.get("children") or [])

    walk(document.get("criteria") or [])
    return codes


def _next_code(parent_code, siblings):
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
    if parent_code is None:
        used = {str(s.get("code")) for s in siblings}
        return next(r for r in roman if r not in used)
    n = len(siblings) + 1
    used = {str(s.get("code")) for s in siblings}
    while f"{parent_code}.{n}" in used:
        n += 1
    return f"{parent_code}.{n}"


def add(document, parent_code=None, *, title="Tiêu chí mới"):
    """Add a criterion under ``parent_code`` (a top-level group when None); returns its code.

    A criterion that had its own rule and figures becomes a group: they move to the new child.
    """
    if parent_code is None:
        siblings = document.setdefault("criteria", [])
        code = _next_code(None, siblings)
        siblings.append({"code": code, "title": "Nhóm tiêu chí mới" if title == "Tiêu chí mới" else title})
        return code
    parent, _ = find(document, parent_code)
    children = parent.setdefault("children", [])
    code = _next_code(parent_code, children)
    child = {"code": code, "title": title}
    if not children:
        for key in ("max", "fields", "rule"):
            if key in parent:
                child[key] = parent.pop(key)
    children.append(child)
    return code


def remove(document, code):
    node, siblings = find(document, code)
    siblings.remove(node)
    return node


def move(document, code, step):
    node, siblings = find(document, code)
    i = siblings.index(node)
    j = i + step
    if 0 <= j < len(siblings):
        siblings[i], siblings[j] = siblings[j], siblings[i]


def update_node(document, code, data):
    """Apply the node form: code, texts, maximum, applicability, fields and the rule."""
    node, _ = find(document, code)
    where = f"Tiêu chí {code}"
    new_code = (data.get("code") or "").strip()
    if not new_code:
        raise EditError(f"{where}: cần có mã tiêu chí")
    if new_code != code and new_code in all_codes(document):
        raise EditError(f"{where}: mã “{new_code}” đã có trong bộ tiêu chí")
    node["code"] = new_code
    for key, _label in NODE_TEXT:
        text = (data.get(key) or "").strip()
        if text or key == "title":
            node[key] = text
        else:
            node.pop(key, None)
    applies = data.get("applies_to") or "all"
    if applies not in APPLIES_TO:
        raise EditError(f"{where}: đối tượng áp dụng không hợp lệ")
    if applies == "all":
        node.pop("applies_to", None)
    else:
        node["applies_to"] = applies
    maximum = (data.get("max") or "").strip()
    if maximum:
        node["max"] = _number(maximum, f"{where}, điểm tối đa")
    else:
        node.pop("max", None)
    if node.get("children"):
        return new_code
    node_fields = _fields_from(data, where)
    if node_fields:
        node["fields"] = node_fields
    else:
        node.pop("fields", None)
    kind = data.get("rule_kind") or ""
    if not kind:
        node.pop("rule", None)
    elif kind not in RULE_KINDS:
        raise EditError(f"{where}: loại quy tắc “{kind}” không có")
    else:
        rule = {"kind": kind}
        for name in RULE_KINDS[kind].params:
            value = parse_param(name, data.get(f"param_{name}"), kind=kind, where=where)
            if value is not None:
                rule[name] = value
        node["rule"] = rule
    return new_code


def _fields_from(data, where):
    """The evidence fields from the rows ``field_key_N``, ``field_label_N``, ``field_kind_N``,
    ``field_choices_N`` ("giá trị = nhãn; …"); a row with neither key nor label is dropped."""
    rows = []
    indexes = sorted({int(m.group(1)) for name in data for m in [re.fullmatch(r"field_key_(\d+)", name)] if m})
    for i in indexes:
        key = (data.get(f"field_key_{i}") or "").strip()
        label = (data.get(f"field_label_{i}") or "").strip()
        if not key and not label:
            continue
        if not key or not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            raise EditError(f"{where}, số liệu “{label or key}”: mã số liệu chỉ gồm chữ thường không dấu, chữ số và "
                            "dấu gạch dưới, bắt đầu bằng chữ")
        kind = data.get(f"field_kind_{i}") or "count"
        if kind not in FIELD_KINDS:
            raise EditError(f"{where}, số liệu “{key}”: kiểu “{kind}” không có")
        row = {"key": key, "label": label or key, "kind": kind}
        if kind == "choice":
            choices = []
            for part in (p.strip() for p in (data.get(f"field_choices_{i}") or "").split(";")):
                if part:
                    value, _, text = part.partition("=")
                    choices.append({"value": value.strip(), "label": (text or value).strip()})
            if not choices:
                raise EditError(f"{where}, số liệu “{key}”: kiểu lựa chọn cần các lựa chọn “giá trị = nhãn; …”")
            row["choices"] = choices
        rows.append(row)
    return rows


def update_set(document, data):
    """The set's own properties: name, ranking headline, rounding, total maximum, ranking texts."""
    name = (data.get("name") or "").strip()
    if not name:
        raise EditError("Bộ tiêu chí cần có tên.")
    document["name"] = name
    headline = data.get("headline") or "total"
    document["headline"] = headline
    rounding = dict(document.get("rounding") or {})
    for key, label in (("points", "số chữ số thập phân của điểm"), ("score", "số chữ số thập phân của kết quả")):
        text = (data.get(f"rounding_{key}") or "").strip()
        if text:
            value = _number(text, label)
            if value != value.to_integral_value() or not 0 <= value <= 6:
                raise EditError(f"{label.capitalize()}: nhập số nguyên từ 0 đến 6")
            rounding[key] = int(value)
    document["rounding"] = rounding
    total = (data.get("total_max") or "").strip()
    if total:
        document["total_max"] = _number(total, "Tổng điểm tối đa")
    else:
        document.pop("total_max", None)
    for key in ("ranking_rule", "tie_rule"):
        text = (data.get(key) or "").strip()
        if text:
            document[key] = text
        else:
            document.pop(key, None)


def update_bands(document, data):
    """Classification bands from rows ``band_label_N``, ``band_lower_N``, ``band_upper_N``."""
    indexes = sorted({int(m.group(1)) for name in data for m in [re.fullmatch(r"band_label_(\d+)", name)] if m})
    bands = []
    for i in indexes:
        label = (data.get(f"band_label_{i}") or "").strip()
        lower, upper = ((data.get(f"band_{k}_{i}") or "").strip() for k in ("lower", "upper"))
        if not label:
            if lower or upper:
                raise EditError(f"Mức xếp loại thứ {i + 1}: cần có tên mức")
            continue
        band = {"label": label, "lower": _number(lower, f"Mức “{label}”, cận dưới") if lower else None,
                "upper": _number(upper, f"Mức “{label}”, cận trên") if upper else None}
        reason = (data.get(f"band_reason_{i}") or "").strip()
        if reason:
            band["reason"] = reason
        bands.append(band)
    if bands:
        document["bands"] = bands
    else:
        document.pop("bands", None)


def working_copy(document):
    return copy.deepcopy(document)
