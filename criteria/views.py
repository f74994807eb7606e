from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from .document import DocumentError
from .fields import FIELD_KINDS
from .forms import TryScoreForm, field_name, flags_name, points_name
from .models import CriteriaSet
from .scheme import APPLIES_TO, HEADLINES
from .scoring import ScoringInputError, score_unit
from .store import canonical_text


def _get_set(code, version):
    criteria_set = (CriteriaSet.objects.filter(code=code, version=version)
                    .prefetch_related("blocks").first())
    if criteria_set is None:
        raise Http404("Không có bộ tiêu chí này.")
    return criteria_set


@login_required
def criteria_set_list(request):
    sets = CriteriaSet.objects.prefetch_related("blocks").order_by("code", "-version")
    return render(request, "criteria/list.html", {"sets": sets})


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
    })


@login_required
def criteria_set_yaml(request, code, version):
    criteria_set = _get_set(code, version)
    response = HttpResponse(canonical_text(criteria_set.document()), content_type="text/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{code}-v{version}.yaml"'
    return response
