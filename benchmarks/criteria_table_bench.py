"""Importing an official criteria table of about 300 rows (.xlsx and .docx), with its peers.

Run: .venv/bin/python benchmarks/criteria_table_bench.py [--rows 300] [--repeat 3]
Target: under 2 s per import on these 2-core machines. The peers, from the same run:
openpyxl merely reading every cell of the same workbook, python-docx merely reading
every cell of the same document. Nothing is written to a database (the import ends
with the checked document that ``save_document`` would store).
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-not-secret")  # settings refuse to start without one

import django  # noqa: E402

django.setup()

from criteria.table_import import import_table  # noqa: E402

HEADER = ["STT", "Chỉ số", "Điểm tối đa", "Cách xác định và tính điểm", "Tài liệu kiểm chứng",
          "Nguồn thu thập dữ liệu", "Đơn vị phối hợp xác minh"]
METHODS = [
    "100%: {m}; Từ 80% - dưới 100%: [tỷ lệ % × {m}]/100; Dưới 80%: 0",
    "Tỷ lệ = Số hồ sơ trực tuyến / Tổng số hồ sơ; Điểm = Tỷ lệ × Điểm tối đa",
    "Từ 4 lần trở lên: {m}; 3 lần: 3; 2 lần: 2; 1 lần: 1; Không tổ chức: 0",
    "Có: {m}; Không: 0",
    "Trưởng ban là Chủ tịch: tối đa; Phó Chủ tịch: 1/2 × tối đa; Chưa có: 0",
    "Theo kết quả khảo sát mức độ hài lòng của người dân",
]


def table_rows(count):
    """8 groups of criteria with 2-3 sub-criteria each, about ``count`` rows in all."""
    rows, n = [], 0
    groups = 8
    per_group = max(1, (count - groups) // groups)
    for g in range(groups):
        roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"][g]
        body, total, i = [], 0, 0
        while len(body) < per_group:
            i += 1
            kind = n % len(METHODS)
            n += 1
            body.append((str(i), f"Chỉ số thành phần {roman}.{i} về chuyển đổi số", 4,
                         METHODS[kind].format(m=4), "Báo cáo, quyết định", "Hệ thống thông tin báo cáo",
                         "Sở Khoa học và Công nghệ"))
            total += 4
            for sub in (1, 2):
                if len(body) >= per_group:
                    break
                body.append(("-", f"Mức {sub} của chỉ số {i}", "", "", "", "", ""))
        rows.append((roman, f"NHÓM CHỈ SỐ {roman}", total))
        rows.extend(body)
    rows.append(("", "Tổng cộng", sum(r[2] for r in rows if r[0] in {"I", "II", "III", "IV", "V", "VI", "VII", "VIII"})))
    return rows


def workbook_bytes(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ"])
    sheet.merge_cells("A1:G1")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def document_bytes(rows):
    import docx

    document = docx.Document()
    table = document.add_table(rows=len(rows) + 1, cols=7)
    for c, text in enumerate(HEADER):
        table.rows[0].cells[c].text = text
    for r, row in enumerate(rows, 1):
        cells = table.rows[r].cells
        for c, value in enumerate(row):
            cells[c].text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def best_of(repeat, step):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = table_rows(args.rows)
    xlsx, docx_data = workbook_bytes(rows), document_bytes(rows)

    def read_xlsx():
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(xlsx), read_only=True, data_only=True)
        cells = sum(len(r) for r in book.active.iter_rows(values_only=True))
        book.close()
        return cells

    def read_docx():
        import docx

        return sum(len(c.text) >= 0 for t in docx.Document(io.BytesIO(docx_data)).tables
                   for row in t.rows for c in row.cells)

    peer_xlsx, _ = best_of(args.repeat, read_xlsx)
    ours_xlsx, result = best_of(args.repeat, lambda: import_table(xlsx, "bench.xlsx", code="bench", name="Bench"))
    peer_docx, _ = best_of(args.repeat, read_docx)
    ours_docx, _ = best_of(args.repeat, lambda: import_table(docx_data, "bench.docx", code="bench", name="Bench"))
    print(f"table: {len(rows) + 2} rows ({result.criteria_count} criteria, {result.groups_count} groups), "
          f"best of {args.repeat}")
    print(f"{'step':<48}{'seconds':>10}")
    print(f"{'openpyxl reading every cell (peer)':<48}{peer_xlsx:>10.3f}")
    print(f"{'import_table .xlsx (read, rules, check)':<48}{ours_xlsx:>10.3f}")
    print(f"{'python-docx reading every cell (peer)':<48}{peer_docx:>10.3f}")
    print(f"{'import_table .docx (read, rules, check)':<48}{ours_docx:>10.3f}")
    worst = max(ours_xlsx, ours_docx)
    print(f"target < 2 s: {'met' if worst < 2 else 'NOT met'} ({worst:.3f} s)")


if __name__ == "__main__":
    main()
