"""Vietnamese alphabetical order and family-name-first names, on SQLite and PostgreSQL alike."""

import random
import unicodedata

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from units.models import Block, Unit
from units.naming import fold, full_name, matches, person_name, sort_key

LAO_CAI = ["Bát Xát", "Bảo Thắng", "Bảo Yên", "Bắc Hà", "Lào Cai", "Mường Khương", "Sa Pa", "Si Ma Cai", "Văn Bàn",
           "Đà Nẵng", "Dương Quỳ", "Âu Lâu", "An Bình", "Ơn Hoà", "Ô Quy Hồ", "Ư Tây", "Uyên Hưng"]
EXPECTED = ["An Bình", "Âu Lâu", "Bảo Thắng", "Bảo Yên", "Bát Xát", "Bắc Hà", "Dương Quỳ", "Đà Nẵng", "Lào Cai",
            "Mường Khương", "Ô Quy Hồ", "Ơn Hoà", "Sa Pa", "Si Ma Cai", "Uyên Hưng", "Ư Tây", "Văn Bàn"]


def test_vietnamese_alphabetical_order():
    assert sorted(LAO_CAI, key=sort_key) == EXPECTED
    # Tones break ties only, in the order ngang, huyền, hỏi, ngã, sắc, nặng.
    assert sorted(["ma", "mạ", "má", "mã", "mả", "mà"], key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    # Decomposed input sorts as the composed form does.
    assert sort_key(unicodedata.normalize("NFD", "Bảo Thắng"))[:3] == sort_key("Bảo Thắng")[:3]


def test_search_ignores_case_and_diacritics():
    assert fold("Đồng Nai") == "dong nai"
    assert matches("bat xat", "UBND huyện Bát Xát")
    assert matches("SỞ nội", "Sở Nội vụ")
    assert not matches("bao thang", "Bát Xát")


def test_names_are_family_name_first(django_user_model, db):
    user = django_user_model(username="lanhdao", first_name="Văn Hùng", last_name="Nguyễn")
    assert user.get_full_name() == "Nguyễn Văn Hùng"
    assert person_name(user) == "Nguyễn Văn Hùng"
    assert full_name("Trần", "") == "Trần"
    assert person_name(django_user_model(username="x")) == "x"


@pytest.mark.django_db
def test_database_orders_unit_names_in_vietnamese(db):
    block = Block.objects.create(code="thu-tu", name="Khối thử thứ tự", order=99)
    shuffled = LAO_CAI[:]
    random.Random(3).shuffle(shuffled)
    for i, name in enumerate(shuffled):
        Unit.objects.create(code=f"U{i}", name=name, block=block)
    assert list(Unit.objects.filter(block=block).order_by("name").values_list("name", flat=True)) == EXPECTED


@pytest.mark.django_db
def test_sort_key_agrees_with_icu_on_random_names(db):
    """Our key is SQLite's collation; on PostgreSQL, ICU's own Vietnamese collation is the oracle."""
    if connection.vendor != "postgresql":
        # On SQLite the database orders by the key itself; compare it with Python's sorted().
        block = Block.objects.create(code="ngau-nhien", name="Ngẫu nhiên", order=98)
        names = _random_names(300)
        Unit.objects.bulk_create([Unit(code=f"R{i}", name=n, block=block) for i, n in enumerate(names)])
        got = list(Unit.objects.filter(block=block).order_by("name").values_list("name", flat=True))
        assert got == sorted(names, key=sort_key)
        return
    names = _random_names(2000)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE vi_names (x text)")
        cursor.executemany("INSERT INTO vi_names VALUES (%s)", [(n,) for n in names])
        cursor.execute('SELECT x FROM vi_names ORDER BY x COLLATE "vi-x-icu"')
        icu = [row[0] for row in cursor.fetchall()]
    assert sorted(names, key=sort_key) == icu


def _random_names(n):
    rng = random.Random(11)
    onsets = ["", "b", "c", "ch", "d", "đ", "g", "gi", "kh", "l", "m", "ng", "nh", "ph", "qu", "s", "th", "tr", "v", "x",
              "B", "Đ", "Ng"]
    vowels = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "uy", "ươ", "iê"]
    tones = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
    codas = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]

    def syllable():
        v, t = rng.choice(vowels), rng.choice(tones)
        return rng.choice(onsets) + unicodedata.normalize("NFC", v[0] + t + v[1:]) + rng.choice(codas)

    return sorted({" ".join(syllable() for _ in range(rng.randint(1, 3))) for _ in range(n)})


def test_header_shows_family_name_first(world, login):
    page = login(world.leader).get(reverse("home"))
    assert "Nguyễn Văn Hùng" in page.content.decode()
    assert "Văn Hùng Nguyễn" not in page.content.decode()


@override_settings(DEBUG=False)
def test_error_pages_are_vietnamese(client, db):
    page = client.get("/khong-co-trang-nay/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "Không tìm thấy trang" in text and "Not Found" not in text
