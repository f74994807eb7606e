"""The peer for the score benchmark: a straightforward, independent scorer of the same form.

What a competent programmer would write in an afternoon to score a criteria set's YAML over the same
JSON input: json.load with Decimal, type checks on each figure, one function per rule kind over
Decimal, group sums, rank by total, json.dump with an indent. It shares no code with the engine or the
plan (only the YAML reader, for Decimal numbers).

Run alone: .venv/bin/python benchmarks/plain_scorer.py fixtures/criteria/laocai-2018-district.yaml in.json out.json
"""

import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from criteria.document import load_yaml  # noqa: E402

Q = Decimal("0.01")


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.get("children", []))


def number(raw, *, whole=False):
    if isinstance(raw, (bool, float)):
        raise ValueError("không phải số")
    if isinstance(raw, str):
        text = raw.strip().replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif whole:
            text = text.replace(".", "")
        raw = Decimal(text)
    value = Decimal(raw)
    if value < 0 or (whole and value != value.to_integral_value()):
        raise ValueError("số không hợp lệ")
    return value


def read_value(field, raw):
    kind = field["kind"]
    if kind in ("count", "money"):
        return number(raw, whole=True)
    if kind == "percent":
        value = number(raw)
        if value > 100:
            raise ValueError("quá 100")
        return value
    if kind == "yes_no":
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in ("có", "co", "yes", "true", "1", "x")
    if kind == "choice":
        if raw not in [c["value"] for c in field["choices"]]:
            raise ValueError("lựa chọn không hợp lệ")
        return raw
    return raw


def total(values, keys):
    if any(k not in values for k in keys):
        return None
    return sum((values[k] for k in keys), Decimal(0))


def score_leaf(node, values, unit, flagged):
    rule, mx = node["rule"], Decimal(node.get("max", 0))
    kind = rule["kind"]
    if kind == "ratio":
        if "percent" in rule:
            ratio = values.get(rule["percent"])
        else:
            num, den = total(values, rule["numerator"]), total(values, rule["denominator"])
            ratio = None if num is None or den is None or den == 0 else num * 100 / den
        if ratio is None:
            return Decimal(0)
        if ratio >= rule["full_at"]:
            return mx
        if ratio >= rule.get("zero_below", 0):
            return min(ratio * mx / rule["divisor"], mx)
        return Decimal(0)
    if kind == "yes_no":
        value = values.get(rule["field"])
        if value is None:
            return Decimal(0)
        return Decimal(rule.get("yes", mx)) if value else Decimal(rule.get("no", 0))
    if kind == "choice":
        value = values.get(rule["field"])
        return Decimal(rule["points"][value]) if value is not None else Decimal(0)
    if kind == "count_steps":
        count = total(values, rule["fields"])
        for step in rule["steps"] if count is not None else []:
            if count >= step["min"]:
                return min(Decimal(step["points"]), mx)
        return Decimal(0)
    if kind == "rate_per_day":
        uses, days = values.get(rule["field"]), values.get(rule["days_field"])
        if uses is None or days is None:
            return Decimal(0)
        rate = uses / days
        return mx if rate > rule["full_above"] else Decimal(0) if rate < rule["floor"] else min(rate, mx)
    if kind == "deduction_per_day":
        return unit.get("days_late", 0) * Decimal(rule["per_day"])
    if kind == "deduction_per_criterion":
        return len(flagged) * Decimal(rule["per_criterion"])
    if kind == "deduction_flat":
        return Decimal(rule["points"]) if values.get(rule["field"]) else Decimal(0)
    return Decimal(0)  # manual: points entered


def score(document, units):
    nodes = list(walk(document["criteria"]))
    fields = {f["key"]: f for n in nodes for f in n.get("fields", [])}
    deduction = {n["code"] for n in nodes if "rule" in n and n["rule"]["kind"].startswith("deduction")}
    rows, problems = [], []
    for unit in units:
        values, entered, flagged = {}, {}, []
        for code, answer in unit.get("answers", {}).items():
            for key, raw in answer.get("values", {}).items():
                try:
                    values[key] = read_value(fields[key], raw)
                except (ValueError, ArithmeticError, KeyError) as exc:
                    problems.append(f"{unit['code']} {code} {key}: {exc}")
            if answer.get("points") is not None:
                entered[code] = number(answer["points"])
            flagged += answer.get("criteria", [])
        points = {}

        def subtotal(node, values=values, entered=entered, flagged=flagged, unit=unit, points=points):
            if "children" in node:
                got = sum((subtotal(c) for c in node["children"] if c["code"] not in deduction), Decimal(0))
                for child in node["children"]:
                    if child["code"] in deduction:
                        subtotal(child)
            elif node["code"] in entered:
                got = entered[node["code"]]
            else:
                got = score_leaf(node, values, unit, flagged).quantize(Q, ROUND_HALF_UP)
            points[node["code"]] = got
            return got

        grand = sum((subtotal(n) for n in document["criteria"]), Decimal(0))
        taken = sum((points[c] for c in deduction), Decimal(0))
        grand = max(grand - taken, Decimal(0))
        rows.append({"code": unit["code"], "name": unit.get("name", ""), "block": unit.get("block", ""),
                     "criteria": {c: f"{p:.2f}" for c, p in points.items() if c not in deduction},
                     "deductions": f"{taken:.2f}", "total": f"{grand:.2f}", "score": f"{grand:.2f}"})
    if problems:
        raise ValueError("\n".join(problems))
    rows.sort(key=lambda r: -Decimal(r["total"]))
    for i, row in enumerate(rows):
        row["rank"] = i + 1 if i == 0 or rows[i - 1]["total"] != row["total"] else rows[i - 1]["rank"]
    return rows


def run(criteria_path, input_path, output_path):
    document = load_yaml(Path(criteria_path).read_text("utf-8"))
    with open(input_path, encoding="utf-8") as handle:
        units = json.load(handle, parse_float=Decimal)["units"]
    rows = score(document, units)
    with open(output_path, "w", encoding="utf-8") as handle:
        json.dump({"criteria_set": document["code"], "results": rows}, handle, ensure_ascii=False, indent=2)
    return rows


if __name__ == "__main__":
    run(*sys.argv[1:4])
