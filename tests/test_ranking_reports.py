"""Ranking and analysis for the annex (pure), and the results, dashboard and unit-sheet pages."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from pypdf import PdfReader

from assessment.models import Assessment
from reports.analysis import band_reason, rank_block, summary
from reports.models import Publication, Remarks
from reports.snapshot import publish

from .world import approved


def row(code, score, groups, voluntary=False, **extra):
    return {"unit_code": code, "unit_name": code, "score": score, "groups": groups, "voluntary": voluntary, **extra}


def test_ties_share_a_rank_voluntary_units_are_shown_not_ranked_and_groups_rank_too():
    rows = [row("A", "90.5", {"I": "40", "II": "50.5"}), row("B", "92", {"I": "45", "II": "47"}),
            row("C", "90.5", {"I": "45", "II": "45.5"}), row("V", "99", {"I": "50", "II": "49"}, voluntary=True),
            row("D", "80", {"I": "30", "II": "50"})]
    rank_block(rows, ["I", "II"])
    assert [(r["unit_code"], r["rank"]) for r in rows] == [("B", 1), ("A", 2), ("C", 2), ("D", 4), ("V", None)]
    by = {r["unit_code"]: r for r in rows}
    assert by["B"]["group_ranks"] == {"I": 1, "II": 3} and by["C"]["group_ranks"] == {"I": 1, "II": 4}
    assert by["A"]["group_ranks"]["II"] == 1 and by["D"]["group_ranks"]["II"] == 2
    assert by["V"]["group_ranks"] == {}


def test_reason_column_comes_from_the_band():
    from criteria.scheme import Band

    assert band_reason(Band("A+", Decimal("2.5"), None), "mean") == "Điểm đánh giá đạt từ 2,5 trở lên"
    assert band_reason(Band("A+", None, None, reason="Điểm đánh giá đạt từ 2,5 trở lên"), "mean") == \
        "Điểm đánh giá đạt từ 2,5 trở lên"
    assert band_reason(Band("C", None, Decimal("140")), "total") == "Tổng điểm dưới 140"


def test_summary_counts_classes_half_maximum_and_over_claims():
    block = {"bands": [{"label": "Tốt"}, {"label": "Khá"}], "groups": [{"code": "I", "title": "Hạ tầng", "max": "10"}],
             "criteria_titles": {"I.1": "Máy tính"},
             "rows": [row("A", "19", {"I": "6"}, classification="Tốt", total="19.00", self_total="20.00",
                          criteria={"I.1": "2"}, self_criteria={"I.1": "3"}),
                      row("B", "12", {"I": "4"}, classification="Khá", total="12.00", self_total="12.00",
                          criteria={"I.1": "3"}, self_criteria={"I.1": "3"}),
                      row("V", "9", {"I": "9"}, voluntary=True, classification="", total="9.00", self_total="9.00",
                          criteria={}, self_criteria={})]}
    previous = {"rows": [{"unit_code": "A", "score": "15", "rank": 2, "classification": "Khá"}]}
    data = summary(block, previous)
    assert data["units"] == 2
    assert data["by_class"] == [{"label": "Tốt", "count": 1, "share": "50.0"}, {"label": "Khá", "count": 1, "share": "50.0"}]
    assert data["groups"][0]["reached"] == 1  # A has 6 ≥ 5; B has 4
    assert data["claims"][0] == {"unit_name": "A", "self_total": "20.00", "total": "19.00", "gap": "1.00"}
    assert data["criteria"] == [{"code": "I.1", "title": "Máy tính", "units": 1, "points": "1"}]
    assert data["comparison"][0]["old_class"] == "Khá" and data["comparison"][0]["classification"] == "Tốt"


def test_results_page_drafts_remarks_that_the_reviewer_edits_before_publication(world, profile, login):
    approved(world, world.form_a, world.staff_a)
    client = login(world.reviewer_a)
    html = client.get(reverse("reports:results", args=[world.period.pk])).content.decode()
    assert "Tỷ lệ văn bản đến được cập nhật vào phần mềm" in html  # full marks -> drafted as done well
    response = client.post(reverse("reports:remarks", args=[world.form_a.pk]),
                           {"strengths": "Triển khai chữ ký số toàn bộ", "weaknesses": ""})
    assert response.status_code == 302
    assert Remarks.objects.get(assessment=world.form_a).strengths == "Triển khai chữ ký số toàn bộ"
    assert client.post(reverse("reports:remarks", args=[world.form_b.pk]), {"strengths": "x"}).status_code == 404
    item = publish(world.period, profile, by=world.leader, number="1/QĐ", date=datetime.date(2021, 1, 5))
    assert item.document["blocks"][0]["rows"][0]["strengths"] == "Triển khai chữ ký số toàn bộ"
    html = client.post(reverse("reports:remarks", args=[world.form_a.pk]), {"strengths": "Sửa muộn"},
                       follow=True).content.decode()
    assert "Kết quả đã công bố; nhận xét chỉ còn lãnh đạo sửa được" in html
    assert Remarks.objects.get(assessment=world.form_a).strengths == "Triển khai chữ ký số toàn bộ"


def test_publish_view_names_what_is_wrong(world, profile, login):
    client = login(world.leader)
    url = reverse("reports:publish", args=[world.period.pk])
    html = client.post(url, {"profile": profile.pk, "number": "2/QĐ", "date": "2021-01-05"}, follow=True).content.decode()
    assert "Chưa có phiếu nào được phê duyệt; chưa công bố được." in html
    approved(world, world.form_a, world.staff_a)
    html = client.post(url, {"profile": profile.pk, "number": "", "date": "32/01/2021"}, follow=True).content.decode()
    assert "Ngày văn bản “32/01/2021” không hợp lệ." in html
    html = client.post(url, {"profile": profile.pk, "number": " ", "date": "05/01/2021"}, follow=True).content.decode()
    assert "Cần nhập số văn bản công bố." in html
    # Without the explicit confirmation a POST only shows what would be published.
    response = client.post(url, {"profile": profile.pk, "number": "2/QĐ", "date": "05/01/2021"})
    html = response.content.decode()
    assert response.status_code == 200 and "Xác nhận công bố" in html
    assert "1 phiếu chưa được phê duyệt" in html and "Sở Nội vụ" in html and "Kỳ đánh giá vẫn đang mở" in html
    assert not Publication.objects.filter(period=world.period).exists()
    preview = client.get(reverse("reports:publish_preview", args=[world.period.pk]),
                         {"profile": profile.pk, "number": "2/QĐ", "date": "05/01/2021"})
    assert preview["Content-Type"] == "image/png" and preview.content[:8] == b"\x89PNG\r\n\x1a\n"
    response = client.post(url, {"profile": profile.pk, "number": "2/QĐ", "date": "05/01/2021", "xac-nhan": "1"},
                           follow=True)
    assert "Đã công bố phụ lục lần 1." in response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/cong-bo/")


def test_dashboard_shows_classes_groups_and_claims(published, login, world):
    html = login(world.leader).get(reverse("reports:dashboard", args=[world.period.pk])).content.decode()
    assert "<svg" in html and "Số đơn vị theo xếp loại" in html
    assert "Tự đánh giá so với kết quả thẩm định" in html
    assert "Sở Nội vụ" in html and "0,40" in html  # self 19,00 against verified 18,60


def test_unit_sheet_pdf_is_the_filled_official_form(world, login):
    approved(world, world.form_b, world.staff_b, change="780")
    response = login(world.staff_b).get(reverse("reports:unit_sheet", args=[world.form_b.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    for piece in ("PHIẾU TỰ ĐÁNH GIÁ", "Sở Nội vụ", "(1) (2) (3) (4) (5) (6) (7)", "Tổng số văn bản đến: 1.000",
                  "3,00 2,60", "TỔNG ĐIỂM 20 19,00 18,60"):
        assert piece in text, piece
    assert login(world.staff_a).get(reverse("reports:unit_sheet", args=[world.form_b.pk])).status_code == 404
    assert Assessment.objects.get(pk=world.form_b.pk).status == Assessment.Status.APPROVED
