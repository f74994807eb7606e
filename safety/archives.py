"""Zip-based files (xlsx, docx, ods, odt) opened without trusting what they say about themselves.

``inspect_zip`` reads every member once, counting the bytes actually decompressed (a "quiet"
bomb lies in its headers; overlapping members repeat the same data), and stops at the first
limit: number of members, total bytes, bytes of one member, ratio. While reading it refuses
what an upload must never carry: a path leaving the archive (zip-slip), XML with a DOCTYPE or
ENTITY declaration (XXE, billion laughs; OOXML and ODF never need one), and macros (VBA
projects, Excel 4 macro sheets, ActiveX, ODF Basic/scripts). Every refusal is an
``UnsafeFile`` with a Vietnamese message naming the file.
"""

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

MAX_MEMBERS = 100
MAX_TOTAL = 50 * 1024 * 1024
MAX_MEMBER = 30 * 1024 * 1024
MAX_RATIO = 200
CHUNK = 64 * 1024

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_MACRO_NAMES = re.compile(r"(vbaproject\.bin|vbadata\.xml|(^|/)macrosheets/|(^|/)activex/|(^|/)basic/|"
                          r"(^|/)scripts/)", re.IGNORECASE)
_BINARY_PART = re.compile(r"\.bin$", re.IGNORECASE)
_MACRO_TYPES = re.compile(rb"macroEnabled|vbaProject|ms-excel\.macrosheet|ms-office\.activeX|"
                          rb"vnd\.sun\.star\.basic|application/vnd\.sun\.xml\.basic|/script", re.IGNORECASE)
_MACRO_SCRIPT_EVENT = re.compile(rb"script:event-listener|xlink:href=\"vnd\.sun\.star\.script", re.IGNORECASE)
# Binary parts OOXML legitimately holds (printer settings, embedded images are not .bin).
_ALLOWED_BIN = re.compile(r"(^|/)printerSettings/printerSettings\d+\.bin$", re.IGNORECASE)


class UnsafeFile(ValidationError):
    """A file refused for what it contains, with the reason in Vietnamese (``.messages``)."""


@dataclass
class ZipReport:
    members: int = 0
    unpacked: int = 0
    names: list = field(default_factory=list)


def _mb(n):
    return f"{n / 1048576:.1f}".replace(".", ",")


def inspect_zip(data, name, *, max_members=MAX_MEMBERS, max_total=MAX_TOTAL, max_member=MAX_MEMBER,
                max_ratio=MAX_RATIO, allow_macros=False):
    """Check a zip container fully; returns a ZipReport or raises UnsafeFile."""
    source = data if hasattr(data, "read") else io.BytesIO(data)
    try:
        source.seek(0, 2)
        packed_size = source.tell() or 1
        source.seek(0)
        archive = zipfile.ZipFile(source)
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise UnsafeFile(f"Tệp “{name}” không phải tệp nén hợp lệ (Office Open XML/ODF), không đọc được.",
                         code="not_zip") from exc
    if len(members) > max_members:
        raise UnsafeFile(f"Tệp “{name}” chứa {len(members)} thành phần, vượt giới hạn {max_members}; không mở.")
    report = ZipReport(members=len(members))
    for member in members:
        member_name = member.filename
        normal = posixpath.normpath(member_name.replace("\\", "/"))
        if member_name.startswith(("/", "\\")) or normal.startswith("..") or re.match(r"^[A-Za-z]:", member_name) \
                or "\x00" in member_name:
            raise UnsafeFile(f"Tệp “{name}” có thành phần “{member_name[:80]}” trỏ ra ngoài tệp nén; không mở.")
        report.names.append(member_name)
        lowered = member_name.lower()
        if not allow_macros and _MACRO_NAMES.search(lowered) and not _ALLOWED_BIN.search(member_name):
            raise UnsafeFile(f"Tệp “{name}” có chứa macro hoặc mã thực thi ({member_name[:80]}); "
                             "chỉ nhận tệp không có macro.")
        if member.is_dir():
            continue
        is_xml = lowered.endswith((".xml", ".rels", ".vml")) or lowered in ("[content_types].xml", "mimetype")
        seen = 0
        tail = b""
        try:
            with archive.open(member) as stream:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        break
                    seen += len(chunk)
                    report.unpacked += len(chunk)
                    if seen > max_member or report.unpacked > max_total:
                        raise UnsafeFile(f"Tệp “{name}” giải nén ra hơn {_mb(min(max_member, max_total))} MB "
                                         "(tệp nén bất thường, có thể là “bom nén”); không mở.")
                    if report.unpacked > 1024 * 1024 and report.unpacked / packed_size > max_ratio:
                        raise UnsafeFile(f"Tệp “{name}” giải nén ra gấp hơn {max_ratio} lần dung lượng tệp "
                                         "(tệp nén bất thường, có thể là “bom nén”); không mở.")
                    if is_xml:
                        window = tail + chunk
                        if _DTD.search(window):
                            raise UnsafeFile(f"Tệp “{name}” có khai báo DOCTYPE/ENTITY trong “{member_name[:80]}” "
                                             "(có thể là tấn công XXE hoặc “billion laughs”); không mở.")
                        if not allow_macros and lowered in ("[content_types].xml", "meta-inf/manifest.xml") \
                                and _MACRO_TYPES.search(window):
                            raise UnsafeFile(f"Tệp “{name}” có chứa macro; chỉ nhận tệp không có macro.")
                        if not allow_macros and lowered == "content.xml" and _MACRO_SCRIPT_EVENT.search(window):
                            raise UnsafeFile(f"Tệp “{name}” có gắn macro vào sự kiện; chỉ nhận tệp không có macro.")
                        tail = window[-64:]
            if not allow_macros and _BINARY_PART.search(member_name) and not _ALLOWED_BIN.search(member_name):
                raise UnsafeFile(f"Tệp “{name}” có chứa macro hoặc đối tượng nhúng thực thi được ({member_name[:80]}); "
                                 "chỉ nhận tệp không có macro.")
        except UnsafeFile:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
                RuntimeError) as exc:
            raise UnsafeFile(f"Tệp “{name}” bị hỏng (thành phần “{member_name[:80]}” không giải nén được); "
                             "không mở.") from exc
    return report
