"""The lists people work from: a reviewer's "Phiếu của tôi", search by unit name, the progress view."""

import datetime

from django.urls import reverse
from django.utils import timezone

from assessment.models import Assessment, Period, ReviewerAssignment
from units.models import Unit

from .world import submitted


def _names(page):
    return page.content.decode()


def test_my_forms_lists_only_assigned_forms_longest_waiting_first(world, login):
    unit_c = Unit.objects.create(code="SYT", name="Sở Y tế", block=world.form_a.unit.block)
    world.period.participants.add(unit_c)
    form_c = Assessment.objects.create(period=world.period, unit=unit_c, criteria_set=world.form_a.criteria_set)
    ReviewerAssignment.objects.create(period=world.period, reviewer=world.reviewer_a, unit=unit_c)
    submitted(world)  # form A
    early = timezone.now() - datetime.timedelta(days=3)
    Assessment.objects.filter(pk=form_c.pk).update(status=Assessment.Status.SUBMITTED, submitted_at=early)
    Assessment.objects.filter(pk=world.form_a.pk).update(submitted_at=timezone.now() - datetime.timedelta(hours=2))

    text = _names(login(world.reviewer_a).get(reverse("assessment:my_forms")))
    assert "Sở Y tế" in text and "Sở Thông tin và Truyền thông" in text
    assert "Sở Nội vụ" not in text  # assigned to reviewer B
    assert text.index("Sở Y tế") < text.index("Sở Thông tin và Truyền thông")  # waited longer
    assert "3 ngày" in text


def test_my_forms_is_for_reviewers_only(world, login):
    assert login(world.staff_a).get(reverse("assessment:my_forms")).status_code == 404


def test_search_by_unit_name_ignores_diacritics(world, login):
    client = login(world.leader)
    page = client.get(reverse("assessment:period", args=[world.period.pk]), {"q": "so noi VU"})
    text = _names(page)
    assert "Sở Nội vụ" in text and "Sở Thông tin và Truyền thông" not in text
    page = client.get(reverse("assessment:period", args=[world.period.pk]), {"q": "xyz " * 300})
    assert page.status_code == 200 and "Không có phiếu nào phù hợp." in _names(page)
    page = client.get(reverse("assessment:period", args=[world.period.pk]), {"q": "x\x00"})
    assert page.status_code == 400 and "ký tự NUL" in _names(page)


def test_progress_per_block_counts_states_and_names_late_units(world, login):
    submitted(world)  # A submitted, B never touched
    Period.objects.filter(pk=world.period.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2),
                                                     opens_on=timezone.localdate() - datetime.timedelta(days=20))
    page = login(world.leader).get(reverse("assessment:progress", args=[world.period.pk]))
    assert page.status_code == 200
    text = _names(page)
    row = text[text.index("<th scope=\"row\">"):]
    row = row[:row.index("</tr>")]
    # Chưa bắt đầu 1 (B), Đang điền 0, Đã nộp 1 (A), Trả lại 0, Đã thẩm định 0, Đã phê duyệt 0, total 2
    cells = [c.split("<")[0] for c in row.split('<td class="num">')[1:]]
    assert cells == ["1", "0", "1", "0", "0", "0", "2"]
    assert "Sở Nội vụ</a>: chưa nộp, quá hạn 2 ngày" in text


def test_progress_is_for_leadership(world, login):
    url = reverse("assessment:progress", args=[world.period.pk])
    assert login(world.reviewer_a).get(url).status_code == 404
    assert login(world.staff_a).get(url).status_code == 404
    assert login(world.admin).get(url).status_code == 200
