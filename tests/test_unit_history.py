"""A unit's results across periods, through renames and mergers, on its page and in Excel."""

import datetime
import io

import openpyxl
from django.urls import reverse

from assessment.models import Period
from reports.models import Publication, sha256
from reports.snapshot import content_hash, publish
from units.models import Block, Succession, Unit, lineage


def old_publication(world):
    """A 2019 annex where today's Sở TTTT still appears under its former name."""
    old = Unit.objects.create(code="SBCVT", name="Sở Bưu chính, Viễn thông", block=Block.objects.get(code="so-nganh"))
    Succession.objects.create(old_unit=old, kind=Succession.Kind.RENAMED, new_unit=world.form_a.unit,
                              date=datetime.date(2020, 1, 1), note="QĐ 12/QĐ-UBND")
    period = Period.objects.create(year=2019, name="Đánh giá năm 2019", opens_on=datetime.date(2019, 10, 1),
                                   deadline=datetime.date(2019, 11, 20), data_cutoff=datetime.date(2019, 11, 15),
                                   status=Period.Status.CLOSED)
    rows = [{"unit_code": code, "unit_name": name, "voluntary": False, "groups": {}, "total": total, "max": "100.00",
             "score": total, "classification": klass, "rank": rank}
            for code, name, total, klass, rank in (("SYT", "Sở Y tế", "81.00", "Tốt", 1),
                                                    ("SBCVT", "Sở Bưu chính, Viễn thông", "72.50", "Khá", 2),
                                                    ("SNV", "Sở Nội vụ", "60.00", "Trung bình", 3))]
    document = {"blocks": [{"name": "Sở, ban, ngành", "criteria_set": {"code": "cu-2019", "version": 1,
                                                                       "figure": "Tổng điểm"}, "rows": rows}],
                "meta": {"number": "5/QĐ"}}
    return Publication.objects.create(period=period, version=1, document=document, content_hash=content_hash(document),
                                      pdf=b"%PDF-1.4", pdf_sha256=sha256(b"%PDF-1.4"), xlsx=b"", published_by=world.leader)


def test_lineage_follows_renames_and_mergers(world):
    a = world.form_a.unit
    block = Block.objects.get(code="so-nganh")
    old = Unit.objects.create(code="OLD", name="Cũ", block=block)
    older = Unit.objects.create(code="OLDER", name="Cũ hơn", block=block)
    Succession.objects.create(old_unit=old, kind=Succession.Kind.MERGED, new_unit=a, date=datetime.date(2025, 7, 1))
    Succession.objects.create(old_unit=older, kind=Succession.Kind.RENAMED, new_unit=old, date=datetime.date(2010, 1, 1))
    Succession.objects.create(old_unit=a, kind=Succession.Kind.SPLIT, new_unit=older, date=datetime.date(2000, 1, 1))
    found = lineage(a)
    assert set(found) == {a.pk, old.pk, older.pk}  # the bad cycle back to A stops the walk
    assert found[old.pk][1] == "Sáp nhập vào Sở Thông tin và Truyền thông từ 01/07/2025"


def test_unit_page_compares_class_rank_and_share_across_years(published, world, login):
    old_publication(world)
    client = login(world.staff_a)
    html = client.get(reverse("reports:unit", args=["STTTT"])).content.decode()
    assert "<svg" in html
    table = html[html.index('id="history"'):]
    assert table.index("2019") < table.index(str(world.period.year))
    assert "Sở Bưu chính, Viễn thông" in table and "Đổi tên thành Sở Thông tin và Truyền thông từ 01/01/2020" in table
    assert "72,50" in table and "Khá" in table and "2/3" in table
    assert "19,00" in table and "95,0%" in table and "1/2" in table
    assert login(world.staff_b).get(reverse("reports:unit", args=["STTTT"])).status_code == 404
    assert login(world.reviewer_b).get(reverse("reports:unit", args=["STTTT"])).status_code == 200

    book = openpyxl.load_workbook(io.BytesIO(login(world.staff_a).get(reverse("reports:unit_xlsx", args=["STTTT"])).content))
    values = [[c.value for c in row] for row in book.active.iter_rows(min_row=3)]
    assert [(v[0], v[4], v[8], v[9], v[10]) for v in values] == [
        (2019, "Sở Bưu chính, Viễn thông", "Khá", 2, 3), (world.period.year, "Sở Thông tin và Truyền thông", "Tốt", 1, 2)]


def test_superseded_annex_does_not_count_twice(published, world, profile, login):
    from assessment import workflow

    workflow.unapprove(world.form_b, by=world.leader, reason="Kiểm tra lại")
    publish(world.period, profile, by=world.leader, number="16/QĐ", date=datetime.date(2021, 1, 20), reason="Đính chính")
    html = login(world.staff_a).get(reverse("reports:unit", args=["STTTT"])).content.decode()
    table = html[html.index('id="history"'):]
    assert table.count("Sở Thông tin và Truyền thông") == 1 and "1/1" in table
