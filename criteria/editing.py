"""The browser editor's pages: one draft set, its tree, the node being edited, the set's
properties and bands, the difference from the previous version, the history of edits, and
activation. Each POST is one change, saved through ``criteria.store`` and logged as a revision.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import editor, store
from .diff import diff_documents
from .document import DocumentError, parse_document
from .fields import FIELD_KINDS
from .models import CriteriaSet, CriteriaSetRevision, FrozenCriteriaSetError
from .scheme import APPLIES_TO, HEADLINES


def _editable_set(request, code, version):
    if not request.user.has_perm("criteria.edit_set"):
        raise Http404("Không có bộ tiêu chí này.")
    criteria_set = CriteriaSet.objects.filter(code=code, version=version).first()
    if criteria_set is None:
        raise Http404("Không có bộ tiêu chí này.")
    return criteria_set


def _url(criteria_set, node=None):
    url = reverse("criteria:edit", args=[criteria_set.code, criteria_set.version])
    return f"{url}?tc={node}#sua" if node else url


def _previous(criteria_set):
    return (CriteriaSet.objects.filter(code=criteria_set.code, version__lt=criteria_set.version)
            .order_by("-version").first())


@transaction.atomic
def _save(criteria_set, document, *, by, summary):
    """Validate and store the changed document, then log the revision. DocumentError and EditError
    go back to the page with every problem; nothing is written then."""
    parse_document(document)
    saved, changed = store.save_document(document)
    if changed:
        last = saved.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        CriteriaSetRevision.objects.create(criteria_set=saved, number=last + 1, changed_by=by, summary=summary[:500],
                                           text=store.canonical_text(saved.document()))
    return saved


def _node_rows(document, scheme):
    rows = []

    def walk(items, depth):
        for item in items:
            code = str(item.get("code"))
            node = scheme.by_code.get(code) if scheme else None
            rows.append({"item": item, "code": code, "depth": depth, "node": node,
                         "sentence": node.describe(scheme.fields) if node is not None and node.rule else [],
                         "rule_label": node.rule.label if node is not None and node.rule else ""})
            walk(item.get("children") or [], depth + 1)

    walk(document.get("criteria") or [], 0)
    return rows


def _node_form(item):
    rule = item.get("rule") or {}
    kind = rule.get("kind", "")
    params = []
    if kind in editor.RULE_KINDS:
        for name in editor.RULE_KINDS[kind].params:
            label, typ = editor.param_spec(name)
            params.append({"name": name, "label": label, "type": typ, "value": editor.format_param(name, rule.get(name))})
    fields = [{"i": i, "key": f.get("key", ""), "label": f.get("label", ""), "kind": f.get("kind", "count"),
               "choices": "; ".join(f"{c['value']} = {c['label']}" for c in f.get("choices") or [])}
              for i, f in enumerate(item.get("fields") or [])]
    fields.append({"i": len(fields), "key": "", "label": "", "kind": "count", "choices": ""})
    return {"item": item, "kind": kind, "params": params, "fields": fields,
            "max": editor.format_param("max", item.get("max")), "is_group": bool(item.get("children"))}


SUMMARIES = {
    "save_set": "Sửa thông tin chung của bộ tiêu chí", "save_bands": "Sửa các mức xếp loại",
    "add_group": "Thêm nhóm tiêu chí {new}", "add_child": "Thêm tiêu chí {new} vào {code}",
    "remove": "Bỏ tiêu chí {code}", "up": "Chuyển tiêu chí {code} lên", "down": "Chuyển tiêu chí {code} xuống",
    "save_node": "Sửa tiêu chí {code}",
}


def _change(document, action, data):
    """Apply one editor action to ``document`` (a working copy); returns (node to show, summary)."""
    code = (data.get("code_before") or data.get("target") or "").strip()
    before_total = _nominal_total(document)
    new = None
    if action == "save_set":
        editor.update_set(document, data)
    elif action == "save_bands":
        editor.update_bands(document, data)
    elif action == "add_group":
        new = editor.add(document)
    elif action == "add_child":
        new = editor.add(document, code)
    elif action == "remove":
        editor.remove(document, code)
    elif action in ("up", "down"):
        editor.move(document, code, -1 if action == "up" else 1)
    elif action == "save_node":
        new = editor.update_node(document, code, data)
    else:
        raise editor.EditError("Thao tác không hợp lệ.")
    summary = SUMMARIES[action].format(code=code, new=new)
    if action != "save_set" and _keep_total_in_step(document, before_total):
        summary += f"; tổng điểm tối đa theo đó là {editor.format_param('total_max', document['total_max'])}"
    shown = new if action in ("add_group", "add_child", "save_node") else None
    return shown, summary


def _nominal_total(document):
    """The sum of the criteria's maxima, or None when the document does not read (yet)."""
    probe = editor.working_copy(document)
    probe.pop("total_max", None)
    try:
        scheme = parse_document(probe)
    except DocumentError:
        return None
    return scheme.nominal_max if scheme.is_complete else None


def _keep_total_in_step(document, before_total):
    """A declared total that agreed with the criteria before this change follows it: otherwise
    changing one maximum could never be saved (the total and the maximum would each be refused
    alone). Returns whether the total changed."""
    declared = document.get("total_max")
    if declared is None or before_total is None or Decimal(str(declared)) != before_total:
        return False
    after = _nominal_total(document)
    if after is None or after == before_total:
        return False
    document["total_max"] = after
    return True


@login_required
def edit(request, code, version):
    criteria_set = _editable_set(request, code, version)
    document = criteria_set.document()
    if request.method != "POST":
        return _render(request, criteria_set, document, [])
    action = request.POST.get("action", "")
    if action == "new_version":
        copy = store.new_version(criteria_set)
        messages.success(request, f"Đã tạo phiên bản {copy.version} (bản nháp) để sửa.")
        return redirect(_url(copy))
    if action == "activate":
        try:
            store.activate(criteria_set)
        except DocumentError as exc:
            return _render(request, criteria_set, document, ["Chưa áp dụng được: bộ tiêu chí chưa hoàn chỉnh.",
                                                             *exc.problems], status=400)
        messages.success(request, f"Đã áp dụng phiên bản {criteria_set.version}; phiên bản đang áp dụng trước đó "
                                  "chuyển sang ngừng áp dụng.")
        return redirect(_url(criteria_set))
    if criteria_set.status != CriteriaSet.Status.DRAFT or criteria_set.is_frozen:
        return _render(request, criteria_set, document, ["Chỉ sửa được bản nháp chưa dùng cho kỳ đánh giá nào. "
                                                         "Hãy tạo phiên bản mới."], status=400)
    attempt = editor.working_copy(document)
    try:
        shown, summary = _change(attempt, action, request.POST)
        _save(criteria_set, attempt, by=request.user, summary=summary)
    except editor.EditError as exc:
        return _render(request, criteria_set, attempt, [str(exc)], status=400)
    except (DocumentError, FrozenCriteriaSetError) as exc:
        return _render(request, criteria_set, attempt, list(getattr(exc, "problems", None) or exc.messages), status=400)
    messages.success(request, f"Đã lưu: {summary}.")
    return redirect(_url(criteria_set, shown))


@login_required
@require_POST
def check(request, code, version):
    """Live validation of the node form while typing: the problems and the rule read back."""
    criteria_set = _editable_set(request, code, version)
    attempt = criteria_set.document()
    target = (request.POST.get("code_before") or "").strip()
    before_total = _nominal_total(attempt)
    try:
        new = editor.update_node(attempt, target, request.POST)
        _keep_total_in_step(attempt, before_total)
        scheme = parse_document(attempt)
    except editor.EditError as exc:
        return JsonResponse({"problems": [str(exc)], "sentence": []})
    except DocumentError as exc:
        return JsonResponse({"problems": exc.problems, "sentence": []})
    node = scheme.by_code[new]
    return JsonResponse({"problems": [], "sentence": node.describe(scheme.fields) if node.rule else [],
                         "max": editor.format_param("max", node.max_points)})


def _render(request, criteria_set, document, problems, *, status=200):
    try:
        scheme = parse_document(document)
    except DocumentError as exc:
        scheme, problems = None, problems or exc.problems
    chosen = request.GET.get("tc") or (request.POST.get("code_before") if problems else "")
    node_form = None
    if chosen:
        try:
            node_form = _node_form(editor.find(document, chosen)[0])
        except editor.EditError:
            node_form = None
    previous = _previous(criteria_set)
    editable = criteria_set.status == CriteriaSet.Status.DRAFT and not criteria_set.is_frozen
    return render(request, "criteria/editor.html", {
        "criteria_set": criteria_set, "document": document, "scheme": scheme, "problems": problems,
        "rows": _node_rows(document, scheme), "node_form": node_form, "chosen": chosen, "editable": editable,
        "rule_kinds": editor.rule_kinds(), "field_kinds": FIELD_KINDS.items(), "applies": APPLIES_TO.items(),
        "headlines": HEADLINES.items(), "bands": (document.get("bands") or []) + [{}],
        "previous": previous, "diff": diff_documents(previous.document(), document) if previous else None,
        "revisions": criteria_set.revisions.select_related("changed_by")[:30],
        "rounding": document.get("rounding") or {}, "format": editor.format_param,
    }, status=status)
