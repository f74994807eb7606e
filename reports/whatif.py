"""What if: re-score a period's reviewed answers under another criteria set version and show how
ranks would move. Reads only; nothing published or stored changes."""

from assessment.models import Assessment
from assessment.scoring import answer_rows, unit_input
from assessment.workflow import load_answers
from criteria.numbers import round_half_up
from criteria.plan import plan_for
from jobs.progress import report

from .analysis import rank_block


def rescore_period(period, criteria_set):
    """Rows for the forms of ``period`` that use the same block as ``criteria_set``: current and
    hypothetical score, class and rank. Answers of criteria the other version lacks are dropped;
    figures it asks for but nobody gave score 0 there, and each such gap is listed."""
    scheme = criteria_set.scheme()
    plan = plan_for(scheme)
    forms = (Assessment.objects.filter(period=period, status__in=[Assessment.Status.REVIEWED,
                                                                  Assessment.Status.APPROVED],
                                       unit__block__code__in=scheme.blocks)
             .select_related("unit__block", "criteria_set", "period"))
    rows, notes = [], []
    forms = list(forms)
    for done, form in enumerate(forms):
        report(done, len(forms), "Đang chấm lại")
        current = form.criteria_set.scheme()
        stored = answer_rows(load_answers(form))
        kept = {}
        for code, row in stored.items():
            node = scheme.by_code.get(code)
            if node is None or node.children:
                continue
            keys = set(node.field_map)
            kept[code] = dict(row, values={k: v for k, v in (row["values"] or {}).items() if k in keys},
                              reviewed_values=None if row["reviewed_values"] is None else
                              {k: v for k, v in row["reviewed_values"].items() if k in keys})
        dropped = sorted(set(stored) - set(kept))
        if dropped:
            notes.append(f"{form.unit.name}: bộ {scheme.code} v{scheme.version} không có tiêu chí {', '.join(dropped)}")
        candidate = unit_input(form, scheme, kept, reviewed=True)
        problems = plan.problems(candidate)
        if problems:
            notes += [str(p) for p in problems]
            continue
        result = plan.score_unit(candidate)
        rows.append({"unit_code": form.unit.code, "unit_name": form.unit.name, "voluntary": form.unit.is_voluntary,
                     "score": str(result.score), "classification": result.classification or "",
                     "groups": {}, "current_score": format(round_half_up(form.reviewed_score, current.score_places), "f"),
                     "current_class": form.classification, "current_set": f"{current.code} v{current.version}"})
    current = rank_block([dict(r, score=r["current_score"]) for r in rows], [])
    current_ranks = {r["unit_code"]: r["rank"] for r in current}
    rank_block(rows, [])
    for row in rows:
        row["current_rank"] = current_ranks.get(row["unit_code"])
        row["move"] = (row["current_rank"] - row["rank"]) if row["rank"] and row["current_rank"] else None
    return rows, notes
