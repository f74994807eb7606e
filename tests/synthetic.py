"""Synthetic criteria sets, units, staff, an open period and annex documents, for tests and benchmarks.

A set of ``n`` criteria is ``n`` threshold-ratio criteria in groups of ten,
each with its own two count fields; every unit gets one member of staff.
"""

import contextlib
import datetime
import random
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from assessment import workflow
from assessment.models import Period, PeriodCriteriaSet, ReviewerAssignment
from assessment.roles import Role
from criteria.store import save_document
from units.models import Block, Membership, Unit


def criteria_document(code, n):
    groups = []
    for g in range(0, n, 10):
        children = []
        for i in range(g, min(g + 10, n)):
            children.append({
                "code": f"G{g // 10 + 1}.{i - g + 1}", "title": f"Tiêu chí tổng hợp số {i + 1}", "max": 1,
                "fields": [{"key": f"den_{i}", "label": f"Tổng số hồ sơ {i + 1}", "kind": "count"},
                           {"key": f"num_{i}", "label": f"Số hồ sơ đạt {i + 1}", "kind": "count"}],
                "rule": {"kind": "ratio", "numerator": [f"num_{i}"], "denominator": [f"den_{i}"],
                         "full_at": 90, "zero_below": 50, "divisor": 90}})
        groups.append({"code": f"G{g // 10 + 1}", "title": f"NHÓM {g // 10 + 1}", "children": children})
    return {"code": code, "version": 1, "name": f"Bộ tiêu chí tổng hợp {n} tiêu chí", "status": "active",
            "blocks": ["so-nganh"], "headline": "total", "rounding": {"points": 2, "score": 2}, "total_max": n,
            "ranking_rule": "Theo tổng điểm.", "tie_rule": "Đồng hạng.", "criteria": groups}


def user(username, role, units=(), password="bench-2026"):
    account, created = get_user_model().objects.get_or_create(username=username)
    if created:
        account.set_password(password)
        account.save()
        account.groups.add(Group.objects.get(name=role))
    for unit in units:
        Membership.objects.get_or_create(user=account, unit=unit)
    return account


def open_period(criteria, units, *, name="Kỳ đánh giá tổng hợp", prefix="U"):
    """An open period with ``units`` units on a ``criteria``-criteria set. Returns (period, admin, reviewer)."""
    block = Block.objects.get(code="so-nganh")
    criteria_set, _ = save_document(criteria_document(f"bench-{criteria}", criteria))
    tag = f"{prefix}{criteria}x{units}-"
    Unit.objects.bulk_create([Unit(code=f"{tag}{i}", name=f"Đơn vị tổng hợp {i}", block=block) for i in range(units)])
    made = list(Unit.objects.filter(code__startswith=tag))
    today = timezone.localdate()
    period = Period.objects.create(year=today.year, name=f"{name} {criteria}×{units}",
                                   opens_on=today - datetime.timedelta(days=5),
                                   deadline=today + datetime.timedelta(days=30), data_cutoff=today)
    PeriodCriteriaSet.objects.create(period=period, block=block, criteria_set=criteria_set)
    period.participants.set(made)
    admin = user("bench.admin", Role.ADMIN)
    reviewer = user("bench.reviewer", Role.REVIEWER)
    ReviewerAssignment.objects.get_or_create(period=period, reviewer=reviewer, block=block)
    workflow.open_period(period, by=admin)
    return period, admin, reviewer


@contextlib.contextmanager
def throwaway_database():
    """A fresh test database for one benchmark run (SQLite unless DATABASE_URL says otherwise), dropped after."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def annex_document(size):
    """A publication document of ``size`` units with plausible scores (laocai-2018-district's groups), no database."""
    from criteria.document import load_yaml, parse_document

    scheme = parse_document(load_yaml((Path(__file__).resolve().parent.parent / "fixtures/criteria/laocai-2018-district.yaml").read_text("utf-8")))
    groups = [n for n in scheme.nodes if not n.is_deduction]
    rng = random.Random(size)
    rows = []
    for i in range(size):
        points = {g.code: Decimal(rng.uniform(0.4, 1.0)) * g.max_points for g in groups}
        points = {k: v.quantize(Decimal("0.01")) for k, v in points.items()}
        total = sum(points.values())
        rows.append({"unit_code": f"U{i}", "unit_name": f"UBND xã thử nghiệm số {i + 1}", "voluntary": i % 50 == 49,
                     "groups": {k: format(v, "f") for k, v in points.items()}, "total": format(total, "f"),
                     "max": "100.00", "score": format(total, "f"), "classification": "", "reason": "",
                     "strengths": "Tỷ lệ văn bản đi được ký số; Hệ thống một cửa điện tử hoạt động thường xuyên",
                     "weaknesses": "Tỷ lệ hồ sơ trực tuyến mức độ 3, 4 còn thấp", "rank": None})
    from reports.analysis import rank_block

    rank_block(rows, [g.code for g in groups])
    block = {"code": "huyen", "name": "UBND cấp huyện",
             "criteria_set": {"code": scheme.code, "version": 1, "name": scheme.name, "headline": "total",
                              "figure": "Tổng điểm", "ranking_rule": scheme.ranking_rule, "tie_rule": scheme.tie_rule,
                              "decision": ""},
             "bands": [], "groups": [{"code": g.code, "title": g.title, "max": format(g.max_points, "f")} for g in groups],
             "criteria_titles": {}, "rows": rows}
    meta = {"parent_body": "UBND tỉnh Lào Cai", "issuing_body": "Sở Thông tin và Truyền thông",
            "place": "Lào Cai", "authority": "KT.", "authority_of": "Giám đốc", "signer_title": "Phó Giám đốc",
            "signer_name": "Nguyễn Văn Hùng", "recipients": ["- UBND tỉnh (b/c);", "- Lưu: VT."], "number": "1/QĐ-STTTT",
            "date": "2021-01-05", "title": "KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG MỨC ĐỘ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN"}
    return {"period": {"id": 1, "name": "Kỳ thử", "year": 2021}, "meta": meta, "blocks": [block], "supersedes": None}
