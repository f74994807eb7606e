"""The unit's form in the browser's terms: what a unit's staff type, see and submit."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import workflow
from assessment.models import Assessment

from .world import FULL_FORM, answer


def form_url(form):
    return reverse("assessment:form", args=[form.pk])


def post_form(client, form, data, action="save"):
    """Post what the page shows, with the answer versions the page carries."""
    versions = {f"v__{a.criterion.code}": a.version for a in form.answers.select_related("criterion")}
    return client.post(form_url(form), {**versions, **data, "action": action})


def test_form_reads_as_the_official_form(world, login):
    html = login(world.staff_a).get(form_url(world.form_a)).content.decode()
    for text in ("(1)", "(3)", "(4)", "(5)", "(6)", "(7)", "Tỷ lệ văn bản đến được cập nhật vào phần mềm",
                 "Tổng số văn bản đến", "Báo cáo thống kê văn bản đến", "Lưu nháp", "Nộp phiếu"):
        assert text in html, text


def test_saving_figures_scores_them_with_the_engine(world, login):
    client = login(world.staff_a)
    response = post_form(client, world.form_a, FULL_FORM)
    assert response.status_code == 302
    form = Assessment.objects.get(pk=world.form_a.pk)
    assert form.self_total == Decimal("19.00")
    i1 = answer(form, "I.1")
    assert i1.values == {"docs_in": "1000", "docs_sw": "950", "report_date": "2026-11-15",
                         "report_note": "Theo sổ văn thư"}
    assert i1.self_result == Decimal("3.00")
    html = client.get(form_url(form)).content.decode()
    assert "19,00" in html
    assert "95% ≥ 90% → 3" in html  # the explanation is on the page, on demand


def test_live_preview_recomputes_while_typing(world, login):
    client = login(world.staff_a)
    data = {**FULL_FORM, "f__docs_sw": "780", "side": "self"}
    result = client.post(reverse("assessment:preview", args=[world.form_a.pk]), data).json()
    assert result["criteria"]["I.1"]["points"] == "2,60"
    assert result["criteria"]["I.1"]["explanation"] == "780 / 1.000 = 78% ≥ 70% → 78 × 3 / 90 = 2,60"
    assert result["total"] == "18,60"
    # Nothing was saved by previewing.
    assert answer(world.form_a, "I.1").values == {}


BAD_INPUTS = [
    # field, typed value, what the message must say
    ("f__docs_in", "mười", "Tổng số văn bản đến"),
    ("f__docs_in", "-5", "không được âm"),
    ("f__docs_in", "12,5", "Tổng số văn bản đến"),
    ("f__online_pct", "120", "phải từ 0 đến 100"),
    ("f__online_pct", "abc", "Tỷ lệ hồ sơ nộp trực tuyến"),
    ("f__budget", "năm trăm triệu", "Kinh phí chi cho CNTT"),
    ("f__report_date", "31/02/2026", "Ngày lập báo cáo"),
    ("f__report_date", "hôm qua", "Ngày lập báo cáo"),
    ("f__has_rules", "maybe", "Đã ban hành quy chế"),
    ("f__signing", "half", "Mức triển khai"),
    ("f__report_note", "x" * 4001, "Thuyết minh số liệu"),
    ("p__II.1", "6", "5"),
    ("p__II.1", "-1", "II.1"),
    ("p__II.1", "năm", "II.1"),
]


@pytest.mark.parametrize(("name", "value", "expected"), BAD_INPUTS)
def test_bad_input_is_refused_with_a_message_and_nothing_is_lost(world, login, name, value, expected):
    client = login(world.staff_a)
    assert post_form(client, world.form_a, FULL_FORM).status_code == 302
    before = {a.criterion.code: (a.values, a.points, a.version) for a in world.form_a.answers.select_related("criterion")}
    response = post_form(client, world.form_a, {**FULL_FORM, "f__docs_in": "2.000", name: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Phiếu chưa lưu được" in html
    assert expected in html
    after = {a.criterion.code: (a.values, a.points, a.version) for a in world.form_a.answers.select_related("criterion")}
    assert after == before  # not even the valid change of docs_in was written
    assert Assessment.objects.get(pk=world.form_a.pk).self_total == Decimal("19.00")
    typed = "2.000" if name != "f__docs_in" else value
    assert f'value="{typed}"' in html or f">{typed}<" in html  # what the user typed is still on the page


def test_numerator_above_denominator_names_criterion_and_values(world, login):
    response = post_form(login(world.staff_a), world.form_a, {**FULL_FORM, "f__docs_sw": "1.200"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "tiêu chí I.1: tử số lớn hơn mẫu số" in html and "1.200 &gt; 1.000" in html
    assert answer(world.form_a, "I.1").values == {}


def test_submit_needs_every_figure_and_an_explanation_for_missing_documents(world, login):
    client = login(world.staff_a)
    incomplete = {k: v for k, v in FULL_FORM.items() if k not in ("f__online_pct", "x__I.1")}
    response = post_form(client, world.form_a, incomplete, action="submit")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tiêu chí I.2: chưa nhập “Tỷ lệ hồ sơ nộp trực tuyến”" in html
    assert "Tiêu chí I.1: chưa đính kèm tài liệu kiểm chứng" in html
    form = Assessment.objects.get(pk=world.form_a.pk)
    assert form.status == Assessment.Status.DRAFT
    # The draft itself was saved: nothing typed is lost.
    assert answer(form, "I.1").values["docs_in"] == "1000"


def test_submitted_form_is_read_only_and_says_why(world, login):
    client = login(world.staff_a)
    assert post_form(client, world.form_a, FULL_FORM, action="submit").status_code == 302
    form = Assessment.objects.get(pk=world.form_a.pk)
    assert form.status == Assessment.Status.SUBMITTED
    html = client.get(form_url(form)).content.decode()
    assert "Phiếu đã nộp và đang chờ Sở thẩm định" in html
    assert 'name="f__docs_in"' not in html
    response = post_form(client, form, {**FULL_FORM, "f__docs_in": "2.000"})
    assert response.status_code == 302
    assert answer(form, "I.1").values["docs_in"] == "1000"
    assert "Phiếu đã nộp và đang chờ Sở thẩm định" in client.get(form_url(form)).content.decode()


def test_late_submission_applies_the_late_day_deduction(world):
    staff = world.staff_a
    workflow.save_unit_answers(world.form_a, {"I.3": {"values": {"has_rules": True}}},
                               {"I.3": answer(world.form_a, "I.3").version}, by=staff)
    world.period.deadline = timezone.localdate() - datetime.timedelta(days=3)
    world.period.save()
    from .world import build_complete_answers

    build_complete_answers(world.form_a, staff)
    form = workflow.submit(world.form_a, by=staff)
    assert form.days_late == 3
    assert answer(form, "III.1").self_result == Decimal("1.50")
    assert form.self_total == Decimal("17.50")  # 19 − 3 × 0,5
    assert "Nộp muộn 3 ngày × 0,5 = trừ 1,5" in answer_explanation(form, "III.1")


def answer_explanation(form, code):
    from assessment.sheet import UNIT, AnswerSheet

    return AnswerSheet.of(form).results(UNIT).criteria[code].explanation


def test_autosave_answers_json_and_keeps_versions(world, login):
    client = login(world.staff_a)
    versions = {f"v__{a.criterion.code}": a.version for a in world.form_a.answers.select_related("criterion")}
    response = client.post(form_url(world.form_a), {**versions, "f__docs_in": "500", "action": "save"},
                           headers={"X-Autosave": "1"})
    assert response.status_code == 200
    result = response.json()
    assert result["saved"] is True and result["versions"]["I.1"] == 2
    bad = client.post(form_url(world.form_a), {**versions, "f__docs_in": "abc", "action": "save"},
                      headers={"X-Autosave": "1"})
    assert bad.status_code == 400 and not bad.json()["saved"]
    assert answer(world.form_a, "I.1").values == {"docs_in": "500"}
