"""A corpus of hostile files, generated (nothing binary is checked in).

Each item: (key, file name, bytes, what the refusal must say). Bombs are built to expand far
beyond every limit (ratio bomb: 80 MB of XML in a few hundred KB; quiet bomb: the same data behind
headers that declare a few bytes), so a reader that trusted the declared sizes would be caught
by the memory measurement of the tests.
"""

import functools
import io
import struct
import zipfile
import zlib

from openpyxl import Workbook

from assessment.demo import TINY_PDF


def workbook_bytes():
    book = Workbook()
    book.active["A1"] = "Mã đơn vị"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(extra=(), replace=None, *, base=None):
    """A copy of a plain workbook with members replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(base or workbook_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if replace and info.filename in replace:
                data = replace[info.filename]
            target.writestr(info.filename, data)
        for name, data in extra:
            target.writestr(name, data)
    return out.getvalue()


def _deflated_member(name, size, pattern=b"<c><v>0</v></c>"):
    """A zip member streamed in pieces, so building a 200 MB bomb needs no 200 MB in memory."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    crc, chunks, written = 0, [], 0
    piece = pattern * (1024 * 1024 // len(pattern))
    while written < size:
        crc = zlib.crc32(piece, crc)
        chunks.append(compressor.compress(piece))
        written += len(piece)
    chunks.append(compressor.flush())
    return b"".join(chunks), crc & 0xFFFFFFFF, written


def bomb(*, quiet=False, size=80 * 1024 * 1024):
    """A workbook whose sheet expands to ``size`` bytes; ``quiet``: headers declare 1 KB."""
    base = workbook_bytes()
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(base))
    entries = []
    for info in source.infolist():
        if info.filename == "xl/worksheets/sheet1.xml":
            data, crc, real = _deflated_member(info.filename, size)
            declared = 1024 if quiet else real
        else:
            raw = source.read(info.filename)
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = compressor.compress(raw) + compressor.flush()
            crc, declared = zlib.crc32(raw) & 0xFFFFFFFF, len(raw)
        name = info.filename.encode()
        offset = out.tell()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), declared,
                              len(name), 0) + name + data)
        entries.append((name, crc, len(data), declared, offset))
    central = out.tell()
    for name, crc, packed, declared, offset in entries:
        out.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, packed, declared,
                              len(name), 0, 0, 0, 0, 0, offset) + name)
    end = out.tell()
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), end - central, central, 0))
    return out.getvalue()


XXE_SHEET = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
             b'<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')
LAUGHS = b"".join([b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'] +
                  [b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)]
                  + [b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                     b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'])


def macro_workbook():
    """An .xlsm (VBA project, macro-enabled content type) renamed .xlsx."""
    base = workbook_bytes()
    types = zipfile.ZipFile(io.BytesIO(base)).read("[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
    return _rezip([("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 512)], {"[Content_Types].xml": types})


def many_members(count=101):
    return _rezip([(f"xl/media/anh{i}.png", b"x") for i in range(count - 9)])


def pdf(extra_catalog=b""):
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b">>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


PDF_JS = pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\('xin chao'\\)) >> ")
PDF_LAUNCH_HIDDEN = pdf(b"/AA << /O << /S /L#61unch /F (cmd.exe) >> >> ")
POLYGLOT = b"%PDF-1.4\n%<html><body><script>alert(document.cookie)</script></body></html>\n" + TINY_PDF[9:]


@functools.cache
def corpus():
    """key -> (name, bytes). Oversize is made per endpoint (limits differ), with the settings lowered."""
    return {
        "ratio_bomb": ("bom-ty-le.xlsx", bomb()),
        "quiet_bomb": ("bom-am-tham.xlsx", bomb(quiet=True)),
        "xxe": ("xxe.xlsx", _rezip(replace={"xl/worksheets/sheet1.xml": XXE_SHEET})),
        "billion_laughs": ("ti-tiếng-cười.xlsx", _rezip(replace={"xl/worksheets/sheet1.xml": LAUGHS})),
        "macro": ("co-macro.xlsx", macro_workbook()),
        "zip_slip": ("zip-slip.xlsx", _rezip([("../../../../tmp/da-thoat.txt", b"thoat ra ngoai")])),
        "polyglot": ("da-dang.pdf", POLYGLOT),
        "pdf_javascript": ("co-javascript.pdf", PDF_JS),
        "pdf_hidden_launch": ("an-lenh.pdf", PDF_LAUNCH_HIDDEN),
        "rtl_name": ("bao-cao-\u202excod.pdf", TINY_PDF),
        "empty": ("rong.xlsx", b""),
        "members_101": ("101-tep.xlsx", many_members()),
    }
