"""Active content in evidence files: what a viewer would run rather than show.

- PDF: JavaScript (/JS, /JavaScript), actions run on opening or on events (/OpenAction,
  /AA), /Launch, /SubmitForm, /ImportData, /RichMedia, /EmbeddedFile, XFA forms. Names are
  compared after undoing #xx escapes (``/J#61vaScript``), and inside every Flate stream too
  (object streams hide dictionaries there).
- HTML polyglots: a file that is also an HTML/SVG document (a browser sniffing it would run it).
- Office: macros in OOXML/ODF (through ``archives.inspect_zip``) and in the old binary formats
  (a VBA project stream in the OLE file).
"""

import re
import zlib

from .archives import UnsafeFile, inspect_zip

SCAN_LIMIT = 64 * 1024 * 1024

_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|OpenAction|AA|Launch|SubmitForm|ImportData|RichMedia|EmbeddedFiles?|"
                         rb"XFA|GoToE|Sound|Movie)(?![A-Za-z0-9])")
_HTML = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed|meta\s+http-equiv)[\s>/]|<!doctype\s+html|"
                   rb"javascript:", re.IGNORECASE)
_STREAM = re.compile(rb"stream\r?\n")
_OLE_MACRO = re.compile(rb"_\x00V\x00B\x00A\x00_\x00P\x00R\x00O\x00J\x00E\x00C\x00T|V\x00B\x00A\x00\x00\x00|"
                        rb"Macros|_VBA_PROJECT", re.IGNORECASE)

PDF_WHAT = {b"JavaScript": "mã JavaScript", b"JS": "mã JavaScript", b"OpenAction": "lệnh tự chạy khi mở",
            b"AA": "lệnh tự chạy theo sự kiện", b"Launch": "lệnh chạy chương trình", b"SubmitForm": "lệnh gửi dữ liệu",
            b"ImportData": "lệnh nhập dữ liệu", b"RichMedia": "nội dung đa phương tiện chủ động",
            b"EmbeddedFile": "tệp đính kèm bên trong", b"EmbeddedFiles": "tệp đính kèm bên trong",
            b"XFA": "biểu mẫu XFA", b"GoToE": "liên kết tới tệp nhúng", b"Sound": "âm thanh nhúng",
            b"Movie": "phim nhúng"}


def _streams(data):
    """Decompressed Flate streams of a PDF, each bounded, so hidden dictionaries are seen too."""
    total = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        decompressor = zlib.decompressobj()
        try:
            out = decompressor.decompress(data[start:end], 8 * 1024 * 1024)
        except zlib.error:
            continue
        total += len(out)
        if total > SCAN_LIMIT:
            raise UnsafeFile("nén bất thường")
        yield out


def _pdf_problem(data):
    for part in (data, *_streams(data)):
        plain = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), part)
        found = _PDF_ACTIVE.search(plain)
        if found:
            return PDF_WHAT.get(found.group(1), found.group(1).decode())
    return None


def check_active_content(data, name, extension):
    """Raise UnsafeFile if the bytes carry content that runs. ``extension`` is the detected type."""
    if _HTML.search(data[:4096]) or (extension in ("pdf", "png", "jpg") and _HTML.search(data)):
        raise UnsafeFile(f"Tệp “{name}” đồng thời là trang HTML/SVG (tệp “đa dạng”, có thể chạy mã trong trình "
                         "duyệt); không nhận.")
    if extension == "pdf":
        try:
            what = _pdf_problem(data)
        except UnsafeFile as exc:
            raise UnsafeFile(f"Tệp “{name}”: nội dung nén bất thường; không nhận.") from exc
        if what:
            raise UnsafeFile(f"Tệp “{name}” có {what} (nội dung chủ động trong PDF); hãy in lại ra PDF thường "
                             "rồi tải lên.")
    elif extension in ("docx", "xlsx", "odt", "ods", "pptx", "zip"):
        inspect_zip(data, name)
    elif extension in ("doc", "xls") and _OLE_MACRO.search(data):
        raise UnsafeFile(f"Tệp “{name}” có chứa macro; chỉ nhận tệp không có macro.")
