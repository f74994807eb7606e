import hashlib
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from .document import DocumentError, dump_yaml, load_yaml
from .fields import FIELD_KINDS
from .forms import TableImportConfirmForm, TableImportForm, TryScoreForm, field_name, flags_name, points_name
from .models import CriteriaSet
from .scheme import APPLIES_TO, CHECK_LEVELS, HEADLINES
from .scoring import ScoringInputError, score_unit
from .store import canonical_text
from .table_import import TableImportError, import_table, save_imported

IMPORT_SESSION_KEY = "criteria_table_import"


def _get_set(code, version):
    criteria_set = (CriteriaSet.objects.filter(code=code, version=version)
                    .prefetch_related("blocks").first())
    if criteria_set is None:
        raise Http404("Không có bộ tiêu chí này.")
    return criteria_set


@login_required
def criteria_set_list(request):
    from assessment.roles import is_admin

    sets = CriteriaSet.objects.prefetch_related("blocks").order_by("code", "-version")
    return render(request, "criteria/list.html", {"sets": sets, "can_import": is_admin(request.user)})


def _rows(scheme, form, result):
    """The criteria tree flattened into the rows of the official form."""
    rows = []
    for node, depth in scheme.tree():
        inputs = []
        if form is not None and node.rule is not None:
            inputs = [form[field_name(f.key)] for f in node.fields]
            for name in (points_name(node.code), flags_name(node.code)):
                if name in form.fields:
                    inputs.append(form[name])
        rows.append({
            "node": node, "depth": depth, "is_group": node.is_group,
            "rule_lines": node.describe(scheme.fields),
            "rule_label": node.rule.label if node.rule else "",
            "applies": APPLIES_TO[node.applies_to] if node.applies_to != "all" else "",
            "fields": [(f, FIELD_KINDS[f.kind]) for f in node.fields],
            "inputs": inputs,
            "result": result.criteria.get(node.code) if result else None,
        })
    return rows


@login_required
def criteria_set_detail(request, code, version):
    criteria_set = _get_set(code, version)
    try:
        scheme = criteria_set.scheme()
    except DocumentError as exc:
        return render(request, "criteria/detail.html",
                      {"criteria_set": criteria_set, "document_problems": exc.problems}, status=200)
    form = result = None
    problems = []
    if scheme.is_complete:
        form = TryScoreForm(scheme, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = score_unit(scheme, form.unit_input())
            except ScoringInputError as exc:
                problems = [str(p) for p in exc.problems]
                form.attach_problems(exc.problems)
    return render(request, "criteria/detail.html", {
        "criteria_set": criteria_set, "scheme": scheme, "form": form, "result": result,
        "problems": problems, "rows": _rows(scheme, form, result), "headline_label": HEADLINES[scheme.headline],
        "checks": [(CHECK_LEVELS[c.level], c.message or c.describe(scheme.fields)) for c in scheme.checks],
    })


@login_required
def criteria_set_yaml(request, code, version):
    criteria_set = _get_set(code, version)
    response = HttpResponse(canonical_text(criteria_set.document()), content_type="text/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{code}-v{version}.yaml"'
    return response


def _require_admin(user):
    from assessment.roles import is_admin

    if not is_admin(user):
        raise PermissionDenied("Chỉ quản trị viên được nhập bảng tiêu chí.")


@login_required
def import_table_view(request):
    """Upload an official table -> preview of how each row was read -> create a draft set.

    The preview keeps the read document (its canonical text) in the session under a
    token, so "Tạo bộ tiêu chí nháp" saves exactly what was shown, without a second upload.
    """
    _require_admin(request.user)
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request)
    form = TableImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = import_table(data, upload.name, code=form.cleaned_data["code"], name=form.cleaned_data["name"])
        except TableImportError as exc:
            context["problems"] = exc.problems
            context["filename"] = upload.name
            return render(request, "criteria/import.html", context, status=200)
        text = dump_yaml(result.document)
        token = secrets.token_hex(32)
        request.session[IMPORT_SESSION_KEY] = {"token": token, "text": text, "filename": upload.name,
                                               "sha256": hashlib.sha256(data).hexdigest()}
        scheme = parse_for_preview(result.document)
        context.update(result=result, token=token, filename=upload.name, scheme=scheme,
                       tree=[(row["node"], row["depth"], row["rule_lines"]) for row in _rows(scheme, None, None)])
    return render(request, "criteria/import.html", context)


def parse_for_preview(document):
    from .document import parse_document

    return parse_document(document)


def _import_confirm(request):
    form = TableImportConfirmForm(request.POST)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not form.is_valid() or not pending or pending.get("token") != form.cleaned_data["token"]:
        messages.error(request, "Không tìm thấy bảng đã xem trước (có thể đã tạo rồi hoặc phiên đã hết hạn); "
                                "hãy tải tệp lên lại.")
        return redirect("criteria:import")
    document = load_yaml(pending["text"])
    if CriteriaSet.objects.filter(code=document["code"]).exists():
        messages.error(request, f"Đã có bộ tiêu chí mã '{document['code']}'; hãy tải lên lại với mã khác.")
        return redirect("criteria:import")
    document["source"] = f"Nhập từ bảng tiêu chí {pending['filename']} (SHA-256 {pending['sha256'][:16]}…)"
    try:
        criteria_set = save_imported(document, filename=pending["filename"], sha256=pending["sha256"],
                                     by=request.user)
    except (DocumentError, ValidationError) as exc:
        for problem in getattr(exc, "problems", None) or exc.messages:
            messages.error(request, problem)
        return redirect("criteria:import")
    del request.session[IMPORT_SESSION_KEY]
    messages.success(request, f"Đã tạo bộ tiêu chí nháp {criteria_set.code} phiên bản {criteria_set.version} "
                              f"từ tệp {pending['filename']}.")
    return redirect("criteria:detail", criteria_set.code, criteria_set.version)
