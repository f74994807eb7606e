"""The criteria-set editor for a 300-criterion set: constant queries, server time against 300 ms.

Run: .venv/bin/python benchmarks/editor_page.py [--runs 7]
For a draft set of 30 criteria (the peer) and of 300, it prints the SQL queries and the median
server time of the editor page (the tree with every rule read back as sentences) and of the same
page with one criterion open for editing. Server time is the Django test client's request, from
the URL to the rendered HTML, without a network. Uses a throwaway database (SQLite unless
DATABASE_URL says otherwise).
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-not-secret")  # settings refuse to start without one

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from benchmarks.form_page import TARGET_MS, measure  # noqa: E402 - the same server-time measure

SIZES = (30, 300)


def editor_pages(criteria, runs):
    from assessment.roles import Role
    from criteria.store import save_document
    from tests.synthetic import criteria_document, user

    document = criteria_document(f"bien-tap-{criteria}", criteria)
    document["status"] = "draft"
    criteria_set, _ = save_document(document)
    admin = user(f"bench.admin.{criteria}", Role.ADMIN)
    client = Client()
    client.force_login(admin)
    url = f"/tieu-chi/{criteria_set.code}/v{criteria_set.version}/sua/"
    first = criteria_set.scheme().leaves[0].code
    return measure(client, url, runs), measure(client, f"{url}?tc={first}", runs)


def main():
    from tests.synthetic import throwaway_database

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with throwaway_database():
        results = {n: editor_pages(n, args.runs) for n in SIZES}
    print(f"{'tiêu chí':>9} | {'cây: truy vấn':>14} {'ms':>7} | {'sửa một tiêu chí: truy vấn':>27} {'ms':>7}")
    for n, ((tq, tms), (eq, ems)) in results.items():
        print(f"{n:>9} | {tq:>14} {tms:>7.1f} | {eq:>27} {ems:>7.1f}")
    small, large = results[SIZES[0]], results[SIZES[-1]]
    constant = small[0][0] == large[0][0] and small[1][0] == large[1][0]
    fast = large[0][1] < TARGET_MS and large[1][1] < TARGET_MS
    print(f"Số truy vấn không đổi từ {SIZES[0]} đến {SIZES[-1]} tiêu chí:", "ĐẠT" if constant else "KHÔNG ĐẠT")
    print(f"Trang {SIZES[-1]} tiêu chí dưới {TARGET_MS} ms (trung vị):", "ĐẠT" if fast else "KHÔNG ĐẠT")
    return 0 if constant and fast else 1


if __name__ == "__main__":
    sys.exit(main())
