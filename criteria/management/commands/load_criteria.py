from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from criteria.document import DocumentError, load_yaml
from criteria.store import save_document


class Command(BaseCommand):
    help = "Nạp bộ tiêu chí từ tệp YAML (hoặc mọi tệp .yaml trong một thư mục). Nạp lại cùng nội dung không thay đổi gì."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="tệp .yaml hoặc thư mục chứa các tệp .yaml")

    def handle(self, *args, paths, **options):
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(sorted(path.glob("*.yaml")))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"Không tìm thấy tệp hoặc thư mục: {raw}")
        failures = []
        for path in files:
            try:
                criteria_set, changed = save_document(load_yaml(path.read_text(encoding="utf-8")))
            except DocumentError as exc:
                failures.append(f"{path}:\n  " + "\n  ".join(exc.problems))
                continue
            except ValidationError as exc:
                failures.append(f"{path}:\n  " + "\n  ".join(exc.messages))
                continue
            state = "đã nạp" if changed else "không thay đổi"
            self.stdout.write(f"{criteria_set.code} v{criteria_set.version}: {state} ({path.name})")
        if failures:
            raise CommandError("Không nạp được:\n" + "\n".join(failures))
