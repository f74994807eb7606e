"""Annex generation for 30, 200 and 2 000 units: PDF and Excel time and peak memory, and the peer:
LibreOffice converting our own Excel annex of the same rows to PDF, in the same run; prints a table.

Run: .venv/bin/python benchmarks/annex_bench.py
Each size runs in a fresh process so that peak memory (max RSS) is its own; the process also reports
its CPU seconds (the machines are shared: CPU is the steadier figure). The peer is
`soffice --headless --convert-to pdf` on the .xlsx we render, timed end to end (its start-up included:
that is what converting a file costs). Targets: PDF for 200 units under 1 s; PDF for 2 000 units no
slower than the peer; Excel for 2 000 units under 1 s.
The document is synthetic (laocai-2018-district's groups, plausible scores); no database is used.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
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
    start, cpu = time.perf_counter(), time.process_time()
    data = render(doc, digest)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if kind == "xlsx" and os.environ.get("ANNEX_XLSX_OUT"):
        Path(os.environ["ANNEX_XLSX_OUT"]).write_bytes(data)
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak / 1024, "growth_mb": (peak - before) / 1024,
                      "bytes": len(data)}))


def libreoffice(xlsx):
    """Seconds for LibreOffice to convert this workbook to PDF (a fresh profile, headless)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "annex.xlsx")
        source.write_bytes(xlsx.read_bytes())
        start = time.perf_counter()
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(source)], check=True, capture_output=True)
        seconds = time.perf_counter() - start
        assert Path(tmp, "annex.pdf").stat().st_size > 0
    return seconds


def main():
    print(f"{'đơn vị':>7} {'tệp':>5} {'giây':>7} {'giây CPU':>9} {'RSS đỉnh MB':>12} {'dung lượng KB':>14} "
          f"{'LibreOffice xlsx→pdf':>21} {'tỷ lệ PDF/LO':>13}")
    verdict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            xlsx = Path(tmp, f"annex-{size}.xlsx")
            for kind in ("xlsx", "pdf"):
                env = dict(os.environ, ANNEX_XLSX_OUT=str(xlsx))
                out = subprocess.run([sys.executable, __file__, "--one", str(size), kind], capture_output=True,
                                     text=True, check=True, cwd=ROOT, env=env).stdout
                r = json.loads(out.strip().splitlines()[-1])
                peer = ratio = ""
                if kind == "pdf":
                    lo = libreoffice(xlsx)
                    peer, ratio = f"{lo:.2f}", f"{r['seconds'] / lo:.2f}"
                    verdict[(size, "lo")] = lo
                print(f"{size:>7} {kind:>5} {r['seconds']:>7.2f} {r['cpu']:>9.2f} {r['peak_mb']:>12.0f} "
                      f"{r['bytes'] / 1024:>14.0f} {peer:>21} {ratio:>13}")
                verdict[(size, kind)] = r["seconds"]
    checks = {"PDF 200 đơn vị < 1 giây": verdict[(200, "pdf")] < 1,
              "PDF 2 000 đơn vị không chậm hơn LibreOffice": verdict[(2000, "pdf")] <= verdict[(2000, "lo")],
              "Excel 2 000 đơn vị < 1 giây": verdict[(2000, "xlsx")] < 1}
    for name, ok in checks.items():
        print(f"{name}: {'ĐẠT' if ok else 'KHÔNG ĐẠT'}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        measure(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(main())
