"""Re-verify from the stored bytes what was published and what history records.

Used by ``manage.py verify_integrity`` (everything) and by the verification page (one
publication, before it says "genuine"). Every finding is a sentence in Vietnamese naming
the row; an empty list means nothing was found wrong.
"""

import hashlib

from django.apps import apps

from config.chain import ChainedHistory, broken_links

from .models import Publication, sha256
from .snapshot import content_hash


def _name(item):
    return f"Phụ lục id {item.pk} ({item.period_id and item.period.name}, lần {item.version})"


def publication_problems(item, *, predecessor=None, check_predecessor=True):
    """What in ``item`` disagrees with its own stored bytes or with the publication chain."""
    problems = []
    name = _name(item)
    if content_hash(item.document) != item.content_hash:
        problems.append(f"{name}: nội dung công bố không khớp mã băm nội dung đã lưu (nội dung bị sửa).")
    if sha256(item.pdf) != item.pdf_sha256:
        problems.append(f"{name}: tệp PDF không khớp mã băm SHA-256 đã lưu.")
    if item.xlsx_sha256 and sha256(item.xlsx) != item.xlsx_sha256:
        problems.append(f"{name}: tệp Excel không khớp mã băm SHA-256 đã lưu.")
    if item.signed_sha256 and (item.signed_pdf is None or sha256(item.signed_pdf) != item.signed_sha256):
        problems.append(f"{name}: bản PDF đã ký không khớp mã băm SHA-256 đã lưu.")
    if item.compute_chain_hash() != item.chain_hash:
        problems.append(f"{name}: mã chuỗi không khớp các mã băm đã lưu (mã băm tệp hoặc nội dung đã bị thay).")
    if check_predecessor:
        if predecessor is None and item.chain_prev:
            predecessor = Publication.objects.filter(chain_hash=item.chain_prev).first()
            if predecessor is None:
                problems.append(f"{name}: không tìm thấy bản công bố đứng trước trong chuỗi (chuỗi bị đứt).")
        elif (predecessor.chain_hash if predecessor else "") != item.chain_prev:
            problems.append(f"{name}: chuỗi công bố bị đứt (mã chuỗi của bản trước không khớp).")
    return problems


def publications():
    """Every publication, in the order they were published, checked against its predecessor."""
    previous = None
    count = 0
    for item in Publication.objects.select_related("period").order_by("pk").iterator(chunk_size=20):
        count += 1
        yield from publication_problems(item, predecessor=previous)
        previous = item
    publications.count = count
    publications.head = previous.chain_hash if previous else ""


def evidence_files():
    """Every stored evidence file, re-hashed from the storage."""
    from assessment.models import EvidenceFile

    count = 0
    for record in EvidenceFile.objects.order_by("pk").iterator(chunk_size=200):
        count += 1
        label = f"Tệp kiểm chứng id {record.pk} (“{record.original_name}”, phiếu {record.assessment_id})"
        digest = hashlib.sha256()
        try:
            with record.file.open("rb") as handle:
                for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(chunk)
        except (FileNotFoundError, ValueError, OSError):
            yield f"{label}: không tìm thấy tệp trong kho lưu trữ ({record.file.name})."
            continue
        if digest.hexdigest() != record.sha256:
            yield f"{label}: nội dung tệp không khớp mã băm SHA-256 đã lưu (tệp đã bị thay)."
    evidence_files.count = count


def history_models():
    return [m for m in apps.get_models() if issubclass(m, ChainedHistory)]


def history_rows():
    """Every chained history table, each record's chain recomputed from the stored values."""
    count = 0
    for model in history_models():
        count += model._default_manager.count()
        for row, what in broken_links(model):
            tracked = getattr(model, "instance_type", model)._meta.verbose_name
            yield (f"Lịch sử “{tracked}” dòng {row['history_id']} "
                   f"(bản ghi id {row.get('id')}): {what}.")
    history_rows.count = count
