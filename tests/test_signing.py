"""Signing the annex: the organisation's seal on the server, a leader's external signature
uploaded back, tampering caught, and the public verification page."""

import copy
import datetime
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import signing
from reports.models import Publication
from reports.render import render_pdf
from reports.snapshot import content_hash, publish

PASSPHRASE = "mat-khau-chung-thu"


@pytest.fixture
def seal_certificate(tmp_path, settings):
    """A throwaway self-signed certificate standing in for the organisation's seal."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở Thông tin và Truyền thông tỉnh Lào Cai"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Sở Thông tin và Truyền thông tỉnh Lào Cai")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=30))
                   .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    path = tmp_path / "seal.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"seal", key, certificate, None, serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    pem = tmp_path / "seal.pem"
    pem.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    settings.SEAL_PKCS12_PATH, settings.SEAL_PKCS12_PASSPHRASE = str(path), PASSPHRASE
    return pem


def pdfsig(data, tmp_path):
    target = tmp_path / "signed.pdf"
    target.write_bytes(data)
    return subprocess.run(["pdfsig", str(target)], capture_output=True, text=True, check=False).stdout


def test_seal_validates_with_pyhanko_and_pdfsig(published, seal_certificate, tmp_path, settings):
    signed = signing.seal(published.pdf, location="Lào Cai")
    assert signed.startswith(bytes(published.pdf))
    settings.SIGNATURE_TRUST_ROOTS = [str(seal_certificate)]
    report = signing.verify_signed(published.pdf, signed)
    assert report.intact and report.whole_file and report.trusted
    assert "Sở Thông tin và Truyền thông tỉnh Lào Cai" in report.signer
    output = pdfsig(signed, tmp_path)
    assert "Signature Validation: Signature is Valid." in output, output


def test_tampered_copy_fails(published, seal_certificate, tmp_path):
    signed = bytearray(signing.seal(published.pdf))
    position = bytes(signed).index(b"Trang") if b"Trang" in signed else len(published.pdf) // 2
    signed[position] ^= 0x01
    with pytest.raises(signing.SignatureProblem) as problem:
        signing.verify_signed(published.pdf, bytes(signed))
    assert any("nội dung" in p for p in problem.value.args[0])
    assert "Signature is Valid." not in pdfsig(bytes(signed), tmp_path)


def test_signature_of_another_document_is_refused(published, world, profile, seal_certificate):
    forged = copy.deepcopy(published.document)
    forged["blocks"][0]["rows"][1]["total"] = "19.50"  # Sở Nội vụ's total raised, then validly signed
    other = signing.seal(render_pdf(forged, content_hash(forged)))
    with pytest.raises(signing.SignatureProblem) as problem:
        signing.verify_signed(published.pdf, other)
    assert "Tệp không phải phụ lục đã công bố cộng chữ ký" in problem.value.args[0][0]
    with pytest.raises(signing.SignatureProblem, match=r"Tệp không có chữ ký số\."):
        signing.verify_signed(published.pdf, bytes(published.pdf))
    with pytest.raises(signing.SignatureProblem, match="không đọc được"):
        signing.verify_signed(published.pdf, b"khong phai PDF")


def test_upload_signed_then_verify_and_supersede(published, world, profile, seal_certificate, client, settings):
    settings.SIGNATURE_TRUST_ROOTS = [str(seal_certificate)]  # a trusted signature is final (an untrusted one is not)
    signed = signing.seal(published.pdf)
    client.force_login(world.leader)
    url = reverse("reports:upload_signed", args=[published.pk])
    html = client.post(url, {"file": SimpleUploadedFile("gia-mao.pdf", bytes(published.pdf))}, follow=True).content.decode()
    assert "Tệp “gia-mao.pdf”: Tệp không có chữ ký số." in html
    html = client.post(url, {"file": SimpleUploadedFile("da-ky.pdf", signed)}, follow=True).content.decode()
    assert "Đã nhận bản ký" in html
    stored = Publication.objects.get(pk=published.pk)
    assert bytes(stored.signed_pdf) == signed  # stored unchanged, never re-rendered
    assert client.get(reverse("reports:signed", args=[published.pk])).content == signed
    html = client.post(url, {"file": SimpleUploadedFile("lan-2.pdf", signed)}, follow=True).content.decode()
    assert "đã có bản ký; bản đã ký không thay được" in html

    client.logout()  # anyone may verify a copy
    verify = reverse("reports:verify")
    html = client.post(verify, {"file": SimpleUploadedFile("x.pdf", signed)}).content.decode()
    assert "Đúng là phụ lục đã công bố" in html and "bản đã ký số" in html and "bản công bố hiện hành" in html
    html = client.get(verify, {"ma": published.content_hash}).content.decode()
    assert "Đúng là phụ lục đã công bố" in html
    html = client.post(verify, {"file": SimpleUploadedFile("x.pdf", signed[:-3] + b"EOF")}).content.decode()
    assert "Không khớp với phụ lục nào đã công bố" in html

    from assessment import workflow

    workflow.unapprove(world.form_b, by=world.leader, reason="Kiểm tra lại")
    correction = publish(world.period, profile, by=world.leader, number="20/QĐ-STTTT",
                         date=datetime.date(2021, 2, 1), reason="Một đơn vị bị huỷ phê duyệt")
    html = client.post(verify, {"file": SimpleUploadedFile("x.pdf", signed)}).content.decode()
    assert "bản này đã bị thay thế" in html and f"lần {correction.version}" in html


def test_only_leaders_sign_and_pages_need_the_right_role(published, world, client):
    for user, status in ((world.staff_a, 403), (world.reviewer_a, 403)):
        client.force_login(user)
        response = client.post(reverse("reports:upload_signed", args=[published.pk]), {})
        assert response.status_code == status
    client.force_login(world.staff_a)
    # A unit opens and downloads the published annex of a period it took part in, nothing more.
    for name in ("reports:publication", "reports:pdf", "reports:xlsx"):
        assert client.get(reverse(name, args=[published.pk])).status_code == 200
    assert client.get(reverse("reports:results", args=[world.period.pk])).status_code == 403
    world.period.participants.remove(world.form_a.unit)
    for name in ("reports:publication", "reports:pdf", "reports:xlsx"):
        assert client.get(reverse(name, args=[published.pk])).status_code == 403
    client.force_login(world.reviewer_a)
    assert client.get(reverse("reports:publication", args=[published.pk])).status_code == 200
    assert client.post(reverse("reports:publish", args=[world.period.pk]), {}).status_code == 403


def test_signature_that_also_changes_the_page_is_refused(published, seal_certificate, settings):
    """A signing tool that alters the annex in the same update as the signature is caught."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(published.pdf)))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    extra = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 RG 100 100 200 50 re S Q"))
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), extra])
    writer.update_container(page)
    signer = signers.SimpleSigner.load_pkcs12(settings.SEAL_PKCS12_PATH, passphrase=PASSPHRASE.encode())
    altered = signers.sign_pdf(writer, signers.PdfSignatureMetadata(
        field_name="ChuKySo", subfilter=fields.SigSeedSubFilter.PADES), signer=signer).getvalue()
    with pytest.raises(signing.SignatureProblem) as problem:
        signing.verify_signed(published.pdf, altered)
    assert problem.value.args[0] == ["Lần ký đã thay đổi nội dung trang của phụ lục, không chỉ thêm chữ ký."]


# --- trust: a signature of unknown trust is never presented as valid (TT 15/2025/TT-BKHCN) -----

def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, key, issuer_name, issuer_key, *, ca):
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                          encipher_only=False, decipher_only=False)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).add_extension(usage, critical=True)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256()))


def _signer(tmp_path, name, key, certificate, chain=()):
    from pyhanko.sign import signers as hanko_signers

    path = tmp_path / f"{name}.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        name.encode(), key, certificate, list(chain), serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    return hanko_signers.SimpleSigner.load_pkcs12(str(path), passphrase=PASSPHRASE.encode())


def _sign(pdf, signer):
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    from pyhanko.sign import signers as hanko_signers

    meta = hanko_signers.PdfSignatureMetadata(field_name="ChuKySo", subfilter=fields.SigSeedSubFilter.PADES,
                                              md_algorithm="sha256")
    return hanko_signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(bytes(pdf))), meta, signer=signer).getvalue()


@pytest.fixture
def fake_chairman(tmp_path):
    """A self-made certificate claiming to be the province's chairman: chains to nothing configured."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name("CHỦ TỊCH UBND TỈNH LÀO CAI (giả)")
    return _signer(tmp_path, "gia", key, _certificate(name, key, name, key, ca=True))


@pytest.fixture
def national_root(tmp_path, settings):
    """A throwaway root CA, configured as the trust directory, and a signer certificate it issued."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("Root CA thử nghiệm (giả lập gốc quốc gia)")
    root = _certificate(root_name, root_key, root_name, root_key, ca=True)
    trust = tmp_path / "tin-cay"
    trust.mkdir()
    (trust / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    settings.SIGNATURE_TRUST_DIR, settings.SIGNATURE_FETCH_REVOCATION = str(trust), False
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = _certificate(_name("Nguyễn Văn Hùng"), leaf_key, root_name, root_key, ca=False)

    def publish_crl(*revoked):
        now = datetime.datetime.now(datetime.UTC)
        builder = (x509.CertificateRevocationListBuilder().issuer_name(root_name).last_update(now)
                   .next_update(now + datetime.timedelta(days=7)))
        for certificate in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(certificate.serial_number)
                .revocation_date(now - datetime.timedelta(hours=1)).build())
        (trust / "root.crl").write_bytes(builder.sign(root_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))

    return {"signer": _signer(tmp_path, "hung", leaf_key, leaf, [root]), "leaf": leaf, "publish_crl": publish_crl}


def test_self_made_chairman_certificate_is_of_unknown_trust_and_replaceable(published, world, client, fake_chairman,
                                                                            national_root, settings):
    forged = _sign(published.pdf, fake_chairman)
    client.force_login(world.leader)
    url = reverse("reports:upload_signed", args=[published.pk])
    html = client.post(url, {"file": SimpleUploadedFile("da-ky.pdf", forged)}, follow=True).content.decode()
    assert "Đã nhận bản ký của" in html and "Không xác định được nguồn tin cậy" in html
    assert "hợp lệ" not in html
    assert not Publication.objects.get(pk=published.pk).signed_trusted

    client.logout()
    html = client.post(reverse("reports:verify"), {"file": SimpleUploadedFile("x.pdf", forged)}).content.decode()
    assert "Đúng là phụ lục đã công bố" in html  # the annex itself is the published one…
    assert "Không xác định được nguồn tin cậy" in html and "hợp lệ" not in html  # …its signer is not established

    client.force_login(world.leader)  # an untrusted signature can be replaced by a trusted one
    national_root["publish_crl"]()
    genuine = _sign(published.pdf, national_root["signer"])
    html = client.post(url, {"file": SimpleUploadedFile("da-ky-that.pdf", genuine)}, follow=True).content.decode()
    assert "(thay bản ký trước)" in html and "Chữ ký số hợp lệ" in html
    stored = Publication.objects.get(pk=published.pk)
    assert stored.signed_trusted and bytes(stored.signed_pdf) == genuine
    html = client.post(url, {"file": SimpleUploadedFile("lai.pdf", forged)}, follow=True).content.decode()
    assert "đã có bản ký; bản đã ký không thay được" in html


def test_untrusted_signature_refused_when_trust_is_required(published, world, client, fake_chairman, settings):
    settings.SIGNATURE_REQUIRE_TRUSTED = True
    client.force_login(world.leader)
    html = client.post(reverse("reports:upload_signed", args=[published.pk]),
                       {"file": SimpleUploadedFile("da-ky.pdf", _sign(published.pdf, fake_chairman))},
                       follow=True).content.decode()
    assert "Tệp “da-ky.pdf”: không xác định được nguồn tin cậy của chứng thư người ký" in html
    assert not Publication.objects.get(pk=published.pk).signed_sha256


def test_certificate_of_a_configured_root_revocation_known_unknown_and_revoked(published, national_root):
    signed = _sign(published.pdf, national_root["signer"])
    report = signing.verify_signed(published.pdf, signed)
    assert report.trusted and report.revocation == signing.Revocation.UNKNOWN  # no CRL, no network
    assert not report.valid and report.verdict_text.startswith("Chưa kết luận được")
    national_root["publish_crl"]()
    report = signing.verify_signed(published.pdf, signed)
    assert report.valid and report.verdict_text.startswith("Chữ ký số hợp lệ")
    national_root["publish_crl"](national_root["leaf"])
    with pytest.raises(signing.SignatureProblem, match="đã bị thu hồi"):
        signing.verify_signed(published.pdf, signed)
