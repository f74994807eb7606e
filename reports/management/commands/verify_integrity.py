"""Recompute every hash the application stores and report each mismatch.

Publications: the content hash from the stored document, the SHA-256 of every stored
file (PDF, Excel, signed PDF) and the publication chain. Evidence files: the SHA-256 of
the stored bytes. History: the hash chain of every history table. Run it after a
restore, and from time to time; exits 1 if anything disagrees.
"""

from django.core.management.base import BaseCommand, CommandError

from reports import integrity


class Command(BaseCommand):
    help = "Kiểm tra toàn vẹn: tính lại mã băm của phụ lục đã công bố, tệp kiểm chứng và chuỗi lịch sử."

    def handle(self, *args, **options):
        problems = 0
        for check in (integrity.publications, integrity.evidence_files, integrity.history_rows):
            for problem in check():
                problems += 1
                self.stdout.write(f"SAI LỆCH: {problem}")
        summary = (f"{integrity.publications.count} phụ lục công bố, {integrity.evidence_files.count} tệp kiểm chứng, "
                   f"{integrity.history_rows.count} dòng lịch sử")
        if problems:
            raise CommandError(f"Phát hiện {problems} sai lệch khi kiểm tra {summary}.")
        self.stdout.write(f"Toàn vẹn: đã kiểm tra {summary}; không có sai lệch.")
        if integrity.publications.head:
            self.stdout.write(f"Mã chuỗi của bản công bố mới nhất: {integrity.publications.head} "
                              "(ghi lại ở nơi khác để đối chiếu về sau).")
