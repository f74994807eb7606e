"""Criteria sets between their text form and the database.

``save_document`` is the only writer of a set's content (the ``load_criteria``
command, the admin's "new version" action and the tests all use it);
``CriteriaSet.document()`` is the only reader. Both go through
``criteria.document.parse_document`` so one validator guards every path in.
This module imports the models; the models never import it.
"""

from django.db import transaction

from units.models import Block

from .document import DocumentError, dump_yaml, parse_document, to_document
from .models import Band, CriteriaSet, Criterion, EvidenceField, FrozenCriteriaSetError, jsonable


def canonical_text(document) -> str:
    """The document as its canonical YAML text (what ``export_criteria`` prints)."""
    return dump_yaml(to_document(parse_document(document)))


@transaction.atomic
def save_document(document):
    """Create or replace the set the document describes. Returns (criteria_set, changed).

    Loading the same content twice changes nothing. A frozen set (used by a
    period) refuses any change of content; only its status may move on.
    """
    scheme = parse_document(document)
    blocks = list(Block.objects.filter(code__in=scheme.blocks))
    missing = sorted(set(scheme.blocks) - {b.code for b in blocks})
    if missing:
        raise DocumentError([f"Khối '{code}' chưa có trong hệ thống; hãy tạo khối trước khi nạp bộ tiêu chí"
                             for code in missing])
    new_text = dump_yaml(to_document(scheme))
    existing = CriteriaSet.objects.select_for_update().filter(code=scheme.code, version=scheme.version).first()
    if existing is not None:
        old_doc = to_document(existing.scheme())
        if dump_yaml(old_doc) == new_text:
            return existing, False
        if existing.is_frozen:
            old_doc["status"] = scheme.status
            if dump_yaml(old_doc) != new_text:
                raise FrozenCriteriaSetError(
                    f"Bộ tiêu chí {scheme.code} phiên bản {scheme.version} đã được sử dụng cho kỳ đánh giá "
                    "nên không thể sửa nội dung. Hãy tạo phiên bản mới.")
            _set_status(existing, scheme.status)
            return existing, True
        existing.criteria.all().delete()
        existing.bands.all().delete()
        criteria_set = existing
    else:
        criteria_set = CriteriaSet(code=scheme.code, version=scheme.version)
    if scheme.status == CriteriaSet.Status.ACTIVE:
        _retire_other_versions(scheme.code, scheme.version)
    for attr, value in (("name", scheme.name), ("status", scheme.status),
                        ("decision_number", scheme.decision_number), ("decision_date", scheme.decision_date),
                        ("decision_issuer", scheme.decision_issuer), ("source", scheme.source),
                        ("headline", scheme.headline), ("points_places", scheme.points_places),
                        ("score_places", scheme.score_places), ("total_max", scheme.total_max),
                        ("ranking_rule", scheme.ranking_rule), ("tie_rule", scheme.tie_rule),
                        ("guidance", scheme.guidance), ("checks", to_document(scheme).get("checks", []))):
        setattr(criteria_set, attr, value)
    criteria_set.save()
    criteria_set.blocks.set(blocks)
    Band.objects.bulk_create([
        Band(criteria_set=criteria_set, order=i, label=b.label, lower=b.lower, upper=b.upper, reason=b.reason)
        for i, b in enumerate(scheme.bands)])
    order = 0
    evidence = []

    def store(node, parent):
        nonlocal order
        order += 1
        row = Criterion.objects.create(
            criteria_set=criteria_set, parent=parent, order=order, code=node.code, title=node.title,
            max_points=node.declared_max, applies_to=node.applies_to, not_assessed_points=node.not_assessed,
            not_assessed_reason=node.not_assessed_reason, note=node.note, documents=node.documents,
            method=node.method, data_source=node.data_source, verifier=node.verifier, automatic=node.automatic,
            guidance=node.guidance,
            rule=jsonable(node.rule.to_data()) if node.rule else None)
        for i, f in enumerate(node.fields):
            evidence.append(EvidenceField(criterion=row, order=i, key=f.key, label=f.label, kind=f.kind,
                                          choices=[{"value": v, "label": label} for v, label in f.choices],
                                          automatic=f.automatic if f.automatic != node.automatic else ""))
        for child in node.children:
            store(child, row)

    for node in scheme.nodes:
        store(node, None)
    EvidenceField.objects.bulk_create(evidence)
    return criteria_set, True


def _retire_other_versions(code, version):
    for other in CriteriaSet.objects.filter(code=code, status=CriteriaSet.Status.ACTIVE).exclude(version=version):
        _set_status(other, CriteriaSet.Status.RETIRED)


def _set_status(criteria_set, status):
    if status == CriteriaSet.Status.ACTIVE:
        _retire_other_versions(criteria_set.code, criteria_set.version)
    criteria_set.status = status
    criteria_set.save(update_fields=["status", "updated_at"])


@transaction.atomic
def activate(criteria_set):
    """Make a (completed) draft the version in use; the previously active one retires."""
    document = criteria_set.document()
    document["status"] = CriteriaSet.Status.ACTIVE.value
    parse_document(document)  # an active set must be complete: raises DocumentError otherwise
    _set_status(criteria_set, CriteriaSet.Status.ACTIVE)


@transaction.atomic
def new_version(criteria_set):
    """Copy a set as the next version, in draft, for editing."""
    document = criteria_set.document()
    latest = CriteriaSet.objects.filter(code=criteria_set.code).order_by("-version").first()
    document["version"] = latest.version + 1
    document["status"] = CriteriaSet.Status.DRAFT.value
    copy, _ = save_document(document)
    return copy
