"""Hash chains over history rows: tamper evidence that survives a database administrator.

A history model built with ``HistoricalRecords(bases=[ChainedHistory])`` carries on every
row the hash of the previous history row of the same record (``prev_hash``) and its own
(``row_hash``: SHA-256 over the row's values and ``prev_hash``). Editing a row, deleting
one from the middle or inserting one breaks the chain, which ``verify_integrity``
recomputes from the stored values.

Rows are linked when they are written: ``save()`` (django-simple-history's usual path),
the manager's ``bulk_create`` (``bulk_create_with_history``) and, for code that writes
history with raw SQL, ``link_values``.
"""

import datetime
import hashlib
import json
import uuid
from decimal import Decimal

from django.db import models
from django.db.backends import utils as backend_utils
from django.db.models import Max

HASH_FIELDS_EXCLUDED = {"history_id", "row_hash"}


def _plain(field, value):
    """The value as the database gives it back, in a form JSON keeps exactly."""
    if value is None:
        return None
    if isinstance(field, models.BinaryField):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    if isinstance(field, models.FileField):
        return str(getattr(value, "name", value) or "")
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    if not isinstance(field, models.JSONField):
        value = field.to_python(value)
    if isinstance(value, Decimal):
        places = getattr(field, "decimal_places", None)
        if places is not None:
            value = backend_utils.format_number(value, field.max_digits, places)
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, datetime.date | datetime.time | uuid.UUID):
        return value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
    return value


def hash_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in HASH_FIELDS_EXCLUDED]


def row_digest(model, values):
    """SHA-256 of a history row given as {attname: value} (must include ``prev_hash``)."""
    plain = {f.attname: _plain(f, values.get(f.attname)) for f in hash_fields(model)}
    text = json.dumps(plain, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_key(model):
    """The attname naming the tracked record (``id``) in a history model."""
    instance_type = getattr(model, "instance_type", None)  # absent on a migration's state model
    return instance_type._meta.pk.attname if instance_type is not None else "id"


def last_hashes(model, ids):
    """{record id: row_hash of its latest history row} for ``ids``."""
    key = record_key(model)
    latest = (model._default_manager.filter(**{f"{key}__in": ids}).values(key)
              .annotate(last=Max("history_id")).values_list("last", flat=True))
    return dict(model._default_manager.filter(history_id__in=list(latest)).values_list(key, "row_hash"))


def link_values(model, rows):
    """Set ``prev_hash`` and ``row_hash`` on ``rows`` ({attname: value} dicts), in order."""
    key = record_key(model)
    previous = last_hashes(model, {row[key] for row in rows})
    for row in rows:
        row["prev_hash"] = previous.get(row[key], "")
        row["row_hash"] = row_digest(model, row)
        previous[row[key]] = row["row_hash"]
    return rows


def link_instances(model, instances):
    rows = [{f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields} for obj in instances]
    for obj, row in zip(instances, link_values(model, rows), strict=True):
        obj.prev_hash, obj.row_hash = row["prev_hash"], row["row_hash"]


class ChainedManager(models.Manager):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if objs:
            link_instances(self.model, objs)
        return super().bulk_create(objs, *args, **kwargs)


class ChainedHistory(models.Model):
    """Abstract base for history models: each row linked to the record's previous row."""

    prev_hash = models.CharField("mã băm dòng lịch sử trước", max_length=64, blank=True, default="", editable=False)
    row_hash = models.CharField("mã băm dòng lịch sử", max_length=64, blank=True, default="", editable=False)

    objects = ChainedManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding and not self.row_hash:
            link_instances(type(self), [self])
        super().save(*args, **kwargs)


def relink_existing(model):
    """Link rows written before the chain existed, in order (a migration, before the triggers)."""
    key = record_key(model)
    fields = [f.attname for f in model._meta.concrete_fields]
    last = {}
    for row in model._default_manager.order_by(key, "history_id").values(*fields).iterator(chunk_size=2000):
        row["prev_hash"] = last.get(row[key], "")
        row["row_hash"] = last[row[key]] = row_digest(model, row)
        model._default_manager.filter(history_id=row["history_id"]).update(
            prev_hash=row["prev_hash"], row_hash=row["row_hash"])


def broken_links(model):
    """Every history row of ``model`` whose stored hashes disagree with its values or its predecessor.

    Yields (row, what) with ``what`` a Vietnamese description; reads the table in pages."""
    key = record_key(model)
    fields = [f.attname for f in model._meta.concrete_fields]
    last = {}
    queryset = model._default_manager.order_by(key, "history_id").values(*fields)
    for row in queryset.iterator(chunk_size=2000):
        expected_prev = last.get(row[key], "")
        if row["prev_hash"] != expected_prev:
            yield row, "chuỗi băm bị đứt (mã băm dòng trước không khớp: có dòng bị xoá, chèn hoặc sửa)"
        elif row_digest(model, row) != row["row_hash"]:
            yield row, "nội dung dòng đã bị sửa (mã băm không khớp)"
        last[row[key]] = row["row_hash"]
