"""Load: simulated unit staff (200 by default: deadline day) saving their forms against gunicorn + PostgreSQL.

Run: .venv/bin/pip install -r benchmarks/requirements.txt
     .venv/bin/python benchmarks/load_forms.py [--users 200] [--seconds 120] [--workers 3]
Creates a throwaway PostgreSQL database (LOAD_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/itassess_load), one unit and one member of
staff per simulated user on laocai-2018-province, starts gunicorn, runs locust
headless, prints p50/p95 latency and errors per request kind, then drops the
database. Target on these 2-core machines: p95 under 300 ms, zero errors.
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itassess_load"


def recreate(url):
    import psycopg2

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return lambda: drop(parts, name)


def drop(parts, name):
    import psycopg2

    conn = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def prepare(users):
    """Criteria, units, staff and an open period, written through the product's own verbs."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key-not-secret")  # settings refuse to start without one
    import django

    django.setup()
    from django.core.management import call_command

    from assessment import workflow
    from assessment.demo import fill
    from assessment.models import Assessment
    from criteria.models import CriteriaSet
    from tests.synthetic import user
    from units.models import Block, Unit

    call_command("migrate", verbosity=0)
    call_command("load_criteria", str(ROOT / "fixtures/criteria"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    block = Block.objects.get(code="so-nganh")
    units = [Unit.objects.create(code=f"LOAD{i}", name=f"Sở thử tải số {i}", block=block) for i in range(users)]
    from assessment.models import Period, PeriodCriteriaSet

    today = django.utils.timezone.localdate()
    period = Period.objects.create(year=today.year, name="Kỳ thử tải", opens_on=today, deadline=today, data_cutoff=today)
    period.deadline = today.replace(year=today.year + 1)
    period.save()
    PeriodCriteriaSet.objects.create(period=period, block=block,
                                     criteria_set=CriteriaSet.objects.current("laocai-2018-province"))
    period.participants.set(units)
    admin = user("load.admin", "Quản trị viên")
    workflow.open_period(period, by=admin)
    from tests.pages import session_for

    rng = random.Random(50)
    sessions = {}
    for i, unit in enumerate(units):
        staff = user(f"load.staff.{i}", "Cán bộ đơn vị", [unit])
        fill(Assessment.objects.select_related("unit", "period").get(period=period, unit=unit), staff, rng)
        sessions[staff.username] = session_for(staff)
    return sessions


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn không trả lời tại {url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args()
    url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    port = free_port()
    cleanup = recreate(url)
    env = dict(os.environ, DATABASE_URL=url, DEBUG="0", ALLOWED_HOSTS="127.0.0.1", CONN_MAX_AGE="60",
               SECRET_KEY="load-test-only-" + "x" * 40, PYTHONPATH=str(ROOT))
    os.environ.update(DATABASE_URL=url, SECRET_KEY=env["SECRET_KEY"])
    server = None
    try:
        started = time.monotonic()
        sessions = Path(tempfile.mkdtemp()) / "sessions.json"
        sessions.write_text(json.dumps(prepare(args.users)))
        env["LOAD_SESSIONS"] = str(sessions)
        print(f"Chuẩn bị {args.users} đơn vị, phiếu đã điền: {time.monotonic() - started:.1f} giây")
        server = subprocess.Popen([str(BIN / "gunicorn"), "config.wsgi", "-w", str(args.workers), "-b",
                                   f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env)
        wait_for(f"http://127.0.0.1:{port}/dang-nhap/")
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "benchmarks/locustfile.py"), "--headless",
                            "-u", str(args.users), "-r", str(max(1, args.users // 10)), "-t", f"{args.seconds}s",
                            "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
                            "--loglevel", "WARNING"], cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
            rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))  # noqa: SIM115
        print(f"\n{args.users} cán bộ đồng thời, {args.seconds} giây, gunicorn {args.workers} worker + PostgreSQL")
        print(f"{'yêu cầu':<14} {'số lượt':>8} {'lỗi':>5} {'p50 ms':>8} {'p95 ms':>8} {'lượt/giây':>10}")
        ok = False
        for row in rows:
            name = row["Name"] if row["Name"] != "Aggregated" else "tổng cộng"
            print(f"{name:<14} {row['Request Count']:>8} {row['Failure Count']:>5} {row['50%']:>8} {row['95%']:>8} "
                  f"{float(row['Requests/s']):>10.1f}")
            if row["Name"] == "lưu phiếu":
                ok = int(row["Failure Count"]) == 0 and float(row["95%"]) < 300 and int(row["Request Count"]) > 0
        print("Mục tiêu lưu phiếu p95 < 300 ms, không lỗi:", "ĐẠT" if ok else "KHÔNG ĐẠT")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        from django.db import connections

        connections.close_all()
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
