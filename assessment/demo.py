"""Demo data: a period open on the Lào Cai sets, users for every role, forms in every state.

Also used by tests and benchmarks to fill forms the way a unit would.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from criteria.fields import clean, stored_value
from criteria.models import CriteriaSet
from criteria.numbers import parse_number
from criteria.samples import sample_answers
from units.models import Block, Membership, Unit

from . import workflow
from .models import Assessment, Period, PeriodCriteriaSet, ReviewerAssignment
from .roles import Role

DEMO_PASSWORD = "Hoa-ban-trang-2026"  # noqa: S105 - printed at start; demo only; passes the password policy

# A one-page PDF: enough for the content check to see a real PDF.
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

USERS = [
    # username, full name (first, last), role, units
    ("quantri", ("hệ thống", "Quản trị"), Role.ADMIN, []),
    ("lanhdao", ("Văn Hùng", "Nguyễn"), Role.LEADER, []),
    ("thamdinh", ("Thị Lan", "Trần"), Role.REVIEWER, []),
    ("thamdinh2", ("Minh Đức", "Phạm"), Role.REVIEWER, []),
    ("canbo.stttt", ("Thu Hà", "Lê"), Role.UNIT_STAFF, ["STTTT"]),
    ("canbo.snv", ("Quốc Bảo", "Vũ"), Role.UNIT_STAFF, ["SNV"]),
    ("canbo.syt", ("Ngọc Ánh", "Đỗ"), Role.UNIT_STAFF, ["SYT"]),
    ("canbo.ttt", ("Văn Nam", "Hoàng"), Role.UNIT_STAFF, ["TTT"]),
    ("canbo.bt", ("Thị Mai", "Bùi"), Role.UNIT_STAFF, ["02905"]),  # Xã Bảo Thắng
    ("canbo.bx", ("Văn Sơn", "Đặng"), Role.UNIT_STAFF, ["02683"]),  # Xã Bát Xát
]


def make_user(username, full_name, role, unit_codes=(), password=DEMO_PASSWORD):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.first_name, user.last_name = full_name
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    for code in unit_codes:
        Membership.objects.get_or_create(user=user, unit=Unit.objects.get(code=code))
    return user


def stored_changes(scheme, answers, engine_answers, *, with_explanations=True):
    """Engine answers as the unit form's changes (stored text, explanations where a document is asked)."""
    changes = {}
    for answer in answers:
        code = answer.criterion.code
        node = scheme.by_code[code]
        given = engine_answers.get(code, {})
        values = {k: stored_value(clean(scheme.fields[k], v)) for k, v in given.get("values", {}).items()}
        points = parse_number(given["points"]) if "points" in given else None
        explanation = answer.explanation
        if node.documents and with_explanations and not explanation:
            explanation = "Tài liệu lưu tại đơn vị, sẽ gửi bản giấy khi Sở yêu cầu."
        changes[code] = {"values": values, "points": points, "note": answer.note, "explanation": explanation}
    return changes


def fill(assessment, user, rng, *, level=0.85, attach_pdf=False):
    """Fill every applicable criterion of a form the way its unit's staff would, and save it."""
    scheme = assessment.criteria_set.scheme()
    answers = workflow.load_answers(assessment)
    engine = sample_answers(scheme, rng, has_procedures=assessment.unit.has_procedures, level=level)
    changes = stored_changes(scheme, answers, engine, with_explanations=not attach_pdf)
    workflow.save_unit_answers(assessment, changes, {a.criterion.code: a.version for a in answers}, by=user)
    if attach_pdf:
        for answer in answers:
            node = scheme.by_code[answer.criterion.code]
            if node.documents and node.applies(assessment.unit.has_procedures):
                pdf = SimpleUploadedFile(f"tai-lieu-{node.code}.pdf", TINY_PDF, content_type="application/pdf")
                workflow.upload_evidence(assessment, pdf, by=user, criterion=answer.criterion)
    return assessment


def review_change(assessment, reviewer, code, key, share, reason):
    """The reviewer lowers one count figure (column 6) to ``share`` of what the unit typed, with a reason."""
    answers = workflow.load_answers(assessment)
    answer = next(a for a in answers if a.criterion.code == code)
    new_values = dict(answer.values, **{key: str(int(parse_number(answer.values[key]) * share))})
    workflow.save_review(assessment, {code: {"reviewed_values": new_values, "reviewed_points": None,
                                             "poor_data": answer.poor_data, "reason": reason, "changed": True}},
                         {code: answer.version}, by=reviewer)


# Where the other units' forms stand, so queues, progress, ranking and the annex are seen at real size.
SPREAD = [("not_started", 12), ("draft", 14), ("submitted", 30), ("returned", 6), ("reviewed", 18), ("approved", 20)]
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Giàng",
                "Lò", "Sùng", "Vàng", "Hà", "Lục", "Nông"]
GIVEN_NAMES = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hoa", "Văn Khánh", "Thu Trang", "Đức Thắng",
               "Thị Xuân", "Văn Páo", "Thị Mỷ", "Seo Chứ", "Ngọc Lan", "Văn Tuấn"]


def _unit_staff(unit, rng):
    """The unit's own account (no password: only the documented demo accounts log in)."""
    user, created = get_user_model().objects.get_or_create(username=f"canbo.{unit.code.lower()}")
    if created:
        user.first_name, user.last_name = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.UNIT_STAFF))
        Membership.objects.get_or_create(user=user, unit=unit)
    return user


@transaction.atomic
def create_demo(today=None):
    """The new Lào Cai in 2026: its departments and its 99 communes and wards (loaded beforehand with
    ``load_communes``) in one open period, forms in every state."""
    today = today or timezone.localdate()
    users = {u[0]: make_user(*u) for u in USERS}
    admin = users["quantri"]
    period, created = Period.objects.get_or_create(
        year=today.year, name=f"Đánh giá, xếp hạng mức độ chuyển đổi số năm {today.year} (trình diễn)",
        defaults={"opens_on": today - datetime.timedelta(days=30), "deadline": today + datetime.timedelta(days=10),
                  "data_cutoff": today + datetime.timedelta(days=5)})
    if not created:
        return period, users
    for block_code, set_code in (("so-nganh", "laocai-2018-province"), ("xa", "laocai-2018-district")):
        PeriodCriteriaSet.objects.create(period=period, block=Block.objects.get(code=block_code),
                                         criteria_set=CriteriaSet.objects.current(set_code))
        for name in ("thamdinh", "thamdinh2"):
            ReviewerAssignment.objects.create(period=period, reviewer=users[name],
                                              block=Block.objects.get(code=block_code))
    period.participants.set(Unit.objects.filter(block__code__in=["so-nganh", "xa"], is_active=True))
    workflow.open_period(period, by=admin)
    rng = random.Random(2026)
    forms = {a.unit.code: a for a in Assessment.objects.filter(period=period).select_related("unit__block", "period")}
    reviewer, leader = users["thamdinh"], users["lanhdao"]
    for code, staff_name, level in (("STTTT", "canbo.stttt", 0.95), ("SNV", "canbo.snv", 0.85), ("SYT", "canbo.syt", 0.8),
                                    ("TTT", "canbo.ttt", 0.7), ("02905", "canbo.bt", 0.75)):
        fill(forms[code], users[staff_name], rng, level=level, attach_pdf=code == "STTTT")
        workflow.submit(forms[code], by=users[staff_name])
    fill(forms["02683"], users["canbo.bx"], rng, level=0.6)  # a draft, half done below
    review_change(forms["SNV"], reviewer, "II.1.2", "incoming_in_software", Decimal("0.8"),
                  "Đối chiếu báo cáo của Văn phòng UBND tỉnh: số văn bản cập nhật thấp hơn số đơn vị báo cáo")
    workflow.accept_review(forms["SNV"], by=reviewer)
    workflow.accept_review(forms["STTTT"], by=reviewer)
    workflow.approve(forms["STTTT"], by=leader)
    workflow.accept_review(forms["SYT"], by=reviewer)
    workflow.approve(forms["SYT"], by=leader)
    workflow.return_to_unit(forms["TTT"], by=reviewer,
                            reason="Đề nghị bổ sung quyết định phân công lãnh đạo phụ trách CNTT (tiêu chí IV.1).")
    staffed = {"STTTT", "SNV", "SYT", "TTT", "02905", "02683"}
    others = [forms[code] for code in sorted(forms) if code not in staffed]
    states = [state for state, weight in SPREAD for _ in range(weight)]
    for form in others:
        _bring_to(form, rng.choice(states), _unit_staff(form.unit, rng), reviewer, leader, rng)
    return period, users


def _bring_to(form, state, staff, reviewer, leader, rng):
    if state == "not_started":
        return
    fill(form, staff, rng, level=rng.uniform(0.45, 0.98))
    if state == "draft":
        return
    workflow.submit(form, by=staff)
    if state == "returned":
        workflow.return_to_unit(form, by=reviewer, reason="Đề nghị bổ sung tài liệu kiểm chứng cho các tiêu chí còn thiếu.")
    elif state in ("reviewed", "approved"):
        workflow.accept_review(form, by=reviewer)
        if state == "approved":
            workflow.approve(form, by=leader)
