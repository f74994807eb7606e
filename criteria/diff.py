"""What changed between two versions of a criteria set, read from their text-form documents.

Pure Python over the documents ``criteria.store.set_to_document`` returns (the same shape the
YAML files have), so the editor's "khác bản trước", the impact preview and the carry-forward of
a period all name the same changes. Criteria are matched by code.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .numbers import vn


@dataclass
class CriterionChange:
    code: str
    title: str
    kind: str  # "added", "removed", "changed"
    details: list = field(default_factory=list)  # Vietnamese sentences, one per changed aspect

    @property
    def label(self):
        return {"added": "Tiêu chí mới", "removed": "Bỏ tiêu chí", "changed": "Thay đổi"}[self.kind]


@dataclass
class SetDiff:
    changes: list
    set_details: list  # changes of the set as a whole (bands, headline, rounding, total maximum)

    @property
    def by_code(self):
        return {c.code: c for c in self.changes}

    def __bool__(self):
        return bool(self.changes or self.set_details)

    def count(self, kind):
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def added(self):
        return self.count("added")

    @property
    def removed(self):
        return self.count("removed")

    @property
    def changed(self):
        return self.count("changed")


def _flatten(criteria, out=None):
    out = {} if out is None else out
    for item in criteria or ():
        out[str(item["code"])] = item
        _flatten(item.get("children"), out)
    return out


def _text(value):
    if value is None or value == "":
        return "(không có)"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return vn(value)
    return str(value)


def _field_changes(old, new):
    old_fields = {f["key"]: f for f in old.get("fields") or ()}
    new_fields = {f["key"]: f for f in new.get("fields") or ()}
    details = [f"thêm số liệu “{new_fields[k]['label']}”" for k in new_fields if k not in old_fields]
    details += [f"bỏ số liệu “{old_fields[k]['label']}”" for k in old_fields if k not in new_fields]
    for key in new_fields.keys() & old_fields.keys():
        if new_fields[key] != old_fields[key]:
            details.append(f"số liệu “{new_fields[key]['label']}” đổi cách khai báo")
    return details


ASPECTS = [
    ("title", "tên"),
    ("max", "điểm tối đa"),
    ("applies_to", "đối tượng áp dụng"),
    ("documents", "tài liệu kiểm chứng"),
]


def diff_documents(old, new):
    """The changes from document ``old`` to document ``new`` (either may be None: all added/removed)."""
    before = _flatten((old or {}).get("criteria"))
    after = _flatten((new or {}).get("criteria"))
    changes = []
    for code, item in after.items():
        if code not in before:
            changes.append(CriterionChange(code, item.get("title", ""), "added"))
            continue
        previous = before[code]
        details = [f"{label}: {_text(previous.get(key))} → {_text(item.get(key))}"
                   for key, label in ASPECTS if previous.get(key) != item.get(key)]
        if previous.get("rule") != item.get("rule"):
            details.append("cách tính điểm thay đổi")
        details += _field_changes(previous, item)
        if details:
            changes.append(CriterionChange(code, item.get("title", ""), "changed", details))
    changes += [CriterionChange(code, item.get("title", ""), "removed") for code, item in before.items()
                if code not in after]
    set_details = []
    for key, label in [("bands", "các mức xếp loại"), ("headline", "cách xếp hạng"), ("rounding", "cách làm tròn"),
                       ("total_max", "tổng điểm tối đa")]:
        if old and new and old.get(key) != new.get(key):
            set_details.append(f"{label}: {_text(old.get(key))} → {_text(new.get(key))}")
    return SetDiff(changes, set_details)
