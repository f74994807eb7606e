"""The workflow verbs: the table of allowed moves, what each records, review and approval."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment import workflow
from assessment.history import history_entries
from assessment.models import Assessment, Comment, Period

from .world import answer, submitted

S = Assessment.Status


def put_in(form, status):
    Assessment.objects.filter(pk=form.pk).update(status=status)
    form.refresh_from_db()
    return form


def run(verb, form, world):
    future = timezone.now() + datetime.timedelta(days=2)
    calls = {
        "submit": lambda: workflow.submit(form, by=world.staff_a),
        "return_to_unit": lambda: workflow.return_to_unit(form, by=world.reviewer_a, reason="Bổ sung tài liệu"),
        "accept_review": lambda: workflow.accept_review(form, by=world.reviewer_a),
        "approve": lambda: workflow.approve(form, by=world.leader),
        "unapprove": lambda: workflow.unapprove(form, by=world.leader, reason="Sai số liệu"),
        "reopen": lambda: workflow.reopen(form, by=world.admin, reason="Bổ sung", until=future),
    }
    return calls[verb]()


@pytest.mark.parametrize("verb", sorted(workflow.TRANSITIONS))
@pytest.mark.parametrize("status", [s.value for s in S])
def test_transition_table(world, verb, status):
    """Every verb from every status: the table's move happens, anything else is refused and changes nothing."""
    from .world import build_complete_answers

    build_complete_answers(world.form_a, world.staff_a)
    form = put_in(world.form_a, status)
    allowed, target = workflow.TRANSITIONS[verb]
    if status in allowed:
        run(verb, form, world)
        assert Assessment.objects.get(pk=form.pk).status == target
    else:
        with pytest.raises(workflow.WorkflowError) as error:
            run(verb, form, world)
        assert Assessment.objects.get(pk=form.pk).status == status
        message = " ".join(error.value.messages)
        assert message and any(ch in message for ch in "ếịảãạ"), message  # a Vietnamese sentence


def test_verbs_that_need_a_reason_refuse_a_blank_one(world):
    form = submitted(world)
    with pytest.raises(workflow.WorkflowError, match="Cần ghi nội dung đề nghị đơn vị giải trình"):
        workflow.return_to_unit(form, by=world.reviewer_a, reason="  ")
    workflow.accept_review(form, by=world.reviewer_a)
    workflow.approve(form, by=world.leader)
    with pytest.raises(workflow.WorkflowError, match="Cần ghi lý do huỷ phê duyệt"):
        workflow.unapprove(form, by=world.leader, reason="")
    assert Assessment.objects.get(pk=form.pk).status == S.APPROVED


def test_review_keeps_the_self_score_beside_the_verified_one(world):
    form = submitted(world)
    i1 = answer(form, "I.1")
    changes = {"I.1": {"reviewed_values": dict(i1.values, docs_sw="780"), "reviewed_points": None,
                       "poor_data": True, "reason": "Đối chiếu sổ văn thư: chỉ 780 văn bản", "changed": True}}
    workflow.save_review(form, changes, {"I.1": i1.version}, by=world.reviewer_a)
    form.refresh_from_db()
    i1 = answer(form, "I.1")
    assert i1.self_result == Decimal("3.00") and i1.reviewed_result == Decimal("2.60")
    assert answer(form, "III.2").reviewed_result == Decimal("1.00")  # one poor-data criterion
    assert form.self_total == Decimal("19.00")
    assert form.reviewed_total == Decimal("17.60")  # 19 − 0,4 − 1
    assert form.classification == "Tốt"


def test_review_change_without_reason_is_refused(world):
    form = submitted(world)
    i1 = answer(form, "I.1")
    changes = {"I.1": {"reviewed_values": dict(i1.values, docs_sw="780"), "reviewed_points": None,
                       "poor_data": False, "reason": "", "changed": True}}
    with pytest.raises(workflow.WorkflowError, match=r"Tiêu chí I\.1: cần ghi lý do điều chỉnh"):
        workflow.save_review(form, changes, {"I.1": i1.version}, by=world.reviewer_a)
    assert answer(form, "I.1").reviewed_values is None


def test_second_save_from_a_stale_page_is_refused(world):
    """Two reviewers opened the same form; the one who saves second is told, and nothing of theirs is written."""
    form = submitted(world)
    i1 = answer(form, "I.1")
    read_version = i1.version
    first = {"I.1": {"reviewed_values": dict(i1.values, docs_sw="900"), "reviewed_points": None, "poor_data": False,
                     "reason": "Theo báo cáo quý IV", "changed": True}}
    second = {"I.1": {"reviewed_values": dict(i1.values, docs_sw="700"), "reviewed_points": None,
                      "poor_data": False, "reason": "Theo sổ văn thư", "changed": True}}
    workflow.save_review(form, first, {"I.1": read_version}, by=world.reviewer_a)
    with pytest.raises(workflow.ConflictError, match="người khác đã lưu thay đổi trước bạn"):
        workflow.save_review(form, second, {"I.1": read_version}, by=world.reviewer_a)
    assert answer(form, "I.1").reviewed_values["docs_sw"] == "900"


def test_return_resubmit_accept_approve(world):
    form = submitted(world)
    workflow.return_to_unit(form, by=world.reviewer_a, reason="Đề nghị gửi báo cáo thống kê văn bản đến")
    form.refresh_from_db()
    assert form.status == S.RETURNED and form.editable_by_unit()
    assert Comment.objects.filter(assessment=form, text__contains="Đề nghị gửi báo cáo").exists()
    workflow.add_comment(form, by=world.staff_a, text="Đã bổ sung báo cáo.", criterion=answer(form, "I.1").criterion)
    workflow.submit(form, by=world.staff_a)
    workflow.accept_review(form, by=world.reviewer_a)
    workflow.approve(form, by=world.leader)
    form.refresh_from_db()
    assert form.status == S.APPROVED
    assert form.read_only_reason() == "Kết quả đã được lãnh đạo phê duyệt nên không sửa được nữa."


def test_bulk_approval_approves_what_it_can_and_names_the_rest(world):
    form_a = submitted(world)
    workflow.accept_review(form_a, by=world.reviewer_a)
    form_b = submitted(world, world.form_b, world.staff_b)
    approved, refused = workflow.approve_many([form_a, form_b], by=world.leader)
    assert [a.pk for a in approved] == [form_a.pk]
    assert len(refused) == 1 and refused[0].startswith("Sở Nội vụ: Không thể phê duyệt")
    assert Assessment.objects.get(pk=form_b.pk).status == S.SUBMITTED


def test_reopen_gives_the_form_back_for_a_limited_time(world):
    form = submitted(world)
    Period.objects.filter(pk=world.period.pk).update(status=Period.Status.REVIEW)
    form.refresh_from_db()
    until = timezone.now() + datetime.timedelta(days=2)
    workflow.reopen(form, by=world.admin, reason="Đơn vị xin bổ sung số liệu", until=until)
    form = Assessment.objects.select_related("period").get(pk=form.pk)
    assert form.editable_by_unit()
    Assessment.objects.filter(pk=form.pk).update(reopened_until=timezone.now() - datetime.timedelta(minutes=1))
    form = Assessment.objects.select_related("period").get(pk=form.pk)
    assert not form.editable_by_unit()
    assert "Kỳ đánh giá đang ở trạng thái “Đang thẩm định”" in form.read_only_reason()


def test_opening_a_period_freezes_its_criteria_set_and_needs_participants(world):
    assert world.form_a.criteria_set.is_frozen
    empty = Period.objects.create(year=2027, name="Trống", opens_on=datetime.date(2027, 1, 1),
                                  deadline=datetime.date(2027, 11, 20), data_cutoff=datetime.date(2027, 11, 15))
    with pytest.raises(workflow.WorkflowError, match="chưa có đơn vị tham gia"):
        workflow.open_period(empty, by=world.admin)
    assert Period.objects.get(pk=empty.pk).status == Period.Status.DRAFT


def test_history_tells_who_when_old_new_and_why(world):
    form = submitted(world)
    i1 = answer(form, "I.1")
    workflow.save_review(form, {"I.1": {"reviewed_values": dict(i1.values, docs_sw="780"), "reviewed_points": None,
                                        "poor_data": False, "reason": "Đối chiếu sổ văn thư", "changed": True}},
                         {"I.1": i1.version}, by=world.reviewer_a)
    workflow.return_to_unit(form, by=world.reviewer_a, reason="Giải trình tiêu chí I.1")
    entries = history_entries(form)
    review = next(e for e in entries if e.what == "Tiêu chí I.1" and e.who == "Trần Thị Lan")
    assert review.changes == ["Số liệu thẩm định “Số văn bản đến cập nhật vào phần mềm”: 950 → 780"]
    assert review.reason == "Đối chiếu sổ văn thư"
    statuses = [c for e in entries for c in e.changes if c.startswith("Trạng thái")]
    assert statuses == ["Trạng thái: Đang điền → Đã nộp, chờ thẩm định",
                        "Trạng thái: Đã nộp, chờ thẩm định → Trả lại để giải trình"]
    assert entries[0].what == "Tạo phiếu tự đánh giá" and entries[0].who == "Quản trị"
    own = next(e for e in entries if e.what == "Tiêu chí I.1" and e.who == "Lê Thu Hà")
    assert "Số liệu của đơn vị “Tổng số văn bản đến”: (trống) → 1.000" in own.changes


def test_reopen_with_a_bad_number_of_days_says_so_in_vietnamese(world, login):
    from django.urls import reverse

    form = submitted(world)
    response = login(world.admin).post(reverse("assessment:reopen", args=[form.pk]),
                                       {"reason": "Bổ sung", "days": "ba"}, follow=True)
    assert "Số ngày mở lại “ba” không hợp lệ: nhập số nguyên từ 1 đến 30." in response.content.decode()
    assert Assessment.objects.get(pk=form.pk).status == S.SUBMITTED
