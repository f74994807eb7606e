"""SQL queries per page as criteria and units grow; print a table.

Run: .venv/bin/python benchmarks/query_counts.py
The counts for the unit's form, the review screen and the reviewer's queue must
not grow with the number of criteria (20 → 200) or units (10 → 1 000).
Uses a throwaway database (SQLite unless DATABASE_URL says otherwise).
"""

import os
import sys
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

CASES = [(20, 10), (200, 10), (20, 1_000)]


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def main():
    import random

    from tests.synthetic import open_period, throwaway_database, user
    from units.models import Unit

    with throwaway_database():
        rows = []
        for criteria, units in CASES:
            period, _, reviewer = open_period(criteria, units)
            form = period.assessments.select_related("unit", "criteria_set").first()
            staff = user(f"bench.staff.{criteria}.{units}", "Cán bộ đơn vị", [Unit.objects.get(pk=form.unit_id)])
            scheme = form.criteria_set.scheme()
            answers = workflow.load_answers(form)
            changes = stored_changes(scheme, answers, sample_answers(scheme, random.Random(1)))
            workflow.save_unit_answers(form, changes, {a.criterion.code: a.version for a in answers}, by=staff)
            workflow.submit(form, by=staff)
            unit_client, review_client = Client(), Client()
            unit_client.force_login(staff)
            review_client.force_login(reviewer)
            rows.append((criteria, units, count(unit_client, f"/phieu/{form.pk}/"),
                         count(review_client, f"/phieu/{form.pk}/tham-dinh/"),
                         count(review_client, f"/ky-danh-gia/{period.pk}/")))
        print(f"{'tiêu chí':>9} {'đơn vị':>7} | {'phiếu (đơn vị)':>15} {'thẩm định':>10} {'danh sách':>10}")
        for row in rows:
            print(f"{row[0]:>9} {row[1]:>7} | {row[2]:>15} {row[3]:>10} {row[4]:>10}")
        constant = all(len({r[i] for r in rows}) == 1 for i in (2, 3, 4))
        print("Số truy vấn không đổi khi số tiêu chí và số đơn vị tăng:", "ĐẠT" if constant else "KHÔNG ĐẠT")
        return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
