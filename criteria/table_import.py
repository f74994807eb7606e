"""Read an official criteria table (.xlsx or .docx) into a criteria set document.

Provinces publish their criteria as a table in the decision: STT | Tiêu chí |
Điểm tối đa | Cách xác định và tính điểm | Tài liệu kiểm chứng | Nguồn dữ liệu |
Đơn vị phối hợp xác minh (the later columns optional; Lào Cai 2018 prints the
scoring levels as "-" rows under each criterion instead). ``import_table``
finds the first table whose header row has those columns, reads its numbering
into the criteria tree, turns the scoring text into a structured rule where it
matches a pattern provinces use (see ``criteria.table_rules``) and returns the
same document ``criteria.scheme.parse_document`` takes from the YAML text form,
together with a reading of every row for the preview. A table with problems is
refused as a whole, with every problem named by its row.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from units.naming import fold

from .document import DocumentError, parse_document
from .numbers import NumberFormatError, parse_number, plain, vn
from .table_rules import read_rule

MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 80 * 1024 * 1024
MAX_RATIO = 100


class TableImportError(ValueError):
    """Every problem of a table, each naming its row, in Vietnamese."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# Column -> header texts (folded) it is recognised by; checked in this order.
COLUMNS = (
    ("stt", ("stt", "tt", "so tt", "so thu tu")),
    ("max", ("diem toi da", "toi da", "thang diem", "diem chuan")),
    ("method", ("cach xac dinh", "phuong phap tinh diem", "phuong phap cham diem", "cach tinh diem",
                "cach cham diem", "phuong phap xac dinh")),
    ("documents", ("tai lieu kiem chung", "tai lieu chung minh", "ho so kiem chung")),
    ("source", ("nguon thu thap du lieu", "nguon du lieu", "nguon so lieu", "nguon thu thap")),
    ("verifier", ("don vi phoi hop xac minh", "don vi xac minh", "co quan xac minh", "don vi phoi hop")),
    ("title", ("tieu chi", "chi so", "noi dung", "ten tieu chi", "ten chi so")),
)
REQUIRED = ("stt", "title", "max")
COLUMN_NAMES = {"stt": "STT", "title": "Tiêu chí/Chỉ số", "max": "Điểm tối đa"}


def _column_of(cell):
    text = fold(cell).strip(" :.")
    if not text:
        return None
    for key, names in COLUMNS:
        if key in ("stt",):
            if text in names:
                return key
        elif key == "title":
            if any(text == n or text.startswith(n + " ") for n in names):
                return key
        elif any(text == n or text.startswith(n) for n in names):
            return key
    return None


def header_columns(cells):
    """Column index of each recognised header, or None if the row is not a header."""
    found = {}
    for i, cell in enumerate(cells):
        key = _column_of(cell)
        if key and key not in found:
            found[key] = i
    if all(k in found for k in REQUIRED):
        return found
    return None


# --- reading the files -------------------------------------------------------

def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()


def xlsx_tables(source):
    """Each worksheet as a list of (row number, cells)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TableImportError([f"Không đọc được tệp Excel: {exc.__class__.__name__}"]) from None
    try:
        for sheet in workbook.worksheets:
            rows = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                if number > MAX_ROWS:
                    raise TableImportError([f"Trang tính '{sheet.title}' có hơn {MAX_ROWS} dòng"])
                rows.append((number, [_cell_text(v) for v in values]))
            yield sheet.title, rows
    finally:
        workbook.close()


def docx_tables(source):
    """Each table of the document as a list of (row number, cells); merged cells repeat their text."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(source)
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise TableImportError([f"Không đọc được tệp Word: {exc.__class__.__name__}"]) from None
    except Exception as exc:  # a damaged zip or XML
        raise TableImportError([f"Không đọc được tệp Word: {exc.__class__.__name__}"]) from None
    from docx.oxml.ns import qn

    tr, tc, p, t, span, props = qn("w:tr"), qn("w:tc"), qn("w:p"), qn("w:t"), qn("w:gridSpan"), qn("w:tcPr")
    # Straight over the XML: python-docx's row.cells resolves the grid for every row and is
    # several times slower than reading the table itself.
    for number_t, table in enumerate(document.tables, 1):
        rows = []
        for number, row in enumerate(table._tbl.iterchildren(tr), 1):
            if number > MAX_ROWS:
                raise TableImportError([f"Bảng thứ {number_t} có hơn {MAX_ROWS} dòng"])
            cells = []
            for cell in row.iterchildren(tc):
                text = "\n".join("".join(node.text or "" for node in para.iter(t)) for para in cell.iterchildren(p))
                cells.append(_cell_text(text))
                cell_props = cell.find(props)
                grid = cell_props.find(span) if cell_props is not None else None
                if grid is not None:
                    cells.extend([""] * (int(grid.get(qn("w:val"), "1")) - 1))
            rows.append((number, cells))
        yield f"bảng {number_t}", rows


def find_table(tables):
    """The first table with a recognisable header: (name, header row number, columns, rows after it)."""
    for name, rows in tables:
        for i, (number, cells) in enumerate(rows):
            columns = header_columns(cells)
            if columns:
                return name, number, columns, rows[i + 1:]
    return None


# --- the rows ----------------------------------------------------------------

ROMAN = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
NUMBERED = re.compile(r"^\d{1,3}(\.\d{1,3})*$")
CONTINUATION = {"", "-", "+", "–", "—", "•", "*", "·", "o"}
COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
TOTAL_WORDS = ("tong cong", "tong diem", "tong so diem", "cong", "tong")


@dataclass
class RowReading:
    """How one row of the table was read, for the preview."""

    number: int
    stt: str
    title: str
    kind: str  # group, criterion, text, ignored, total
    reading: str
    code: str = ""
    depth: int = 0


@dataclass
class ImportedNode:
    code: str
    title: str
    row: int
    stt: str
    depth: int
    max_text: str = ""
    max: Decimal | None = None
    lines: list = field(default_factory=list)  # (row, text) of scoring text
    documents: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    verifiers: list = field(default_factory=list)
    children: list = field(default_factory=list)
    parent: object = None
    rule: dict | None = None
    fields: list = field(default_factory=list)
    note: str = ""
    applies_to: str = "all"
    reading: str = ""
    evidence_docs: list = field(default_factory=list)
    is_deduction: bool = False
    duplicate: bool = False
    method: str = ""


@dataclass
class ImportResult:
    document: dict
    rows: list
    warnings: list
    table: str
    header_row: int
    columns: dict

    @property
    def criteria_count(self):
        return sum(1 for r in self.rows if r.kind == "criterion")

    @property
    def groups_count(self):
        return sum(1 for r in self.rows if r.kind == "group")


def _stt(text):
    text = " ".join(str(text).split()).strip()
    text = text.rstrip(".):").lstrip("(").strip()
    return text.upper() if ROMAN.match(text.upper()) and text.isalpha() else text


def _is_column_number_row(cells):
    filled = [c for c in cells if c.strip()]
    return len(filled) >= 3 and all(COLUMN_NUMBERS.match(c.strip()) for c in filled)


def _is_total(title):
    folded = fold(title).strip(" :.")
    return any(folded == w or folded.startswith(w + " ") for w in TOTAL_WORDS[:3]) or folded in ("cong", "tong")


def _parse_max(text):
    raw = re.sub(r"(?i)\s*(điểm|đ)\.?$", "", text.strip())
    return parse_number(raw)


class _Builder:
    def __init__(self, columns, rows):
        self.columns = columns
        self.rows = rows
        self.problems = []
        self.warnings = []
        self.readings = []
        self.roots = []
        self.group = None  # current roman-numbered group
        self.current = None  # the criterion continuation rows belong to
        self.by_path = {}  # (group code, stt) -> node
        self.total_max = None
        self.first_numbers = []  # first criterion number printed under each group

    def cell(self, cells, key):
        index = self.columns.get(key)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def fail(self, number, message):
        self.problems.append(f"Dòng {number}: {message}")

    def read(self):
        for number, cells in self.rows:
            if not any(c.strip() for c in cells):
                continue
            stt_raw = self.cell(cells, "stt")
            stt = _stt(stt_raw)
            title = self.cell(cells, "title")
            max_text = self.cell(cells, "max").strip()
            if _is_column_number_row(cells):
                self.readings.append(RowReading(number, stt_raw, title, "ignored", "Dòng đánh số cột — bỏ qua"))
                continue
            if _is_total(title) and not NUMBERED.match(stt) and not ROMAN.match(stt):
                self.read_total(number, stt_raw, title, max_text)
                continue
            if ROMAN.match(stt) and stt:
                self.add_group(number, stt, title, max_text, cells)
            elif NUMBERED.match(stt):
                self.add_criterion(number, stt, title, max_text, cells)
            elif stt in CONTINUATION or (len(stt) == 1 and stt.isalpha()):
                self.add_text(number, stt_raw, title, max_text, cells)
            else:
                self.fail(number, f"số thứ tự '{stt_raw}' không đọc được (cần I, II…; 1, 2…; 1.1…; hoặc '-', '+')")
                self.readings.append(RowReading(number, stt_raw, title, "ignored", "Số thứ tự không đọc được"))
        return self.roots

    def read_total(self, number, stt_raw, title, max_text):
        reading = "Dòng tổng cộng — không phải tiêu chí"
        if max_text:
            try:
                self.total_max = _parse_max(max_text)
                reading += f"; tổng điểm tối đa {vn(self.total_max)} được dùng để đối chiếu"
            except NumberFormatError:
                self.fail(number, f"tổng điểm tối đa '{max_text}' không phải là số")
        self.readings.append(RowReading(number, stt_raw, title, "total", reading))

    def _node(self, number, stt, title, max_text, cells, code, depth):
        node = ImportedNode(code=code, title=title.strip(), row=number, stt=stt, depth=depth, max_text=max_text)
        if not node.title:
            self.fail(number, f"tiêu chí {code} không có nội dung")
        if max_text:
            try:
                node.max = _parse_max(max_text)
                if node.max < 0:
                    raise NumberFormatError("âm")
            except NumberFormatError:
                self.fail(number, f"điểm tối đa '{max_text}' của tiêu chí {code} không phải là số")
        self._collect(node, number, cells, include_title=False)
        return node

    def _collect(self, node, number, cells, include_title):
        for key, target in (("method", node.lines), ("documents", node.documents),
                            ("source", node.sources), ("verifier", node.verifiers)):
            text = self.cell(cells, key).strip()
            if text:
                if key == "method":
                    target.extend((number, line) for line in _split_lines(text))
                else:
                    target.append(text)
        if include_title:
            title = self.cell(cells, "title").strip()
            if title:
                node.lines.extend((number, line) for line in _split_lines(title))

    def add_group(self, number, stt, title, max_text, cells):
        if any(g.stt == stt for g in self.roots if g.depth == 0):
            first = next(g for g in self.roots if g.stt == stt)
            self.fail(number, f"số thứ tự {stt} lặp lại (đã có ở dòng {first.row})")
        node = self._node(number, stt, title, max_text, cells, stt, 0)
        self.roots.append(node)
        self.group = self.current = node
        self.readings.append(RowReading(number, stt, title, "group", "Nhóm tiêu chí", stt, 0))

    def add_criterion(self, number, stt, title, max_text, cells):
        parts = stt.split(".")
        parent = self.group
        for depth in range(1, len(parts)):
            key = (parent.code if parent else "", ".".join(parts[:depth]))
            found = self.by_path.get(key)
            if found is None:
                self.fail(number, f"tiêu chí con {stt} không có tiêu chí {'.'.join(parts[:depth])} ở trên")
                self.readings.append(RowReading(number, stt, title, "ignored", "Không rõ thuộc tiêu chí nào"))
                return
            parent = found
        siblings = parent.children if parent else self.roots
        if len(parts) == 1 and self.group is not None and not any(c for c in self.group.children):
            self.first_numbers.append(int(parts[0]))
        code_tail = parts[-1]
        duplicate = False
        for sibling in siblings:
            if sibling.stt == stt:
                where = f"trong mục {parent.code}" if parent else "ở cấp ngoài cùng"
                self.fail(number, f"số thứ tự {stt} lặp lại {where} (đã có ở dòng {sibling.row})")
                duplicate = True
                break
        prefix = f"{parent.code}." if parent else ""
        code = prefix + code_tail
        node = self._node(number, stt, title, max_text, cells, code, (parent.depth + 1) if parent else 0)
        node.parent = parent
        node.duplicate = duplicate
        siblings.append(node)
        self.by_path[(self.group.code if self.group else "", stt)] = node
        self.current = node
        self.readings.append(RowReading(number, stt, title, "criterion", "", code, node.depth))

    def add_text(self, number, stt_raw, title, max_text, cells):
        node = self.current
        if node is None:
            self.readings.append(RowReading(number, stt_raw, title, "ignored", "Dòng trước tiêu chí đầu tiên — bỏ qua"))
            return
        if max_text:
            self.fail(number, f"dòng '{stt_raw or '(trống)'}' ghi điểm tối đa '{max_text}' nhưng không có số thứ tự")
        self._collect(node, number, cells, include_title=True)
        self.readings.append(RowReading(number, stt_raw, title, "text", f"Cách tính điểm của {node.code}",
                                        node.code, node.depth + 1))


def _split_lines(text):
    lines = []
    for part in re.split(r"\n|;\s*(?=[^\]]*(?:\[|$))", text):
        part = part.strip().lstrip("-+•*–").strip()
        if part:
            lines.append(part)
    return lines


# --- after the rows: the tree -------------------------------------------------

def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _renumber_run_on(roots, first_numbers):
    """Numbering that runs on through the table (I: 1–5, II: 6–9) keeps its printed numbers as codes."""
    if len(first_numbers) < 2 or all(n == 1 for n in first_numbers):
        return False

    def recode(node, code):
        node.code = code
        for child in node.children:
            recode(child, f"{code}.{child.stt.split('.')[-1]}")

    seen = set()
    for group in roots:
        for child in group.children:
            if child.stt in seen:
                return False
            seen.add(child.stt)
    for group in roots:
        for child in group.children:
            recode(child, child.stt)
    return True


def _check_sums(roots, problems):
    def total(node):
        if not node.children:
            if node.is_deduction:
                return Decimal(0)
            if node.rule and node.rule.get("kind") == "substitute_ratio":
                return Decimal(0)
            return node.max
        parts = [total(c) for c in node.children]
        if any(p is None for p in parts):
            return node.max
        computed = sum(parts, Decimal(0))
        if node.max is not None and node.max != computed and not all(c.is_deduction for c in node.children):
            listed = " + ".join(vn(p) for p in parts)
            problems.append(f"Dòng {node.row}: {node.code} ghi điểm tối đa {vn(node.max)} nhưng tổng các mục con là "
                            f"{listed} = {vn(computed)}")
        return computed

    return sum((total(r) or Decimal(0) for r in roots), Decimal(0)), all(total(r) is not None for r in roots)


def _node_document(node):
    data = {"code": node.code, "title": node.title}
    if node.children:
        if node.max is not None and not all(c.is_deduction for c in node.children):
            data["max"] = node.max
        if node.applies_to != "all":
            data["applies_to"] = node.applies_to
        data["children"] = [_node_document(c) for c in node.children]
        return data
    if node.max is not None and not node.is_deduction:
        data["max"] = node.max
    if node.applies_to != "all":
        data["applies_to"] = node.applies_to
    if node.note:
        data["note"] = node.note
    documents = [*node.documents, *node.evidence_docs]
    if documents:
        data["documents"] = "\n".join(documents)
    if node.fields:
        data["fields"] = node.fields
    data["rule"] = node.rule
    if node.method:
        data["method"] = node.method
    if node.sources:
        data["data_source"] = "\n".join(node.sources)
    if node.verifiers:
        data["verifier"] = "\n".join(node.verifiers)
    return data


def build_document(table_name, header_row, columns, rows, *, code, name, source=""):
    builder = _Builder(columns, rows)
    roots = builder.read()
    if not roots and not builder.problems:
        builder.problems.append(f"Bảng ({table_name}) không có tiêu chí nào sau dòng tiêu đề {header_row}")
    run_on = _renumber_run_on(roots, builder.first_numbers)
    readings_by_row = {r.number: r for r in builder.readings}
    by_code = {}
    for node in _walk(roots):
        if node.code in by_code and not node.duplicate:
            builder.fail(node.row, f"mã tiêu chí {node.code} trùng với dòng {by_code[node.code].row}")
        by_code[node.code] = node
    keys = set()
    in_deduction_group = set()
    for root in roots:
        if "tru diem" in fold(root.title):
            in_deduction_group.update(id(n) for n in _walk(root.children))
    for node in _walk(roots):
        reading = readings_by_row.get(node.row)
        if reading is not None:
            reading.code = node.code
        if node.children:
            if node.lines:
                builder.warnings.append(f"Dòng {node.row}: nhóm {node.code} có cách tính điểm riêng; "
                                        "điểm của nhóm là tổng các tiêu chí con")
            if reading is not None:
                reading.kind = "group"
                mx = f", điểm tối đa {vn(node.max)}" if node.max is not None else ""
                reading.reading = f"Nhóm {node.code}{mx}"
            continue
        outcome = read_rule(node, keys, deduction_context=id(node) in in_deduction_group)
        node.rule, node.fields, node.note = outcome.rule, outcome.fields, outcome.note
        node.evidence_docs = outcome.documents
        node.method = outcome.method
        node.is_deduction = outcome.deduction
        node.reading = outcome.reading
        if outcome.applies_to:
            node.applies_to = outcome.applies_to
        builder.warnings.extend(f"Dòng {node.row} ({node.code}): {w}" for w in outcome.warnings)
        if reading is not None:
            mx = f"{vn(node.max)} điểm" if node.max is not None else (
                "trừ điểm" if node.is_deduction else "chưa có điểm tối đa")
            reading.kind = "criterion"
            reading.reading = f"Tiêu chí {node.code} ({mx}): {outcome.reading}"
    _resolve_references(roots, by_code, builder)
    for node in _walk(roots):
        if "ap dung cho cac co quan co tthc" in fold(node.title) or "ap dung cho co quan co tthc" in fold(node.title):
            node.applies_to = "with_procedures"
    nominal, complete = _check_sums(roots, builder.problems)
    if builder.total_max is not None and complete and nominal != builder.total_max:
        builder.problems.append(f"Dòng tổng cộng: ghi {vn(builder.total_max)} điểm nhưng tổng các nhóm là {vn(nominal)}")
    if builder.problems:
        raise TableImportError(builder.problems)
    document = {"code": code, "version": 1, "name": name, "status": "draft"}
    if source:
        document["source"] = source
    document["headline"] = "total"
    if builder.total_max is not None:
        document["total_max"] = builder.total_max
        if builder.total_max == 1000:
            # The DTI model since 2022: 1 000 points published as an index from 0 to 1, 4 decimals.
            document["headline"] = "index"
            document["rounding"] = {"points": 2, "score": 4}
    document["criteria"] = [_node_document(n) for n in roots]
    return document, builder.readings, builder.warnings, run_on


def _resolve_references(roots, by_code, builder):
    """A substitute rule names other criteria by their titles; find them in the tree."""
    nodes = list(_walk(roots))

    def words(text):
        return set(re.findall(r"\w+", fold(text)))

    def find(title_text):
        """The shallowest criterion whose title holds (nearly) all the words of the reference."""
        wanted = words(title_text)
        best, best_score = None, Decimal("0.8")
        for node in nodes:
            have = words(node.title)
            score = Decimal(len(wanted & have)) / Decimal(len(wanted) or 1)
            if score > best_score or (score == best_score and best is not None and node.depth < best.depth):
                best, best_score = node, score
        return best

    for node in nodes:
        rule = node.rule
        if not rule or rule.get("kind") != "substitute_ratio":
            continue
        source = find(rule["source"])
        replaced = [find(t) for t in rule["replaces"]]
        if source is None or None in replaced:
            missing = [t for t, r in zip([rule["source"], *rule["replaces"]], [source, *replaced], strict=True)
                       if r is None]
            builder.warnings.append(f"Dòng {node.row} ({node.code}): không tìm thấy mục "
                                    f"{'; '.join(missing)} — chấm trực tiếp")
            node.rule = {"kind": "manual"}
            node.reading = "Chấm trực tiếp (không tìm thấy các mục được nhắc tới)"
            continue
        rule["source"] = source.code
        rule["replaces"] = [r.code for r in replaced]
        node.applies_to = "without_procedures"
        for r in replaced:
            r.applies_to = "with_procedures"
        node.reading = (f"Thay thế cho đơn vị không có TTHC: điểm {source.code} theo tỷ lệ × điểm tối đa "
                        f"{' + '.join(r.code for r in replaced)}")
        reading = next((x for x in builder.readings if x.number == node.row), None)
        if reading is not None:
            reading.reading = f"Tiêu chí {node.code}: {node.reading}"


def check_container(data, filename):
    """Refuse before parsing what is too big, not a zip package, a zip bomb or carries macros."""
    name = Path(str(filename)).name
    if len(data) > MAX_BYTES:
        raise TableImportError([f"Tệp '{name}' lớn hơn {MAX_BYTES // 1048576} MB"])
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        kind = "Excel" if name.lower().endswith(".xlsx") else "Word"
        raise TableImportError([f"Không đọc được tệp {kind} '{name}': tệp hỏng hoặc không đúng định dạng"]) from None
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise TableImportError([f"Tệp '{name}' giải nén ra quá lớn (tệp nén bất thường), không mở"])
    if any("vbaproject" in m.filename.lower() for m in members):
        raise TableImportError([f"Tệp '{name}' có chứa macro; chỉ nhận .xlsx/.docx không có macro"])


def import_table(source, filename, *, code, name) -> ImportResult:
    """Read the table of ``source`` (a path or a binary file) into a checked criteria set document."""
    suffix = Path(str(filename)).suffix.lower()
    if suffix in (".xlsx", ".docx"):
        if isinstance(source, str | Path):
            source = Path(source).read_bytes()
        elif hasattr(source, "read"):
            source = source.read()
        check_container(source, filename)
        source = io.BytesIO(source)
    if suffix == ".xlsx":
        tables = xlsx_tables(source)
    elif suffix == ".docx":
        tables = docx_tables(source)
    else:
        raise TableImportError([f"Tệp '{Path(str(filename)).name}' không phải .xlsx hoặc .docx"])
    found = find_table(tables)
    if found is None:
        raise TableImportError([
            "Không tìm thấy bảng tiêu chí: cần một dòng tiêu đề có các cột "
            + ", ".join(COLUMN_NAMES.values()) + " (có thể thêm Cách xác định và tính điểm, Tài liệu kiểm chứng, "
            "Nguồn thu thập dữ liệu, Đơn vị phối hợp xác minh)"])
    table_name, header_row, columns, rows = found
    document, readings, warnings, _ = build_document(
        table_name, header_row, columns, rows, code=code, name=name,
        source=f"Nhập từ bảng tiêu chí {Path(str(filename)).name}")
    try:
        parse_document(document)
    except DocumentError as exc:
        raise TableImportError(exc.problems) from None
    return ImportResult(document, readings, warnings, table_name, header_row, columns)


def describe_max(value):
    return "" if value is None else plain(value)


def save_imported(document, *, filename, sha256, by=None):
    """Create the draft set of an imported table and record it as the set's first revision."""
    from django.db import transaction

    from .models import CriteriaSetRevision
    from .store import canonical_text, save_document

    with transaction.atomic():
        criteria_set, _ = save_document(document)
        CriteriaSetRevision.objects.create(
            criteria_set=criteria_set, number=1, changed_by=by,
            summary=f"Nhập từ bảng tiêu chí {Path(str(filename)).name} (SHA-256 {sha256[:16]}…)"[:500],
            text=canonical_text(criteria_set.document()))
    return criteria_set
