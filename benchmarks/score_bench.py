"""`manage.py score laocai-2018-district` on 10 000 units, end to end less process start-up, against
the peer: a straightforward independent scorer of the same form (benchmarks/plain_scorer.py).

Run: .venv/bin/python benchmarks/score_bench.py [--units N] [--repeat R]
Both read the same JSON file and write a JSON file; they run in turn, R times each, in one process
(Django set up and the criteria set loaded once, in a throwaway database, before any timing). The
medians and their ratio are printed. Targets: under 1 s, and at most a third of the peer's time.
"""

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
CODE = "laocai-2018-district"


def write_input(path, size):
    from criteria.document import load_yaml, parse_document
    from criteria.samples import sample_answers

    scheme = parse_document(load_yaml((ROOT / f"fixtures/criteria/{CODE}.yaml").read_text("utf-8")))
    rng = random.Random(2018)
    pool = []
    for _ in range(500):
        answers = sample_answers(scheme, rng)
        answers["VI.2"] = {"criteria": rng.sample(["I.1", "II.1.2", "III.5"], rng.randint(0, 2))}
        pool.append(answers)
    units = [{"code": f"X{i:05d}", "name": f"UBND xã thử nghiệm số {i + 1}", "block": "xa", "days_late": i % 3,
              "answers": pool[i % len(pool)]} for i in range(size)]
    path.write_text(json.dumps({"units": units}, ensure_ascii=False), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks import plain_scorer
    from benchmarks.synthetic import throwaway_database

    with tempfile.TemporaryDirectory() as tmp, throwaway_database():
        source, ours, theirs = Path(tmp, "in.json"), Path(tmp, "out.json"), Path(tmp, "peer.json")
        write_input(source, args.units)
        call_command("load_criteria", str(ROOT / "fixtures/criteria"), stdout=io.StringIO())
        mine, peer, mine_cpu, peer_cpu = [], [], [], []
        for _ in range(args.repeat):
            start, cpu = time.perf_counter(), time.process_time()
            with ours.open("w", encoding="utf-8") as out:
                call_command("score", CODE, str(source), stdout=out)
            mine.append(time.perf_counter() - start)
            mine_cpu.append(time.process_time() - cpu)
            start, cpu = time.perf_counter(), time.process_time()
            plain_scorer.run(ROOT / f"fixtures/criteria/{CODE}.yaml", source, theirs)
            peer.append(time.perf_counter() - start)
            peer_cpu.append(time.process_time() - cpu)
        got = {r["code"]: (r["total"], r["rank"]) for r in json.loads(ours.read_text("utf-8"))["results"]}
        expected = {r["code"]: (r["total"], r["rank"]) for r in json.loads(theirs.read_text("utf-8"))["results"]}
        agree = "khớp" if got == expected else "KHÁC NHAU"
        size_mb = source.stat().st_size / 1e6
    m, p = statistics.median(mine), statistics.median(peer)
    mc, pc = statistics.median(mine_cpu), statistics.median(peer_cpu)
    print(f"manage.py score {CODE}: {args.units} đơn vị, tệp vào {size_mb:.1f} MB; trung vị của {args.repeat} lần "
          "(giây đồng hồ / giây CPU của tiến trình)")
    print(f"  lệnh score (đọc, kiểm tra, chấm, xếp hạng, ghi JSON): {m:.2f} s / CPU {mc:.2f} s "
          f"(các lần: {', '.join(f'{t:.2f}' for t in mine)})")
    print(f"  đối chứng — bộ chấm đơn giản độc lập (benchmarks/plain_scorer.py): {p:.2f} s / CPU {pc:.2f} s "
          f"(các lần: {', '.join(f'{t:.2f}' for t in peer)})")
    print(f"  tỷ lệ lệnh / đối chứng: {m / p:.2f} (CPU {mc / pc:.2f}; mục tiêu ≤ 0,33); dưới 1 s: "
          f"{'ĐẠT' if m < 1 else 'CHƯA ĐẠT'}; tổng điểm và hạng hai bên: {agree}")


if __name__ == "__main__":
    main()
