"""Test data with a story, built the way the product builds it.

Two provincial departments (A: Sở Thông tin và Truyền thông, B: Sở Nội vụ), their
staff, the reviewer assigned to A, the reviewer assigned to B, a leader and an
administrator. The criteria set ``kiem-thu`` has one evidence field of every
kind, a manual criterion, the late-day and poor-data deductions and a criterion
that asks for documents, so every input path of the form is exercised.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from assessment import workflow
from assessment.models import Assessment, Period, PeriodCriteriaSet, ReviewerAssignment
from assessment.roles import Role
from criteria.document import load_yaml
from criteria.store import save_document
from units.models import Block, Membership, Unit

PASSWORD = "mat-khau-thu-123"

CRITERIA_YAML = """
code: kiem-thu
version: 1
name: Bộ tiêu chí kiểm thử
status: active
blocks: [so-nganh]
headline: total
rounding: {points: 2, score: 2}
total_max: 20
ranking_rule: Theo tổng điểm.
tie_rule: Bằng điểm thì đồng hạng.
bands:
- {label: Tốt, lower: 15, upper: null}
- {label: Khá, lower: 10, upper: 15}
- {label: Trung bình, lower: null, upper: 10}
criteria:
- code: I
  title: VĂN BẢN ĐIỆN TỬ
  children:
  - code: I.1
    title: Tỷ lệ văn bản đến được cập nhật vào phần mềm
    max: 3
    documents: Báo cáo thống kê văn bản đến
    fields:
    - {key: docs_in, label: Tổng số văn bản đến, kind: count}
    - {key: docs_sw, label: Số văn bản đến cập nhật vào phần mềm, kind: count}
    - {key: report_date, label: Ngày lập báo cáo, kind: date}
    - {key: report_note, label: Thuyết minh số liệu, kind: text}
    rule: {kind: ratio, numerator: [docs_sw], denominator: [docs_in], full_at: 90, zero_below: 70, divisor: 90}
  - code: I.2
    title: Tỷ lệ hồ sơ trực tuyến
    max: 3
    fields:
    - {key: online_pct, label: Tỷ lệ hồ sơ nộp trực tuyến, kind: percent}
    rule: {kind: ratio, percent: online_pct, full_at: 50, zero_below: 10, divisor: 50}
  - code: I.3
    title: Có quy chế sử dụng văn bản điện tử
    max: 2
    fields:
    - {key: has_rules, label: Đã ban hành quy chế, kind: yes_no}
    rule: {kind: yes_no, field: has_rules}
  - code: I.4
    title: Mức độ triển khai chữ ký số
    max: 4
    fields:
    - key: signing
      label: Mức triển khai
      kind: choice
      choices: [{value: none, label: Chưa triển khai}, {value: some, label: Một phần}, {value: all, label: Toàn bộ}]
    rule: {kind: choice, field: signing, points: {none: 0, some: 2, all: 4}}
  - code: I.5
    title: Kinh phí chi cho CNTT
    max: 3
    fields:
    - {key: budget, label: Kinh phí chi cho CNTT (đồng), kind: money}
    rule: {kind: count_steps, fields: [budget], steps: [{min: 500000000, points: 3}, {min: 100000000, points: 1}]}
- code: II
  title: ĐÁNH GIÁ CHUNG
  children:
  - code: II.1
    title: Đánh giá của Sở về công tác tham mưu
    max: 5
    rule: {kind: manual}
- code: III
  title: TRỪ ĐIỂM
  children:
  - code: III.1
    title: Nộp báo cáo chậm
    rule: {kind: deduction_per_day, per_day: 0.5}
  - code: III.2
    title: Số liệu không đảm bảo chất lượng
    rule: {kind: deduction_per_criterion, per_criterion: 1}
"""

# A form filled completely and consistently: 3 + 3 + 2 + 4 + 3 + 4 = 19 points.
FULL_FORM = {
    "f__docs_in": "1.000", "f__docs_sw": "950", "f__report_date": "15/11/2026", "f__report_note": "Theo sổ văn thư",
    "f__online_pct": "62,5", "f__has_rules": "co", "f__signing": "all", "f__budget": "600.000.000",
    "p__II.1": "4", "x__I.1": "Báo cáo lưu tại văn thư, gửi bản giấy khi Sở yêu cầu.",
}


@dataclass
class World:
    period: Period
    form_a: Assessment
    form_b: Assessment
    staff_a: object
    staff_b: object
    reviewer_a: object
    reviewer_b: object
    leader: object
    admin: object

    @property
    def users(self):
        return {"staff_a": self.staff_a, "staff_b": self.staff_b, "reviewer_a": self.reviewer_a,
                "reviewer_b": self.reviewer_b, "leader": self.leader, "admin": self.admin}


def make_user(django_user_model, username, role, *units, first="", last=""):
    user = django_user_model.objects.create_user(username, password=PASSWORD, first_name=first, last_name=last,
                                                 is_staff=role == Role.ADMIN)
    user.groups.add(Group.objects.get(name=role))
    for unit in units:
        Membership.objects.create(user=user, unit=unit)
    return user


def build_world(django_user_model, *, today=None, deadline=None):
    today = today or timezone.localdate()
    block = Block.objects.get(code="so-nganh")
    criteria_set, _ = save_document(load_yaml(CRITERIA_YAML))
    unit_a = Unit.objects.create(code="STTTT", name="Sở Thông tin và Truyền thông", block=block)
    unit_b = Unit.objects.create(code="SNV", name="Sở Nội vụ", block=block)
    admin = make_user(django_user_model, "quantri", Role.ADMIN, first="Quản trị")
    period = Period.objects.create(year=today.year, name=f"Kỳ đánh giá {today.year}",
                                   opens_on=today - datetime.timedelta(days=10),
                                   deadline=deadline or today + datetime.timedelta(days=10),
                                   data_cutoff=today)
    PeriodCriteriaSet.objects.create(period=period, block=block, criteria_set=criteria_set)
    period.participants.set([unit_a, unit_b])
    world = World(
        period=period, form_a=None, form_b=None,
        staff_a=make_user(django_user_model, "canbo.a", Role.UNIT_STAFF, unit_a, first="Thu Hà", last="Lê"),
        staff_b=make_user(django_user_model, "canbo.b", Role.UNIT_STAFF, unit_b, first="Quốc Bảo", last="Vũ"),
        reviewer_a=make_user(django_user_model, "thamdinh.a", Role.REVIEWER, first="Thị Lan", last="Trần"),
        reviewer_b=make_user(django_user_model, "thamdinh.b", Role.REVIEWER, first="Minh Đức", last="Phạm"),
        leader=make_user(django_user_model, "lanhdao", Role.LEADER, first="Văn Hùng", last="Nguyễn"),
        admin=admin,
    )
    ReviewerAssignment.objects.create(period=period, reviewer=world.reviewer_a, unit=unit_a)
    ReviewerAssignment.objects.create(period=period, reviewer=world.reviewer_b, unit=unit_b)
    workflow.open_period(period, by=admin)
    world.form_a = Assessment.objects.get(period=period, unit=unit_a)
    world.form_b = Assessment.objects.get(period=period, unit=unit_b)
    return world


def answer(form, code):
    return form.answers.select_related("criterion").get(criterion__code=code)


def complete_changes(form):
    """Every applicable criterion of the kiem-thu set answered as in FULL_FORM (19 points)."""
    values = {"I.1": {"docs_in": "1000", "docs_sw": "950", "report_date": "2026-11-15", "report_note": "Sổ văn thư"},
              "I.2": {"online_pct": "62.5"}, "I.3": {"has_rules": True}, "I.4": {"signing": "all"},
              "I.5": {"budget": "600000000"}, "II.1": {}}
    changes = {}
    for a in form.answers.select_related("criterion"):
        code = a.criterion.code
        if code in values:
            changes[code] = {"values": values[code], "points": Decimal("4") if code == "II.1" else None,
                             "note": "", "explanation": "Lưu tại văn thư." if code == "I.1" else ""}
    return changes


def build_complete_answers(form, user):
    answers = workflow.load_answers(form)
    workflow.save_unit_answers(form, complete_changes(form), {a.criterion.code: a.version for a in answers}, by=user)
    return form


def submitted(world, form=None, user=None):
    form = form or world.form_a
    build_complete_answers(form, user or world.staff_a)
    return workflow.submit(form, by=user or world.staff_a)


def approved(world, form, staff, change=None):
    """Submit, review (lowering I.1's figure to ``change`` if given), accept and approve a form."""
    form = submitted(world, form, staff)
    reviewer = world.reviewer_a if form.pk == world.form_a.pk else world.reviewer_b
    if change:
        i1 = answer(form, "I.1")
        workflow.save_review(form, {"I.1": {"reviewed_values": dict(i1.values, docs_sw=change), "reviewed_points": None,
                                            "poor_data": False, "reason": "Đối chiếu sổ văn thư", "changed": True}},
                             {"I.1": i1.version}, by=reviewer)
    workflow.accept_review(form, by=reviewer)
    return workflow.approve(form, by=world.leader)
