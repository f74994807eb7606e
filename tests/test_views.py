"""The criteria set page: the official form, each rule explained, and the "chấm thử" panel."""

import pytest
from django.urls import reverse


def detail(code, version=1):
    return reverse("criteria:detail", args=[code, version])


def test_pages_need_a_login(shipped_sets, client):
    for url in (reverse("criteria:list"), detail("tc5-2021"), reverse("criteria:yaml", args=["tc5-2021", 1])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")


def test_list_shows_every_set_with_status(shipped_sets, staff_client):
    html = staff_client.get(reverse("criteria:list")).content.decode()
    for code in ("laocai-2018-province", "thaibinh-2020", "binhphuoc-2021-district"):
        assert code in html
    assert "Nháp" in html and "Đang áp dụng" in html


def test_detail_reads_as_the_official_form(shipped_sets, staff_client):
    response = staff_client.get(detail("laocai-2018-province"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["(1)", "(3)", "(4)", "(5)", "(7)", "HẠ TẦNG KỸ THUẬT CÔNG NGHỆ THÔNG TIN",
                 "Tỷ lệ văn bản đến được cập nhật vào phần mềm", "Từ 90% trở lên: 3 điểm.",
                 "Từ 70% đến dưới 90%: tỷ lệ × 3 / 90% (không vượt 3).", "Dưới 70%: 0 điểm.",
                 "Mỗi ngày nộp muộn trừ 0,5 điểm.", "Chỉ cơ quan không có TTHC", "3299/QĐ-UBND ngày 18/10/2018"]:
        assert text in html, text


def test_try_it_scores_typed_figures_with_explanations(shipped_sets, staff_client):
    response = staff_client.post(detail("laocai-2018-province"), {
        "has_procedures": "on", "days_late": "2",
        "f__incoming_docs": "1.000", "f__incoming_in_software": "780",
        "f__plan_issued": "late",
    })
    html = response.content.decode()
    assert "78 × 3 / 90 = 2,60" in html
    assert "Ban hành không kịp thời (trong tháng 01 năm kế hoạch) → 2" in html
    assert "Nộp muộn 2 ngày × 0,5 = trừ 1" in html
    assert "Tổng điểm: 3,60" in html


def test_try_it_index_and_class(shipped_sets, staff_client):
    points = {"p__I": "50", "p__II": "99,1", "p__III": "98", "p__IV": "100", "p__V": "100", "p__VI": "50"}
    html = staff_client.post(detail("thaibinh-2020"), {"has_procedures": "on", **points}).content.decode()
    assert "Tổng điểm: 497,10" in html and "0,998" in html and "Xếp loại: <strong>Tốt" in html


def test_try_it_bad_input_is_named_beside_the_field_and_in_the_summary(shipped_sets, staff_client):
    html = staff_client.post(detail("laocai-2018-province"), {
        "has_procedures": "on", "f__incoming_docs": "100", "f__incoming_in_software": "120",
        "f__staff": "mười",
    }).content.decode()
    assert "Số liệu chưa hợp lệ, chưa chấm được" in html
    assert "tiêu chí II.1.2: tử số lớn hơn mẫu số" in html
    assert 'class="field-error">không phải là số hợp lệ (giá trị: mười)' in html
    assert "Tổng điểm:" not in html


def test_draft_set_page_explains_why_it_cannot_score(shipped_sets, staff_client):
    html = staff_client.get(detail("binhphuoc-2021-district")).content.decode()
    assert "chưa đủ điểm tối đa" in html
    assert "Đào tạo, phát triển nhân lực xã hội số" in html


def test_yaml_download_is_the_text_form(shipped_sets, staff_client):
    from .seeds import FIXTURES

    response = staff_client.get(reverse("criteria:yaml", args=["tc5-2021", 1]))
    assert response.content.decode() == (FIXTURES / "tc5-2021.yaml").read_text(encoding="utf-8")


def test_unknown_set_is_404(shipped_sets, staff_client):
    assert staff_client.get(detail("tc5-2021", 9)).status_code == 404


@pytest.mark.parametrize("code", ["laocai-2018-district", "dongnai-2012", "tc5-2021"])
def test_every_active_set_page_renders(shipped_sets, staff_client, code):
    assert staff_client.get(detail(code)).status_code == 200
