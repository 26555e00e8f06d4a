"""Electronic signatures for the demo and the tests: a certificate authority made on the spot
(a root standing in for BSrE, a signing certificate of a KPU official, a timestamping authority)
and PDFs signed (PAdES) with pyHanko. Never a real key; the demo's root is not trusted unless
DIK_SIGNATURE_CA_FILE names it, so its decrees read "penerbit belum diverifikasi"."""

import datetime
import functools
import io

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from publikasi.tanda_tangan import run_sync

SIGNER = "Ketua Komisi Pemilihan Umum (Demo)"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Komisi Pemilihan Umum"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        ]
    )


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _usage(**on) -> x509.KeyUsage:
    names = [
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    ]
    return x509.KeyUsage(**{n: on.get(n, False) for n in names})


def _cert(subject, issuer, key, issuer_key, *extensions):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


def _asn1(cert) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(key) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return asn1_keys.PrivateKeyInfo.load(der)


class Authority:
    """A root CA ("Balai Sertifikasi Elektronik Uji"), a signing certificate and a TSA."""

    def __init__(self, root_name: str = "Balai Sertifikasi Elektronik Uji"):
        self.root_key = _key()
        self.root = _cert(
            _name(root_name),
            _name(root_name),
            self.root_key,
            self.root_key,
            (x509.BasicConstraints(ca=True, path_length=None), True),
            (_usage(digital_signature=True, key_cert_sign=True, crl_sign=True), True),
        )
        self.key = _key()
        self.cert = _cert(
            _name(SIGNER),
            self.root.subject,
            self.key,
            self.root_key,
            (_usage(digital_signature=True, content_commitment=True), True),
        )
        self.tsa_key = _key()
        self.tsa = _cert(
            _name("TSA Uji"),
            self.root.subject,
            self.tsa_key,
            self.root_key,
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
        )

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def sign(self, data: bytes) -> bytes:
        """A PDF signed (PAdES) by SIGNER, with a timestamp of the TSA."""
        signer = signers.SimpleSigner(
            signing_cert=_asn1(self.cert),
            signing_key=_asn1_key(self.key),
            cert_registry=SimpleCertificateStore.from_certs([_asn1(self.root)]),
        )
        timestamper = DummyTimeStamper(
            tsa_cert=_asn1(self.tsa),
            tsa_key=_asn1_key(self.tsa_key),
            certs_to_embed=SimpleCertificateStore.from_certs([_asn1(self.root)]),
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        out = run_sync(
            signers.async_sign_pdf(
                writer,
                signers.PdfSignatureMetadata(field_name="TandaTanganElektronik"),
                signer=signer,
                timestamper=timestamper,
            )
        )
        return out.getvalue()


@functools.cache
def authority() -> Authority:
    return Authority()


def tampered_update(signed: bytes) -> bytes:
    """The page changed by an update appended after the signature (the bytes signed are left
    as they were): what an editor saving over a signed PDF does."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
