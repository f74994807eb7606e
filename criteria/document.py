"""A criteria set's text form: reading it into a :class:`~criteria.scheme.Scheme`, writing it back.

The text form (YAML, one file per set in ``fixtures/criteria/``) is the
document reviewers read and diff. ``parse_document`` checks it completely and
returns the :class:`~criteria.scheme.Scheme` that the scoring engine uses; ``to_document`` writes
it back in the canonical shape (defaults omitted, numbers in shortest form),
so that load -> export gives the same text. The database stores exactly this
document's content; ``CriteriaSet.scheme()`` goes through the same parser.
"""

import datetime
import itertools
from decimal import Decimal

import yaml

from .fields import FIELD_KINDS
from .numbers import ZERO, NumberFormatError, parse_number, plain, vn
from .rules import RuleError, parse_rule
from .scheme import APPLIES_TO, CHECK_LEVELS, CHECK_OPS, HEADLINES, STATUSES, Band, Check, Field, Node, Scheme


class DocumentError(ValueError):
    """Every problem found in a criteria set document, in Vietnamese."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))



# --- reading ---------------------------------------------------------------

NODE_KEYS = {"code", "title", "max", "applies_to", "not_assessed", "note", "documents", "fields", "rule", "children",
             "method", "data_source", "verifier", "automatic", "guidance"}
TEXT_NODE_KEYS = ("method", "data_source", "verifier", "automatic", "guidance")
DOC_KEYS = {"code", "version", "name", "status", "decision", "source", "blocks", "headline",
            "rounding", "total_max", "ranking_rule", "tie_rule", "bands", "criteria", "guidance", "checks"}


class _Reader:
    def __init__(self):
        self.problems = []

    def fail(self, message):
        self.problems.append(message)

    def number(self, raw, where, *, allow_none=True, minimum=ZERO):
        if raw is None:
            if not allow_none:
                self.fail(f"{where}: thiếu giá trị")
            return None
        try:
            value = parse_number(raw)
        except NumberFormatError as exc:
            self.fail(f"{where}: {raw!r} {exc}")
            return None
        if minimum is not None and value < minimum:
            self.fail(f"{where}: {plain(value)} không được âm")
            return None
        return value

    def text(self, raw, where, *, required=True):
        if raw is None or raw == "":
            if required:
                self.fail(f"{where}: thiếu nội dung")
            return ""
        if not isinstance(raw, str):
            self.fail(f"{where}: phải là văn bản, không phải {raw!r}")
            return ""
        return raw

    def unknown(self, data, allowed, where):
        extra = sorted(set(data) - allowed)
        if extra:
            self.fail(f"{where}: khoá không hợp lệ: {', '.join(extra)}")

    def fields(self, raw, where, code, automatic=""):
        result = []
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.fail(f"{where}: 'fields' phải là danh sách")
            return ()
        for i, item in enumerate(raw, 1):
            fw = f"{where}, trường số liệu thứ {i}"
            if not isinstance(item, dict):
                self.fail(f"{fw}: phải có key, label, kind")
                continue
            self.unknown(item, {"key", "label", "kind", "choices", "automatic"}, fw)
            key = self.text(item.get("key"), f"{fw} (key)")
            if key and not (key.replace("_", "").isalnum() and key.isascii() and key[0].isalpha()):
                self.fail(f"{fw}: mã trường '{key}' chỉ gồm chữ cái Latin, chữ số và dấu gạch dưới")
            kind = item.get("kind")
            if kind not in FIELD_KINDS:
                self.fail(f"{fw}: kiểu '{kind}' không hợp lệ (có: {', '.join(FIELD_KINDS)})")
            choices = ()
            if kind == "choice":
                raw_choices = item.get("choices")
                if not isinstance(raw_choices, list) or not raw_choices:
                    self.fail(f"{fw}: trường lựa chọn phải có 'choices'")
                else:
                    pairs = []
                    for c in raw_choices:
                        if not isinstance(c, dict) or set(c) != {"value", "label"}:
                            self.fail(f"{fw}: mỗi lựa chọn phải có đúng 'value' và 'label'")
                            continue
                        pairs.append((str(c["value"]), str(c["label"])))
                    choices = tuple(pairs)
            elif "choices" in item:
                self.fail(f"{fw}: chỉ trường kiểu 'choice' mới có 'choices'")
            own = self.text(item.get("automatic"), f"{fw} (automatic)", required=False)
            result.append(Field(key, self.text(item.get("label"), f"{fw} (label)"), kind, choices, code,
                                own or automatic))
        return tuple(result)

    def node(self, raw, where, places, seen):
        if not isinstance(raw, dict):
            self.fail(f"{where}: phải là một tiêu chí có code và title")
            return None
        self.unknown(raw, NODE_KEYS, where)
        code = self.text(raw.get("code") if raw.get("code") is None else str(raw.get("code")), f"{where} (code)")
        where = f"Tiêu chí {code}" if code else where
        if code in seen:
            self.fail(f"{where}: mã tiêu chí bị trùng")
        seen.add(code)
        node = Node(code=code, title=self.text(raw.get("title"), f"{where} (title)"), places=places)
        node.declared_max = self.number(raw.get("max"), f"{where} (max)")
        node.applies_to = raw.get("applies_to", "all")
        if node.applies_to not in APPLIES_TO:
            self.fail(f"{where}: applies_to '{node.applies_to}' không hợp lệ (có: {', '.join(APPLIES_TO)})")
        if "not_assessed" in raw:
            na = raw["not_assessed"]
            if not isinstance(na, dict) or set(na) != {"points", "reason"}:
                self.fail(f"{where}: not_assessed phải có đúng 'points' và 'reason'")
            else:
                node.not_assessed = self.number(na["points"], f"{where} (not_assessed.points)", allow_none=False)
                node.not_assessed_reason = self.text(na["reason"], f"{where} (not_assessed.reason)")
        node.note = self.text(raw.get("note"), where, required=False)
        node.documents = self.text(raw.get("documents"), where, required=False)
        for key in TEXT_NODE_KEYS:
            setattr(node, key, self.text(raw.get(key), f"{where} ({key})", required=False))
        node.fields = self.fields(raw.get("fields"), where, code, node.automatic)
        if raw.get("rule") is not None:
            try:
                node.rule = parse_rule(raw["rule"], where=where)
            except RuleError as exc:
                self.fail(str(exc))
        children = raw.get("children") or []
        if not isinstance(children, list):
            self.fail(f"{where}: 'children' phải là danh sách")
            children = []
        node.children = [c for c in (self.node(c, f"{where}, mục con thứ {i}", places, seen)
                                     for i, c in enumerate(children, 1)) if c is not None]
        if node.children and (node.rule is not None or node.fields):
            self.fail(f"{where}: nhóm tiêu chí không có quy tắc hay số liệu riêng; đặt chúng ở tiêu chí con")
        return node

    def bands(self, raw):
        result = []
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.fail("Xếp loại (bands): phải là danh sách")
            return ()
        for i, item in enumerate(raw, 1):
            where = f"Xếp loại thứ {i}"
            if not isinstance(item, dict):
                self.fail(f"{where}: phải có label, lower, upper")
                continue
            self.unknown(item, {"label", "lower", "upper", "reason"}, where)
            lower = self.number(item.get("lower"), f"{where} (lower)", minimum=None)
            upper = self.number(item.get("upper"), f"{where} (upper)", minimum=None)
            if lower is not None and upper is not None and lower >= upper:
                self.fail(f"{where}: cận dưới {vn(lower)} phải nhỏ hơn cận trên {vn(upper)}")
            result.append(Band(self.text(item.get("label"), f"{where} (label)"), lower, upper,
                               self.text(item.get("reason"), where, required=False)))
        ordered = sorted(result, key=lambda b: (b.lower is not None, b.lower or ZERO), reverse=True)
        for high, low in itertools.pairwise(ordered):
            if high.lower is None or low.upper != high.lower:
                self.fail(f"Xếp loại '{low.label}' và '{high.label}': các khoảng phải nối tiếp nhau, "
                          "không chồng lấn, không bỏ trống")
        return tuple(result)


def _checks(raw, scheme, reader):
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.fail("checks: phải là danh sách các phép kiểm tra")
        return ()
    result = []
    for i, item in enumerate(raw, 1):
        where = f"Kiểm tra số liệu thứ {i}"
        if not isinstance(item, dict):
            reader.fail(f"{where}: phải có left, op, right, level, message")
            continue
        reader.unknown(item, {"left", "op", "right", "level", "message"}, where)
        sides = []
        for side in ("left", "right"):
            keys = item.get(side)
            keys = [keys] if isinstance(keys, str) else keys
            if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
                reader.fail(f"{where}: '{side}' phải là một hoặc nhiều mã trường số liệu")
                keys = []
            for key in keys:
                fld = scheme.fields.get(key)
                if fld is None:
                    reader.fail(f"{where}: trường số liệu '{key}' không tồn tại")
                elif fld.kind not in ("count", "money", "percent"):
                    reader.fail(f"{where}: trường '{key}' là kiểu {fld.kind}, chỉ so sánh được số")
            sides.append(tuple(keys))
        op = item.get("op", "<=")
        if op not in CHECK_OPS:
            reader.fail(f"{where}: phép so sánh '{op}' không hợp lệ (có: {', '.join(CHECK_OPS)})")
            op = "<="
        level = item.get("level", "error")
        if level not in CHECK_LEVELS:
            reader.fail(f"{where}: mức '{level}' không hợp lệ (có: error, warning)")
            level = "error"
        result.append(Check(sides[0], op, sides[1], level,
                            reader.text(item.get("message"), f"{where} (message)", required=False)))
    return tuple(result)


def _derive(scheme, reader):
    """Fill each node's effective maximum and check the references between criteria."""

    def inherit(node, applies):
        node.effective_applies = node.applies_to if node.applies_to != "all" else applies
        for child in node.children:
            inherit(child, node.effective_applies)

    for node in scheme.nodes:
        inherit(node, "all")
    for node in scheme.walk():
        if node.is_substitute:
            continue
        if not node.children:
            node.max_points = node.declared_max
    for node in scheme.leaves:
        rule = node.rule
        where = f"Tiêu chí {node.code}"
        if rule is None:
            if scheme.status != "draft":
                reader.fail(f"{where}: chưa có quy tắc chấm điểm")
            continue
        if node.is_deduction:
            if node.declared_max is not None:
                reader.fail(f"{where}: mục trừ điểm không có điểm tối đa")
        elif node.declared_max is None and not node.is_substitute and scheme.status != "draft":
            reader.fail(f"{where}: thiếu điểm tối đa")
        for key, kinds in rule.field_refs():
            fld = scheme.fields.get(key)
            if fld is None:
                reader.fail(f"{where}: quy tắc dùng trường số liệu '{key}' không tồn tại")
            elif fld.kind not in kinds:
                reader.fail(f"{where}: trường '{key}' là kiểu {fld.kind}, quy tắc cần {' hoặc '.join(kinds)}")
        if node.not_assessed is not None and node.declared_max is not None and node.not_assessed > node.declared_max:
            reader.fail(f"{where}: điểm không đánh giá lớn hơn điểm tối đa")
    # Groups sum their children; a printed maximum must agree. Substitutes replace
    # other criteria, so they add nothing to the nominal maximum.
    def group_max(node):
        if not node.children:
            if node.is_substitute:
                return ZERO
            return node.max_points
        parts = [group_max(c) for c in node.children if not c.is_deduction]
        if any(p is None for p in parts):
            node.max_points = node.declared_max
            return node.max_points
        node.max_points = sum(parts, ZERO)
        if node.declared_max is not None and node.declared_max != node.max_points:
            reader.fail(f"Tiêu chí {node.code}: điểm tối đa ghi {vn(node.declared_max)} "
                        f"nhưng tổng các tiêu chí con là {vn(node.max_points)}")
        return node.max_points

    for node in scheme.nodes:
        group_max(node)
    # Each rule kind checks what it refers to, now that every maximum is known.
    for node in scheme.leaves:
        if node.rule is not None:
            for problem in node.rule.validate(node, scheme):
                reader.fail(problem)
    if scheme.total_max is not None and scheme.is_complete and scheme.nominal_max != scheme.total_max:
        reader.fail(f"Tổng điểm tối đa ghi {vn(scheme.total_max)} nhưng tổng các tiêu chí là {vn(scheme.nominal_max)}")


def parse_document(data) -> Scheme:
    """Check a criteria set document completely; raise DocumentError listing every problem."""
    reader = _Reader()
    if not isinstance(data, dict):
        raise DocumentError(["Tài liệu bộ tiêu chí phải là một bảng khoá: giá trị"])
    reader.unknown(data, DOC_KEYS, "Bộ tiêu chí")
    code = reader.text(data.get("code"), "Bộ tiêu chí (code)")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        reader.fail(f"Bộ tiêu chí {code}: version phải là số nguyên dương, không phải {version!r}")
        version = 1
    status = data.get("status", "draft")
    if status not in STATUSES:
        reader.fail(f"Bộ tiêu chí {code}: status '{status}' không hợp lệ (có: {', '.join(STATUSES)})")
    decision = data.get("decision") or {}
    if not isinstance(decision, dict):
        reader.fail("decision: phải có number, date, issuer")
        decision = {}
    reader.unknown(decision, {"number", "date", "issuer"}, "decision")
    date = decision.get("date")
    if date is not None and not isinstance(date, datetime.date):
        reader.fail(f"decision.date: {date!r} không phải ngày dạng YYYY-MM-DD")
        date = None
    headline = data.get("headline", "total")
    if headline not in HEADLINES:
        reader.fail(f"headline '{headline}' không hợp lệ (có: {', '.join(HEADLINES)})")
    rounding = data.get("rounding") or {}
    places = {}
    for key, default in (("points", 2), ("score", 2)):
        value = rounding.get(key, default) if isinstance(rounding, dict) else default
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 6:
            reader.fail(f"rounding.{key}: số chữ số thập phân phải từ 0 đến 6, không phải {value!r}")
            value = default
        places[key] = value
    if isinstance(rounding, dict):
        reader.unknown(rounding, {"points", "score"}, "rounding")
    blocks = data.get("blocks") or []
    if not isinstance(blocks, list) or not all(isinstance(b, str) for b in blocks):
        reader.fail("blocks: phải là danh sách mã khối")
        blocks = []
    seen = set()
    raw_nodes = data.get("criteria")
    if not isinstance(raw_nodes, list) or not raw_nodes:
        reader.fail("criteria: bộ tiêu chí phải có ít nhất một tiêu chí")
        raw_nodes = []
    nodes = [n for n in (reader.node(r, f"Tiêu chí thứ {i}", places["points"], seen)
                         for i, r in enumerate(raw_nodes, 1)) if n is not None]
    scheme = Scheme(
        code=code, version=version, name=reader.text(data.get("name"), "name"),
        status=status if status in STATUSES else "draft",
        decision_number=reader.text(decision.get("number"), "decision.number", required=False),
        decision_date=date,
        decision_issuer=reader.text(decision.get("issuer"), "decision.issuer", required=False),
        source=reader.text(data.get("source"), "source", required=False),
        blocks=tuple(blocks), headline=headline if headline in HEADLINES else "total",
        points_places=places["points"], score_places=places["score"],
        total_max=reader.number(data.get("total_max"), "total_max"),
        ranking_rule=reader.text(data.get("ranking_rule"), "ranking_rule", required=False),
        tie_rule=reader.text(data.get("tie_rule"), "tie_rule", required=False),
        bands=reader.bands(data.get("bands")),
        nodes=nodes,
        guidance=reader.text(data.get("guidance"), "guidance", required=False),
    )
    scheme.checks = _checks(data.get("checks"), scheme, reader)
    keys = [f.key for n in scheme.walk() for f in n.fields]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        reader.fail(f"Trường số liệu '{key}' bị khai báo nhiều lần")
    _derive(scheme, reader)
    if reader.problems:
        raise DocumentError(reader.problems)
    return scheme


# --- writing ---------------------------------------------------------------

def _node_document(node):
    data = {"code": node.code, "title": node.title}
    if node.declared_max is not None:
        data["max"] = node.declared_max
    if node.applies_to != "all":
        data["applies_to"] = node.applies_to
    if node.not_assessed is not None:
        data["not_assessed"] = {"points": node.not_assessed, "reason": node.not_assessed_reason}
    if node.note:
        data["note"] = node.note
    if node.documents:
        data["documents"] = node.documents
    for key in TEXT_NODE_KEYS:
        if getattr(node, key):
            data[key] = getattr(node, key)
    if node.fields:
        data["fields"] = []
        for f in node.fields:
            item = {"key": f.key, "label": f.label, "kind": f.kind}
            if f.choices:
                item["choices"] = [{"value": v, "label": label} for v, label in f.choices]
            if f.automatic and f.automatic != node.automatic:
                item["automatic"] = f.automatic
            data["fields"].append(item)
    if node.rule is not None:
        data["rule"] = node.rule.to_data()
    if node.children:
        data["children"] = [_node_document(c) for c in node.children]
    return data


def to_document(scheme: Scheme) -> dict:
    data = {"code": scheme.code, "version": scheme.version, "name": scheme.name, "status": scheme.status}
    decision = {}
    if scheme.decision_number:
        decision["number"] = scheme.decision_number
    if scheme.decision_date:
        decision["date"] = scheme.decision_date
    if scheme.decision_issuer:
        decision["issuer"] = scheme.decision_issuer
    if decision:
        data["decision"] = decision
    if scheme.source:
        data["source"] = scheme.source
    if scheme.blocks:
        data["blocks"] = list(scheme.blocks)
    data["headline"] = scheme.headline
    data["rounding"] = {"points": scheme.points_places, "score": scheme.score_places}
    if scheme.total_max is not None:
        data["total_max"] = scheme.total_max
    if scheme.ranking_rule:
        data["ranking_rule"] = scheme.ranking_rule
    if scheme.tie_rule:
        data["tie_rule"] = scheme.tie_rule
    if scheme.bands:
        data["bands"] = []
        for b in scheme.bands:
            item = {"label": b.label, "lower": b.lower, "upper": b.upper}
            if b.reason:
                item["reason"] = b.reason
            data["bands"].append(item)
    if scheme.guidance:
        data["guidance"] = scheme.guidance
    if scheme.checks:
        data["checks"] = []
        for c in scheme.checks:
            item = {"left": list(c.left), "op": c.op, "right": list(c.right), "level": c.level}
            if c.message:
                item["message"] = c.message
            data["checks"].append(item)
    data["criteria"] = [_node_document(n) for n in scheme.nodes]
    return data


class _Loader(yaml.SafeLoader):
    """Reads decimals as Decimal, never as float."""


_Loader.add_constructor("tag:yaml.org,2002:float",
                        lambda loader, node: Decimal(loader.construct_scalar(node).replace("_", "")))


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper, value):
    text = plain(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, lambda d, text: d.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))
_Dumper.add_representer(type(None), lambda d, _: d.represent_scalar("tag:yaml.org,2002:null", "null"))


def load_yaml(text: str):
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark else ""
        raise DocumentError([f"Tệp YAML không đọc được{where}: {getattr(exc, 'problem', exc)}"]) from None


def dump_yaml(document: dict) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096,
                     default_flow_style=False, indent=2)
