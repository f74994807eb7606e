"""Import of one spreadsheet of answers for 2 000 units (laocai-2018-district, 58 criteria): preview
(dry run) and commit, time and peak memory; prints a table. On PostgreSQL the peer, from the same run:
a bare COPY of the same rows (every answer row the commit updates and one history row per changed
answer) into an unindexed scratch table without triggers: the floor for writing them.

Run: .venv/bin/python benchmarks/import_bench.py [--units 2000]
Target on these 2-core machines: under 10 s and 300 MB (peak RSS of the whole process, an upper
bound: it includes building the forms). Uses a throwaway database (SQLite unless
DATABASE_URL says otherwise); building the 2 000 open forms first is not measured.
"""

import argparse
import io
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-not-secret")  # settings refuse to start without one

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def measure(step):
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        result = profile.runcall(step)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        return result, 0, 0
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    result = step()
    seconds = time.perf_counter() - start
    measure.cpu = time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result, seconds, (after - before) / 1024


def copy_peer(touched):
    """Seconds to COPY the commit's rows (all answers of the changed forms, plus one history row per
    changed answer) into a scratch table: PostgreSQL's floor for the same writing."""
    from django.db import connection

    from assessment.bulk import _copy
    from assessment.models import Answer

    fields = [f for f in Answer._meta.concrete_fields]
    columns = [connection.ops.quote_name(f.column) for f in fields]
    rows = []
    for row in Answer.objects.values_list(*[f.attname for f in fields]):
        rows.append([json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for v in row])
    rows += rows[:touched]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copy_peer (LIKE assessment_answer)")
        start = time.perf_counter()
        _copy(cursor, "copy_peer", columns, rows)
        seconds = time.perf_counter() - start
        cursor.execute("DROP TABLE copy_peer")
    return seconds, len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=2000)
    args = parser.parse_args()
    from tests.synthetic import throwaway_database

    with throwaway_database():
        import openpyxl

        from assessment import bulk, workflow
        from assessment.models import Period, PeriodCriteriaSet
        from criteria.models import CriteriaSet
        from criteria.samples import sample_values
        from tests.synthetic import user
        from units.models import Block, Unit

        call_command("load_criteria", str(ROOT / "fixtures/criteria/laocai-2018-district.yaml"), stdout=io.StringIO())
        block = Block.objects.get(code="huyen")
        Unit.objects.bulk_create([Unit(code=f"H{i}", name=f"UBND huyện thử {i}", block=block) for i in range(args.units)])
        criteria_set = CriteriaSet.objects.current("laocai-2018-district")
        period = Period.objects.create(year=2026, name="Kỳ thử nhập", opens_on="2026-01-01", deadline="2026-12-31",
                                       data_cutoff="2026-11-15")
        PeriodCriteriaSet.objects.create(period=period, block=block, criteria_set=criteria_set)
        period.participants.set(Unit.objects.filter(block=block))
        admin = user("bench.admin", "Quản trị viên")
        started = time.perf_counter()
        workflow.open_period(period, by=admin)
        print(f"Chuẩn bị {args.units} phiếu đang mở: {time.perf_counter() - started:.1f} giây (không tính)")
        book = openpyxl.load_workbook(io.BytesIO(bulk.build_template(period, criteria_set)))
        sheet = book.active
        header = [c.value for c in sheet[1]]
        scheme = criteria_set.scheme()
        rng = random.Random(7)
        for row in sheet.iter_rows(min_row=3):
            values = sample_values(scheme, rng)
            for cell, key in zip(row[2:], header[2:], strict=True):
                code, field = key.split(":")
                if field == "điểm":
                    cell.value = float(scheme.by_code[code].assessed_max) / 2
                else:
                    fld = scheme.fields[field]
                    value = values[field]
                    cell.value = {"yes_no": "Có" if value else "Không",
                                  "choice": fld.choice_labels.get(value, value)}.get(fld.kind, value) \
                        if fld.kind in ("yes_no", "choice") else value
        output = io.BytesIO()
        book.save(output)
        data = output.getvalue()
        reading, read_s, read_mb = measure(lambda: bulk.read_sheet(period, criteria_set, data, "so-lieu.xlsx"))
        read_cpu = measure.cpu
        assert not reading.problems, reading.problems[:5]
        written, write_s, write_mb = measure(lambda: bulk.apply(period, criteria_set, reading, by=admin))
        write_cpu = measure.cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"Tệp {len(data) / 1048576:.1f} MB, {reading.changed_units} đơn vị, {written} tiêu chí ghi")
        print(f"{'bước':<28} {'giây':>7} {'giây CPU':>9} {'RSS đỉnh tăng thêm MB':>22}")
        print(f"{'xem trước (chạy thử)':<28} {read_s:>7.2f} {read_cpu:>9.2f} {read_mb:>22.0f}")
        print(f"{'ghi (xác nhận)':<28} {write_s:>7.2f} {write_cpu:>9.2f} {write_mb:>22.0f}")
        from django.db import connection

        if connection.vendor == "postgresql":
            seconds, count = copy_peer(written)
            print(f"Đối chứng: COPY trần {count} dòng như trên vào bảng tạm (PostgreSQL): {seconds:.2f} giây")
        print(f"RSS đỉnh của cả tiến trình (gồm phần chuẩn bị): {rss:.0f} MB")
        ok = read_s + write_s < 10 and rss < 300
        print("Mục tiêu < 10 giây, < 300 MB:", "ĐẠT" if ok else "KHÔNG ĐẠT")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
