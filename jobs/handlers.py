"""The work behind each kind of job. Each handler calls the same verbs and functions the pages
used to call in the request; none re-implements them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from .progress import report
from .runner import enqueue, handler


@handler("publish", atomic=True)
def publish(job):
    """Snapshot, PDF and Excel through the publish verb (its own lock and checks). Atomic with the
    job's completion: the publication exists only once the job is marked done."""
    from assessment.models import Period
    from reports.models import IssuingProfile
    from reports.snapshot import publish as publish_verb

    params = job.params
    period = Period.objects.get(pk=params["period"])
    profile = IssuingProfile.objects.filter(pk=params["profile"]).first()
    if profile is None:
        raise ValidationError("Cấu hình cơ quan ban hành, người ký đã bị xoá; chọn cấu hình khác.")
    report(0, 1, "Đang chuẩn bị công bố")
    publication = publish_verb(period, profile, by=job.created_by, number=params["number"],
                               date=datetime.date.fromisoformat(params["date"]), title=params.get("title", ""),
                               reason=params.get("reason", ""))
    transaction.on_commit(lambda: enqueue("notify", title=f"Báo công bố phụ lục lần {publication.version}",
                                          params={"publication": publication.pk}, key=f"notify:published:{publication.pk}"))
    return {"url": reverse("reports:publication", args=[publication.pk]),
            "label": f"Mở phụ lục công bố lần {publication.version}",
            "message": f"Đã công bố phụ lục lần {publication.version}."}


@handler("seal", atomic=True)
def seal(job):
    from reports.views import seal_publication

    item, message = seal_publication(job.params["publication"], by=job.created_by)
    return {"url": reverse("reports:publication", args=[item.pk]), "label": "Mở phụ lục đã ký", "message": message}


@handler("bulk_import", atomic=True)
def bulk_import(job):
    """The period-wide import commit: the previewed file is read again from storage and written at once."""
    from django.core.files.storage import default_storage

    from assessment import bulk
    from assessment.models import Period
    from criteria.models import CriteriaSet

    params = job.params
    period = Period.objects.get(pk=params["period"])
    criteria_set = CriteriaSet.objects.get(pk=params["criteria_set"])
    if not default_storage.exists(params["file"]):
        raise ValidationError("Tệp đã xem trước không còn; hãy tải tệp lên lại.")
    with default_storage.open(params["file"], "rb") as handle:
        data = handle.read()
    report(0, 2, "Đang đọc tệp Excel", "bước")
    reading = bulk.read_sheet(period, criteria_set, data, params["name"])
    report(1, 2, f"Đang ghi số liệu của {reading.changed_units} đơn vị", "bước")
    count = bulk.apply(period, criteria_set, reading, by=job.created_by)
    transaction.on_commit(lambda: default_storage.delete(params["file"]))
    return {"url": reverse("assessment:period", args=[period.pk]), "label": "Về trang kỳ đánh giá",
            "message": f"Đã ghi {count} tiêu chí của {reading.changed_units} đơn vị từ tệp “{params['name']}”."}

@handler("whatif", atomic=False)
def whatif(job):
    """Re-score a period under another criteria set version; reads only, the rows are the result."""
    from assessment.models import Period
    from criteria.models import CriteriaSet
    from reports.whatif import rescore_period

    period = Period.objects.get(pk=job.params["period"])
    chosen = CriteriaSet.objects.get(pk=job.params["criteria_set"])
    rows, notes = rescore_period(period, chosen)
    return {"url": f"{reverse('reports:whatif', args=[period.pk])}?bo={chosen.pk}", "label": "Xem kết quả chấm thử",
            "message": f"Đã chấm lại {len(rows)} phiếu theo bộ {chosen.code} phiên bản {chosen.version}.",
            "rows": rows, "notes": notes}


@handler("historical", atomic=True)
def historical(job):
    """A past published table, checked by ``import_results``: units it names that do not exist
    yet, the closed period and its publication are written together or not at all."""
    from django.core.files.storage import default_storage

    from criteria.models import CriteriaSet
    from reports.historical import import_table, read_table
    from units.models import Block, Unit

    params = job.params
    criteria_set = CriteriaSet.objects.get(pk=params["criteria_set"])
    block = Block.objects.get(pk=params["block"])
    scheme = criteria_set.scheme()
    with default_storage.open(params["file"], "rb") as handle:
        rows = read_table(handle.read(), params["file_name"], scheme)
    names = [r.name for r in rows]
    units = {}
    for done, name in enumerate(names):
        report(done, len(names), "Đang đối chiếu đơn vị")
        code = params["units"].get(name)
        units[name] = Unit.objects.get(code=code) if code else Unit.objects.create(
            code=f"H{params['year']}-{done + 1}", name=name, block=block, is_active=False)
    publication = import_table(rows, scheme, criteria_set, block=block, year=params["year"], name=params["name"],
                               meta=params["meta"], units=units, by=job.created_by)
    return {"url": reverse("reports:publication", args=[publication.pk]), "label": "Mở bảng kết quả đã nhập",
            "message": f"Đã nhập {len(rows)} đơn vị: {publication.period.name}."}


from notifications import handlers as _notification_handlers  # noqa: E402, F401  (registers notify, reminders)
