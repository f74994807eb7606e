"""Import a past published results table as a closed period with its publication.

    python manage.py import_results fixtures/history/thaibinh-2020.csv --criteria thaibinh-2020 \\
        --year 2020 --name "Đánh giá năm 2020" --number "06/QĐ-UBND" --date 2021-01-05 \\
        --issuer "UBND tỉnh Thái Bình" --place "Thái Bình" [--dry-run] [--accept-near] [--match "Tên=MÃ"]

Units are matched by name. Exact matches are used; near matches (e.g. "Sở Lao động TBXH" ↔ "Sở
Lao động – Thương binh và Xã hội") are listed and stop the import until a person confirms them
with --accept-near or names the right unit with --match; names with no match become new units.
The audit against the set's rules is printed either way; --dry-run writes nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from criteria.models import CriteriaSet
from units.models import Block, Unit

from ...historical import TableError, audit, import_table, match_units, read_table


class Command(BaseCommand):
    help = "Nhập bảng kết quả đã công bố của năm trước thành kỳ đánh giá đã kết thúc (giữ nguyên số liệu)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--criteria", required=True, help="mã bộ tiêu chí")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--name", required=True, help="tên kỳ đánh giá")
        parser.add_argument("--block", default="so-nganh")
        parser.add_argument("--number", required=True, help="số văn bản công bố")
        parser.add_argument("--date", required=True, help="ngày văn bản (YYYY-MM-DD)")
        parser.add_argument("--issuer", required=True, help="cơ quan ban hành")
        parser.add_argument("--place", required=True, help="địa danh")
        parser.add_argument("--user", default="", help="tài khoản ghi nhận việc nhập (mặc định: quản trị viên đầu tiên)")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--accept-near", action="store_true", help="chấp nhận các tên gần giống")
        parser.add_argument("--match", action="append", default=[], help='"Tên trong bảng=MÃ_ĐƠN_VỊ"')
        parser.add_argument("--nen", action="store_true",
                            help="ghi bằng công việc chạy nền (tiến trình worker), in đường dẫn trang công việc")

    def handle(self, *args, **options):
        criteria_set = CriteriaSet.objects.current(options["criteria"])
        if criteria_set is None:
            raise CommandError(f"Không có bộ tiêu chí {options['criteria']}.")
        block = Block.objects.filter(code=options["block"]).first()
        if block is None:
            raise CommandError(f"Không có khối {options['block']}.")
        scheme = criteria_set.scheme()
        path = Path(options["path"])
        try:
            rows = read_table(path.read_bytes(), path.name, scheme)
        except TableError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from exc
        names = [r.name for r in rows]
        matches = match_units(names, Unit.objects.all())
        chosen, near = {}, []
        forced = dict(item.split("=", 1) for item in options["match"] if "=" in item)
        for name in names:
            kind, unit, ratio = matches[name]
            if name in forced:
                unit = Unit.objects.filter(code=forced[name]).first()
                if unit is None:
                    raise CommandError(f"--match: không có đơn vị mã {forced[name]}.")
                kind = "exact"
            self.stdout.write(f"  {name}: " + {"exact": f"= {unit.name} ({unit.code})" if unit else "",
                                               "near": f"gần giống {unit.name} ({unit.code}), {ratio}%" if unit else "",
                                               "new": "đơn vị mới"}[kind])
            if kind == "near" and not options["accept_near"]:
                near.append(f"{name} ↔ {unit.name} ({unit.code})")
            chosen[name] = unit
        findings = audit(scheme, rows)
        self.stdout.write(f"Đối chiếu với quy tắc của bộ {scheme.code}: {len(findings)} chỗ không khớp")
        for line, unit, what, published, expected in findings:
            self.stdout.write(f"  Dòng {line} ({unit}): {what}: công bố {published}, theo quy tắc {expected}")
        if near:
            raise CommandError("Cần xác nhận các tên gần giống (--accept-near, hoặc --match \"Tên=MÃ\"):\n  "
                               + "\n  ".join(near))
        if options["dry_run"]:
            self.stdout.write("Chạy thử: không ghi gì.")
            return
        if options["nen"]:
            return self._in_background(path, options, criteria_set, block, chosen)
        for name, unit in chosen.items():
            if unit is None:
                code = f"H{options['year']}-{names.index(name) + 1}"
                chosen[name] = Unit.objects.create(code=code, name=name, block=block, is_active=False)
        user, meta = self._user(options), self._meta(options)
        publication = import_table(rows, scheme, criteria_set, block=block, year=options["year"], name=options["name"],
                                   meta=meta, units=chosen, by=user)
        self.stdout.write(f"Đã nhập {len(rows)} đơn vị: {publication.period.name}, mã băm {publication.content_hash}")

    def _user(self, options):
        users = get_user_model().objects
        user = users.filter(username=options["user"]).first() if options["user"] else \
            users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("Cần một tài khoản để ghi nhận việc nhập (--user).")
        return user

    def _meta(self, options):
        return {"parent_body": "", "issuing_body": options["issuer"], "place": options["place"], "authority": "",
                "authority_of": "", "signer_title": "", "signer_name": "", "recipients": [],
                "number": options["number"], "date": options["date"],
                "title": f"KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG MỨC ĐỘ ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM {options['year']}"}

    def _in_background(self, path, options, criteria_set, block, chosen):
        """The checked table goes to the file storage and a job writes it (new units, period and
        publication in one transaction)."""
        import hashlib

        from django.conf import settings
        from django.urls import reverse

        from config.storage import StoredFolder
        from jobs.runner import enqueue

        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        stored = StoredFolder("historical") / f"{digest}{path.suffix.lower()}"
        if not stored.exists():
            stored.write_bytes(data)
        params = {"file": stored.name, "file_name": path.name, "criteria_set": criteria_set.pk, "block": block.pk,
                  "year": options["year"], "name": options["name"], "meta": self._meta(options),
                  "units": {name: unit.code if unit else None for name, unit in chosen.items()}}
        user = self._user(options)
        job = enqueue("historical", title=f"Nhập kết quả đã công bố: {options['name']}", params=params, by=user,
                      key=f"historical:{digest}:{criteria_set.pk}:{options['year']}:{options['number']}")
        self.stdout.write(f"Công việc số {job.pk} ({job.get_status_display().lower()}): "
                          f"{settings.SITE_URL}{reverse('jobs:detail', args=[job.pk])}")
