"""SOP step 4: recording, publishing and revoking a KPU RI decree; other channels."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from dokumen.models import State, TransitionLog
from ppid.errors import ActionRefused
from publikasi import services
from publikasi.dik_pdf import PUBLIC_DIK_PDF
from publikasi.models import Keputusan, SaluranPublikasi
from tests.archive_fixtures import archived_entry, pdf_upload, ready_entry
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db

DATA = {
    "number": "731 Tahun 2025",
    "date": datetime.date(2025, 8, 21),
    "title": "Penetapan dokumen",
}
REVOKING = {
    "number": "805 Tahun 2025",
    "date": datetime.date(2025, 9, 16),
    "title": "Pencabutan Keputusan KPU Nomor 731 Tahun 2025",
}


def draft(by, entries, **data):
    return services.keputusan_create(
        by=by, data={**DATA, **data}, pdf=pdf_upload(), entries=entries
    )


def published(by, entries, **data):
    keputusan = draft(by, entries, **data)
    return services.keputusan_publish(keputusan_id=keputusan.pk, by=by)


# ---------------------------------------------------------------- create and update


def test_create_records_a_draft_with_its_pdf_in_private_storage(ppid):
    entri = archived_entry()
    keputusan = draft(ppid, [entri])
    assert keputusan.status == Keputusan.Status.DRAFT
    assert keputusan.issuer == "Komisi Pemilihan Umum Republik Indonesia"
    assert keputusan.slug == "731-tahun-2025"
    assert list(keputusan.entries.all()) == [entri]
    assert storages["private"].exists(keputusan.pdf.name)
    assert not storages["public"].exists(keputusan.pdf.name)
    assert not keputusan.public_pdf
    assert keputusan.history.first().history_user == ppid


def test_create_refuses_a_file_that_is_not_a_pdf_by_its_bytes(ppid):
    fake = SimpleUploadedFile("keputusan.pdf", b"GIF89a bukan pdf", content_type="application/pdf")
    with pytest.raises(ActionRefused, match="bukan PDF") as exc:
        services.keputusan_create(by=ppid, data=DATA, pdf=fake)
    assert exc.value.field == "pdf"
    assert not Keputusan.objects.exists()


def test_create_refuses_a_damaged_pdf(ppid):
    broken = SimpleUploadedFile("k.pdf", b"%PDF-1.7\n rusak", content_type="application/pdf")
    with pytest.raises(ActionRefused, match="tidak dapat dibuka"):
        services.keputusan_create(by=ppid, data=DATA, pdf=broken)


def test_create_refuses_entries_that_are_not_archived(ppid):
    archived = archived_entry()
    approved = ready_entry(title="Dokumen yang baru disetujui")
    with pytest.raises(ActionRefused) as exc:
        draft(ppid, [archived, approved])
    assert "Dokumen yang baru disetujui" in str(exc.value)
    assert "(disetujui)" in str(exc.value)
    assert archived.title not in str(exc.value)
    assert not Keputusan.objects.exists()


def test_create_needs_number_date_and_title(ppid):
    with pytest.raises(ValidationError) as exc:
        services.keputusan_create(by=ppid, data={"number": " ", "date": None, "title": ""})
    assert {"number", "date", "title"} <= set(exc.value.message_dict)


@pytest.mark.parametrize("user_fixture", ["desk", "pembina", "no_role"])
def test_only_the_ppid_records_a_decree(request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    with pytest.raises(ActionRefused, match="PPID"):
        services.keputusan_create(by=user, data=DATA, pdf=pdf_upload())


def test_update_changes_a_draft_only(ppid):
    first, second = archived_entry(), archived_entry()
    keputusan = draft(ppid, [first])
    services.keputusan_update(
        keputusan_id=keputusan.pk, by=ppid, data={"title": "Judul baru"}, entries=[second]
    )
    keputusan.refresh_from_db()
    assert keputusan.title == "Judul baru" and list(keputusan.entries.all()) == [second]
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    with pytest.raises(ActionRefused, match="hanya draf"):
        services.keputusan_update(keputusan_id=keputusan.pk, by=ppid, data={"title": "Lain"})


# ---------------------------------------------------------------- publish


def test_publish_establishes_every_covered_entry(ppid):
    entries = [archived_entry(), archived_entry()]
    keputusan = published(ppid, entries)
    assert keputusan.status == Keputusan.Status.PUBLISHED and keputusan.published_at
    for entri in entries:
        entri.refresh_from_db()
        assert entri.state == State.DITETAPKAN
        log = TransitionLog.objects.get(entri=entri, to_state=State.DITETAPKAN)
        assert log.by == ppid and "731 Tahun 2025" in log.note


def test_publish_refuses_a_covered_entry_that_is_not_archived_and_names_it(ppid):
    archived = archived_entry()
    keputusan = draft(ppid, [archived])
    late = ready_entry(title="Surat keterangan sehat bakal calon")
    keputusan.entries.add(late)  # e.g. added before the service checked states
    with pytest.raises(ActionRefused) as exc:
        services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    assert "Surat keterangan sehat bakal calon" in str(exc.value)
    archived.refresh_from_db()
    assert archived.state == State.DIARSIPKAN  # all or none
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.DRAFT


def test_publish_refuses_without_entries_and_without_pdf_in_one_message(ppid):
    keputusan = services.keputusan_create(by=ppid, data=DATA)
    with pytest.raises(ActionRefused) as exc:
        services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    assert "PDF Keputusan belum dilampirkan" in str(exc.value)
    assert "tidak mencakup entri apa pun" in str(exc.value)


@pytest.mark.parametrize("user_fixture", ["desk", "atasan"])
def test_only_the_ppid_publishes(request, ppid, user_fixture):
    keputusan = draft(ppid, [archived_entry()])
    # the desk is told the role; an approver does not see the publication desk at all
    with pytest.raises(ActionRefused, match="PPID|tidak tersedia"):
        services.keputusan_publish(
            keputusan_id=keputusan.pk, by=request.getfixturevalue(user_fixture)
        )


def test_publish_twice_is_refused(ppid):
    keputusan = published(ppid, [archived_entry()])
    with pytest.raises(ActionRefused, match="sudah diterbitkan"):
        services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)


def test_publish_renders_the_public_dik_pdf_after_commit(ppid, django_capture_on_commit_callbacks):
    entri = archived_entry(title="Salinan ijazah bakal calon")
    keputusan = draft(ppid, [entri])
    storages["public"].delete(PUBLIC_DIK_PDF)
    with django_capture_on_commit_callbacks(execute=True):
        services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    with storages["public"].open(PUBLIC_DIK_PDF, "rb") as fh:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    text = " ".join(text.split())
    assert "Salinan ijazah bakal calon" in text
    assert "731 Tahun 2025" in text


# ---------------------------------------------------------------- revoke


def test_revocation_with_two_overlapping_decrees(ppid):
    shared = archived_entry(title="Dicakup dua Keputusan")
    only_first = archived_entry(title="Dicakup Keputusan pertama saja")
    first = published(ppid, [shared, only_first])
    second = published(ppid, [shared], number="900 Tahun 2025", title="Penetapan ulang")

    revoker = services.keputusan_revoke(
        keputusan_id=first.pk, by=ppid, data=REVOKING, pdf=pdf_upload()
    )
    first.refresh_from_db()
    shared.refresh_from_db()
    only_first.refresh_from_db()
    assert first.status == Keputusan.Status.REVOKED and first.revoked_by == revoker
    assert revoker.status == Keputusan.Status.PUBLISHED and not revoker.entries.exists()
    assert revoker.public_pdf and storages["public"].exists(revoker.public_pdf.name)
    assert shared.state == State.DITETAPKAN  # the second decree still covers it
    assert only_first.state == State.TIDAK_BERLAKU
    log = TransitionLog.objects.get(entri=only_first, to_state=State.TIDAK_BERLAKU)
    assert log.by == ppid and "805 Tahun 2025" in log.note and "731 Tahun 2025" in log.note

    services.keputusan_revoke(
        keputusan_id=second.pk,
        by=ppid,
        data={**REVOKING, "number": "901 Tahun 2025"},
        pdf=pdf_upload(),
    )
    shared.refresh_from_db()
    assert shared.state == State.TIDAK_BERLAKU


def test_the_public_page_shows_a_publication_and_a_revocation_at_once(ppid, client):
    url = reverse("publikasi:dik")
    entri = archived_entry(title="Baru ditetapkan")
    assert "Baru ditetapkan" not in client.get(url).content.decode()  # now in the cache
    keputusan = published(ppid, [entri])
    assert "Baru ditetapkan" in client.get(url).content.decode()
    services.keputusan_revoke(keputusan_id=keputusan.pk, by=ppid, data=REVOKING, pdf=pdf_upload())
    in_force, opened = client.get(url).content.decode().split('id="dibuka"')
    # no longer in force: listed among the information no longer exempted
    assert "Baru ditetapkan" not in in_force and "Baru ditetapkan" in opened


def test_revoke_refuses_a_draft_and_a_revoked_decree(ppid):
    keputusan = draft(ppid, [archived_entry()])
    with pytest.raises(ActionRefused, match="draf"):
        services.keputusan_revoke(
            keputusan_id=keputusan.pk, by=ppid, data=REVOKING, pdf=pdf_upload()
        )
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    services.keputusan_revoke(keputusan_id=keputusan.pk, by=ppid, data=REVOKING, pdf=pdf_upload())
    with pytest.raises(ActionRefused, match="sudah dicabut oleh Keputusan 805 Tahun 2025"):
        services.keputusan_revoke(
            keputusan_id=keputusan.pk,
            by=ppid,
            data={**REVOKING, "number": "806 Tahun 2025"},
            pdf=pdf_upload(),
        )


def test_revoke_needs_the_revoking_pdf_and_a_sensible_date(ppid):
    keputusan = published(ppid, [archived_entry()])
    with pytest.raises(ActionRefused, match="Lampirkan"):
        services.keputusan_revoke(keputusan_id=keputusan.pk, by=ppid, data=REVOKING, pdf=None)
    with pytest.raises(ValidationError):
        services.keputusan_revoke(
            keputusan_id=keputusan.pk,
            by=ppid,
            data={**REVOKING, "date": datetime.date(2025, 1, 1)},
            pdf=pdf_upload(),
        )
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.PUBLISHED
    assert Keputusan.objects.count() == 1


def test_only_the_ppid_revokes(ppid, desk):
    keputusan = published(ppid, [archived_entry()])
    with pytest.raises(ActionRefused, match="PPID"):
        services.keputusan_revoke(
            keputusan_id=keputusan.pk, by=desk, data=REVOKING, pdf=pdf_upload()
        )


# ---------------------------------------------------------------- channels


def test_channels_are_recorded_for_a_published_decree(ppid, desk):
    keputusan = draft(ppid, [archived_entry()])
    data = {
        "channel": SaluranPublikasi.Channel.NOTICE_BOARD,
        "date": datetime.date(2025, 8, 25),
        "link": "",
        "note": "Papan pengumuman kantor",
    }
    with pytest.raises(ActionRefused, match="masih draf"):
        services.channel_add(keputusan_id=keputusan.pk, by=ppid, data=data)
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    with pytest.raises(ActionRefused, match="PPID"):
        services.channel_add(keputusan_id=keputusan.pk, by=desk, data=data)
    channel = services.channel_add(keputusan_id=keputusan.pk, by=ppid, data=data)
    assert channel.recorded_by == ppid and keputusan.channels.count() == 1
    with pytest.raises(ValidationError):
        services.channel_add(
            keputusan_id=keputusan.pk,
            by=ppid,
            data={**data, "channel": "media_sosial", "link": "bukan tautan"},
        )


def test_an_entry_in_force_may_be_confirmed_by_a_second_decree(ppid):
    entri = archived_entry()
    published(ppid, [entri])
    entri.refresh_from_db()
    second = published(ppid, [entri], number="2 Tahun 2026")
    assert second.status == Keputusan.Status.PUBLISHED
    assert TransitionLog.objects.filter(entri=entri, to_state=State.DITETAPKAN).count() == 1


def test_a_collected_entry_is_never_covered(ppid):
    entri = EntriFactory()
    with pytest.raises(ActionRefused, match="dikumpulkan"):
        draft(ppid, [entri])


def test_a_decree_number_is_recorded_once(ppid):
    draft(ppid, [archived_entry()])
    with pytest.raises(ValidationError) as exc:
        services.keputusan_create(by=ppid, data={**DATA, "number": "731 tahun 2025"})
    assert exc.value.message_dict["number"] == ["Keputusan 731 tahun 2025 sudah dicatat."]
