"""Ranking, classification reasons, drafted remarks and the summary: pure Python over plain values.

Input rows are dicts as stored in a publication document (numbers as decimal strings);
nothing here touches the database, so the preview page, the publisher and the tests
all compute the same thing.
"""

from collections import Counter
from decimal import Decimal

from criteria.numbers import vn
from criteria.ranking import assign_ranks
from units.naming import sort_key

FIGURE_NAMES = {"total": "Tổng điểm", "index": "Chỉ số", "mean": "Điểm đánh giá"}


def band_reason(band, headline):
    """The reason column: the band's own wording when the set gives one, else built from its bounds."""
    if band is None:
        return ""
    if band.reason:
        return band.reason
    return f"{FIGURE_NAMES[headline]} đạt {band.describe()}" if band.lower is not None else \
        f"{FIGURE_NAMES[headline]} {band.describe()}"


REMARK_ITEMS = 3      # criteria named per column
REMARK_LENGTH = 240  # characters per column, so an annex row stays a few lines high


def _short_list(titles):
    """At most REMARK_ITEMS titles joined, cut at a word within REMARK_LENGTH characters."""
    text = "; ".join(titles[:REMARK_ITEMS])
    if len(text) <= REMARK_LENGTH:
        return text
    cut = text[:REMARK_LENGTH - 1].rsplit(" ", 1)[0].rstrip(";,. ")
    return cut + "…"


def draft_remarks(scheme, result):
    """'Nội dung thực hiện tốt / chưa tốt' drafted short, in the criteria's own words: the few
    criteria that gained the most points (at full marks) and the few that lost the most (points
    missed, or a deduction taken). A reviewer edits them before publication."""
    good, poor = [], []
    for node in scheme.leaves:
        outcome = result.criteria.get(node.code)
        if outcome is None or not outcome.applicable or node.rule is None or node.is_substitute:
            continue
        if node.is_deduction:
            if outcome.points > 0:
                poor.append((outcome.points, f"{node.title} (trừ {vn(outcome.points)} điểm)"))
            continue
        top = node.assessed_max
        if top and outcome.points >= top:
            good.append((top, node.title))
        elif top and outcome.points < top:
            poor.append((top - outcome.points, node.title))
    good.sort(key=lambda item: -item[0])
    poor.sort(key=lambda item: -item[0])
    return _short_list([t for _, t in good]), _short_list([t for _, t in poor])


def rank_block(rows, group_codes):
    """Rank rows of one block in place by score (ties share a rank: 1, 2, 2, 4), and by each
    top-level group's points. Voluntary participants are shown but not ranked."""
    ranked = [r for r in rows if not r["voluntary"]]
    for row, rank in zip(ranked, assign_ranks([Decimal(r["score"]) for r in ranked]), strict=True):
        row["rank"] = rank
    for code in group_codes:
        values = [Decimal(r["groups"].get(code) or "0") for r in ranked]
        for row, rank in zip(ranked, assign_ranks(values), strict=True):
            row.setdefault("group_ranks", {})[code] = rank
    for row in rows:
        if row["voluntary"]:
            row["rank"] = None
            row["group_ranks"] = {}
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, sort_key(r["unit_name"])))
    return rows


def summary(block, previous=None):
    """Bình Phước's summary for one block: units per class (count and share), per group how many
    units reached at least half its maximum, self against verified scores, and the change
    against the previous period where one exists (matched by unit code)."""
    rows = [r for r in block["rows"] if not r["voluntary"]]
    n = len(rows)
    classes = Counter(r["classification"] for r in rows if r["classification"])
    labels = [b["label"] for b in block["bands"]]
    by_class = [{"label": label, "count": classes.get(label, 0),
                 "share": _share(classes.get(label, 0), n)} for label in labels]
    groups = []
    for group in block["groups"]:
        if group["max"] in (None, "", "0"):
            continue
        half = Decimal(group["max"]) / 2
        reached = sum(1 for r in rows if Decimal(r["groups"].get(group["code"]) or "0") >= half)
        groups.append({"code": group["code"], "title": group["title"], "max": group["max"], "reached": reached,
                       "share": _share(reached, n)})
    claims = []
    for r in block["rows"]:
        gap = Decimal(r["self_total"]) - Decimal(r["total"])
        claims.append({"unit_name": r["unit_name"], "self_total": r["self_total"], "total": r["total"],
                       "gap": str(gap)})
    claims.sort(key=lambda c: Decimal(c["gap"]), reverse=True)
    criteria = []
    for code, title in block["criteria_titles"].items():
        gaps = [Decimal(r["self_criteria"].get(code) or "0") - Decimal(r["criteria"].get(code) or "0")
                for r in block["rows"]]
        over = [g for g in gaps if g > 0]
        if over:
            criteria.append({"code": code, "title": title, "units": len(over), "points": str(sum(over))})
    criteria.sort(key=lambda c: Decimal(c["points"]), reverse=True)
    comparison = []
    if previous is not None:
        before = {r["unit_code"]: r for r in previous["rows"]}
        for r in block["rows"]:
            old = before.get(r["unit_code"])
            if old is not None:
                comparison.append({"unit_name": r["unit_name"], "old_score": old["score"], "score": r["score"],
                                   "old_rank": old.get("rank"), "rank": r.get("rank"),
                                   "old_class": old["classification"], "classification": r["classification"]})
    return {"units": n, "by_class": by_class, "groups": groups, "claims": claims, "criteria": criteria,
            "comparison": comparison}


def _share(count, total):
    return str((Decimal(count) * 100 / total).quantize(Decimal("0.1"))) if total else "0"
