"""Annex generation for 30, 200 and 2 000 units: PDF and Excel time and peak memory; prints a table.

Run: .venv/bin/python benchmarks/annex_bench.py
Each size runs in a fresh process so that peak memory (max RSS) is its own.
Targets on these 2-core machines: 200 units under 3 s for the PDF and under 1 s for the Excel.
The document is synthetic (laocai-2018-district's groups, plausible scores); no database is used.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (30, 200, 2_000)


def document(size):
    from tests.synthetic import annex_document

    return annex_document(size)


def measure(size, kind):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key-not-secret")  # settings refuse to start without one
    import django

    django.setup()
    from reports.render import render_pdf, render_xlsx
    from reports.snapshot import content_hash

    doc = document(size)
    digest = content_hash(doc)
    render = render_pdf if kind == "pdf" else render_xlsx
    render(document(5), digest)  # load fonts and templates once, as a running server has
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    data = render(doc, digest)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "growth_mb": (peak - before) / 1024,
                      "bytes": len(data)}))


def main():
    print(f"{'đơn vị':>7} {'tệp':>5} {'giây':>7} {'RSS đỉnh MB':>12} {'tăng MB':>8} {'dung lượng KB':>14}")
    verdict = {}
    for size in SIZES:
        for kind in ("pdf", "xlsx"):
            out = subprocess.run([sys.executable, __file__, "--one", str(size), kind], capture_output=True, text=True,
                                 check=True, cwd=ROOT).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{size:>7} {kind:>5} {r['seconds']:>7.2f} {r['peak_mb']:>12.0f} {r['growth_mb']:>8.0f} "
                  f"{r['bytes'] / 1024:>14.0f}")
            verdict[(size, kind)] = r["seconds"]
    ok = verdict[(200, "pdf")] < 3 and verdict[(200, "xlsx")] < 1
    print("Mục tiêu 200 đơn vị: PDF < 3 giây, Excel < 1 giây:", "ĐẠT" if ok else "KHÔNG ĐẠT")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        measure(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(main())
