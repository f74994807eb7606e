from django.core.management.base import BaseCommand, CommandError

from criteria.models import CriteriaSet
from criteria.store import canonical_text


class Command(BaseCommand):
    help = "Xuất một bộ tiêu chí ra dạng văn bản YAML (đọc lại được bằng load_criteria)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="mã bộ tiêu chí, ví dụ laocai-2018-province")
        parser.add_argument("--set-version", dest="set_version", type=int,
                            help="phiên bản (mặc định: phiên bản đang áp dụng, nếu không có thì mới nhất)")
        parser.add_argument("--output", "-o", help="ghi ra tệp thay vì màn hình")

    def handle(self, code, set_version=None, output=None, **options):
        if set_version is None:
            criteria_set = CriteriaSet.objects.current(code)
        else:
            criteria_set = CriteriaSet.objects.filter(code=code, version=set_version).first()
        if criteria_set is None:
            raise CommandError(f"Không có bộ tiêu chí '{code}'" + (f" phiên bản {set_version}" if set_version else ""))
        text = canonical_text(criteria_set.document())
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            self.stdout.write(text, ending="")
