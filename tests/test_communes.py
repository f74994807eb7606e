"""Communes and wards of a province after the 2025 reform, loaded from the official list."""

import io

import pytest
from django.core.management import CommandError, call_command

from units.models import DivisionType, Unit


def _load(*args):
    out = io.StringIO()
    call_command("load_communes", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_lao_cai_has_99_communes_and_wards_and_loading_twice_changes_nothing():
    out = _load("Lào Cai")
    assert "Đã nạp Lào Cai: 99 đơn vị cấp xã vào khối “UBND cấp xã” — 99 mới, 0 cập nhật, 0 không đổi." in out
    units = Unit.objects.filter(block__code="xa")
    assert units.count() == 99
    assert units.filter(division_type=DivisionType.WARD).exists() and units.filter(division_type=DivisionType.COMMUNE).exists()
    sample = units.get(official_code="04465")
    assert (sample.name, sample.code, sample.division_type) == ("Xã Khao Mang", "04465", DivisionType.COMMUNE)
    before = list(units.order_by("pk").values_list("pk", "code", "name", "division_type", "block_id"))

    out = _load("lao_cai")
    assert "0 mới, 0 cập nhật, 99 không đổi" in out
    assert list(units.order_by("pk").values_list("pk", "code", "name", "division_type", "block_id")) == before


@pytest.mark.django_db
def test_a_renamed_commune_is_updated_not_duplicated():
    _load("15")
    Unit.objects.filter(official_code="04465").update(name="Xã Khao Mang cũ")
    out = _load("tỉnh lào cai")
    assert "0 mới, 1 cập nhật, 98 không đổi" in out
    assert Unit.objects.get(official_code="04465").name == "Xã Khao Mang"


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_unknown_province_is_named():
    assert "Sẽ nạp Lào Cai: 99" in _load("Lào Cai", "--dry-run")
    assert not Unit.objects.filter(block__code="xa").exists()
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố “Lào Kai”"):
        _load("Lào Kai")


def test_the_list_covers_34_provinces_and_3321_units():
    out = _load("--list")
    lines = out.strip().splitlines()
    assert len(lines) == 34
    assert sum(int(line.split(": ")[1].split()[0]) for line in lines) == 3321
