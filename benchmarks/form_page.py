"""The unit's form and the review screen with 200 criteria: constant queries, under 300 ms.

Run: .venv/bin/python benchmarks/form_page.py [--runs 7]
For 20 criteria (the peer) and 200 criteria, on a form that was returned and resubmitted (so
the banner, the "cần bổ sung" marks and the diff since the previous submission are all
computed), it prints the SQL queries and the median server time of: the unit's form while it
is returned (editable), and the reviewer's screen after the resubmission. Server time is the
Django test client's request, from the URL to the rendered HTML, without a network. Target:
the 200-criteria pages make as many queries as the 20-criteria ones and render under 300 ms.
Uses a throwaway database (SQLite unless DATABASE_URL says otherwise).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-not-secret")  # settings refuse to start without one

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessment import workflow  # noqa: E402
from assessment.demo import stored_changes  # noqa: E402
from criteria.samples import sample_answers  # noqa: E402

SIZES = (20, 200)
TARGET_MS = 300


def measure(client, url, runs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # read now: the captured slice is taken from a log later requests move
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(times)


def returned_and_resubmitted(criteria, runs):
    """Measure both pages for a form of ``criteria`` criteria; returns (unit, review) as (queries, ms)."""
    from tests.synthetic import open_period, user
    from units.models import Unit

    period, _, reviewer = open_period(criteria, 3, prefix=f"F{criteria}-")
    form = period.assessments.select_related("unit", "criteria_set").first()
    staff = user(f"bench.form.{criteria}", "Cán bộ đơn vị", [Unit.objects.get(pk=form.unit_id)])
    scheme = form.criteria_set.scheme()
    answers = workflow.load_answers(form)
    changes = stored_changes(scheme, answers, sample_answers(scheme, random.Random(1)))
    workflow.save_unit_answers(form, changes, {a.criterion.code: a.version for a in answers}, by=staff)
    workflow.submit(form, by=staff)
    answers = workflow.load_answers(form)
    first = answers[0]
    workflow.save_review(form, {first.criterion.code: {
        "reviewed_values": None, "reviewed_points": None, "poor_data": False, "review_reason": "",
        "request": "Gửi thêm tài liệu", "reason": "Cần bổ sung"}}, {first.criterion.code: first.version},
        by=reviewer)
    workflow.return_to_unit(form, by=reviewer, reason="Đề nghị bổ sung.")
    unit_client, review_client = Client(), Client()
    unit_client.force_login(staff)
    review_client.force_login(reviewer)
    unit = measure(unit_client, f"/phieu/{form.pk}/", runs)
    answers = workflow.load_answers(form)
    again = stored_changes(scheme, answers, sample_answers(scheme, random.Random(2)))
    workflow.save_unit_answers(form, again, {a.criterion.code: a.version for a in answers}, by=staff)
    workflow.submit(form, by=staff)
    review = measure(review_client, f"/phieu/{form.pk}/tham-dinh/", runs)
    return unit, review


def main():
    from tests.synthetic import throwaway_database

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with throwaway_database():
        results = {n: returned_and_resubmitted(n, args.runs) for n in SIZES}
    print(f"{'tiêu chí':>9} | {'phiếu đơn vị: truy vấn':>22} {'ms':>7} | {'thẩm định: truy vấn':>19} {'ms':>7}")
    for n, ((uq, ums), (rq, rms)) in results.items():
        print(f"{n:>9} | {uq:>22} {ums:>7.1f} | {rq:>19} {rms:>7.1f}")
    small, large = results[SIZES[0]], results[SIZES[-1]]
    constant = small[0][0] == large[0][0] and small[1][0] == large[1][0]
    fast = large[0][1] < TARGET_MS and large[1][1] < TARGET_MS
    print("Số truy vấn không đổi từ 20 đến 200 tiêu chí:", "ĐẠT" if constant else "KHÔNG ĐẠT")
    print(f"Trang 200 tiêu chí dưới {TARGET_MS} ms (trung vị):", "ĐẠT" if fast else "KHÔNG ĐẠT")
    return 0 if constant and fast else 1


if __name__ == "__main__":
    sys.exit(main())
