"""Signed decrees: a Keputusan PDF's PAdES signature is checked on upload with pyHanko (signer,
signing time, changed after signing, timestamp, trusted root); the result shows on the staff and
public pages; a changed signed PDF is published only with an explicit override, kept and
logged. The CA, the signature and the tampering are made in the test."""

import asyncio
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ppid.errors import ActionRefused
from publikasi import services, tanda_tangan
from publikasi.models import Keputusan
from tests.archive_fixtures import archived_entry, pdf_bytes
from tests.signing import SIGNER, Authority, authority, tampered_bytes, tampered_update

pytestmark = pytest.mark.django_db

DATA = {"number": "731 Tahun 2025", "date": datetime.date(2025, 8, 21), "title": "Penetapan"}


@pytest.fixture
def trusted(settings, tmp_path):
    """The office trusts the test's root CA (DIK_SIGNATURE_CA_FILE)."""
    path = tmp_path / "akar.pem"
    path.write_bytes(authority().root_pem())
    settings.DIK_SIGNATURE_CA_FILE = str(path)
    return authority()


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("keputusan.pdf", data, content_type="application/pdf")


def draft(by, data: bytes, **fields):
    return services.keputusan_create(
        by=by, data={**DATA, **fields}, pdf=upload(data), entries=[archived_entry()]
    )


# ---------------------------------------------------------------- the check


def test_a_signature_under_a_trusted_root_is_verified(trusted):
    result = tanda_tangan.verify(io.BytesIO(trusted.sign()))
    assert result.status == tanda_tangan.Status.VERIFIED
    assert result.signer == SIGNER
    now = timezone.now()
    assert abs(result.signed_at - now) < datetime.timedelta(minutes=5)
    assert abs(result.timestamp_at - now) < datetime.timedelta(minutes=5)


def test_an_unknown_root_leaves_the_issuer_unverified(settings, trusted, tmp_path):
    other = tmp_path / "lain.pem"
    other.write_bytes(Authority("CA Lain").root_pem())
    settings.DIK_SIGNATURE_CA_FILE = str(other)
    result = tanda_tangan.verify(io.BytesIO(trusted.sign()))
    assert result.status == tanda_tangan.Status.UNVERIFIED and result.signer == SIGNER
    settings.DIK_SIGNATURE_CA_FILE = ""  # no roots configured at all
    assert tanda_tangan.verify(io.BytesIO(trusted.sign())).status == "belum_diverifikasi"


@pytest.mark.parametrize("tamper", [tampered_bytes, tampered_update])
def test_a_pdf_changed_after_signing_is_flagged(trusted, tamper):
    result = tanda_tangan.verify(io.BytesIO(tamper(trusted.sign())))
    assert result.status == tanda_tangan.Status.CHANGED
    assert result.signer == SIGNER


def test_the_check_and_the_signing_run_inside_a_running_event_loop(trusted):
    """As under an ASGI server, or the demo driven by a browser test (Playwright's loop)."""

    async def inside():
        return tanda_tangan.verify(io.BytesIO(trusted.sign()))

    assert asyncio.run(inside()).status == tanda_tangan.Status.VERIFIED


def test_an_unsigned_pdf_says_so():
    assert tanda_tangan.verify(io.BytesIO(pdf_bytes())).status == tanda_tangan.Status.NONE


# ---------------------------------------------------------------- on upload, on the pages


def test_the_check_is_recorded_on_upload_and_shown_on_both_pages(client, ppid, trusted):
    keputusan = draft(ppid, trusted.sign())
    assert keputusan.signature == "terverifikasi" and keputusan.signature_signer == SIGNER
    client.force_login(ppid)
    staff = client.get(reverse("publikasi_staf:detail", args=[keputusan.pk])).content.decode()
    assert f"Ditandatangani secara elektronik oleh {SIGNER} pada" in staff
    assert "dokumen utuh sejak ditandatangani" in staff
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    client.logout()
    public = client.get(reverse("publikasi:keputusan_detail", args=[keputusan.slug]))
    text = public.content.decode()
    assert f"Ditandatangani secara elektronik oleh {SIGNER} pada" in text
    assert "dokumen utuh sejak ditandatangani" in text
    assert "Penerbit sertifikat terverifikasi" in text and "Stempel waktu" in text


def test_an_unknown_root_is_said_on_the_public_page(client, ppid, settings):
    settings.DIK_SIGNATURE_CA_FILE = ""
    keputusan = draft(ppid, authority().sign())
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    text = client.get(reverse("publikasi:keputusan_detail", args=[keputusan.slug])).content
    assert "tanda tangan utuh, penerbit belum diverifikasi" in text.decode().lower()


def test_a_changed_pdf_is_not_published_without_a_reason(ppid, trusted):
    keputusan = draft(ppid, tampered_bytes(trusted.sign()))
    assert keputusan.signature == "berubah" and keputusan.signature_flagged
    with pytest.raises(ActionRefused, match="diubah setelah"):
        services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.DRAFT and not keputusan.public_pdf


def test_the_override_is_explicit_kept_and_in_the_history(client, ppid, trusted):
    keputusan = draft(ppid, tampered_update(trusted.sign()))
    reason = "Salinan dari JDIH KPU; naskah bertanda tangan belum diterima"
    client.force_login(ppid)
    url = reverse("publikasi_staf:publish", args=[keputusan.pk])
    page = client.get(reverse("publikasi_staf:detail", args=[keputusan.pk])).content.decode()
    assert 'name="signature_override"' in page and "Diubah setelah ditandatangani" in page
    client.post(url, {"confirm": "on"})
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.DRAFT
    client.post(url, {"confirm": "on", "signature_override": reason})
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.PUBLISHED
    assert keputusan.signature_override == reason and keputusan.signature_override_by == ppid
    assert keputusan.signature_override_at is not None
    record = keputusan.history.filter(status="diterbitkan").first()
    assert record.history_user == ppid and record.signature_override == reason
    assert "walaupun pemeriksaan tanda tangan" in record.history_change_reason
    staff = client.get(reverse("publikasi_staf:detail", args=[keputusan.pk])).content.decode()
    assert reason in staff
    client.logout()
    public = client.get(reverse("publikasi:keputusan_detail", args=[keputusan.slug]))
    assert "Diubah setelah ditandatangani" in public.content.decode()


def test_a_new_pdf_voids_the_check_and_the_override(ppid, trusted):
    keputusan = draft(ppid, tampered_bytes(trusted.sign()))
    keputusan = services.keputusan_update(
        keputusan_id=keputusan.pk, by=ppid, data={}, pdf=upload(trusted.sign())
    )
    assert keputusan.signature == "terverifikasi" and not keputusan.signature_flagged


def test_a_changed_revoking_decree_needs_a_reason_too(ppid, trusted):
    keputusan = draft(ppid, trusted.sign())
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    data = {"number": "805 Tahun 2025", "date": datetime.date(2025, 9, 16), "title": "Pencabutan"}
    changed = tampered_bytes(trusted.sign())
    with pytest.raises(ActionRefused, match="diubah setelah"):
        services.keputusan_revoke(
            keputusan_id=keputusan.pk, by=ppid, data=data, pdf=upload(changed)
        )
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.PUBLISHED
    revoker = services.keputusan_revoke(
        keputusan_id=keputusan.pk,
        by=ppid,
        data=data,
        pdf=upload(changed),
        signature_override="Naskah asli menyusul",
    )
    assert revoker.signature == "berubah" and revoker.signature_override == "Naskah asli menyusul"
