"""The electronic signature (PAdES, e.g. by BSrE) of a decree PDF, checked with pyHanko when the
PDF is attached: who signed, when, whether the document changed after signing, the timestamp,
and whether the signer's certificate leads to a trusted root (settings.DIK_SIGNATURE_CA_FILE,
a PEM or DER file of the roots the office trusts; none: every signature's issuer is unverified).
"""

import asyncio
import concurrent.futures
import dataclasses
import datetime
import functools
import logging
import os

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

# changes after signing that leave what was signed as it was (a later timestamp, validation data)
HARMLESS_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)


class Status(models.TextChoices):
    UNCHECKED = "", _("not checked")
    NONE = "tidak_ada", _("not signed electronically")
    VERIFIED = "terverifikasi", _("signed, intact, issuer verified")
    UNVERIFIED = "belum_diverifikasi", _("signed, intact, issuer not verified")
    CHANGED = "berubah", _("changed after signing")
    UNREADABLE = "tidak_terbaca", _("signature cannot be checked")


# a decree with such a PDF is published only with an explicit, logged override
FLAGGED = (Status.CHANGED, Status.UNREADABLE)


@dataclasses.dataclass(frozen=True)
class Result:
    status: str
    signer: str = ""
    signed_at: datetime.datetime | None = None
    timestamp_at: datetime.datetime | None = None


def run_sync(coroutine):
    """Run one of pyHanko's coroutines to its end, also from a thread whose event loop is
    running (an ASGI server, a browser test driving the demo): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@functools.cache
def _roots(path: str, mtime: float) -> tuple:
    return tuple(load_certs_from_pemder([path]))


def trust_roots() -> list:
    path = getattr(settings, "DIK_SIGNATURE_CA_FILE", "")
    if not path:
        return []
    try:
        return list(_roots(path, os.path.getmtime(path)))
    except (OSError, ValueError):
        logger.exception("the signature trust roots in %s cannot be read", path)
        return []


def _signer_name(cert) -> str:
    subject = cert.subject.native
    return subject.get("common_name") or cert.subject.human_friendly


def verify(fileobj) -> Result:
    """Check the last signature of the PDF (the one covering the most of it)."""
    fileobj.seek(0)
    try:
        signatures = PdfFileReader(fileobj, strict=False).embedded_signatures
    except Exception:  # a PDF pdfium opens but pyHanko cannot parse: nothing to check
        logger.warning("the PDF's signatures cannot be read", exc_info=True)
        return Result(Status.NONE)
    finally:
        fileobj.seek(0)
    if not signatures:
        return Result(Status.NONE)
    signature = signatures[-1]
    try:
        context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
        status = run_sync(async_validate_pdf_signature(signature, context))
    except Exception:  # an uploaded, malformed signature: flagged, never a server error
        logger.warning("a signature cannot be checked", exc_info=True)
        return Result(Status.UNREADABLE)
    finally:
        fileobj.seek(0)
    signer = _signer_name(status.signing_cert) if status.signing_cert else ""
    timestamp = status.timestamp_validity.timestamp if status.timestamp_validity else None
    changed = (
        not status.intact
        or not status.valid
        or status.coverage
        not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
        or status.modification_level not in HARMLESS_CHANGES
    )
    if changed:
        result = Status.CHANGED
    elif status.trusted:
        result = Status.VERIFIED
    else:
        result = Status.UNVERIFIED
    return Result(
        result, signer=signer, signed_at=status.signer_reported_dt, timestamp_at=timestamp
    )
