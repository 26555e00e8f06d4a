"""The test's certificate authority (publikasi/demo_tanda_tangan.py builds it on the spot) and
ways to tamper with a signed PDF."""

import functools

from publikasi.demo_tanda_tangan import SIGNER, tampered_update
from publikasi.demo_tanda_tangan import Authority as _Authority
from tests.archive_fixtures import pdf_bytes

__all__ = ["SIGNER", "Authority", "authority", "tampered_bytes", "tampered_update"]


class Authority(_Authority):
    def sign(self, data: bytes | None = None) -> bytes:
        return super().sign(data or pdf_bytes())


@functools.cache
def authority() -> Authority:
    return Authority()


def tampered_bytes(signed: bytes) -> bytes:
    """A byte the signature covers changed (the page's width): the digest no longer matches."""
    at = signed.index(b"/MediaBox")
    return signed[:at] + signed[at:].replace(b"595", b"596", 1)
