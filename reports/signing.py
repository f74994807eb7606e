"""Digital signatures on published annexes (pyHanko).

The main path is external signing: the leader signs the published PDF with a USB
token in the province's own tool and uploads it back. ``verify_signed`` accepts it
only if the signature is intact, covers the whole file, and the file is exactly the
published PDF plus the signing update (no other change). The signed bytes are then
stored unchanged and never re-rendered.

``seal`` signs on the server with the organisation's seal, from a PKCS#12 file the
administrator configures (SEAL_PKCS12_PATH, SEAL_PKCS12_PASSPHRASE).
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import crl, pem, x509
from django.conf import settings
from django.core.exceptions import ValidationError
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext


class SignatureProblem(ValidationError):
    """Why an uploaded file is not accepted as the signed annex, in Vietnamese (``.messages``)."""


class Revocation:
    GOOD = "good"          # revocation information found and the certificate is not revoked
    REVOKED = "revoked"
    UNKNOWN = "unknown"    # no revocation information could be obtained (offline, no CRL/OCSP)


VERDICTS = {
    "valid": "Chữ ký số hợp lệ: còn nguyên vẹn, chứng thư do nguồn tin cậy đã cấu hình cấp và chưa bị thu hồi.",
    "untrusted": "Không xác định được nguồn tin cậy: chữ ký còn nguyên vẹn nhưng chứng thư của người ký không "
                 "thuộc chuỗi tin cậy đã cấu hình (có thể là chứng thư tự tạo), nên chưa thể biết ai đã ký.",
    "revocation_unknown": "Chưa kết luận được: chứng thư do nguồn tin cậy cấp nhưng không xác định được tình trạng "
                          "thu hồi (không lấy được danh sách thu hồi hoặc OCSP).",
    "revoked": "Chứng thư của người ký đã bị thu hồi: chữ ký không có giá trị.",
    "broken": "Chữ ký không còn nguyên vẹn: nội dung đã bị sửa sau khi ký.",
}


@dataclass
class SignatureReport:
    """What a signature check established. ``valid`` only when everything is: intact, whole
    file, a chain to a configured trust root and revocation checked (TT 15/2025/TT-BKHCN:
    what cannot be established is UNKNOWN, never VALID)."""

    signer: str
    signed_at: str
    intact: bool
    trusted: bool
    whole_file: bool
    revocation: str = Revocation.UNKNOWN
    problems: list = field(default_factory=list)

    @property
    def valid(self):
        return self.intact and self.whole_file and self.trusted and self.revocation == Revocation.GOOD

    @property
    def verdict(self):
        if not (self.intact and self.whole_file):
            return "broken"
        if self.revocation == Revocation.REVOKED:
            return "revoked"
        if not self.trusted:
            return "untrusted"
        return "valid" if self.valid else "revocation_unknown"

    @property
    def verdict_text(self):
        return VERDICTS[self.verdict]

    def as_dict(self):
        return {"signer": self.signer, "signed_at": self.signed_at, "intact": self.intact,
                "trusted": self.trusted, "whole_file": self.whole_file, "revocation": self.revocation,
                "verdict": self.verdict}


CERTIFICATE_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


def _trust_files():
    """The files of SIGNATURE_TRUST_ROOTS (files or directories) and SIGNATURE_TRUST_DIR: an
    administrator replaces a root (the national root was re-keyed in 11/2025) by replacing a file."""
    paths = [Path(p) for p in settings.SIGNATURE_TRUST_ROOTS]
    if settings.SIGNATURE_TRUST_DIR:
        paths.append(Path(settings.SIGNATURE_TRUST_DIR))
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file())
        elif path.is_file():
            files.append(path)
    return files


def _load(data, kind):
    if pem.detect(data):
        return [kind.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [kind.load(data)]


def trust_roots():
    """Certificates the administrator trusts (PEM/DER files), e.g. the national root CA of
    public-service signatures. Without them a signature can be intact but never trusted."""
    roots = []
    for path in _trust_files():
        if path.suffix.lower() in CERTIFICATE_SUFFIXES or path in map(Path, settings.SIGNATURE_TRUST_ROOTS):
            try:
                roots += _load(path.read_bytes(), x509.Certificate)
            except ValueError as exc:
                raise SignatureProblem(f"Tệp chứng thư gốc “{path.name}” không đọc được: {exc}") from exc
    return roots


def revocation_lists():
    """CRL files (*.crl) placed beside the trust roots, for checking revocation without a network."""
    lists = []
    for path in _trust_files():
        if path.suffix.lower() == ".crl":
            try:
                lists += _load(path.read_bytes(), crl.CertificateList)
            except ValueError as exc:
                raise SignatureProblem(f"Danh sách thu hồi “{path.name}” không đọc được: {exc}") from exc
    return lists


def _revocation(signature, roots):
    """Check revocation, requiring revocation information: found and good, revoked, or unknown."""
    context = ValidationContext(trust_roots=roots, crls=revocation_lists(),
                                allow_fetching=settings.SIGNATURE_FETCH_REVOCATION, revocation_mode="require")
    try:
        status = validate_pdf_signature(signature, signer_validation_context=context)
    except Exception:  # a fetch or parse failure: revocation could not be established
        return Revocation.UNKNOWN
    if status.revoked:
        return Revocation.REVOKED
    return Revocation.GOOD if status.trusted else Revocation.UNKNOWN


def inspect(data, *, extra_roots=()):
    """Validate the last signature of ``data``. Raises SignatureProblem if there is none or the PDF is unreadable."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:
        raise SignatureProblem(f"Tệp không đọc được như một tệp PDF ({exc.__class__.__name__}).") from exc
    if not signatures:
        raise SignatureProblem("Tệp không có chữ ký số.")
    signature = signatures[-1]
    roots = [*trust_roots(), *extra_roots]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    status = validate_pdf_signature(signature, signer_validation_context=context)
    certificate = status.signing_cert
    signer = certificate.subject.human_friendly if certificate is not None else ""
    when = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
    report = SignatureReport(signer=signer, signed_at=when, intact=bool(status.intact and status.valid),
                             trusted=bool(roots) and bool(status.trusted),
                             whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
    if status.revoked:
        report.revocation = Revocation.REVOKED
    elif report.trusted:
        report.revocation = _revocation(signature, roots)
    if not report.intact:
        report.problems.append("Chữ ký không còn nguyên vẹn: nội dung đã bị sửa sau khi ký.")
    if not report.whole_file:
        report.problems.append("Chữ ký không bao trùm toàn bộ tệp: có nội dung được thêm sau chữ ký.")
    if report.revocation == Revocation.REVOKED:
        report.problems.append("Chứng thư của người ký đã bị thu hồi.")
    return reader, signature, report


def describe(data):
    """The signature of stored signed bytes, checked now against the trust roots configured now."""
    try:
        return inspect(bytes(data))[2]
    except SignatureProblem as exc:
        return SignatureReport(signer="", signed_at="", intact=False, trusted=False, whole_file=False,
                               problems=exc.messages)


def verify_signed(published_pdf, data, *, extra_roots=()):
    """Accept ``data`` as the signed form of ``published_pdf`` or raise SignatureProblem with every reason."""
    published_pdf = bytes(published_pdf)
    reader, signature, report = inspect(data, extra_roots=extra_roots)
    problems = list(report.problems)
    if not data.startswith(published_pdf):
        problems.append("Tệp không phải phụ lục đã công bố cộng chữ ký: phần nội dung trước chữ ký khác bản "
                        "công bố (có thể đã bị sửa, hoặc là bản của lần công bố khác).")
    else:
        base = _last_revision(published_pdf)
        if signature.signed_revision != base + 1:
            problems.append("Giữa bản công bố và chữ ký còn có lần sửa khác.")
        else:
            problems += _changes_beyond_signature(reader, base)
    if problems:
        raise SignatureProblem(problems)
    return report


ALLOWED_ON_CATALOG = {"/AcroForm", "/Perms", "/DSS", "/Extensions", "/Metadata", "/Version"}


def _changes_beyond_signature(reader, base):
    """What the signing update changed in the published document besides adding a signature.

    The update may add new objects (signature, widget, appearance) and rewrite the catalog (to
    add the form) and the page carrying the widget (to add it to /Annots); anything else, or a
    change to a page's content, resources or size, is a change to the annex itself."""
    old = reader.get_historical_resolver(base)
    new = reader.get_historical_resolver(base + 1)
    def reference(value):
        return value.reference if hasattr(value, "reference") else value

    root = reference(reader.trailer.raw_get("/Root"))
    info = reference(reader.trailer.raw_get("/Info")) if "/Info" in reader.trailer else None
    pages = set()

    def collect(node_ref):
        node = old(node_ref)
        if node.get("/Type") == "/Pages":
            for kid in node["/Kids"]:
                collect(reference(kid))
        else:
            pages.add(node_ref)

    collect(reference(old.root.raw_get("/Pages")))
    problems = []
    for ref in reader.xrefs.explicit_refs_in_revision(base + 1):
        if reader.xrefs.get_introducing_revision(ref) > base:
            continue
        before, after = old(ref), new(ref)
        if ref == info:  # document information (producer, modification date): not the annex's content
            continue
        if ref == root:
            keys = (set(before) | set(after)) - ALLOWED_ON_CATALOG
        elif ref in pages:
            keys = {"/Contents", "/Resources", "/MediaBox", "/CropBox", "/Rotate", "/Parent"}
        else:
            problems.append(f"Lần ký đã sửa một đối tượng của phụ lục (đối tượng số {ref.idnum}).")
            continue
        if any(before.raw_get(k) != after.raw_get(k) for k in keys if k in before or k in after):
            problems.append("Lần ký đã thay đổi nội dung trang của phụ lục, không chỉ thêm chữ ký.")
    return problems


def _last_revision(pdf):
    """The index of the published PDF's own last revision (0 for a file written in one go)."""
    return PdfFileReader(io.BytesIO(pdf), strict=False).xrefs.total_revisions - 1


def seal_certificates():
    """The seal's own certificate, trusted for checking what the server itself signed."""
    path, passphrase = settings.SEAL_PKCS12_PATH, settings.SEAL_PKCS12_PASSPHRASE
    if not path:
        return []
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() if passphrase else None)
    return [signer.signing_cert] if signer is not None else []


def seal(pdf, *, reason="Phát hành phụ lục kết quả đánh giá", location=""):
    """Sign ``pdf`` with the organisation's seal (PAdES baseline B). Raises SignatureProblem if not configured."""
    path, passphrase = settings.SEAL_PKCS12_PATH, settings.SEAL_PKCS12_PASSPHRASE
    if not path:
        raise SignatureProblem("Chưa cấu hình chứng thư số của cơ quan (SEAL_PKCS12_PATH).")
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() if passphrase else None)
    if signer is None:
        raise SignatureProblem("Không mở được tệp chứng thư số (sai mật khẩu hoặc tệp hỏng).")
    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(pdf)))
    meta = signers.PdfSignatureMetadata(field_name="ChuKySo", reason=reason, location=location,
                                        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    try:
        output = signers.sign_pdf(writer, meta, signer=signer)
    except SigningError as exc:
        raise SignatureProblem(f"Ký số không thành công: {exc}") from exc
    return output.getvalue()
