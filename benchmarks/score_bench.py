"""Score and rank synthetic units on laocai-2018-district; print a table.

Run: .venv/bin/python benchmarks/score_bench.py [--repeat N]
Target on the 2-core machines: 10 000 units in under 2 seconds.
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from criteria.document import load_yaml, parse_document  # noqa: E402
from criteria.samples import sample_answers  # noqa: E402
from criteria.scoring import UnitInput, score_units  # noqa: E402

SIZES = (100, 1_000, 10_000)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best is reported")
    args = parser.parse_args()
    scheme = parse_document(load_yaml((ROOT / "fixtures/criteria/laocai-2018-district.yaml").read_text("utf-8")))
    rng = random.Random(2018)
    pool = []
    for _ in range(500):
        answers = sample_answers(scheme, rng)
        answers["VI.2"] = {"criteria": rng.sample(["I.1", "II.1.2", "III.5"], rng.randint(0, 2))}
        pool.append(answers)
    print(f"Bộ tiêu chí {scheme.code}: {len(scheme.leaves)} tiêu chí lá; tốt nhất trong {args.repeat} lần chạy")
    print(f"{'đơn vị':>10}  {'giây':>8}  {'đơn vị/giây':>12}  {'µs/đơn vị':>10}")
    for size in SIZES:
        units = [UnitInput(code=f"U{i}", block="huyen", days_late=i % 3, answers=pool[i % len(pool)])
                 for i in range(size)]
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            results = score_units(scheme, units)
            best = min(best, time.perf_counter() - start)
        assert len(results) == size and results[0].rank is not None
        print(f"{size:>10,}  {best:>8.3f}  {size / best:>12,.0f}  {best / size * 1e6:>10.1f}".replace(",", "."))


if __name__ == "__main__":
    main()
