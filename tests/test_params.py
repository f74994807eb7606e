"""Every URL and POST parameter is read through a small form: a wrong value gives a Vietnamese
message naming the parameter, never a 500, and changes nothing. (NUL bytes are refused before
any view: tests/test_no_500.py.)"""

import pytest
from django.urls import reverse

from assessment.models import Assessment
from reports.models import Publication

from .world import submitted


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999999", "-3"])
def test_bulk_approval_with_a_malformed_form_id(world, client, value):
    client.force_login(world.leader)
    response = client.post(reverse("assessment:approve_many", args=[world.period.pk]), {"phieu": [value]},
                           follow=True)
    assert response.status_code == 200
    assert "1 phiếu chưa thẩm định xong hoặc không thuộc quyền phê duyệt, đã bỏ qua." in messages_of(response)


@pytest.mark.parametrize("days", ["²", "-1", "1,5", "٣", "0", "31"])
def test_reopen_with_a_wrong_number_of_days(world, client, days):
    message = f"Số ngày mở lại “{days}” không hợp lệ: nhập số nguyên từ 1 đến 30."
    form = submitted(world)
    client.force_login(world.admin)
    response = client.post(reverse("assessment:reopen", args=[form.pk]), {"reason": "Bổ sung", "days": days},
                           follow=True)
    assert response.status_code == 200
    assert message in messages_of(response)
    assert Assessment.objects.get(pk=form.pk).status == Assessment.Status.SUBMITTED


@pytest.mark.parametrize(("params", "message"), [
    ({"trang-thai": "khong-co"}, "Trạng thái không hợp lệ. Bộ lọc này được bỏ qua."),
    ({"trang-thai": "submitted "}, "Trạng thái không hợp lệ. Bộ lọc này được bỏ qua."),
    ({"khoi": "x" * 500}, "Khối dài quá 50 ký tự. Bộ lọc này được bỏ qua."),
])
def test_queue_filter_with_a_wrong_value(world, client, params, message):
    client.force_login(world.reviewer_a)
    response = client.get(reverse("assessment:period", args=[world.period.pk]), params)
    assert response.status_code == 200
    assert message in messages_of(response)
    assert "Sở Thông tin và Truyền thông" in response.content.decode()


def test_publish_with_a_profile_that_is_not_a_number(world, client, profile):
    client.force_login(world.leader)
    response = client.post(reverse("reports:publish", args=[world.period.pk]),
                           {"profile": "abc", "date": "2021-01-05", "number": "1/QĐ"}, follow=True)
    assert response.status_code == 200
    assert "Chưa chọn cơ quan ban hành, người ký (cấu hình trong trang quản trị)." in messages_of(response)
    assert not Publication.objects.exists()


def test_publish_with_a_date_that_is_not_a_date(world, client, profile):
    client.force_login(world.leader)
    response = client.post(reverse("reports:publish", args=[world.period.pk]),
                           {"profile": profile.pk, "date": "31/02/2021", "number": "1/QĐ"}, follow=True)
    assert any(m.startswith("Ngày văn bản “31/02/2021” không hợp lệ.") for m in messages_of(response))
    assert not Publication.objects.exists()


def test_whatif_and_results_with_wrong_parameters(world, client):
    client.force_login(world.leader)
    assert client.get(reverse("reports:whatif", args=[world.period.pk]), {"bo": "abc"}).status_code == 200
    assert client.get(reverse("reports:results", args=[world.period.pk]), {"ca-da-tham-dinh": "có"}).status_code == 200
