import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from criteria.batch import read_units, results_json, results_table
from criteria.models import CriteriaSet
from criteria.scoring import ScoringInputError, score_units


class Command(BaseCommand):
    help = ("Chấm điểm và xếp hạng nhiều đơn vị theo một bộ tiêu chí. Dữ liệu sai thì không chấm đơn vị nào "
            "và liệt kê từng lỗi (đơn vị, tiêu chí, giá trị).")

    def add_arguments(self, parser):
        parser.add_argument("code", help="mã bộ tiêu chí, ví dụ thaibinh-2020")
        parser.add_argument("input", help="tệp JSON: {\"units\": [...]}")
        parser.add_argument("--format", choices=["json", "table"], default="json")
        parser.add_argument("--set-version", dest="set_version", type=int, help="phiên bản bộ tiêu chí")

    def handle(self, code, input, format, set_version=None, **options):
        rows = CriteriaSet.objects.filter(code=code)
        criteria_set = rows.filter(version=set_version).first() if set_version else rows.current(code)
        if criteria_set is None:
            raise CommandError(f"Không có bộ tiêu chí '{code}'")
        path = Path(input)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp dữ liệu: {input}")
        scheme = criteria_set.scheme()
        try:
            results = score_units(scheme, read_units(path.read_text(encoding="utf-8")))
        except ScoringInputError as exc:
            raise CommandError(f"Dữ liệu có {len(exc.problems)} lỗi, chưa chấm đơn vị nào:\n"
                               + "\n".join(f"- {p}" for p in exc.problems)) from None
        for result in results:
            for warning in result.warnings:
                self.stderr.write(f"Cảnh báo — đơn vị {result.unit.label}: {warning}")
        if format == "table":
            self.stdout.write(results_table(scheme, results), ending="")
        else:
            self.stdout.write(json.dumps(results_json(scheme, results), ensure_ascii=False, indent=2))
