"""Communes, wards and special zones of a province after the July 2025 reform, from the
``vietnam-provinces`` package (the Statistics Office's list: 34 provinces, 3 321 units).

Loading is idempotent: a unit is found by its official code, created when missing, renamed or
re-typed when the list changed, and left alone otherwise; units are never deleted (a merged
commune stays for its history and is recorded with a Succession by an administrator).
"""

import json
from dataclasses import dataclass

import vietnam_provinces

from .models import Block, DivisionType, Unit
from .naming import fold

TYPES = {"xã": DivisionType.COMMUNE, "phường": DivisionType.WARD, "đặc khu": DivisionType.SPECIAL_ZONE}


class UnknownProvince(ValueError):
    pass


@dataclass
class LoadResult:
    province: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


def provinces():
    """The 34 provinces and cities with their communes, as the package ships them."""
    return json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))


def find_province(wanted):
    """A province by name ("Lào Cai", "lao cai", "Tỉnh Lào Cai"), code name (lao_cai) or number (15)."""
    text = fold(str(wanted)).replace("_", " ").strip()
    for prefix in ("tinh ", "thanh pho "):
        text = text.removeprefix(prefix)
    for province in provinces():
        if text in {str(province["code"]), fold(province["name"]), province["codename"].replace("_", " ")}:
            return province
    raise UnknownProvince(f"Không có tỉnh, thành phố “{wanted}” trong danh mục đơn vị hành chính "
                          f"(dữ liệu ngày {vietnam_provinces.__data_version__}).")


def official_code(ward):
    return f"{ward['code']:05d}"


def load_communes(wanted, block, *, dry_run=False):
    """Create or update the province's communes, wards and special zones in ``block``."""
    province = find_province(wanted)
    result = LoadResult(province=province["name"])
    existing = {u.official_code: u for u in Unit.objects.filter(official_code__in=[
        official_code(w) for w in province["wards"]])}
    for ward in province["wards"]:
        code = official_code(ward)
        kind = TYPES[ward["division_type"]]
        unit = existing.get(code)
        if unit is None:
            result.created += 1
            if not dry_run:
                Unit.objects.create(code=code, official_code=code, name=ward["name"], division_type=kind, block=block,
                                    has_procedures=True)
        elif (unit.name, unit.division_type, unit.block_id) != (ward["name"], kind, block.pk):
            result.updated += 1
            if not dry_run:
                unit.name, unit.division_type, unit.block = ward["name"], kind, block
                unit.save(update_fields=["name", "division_type", "block"])
        else:
            result.unchanged += 1
    return result


def commune_block():
    """The block communes are ranked in (code ``xa``, "UBND cấp xã", created by the first migration)."""
    return Block.objects.get(code="xa")
