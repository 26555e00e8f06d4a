"""SOP step 3: archiving an approved entry, and the archive pages and prints per binder."""

import datetime
import html
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dokumen.archive import entri_archive
from dokumen.models import Berkas, State, TempatSimpan, TransitionLog
from ppid.errors import ActionRefused
from tests.archive_fixtures import add_file, place, ready_entry
from tests.factories import EntriFactory, make_ordner

pytestmark = pytest.mark.django_db

SOFTCOPY = "berkas asli softcopy"
SCAN = "pindaian (atau foto ponsel) hardcopy"
BINDER = "ordner untuk hardcopy, dengan nomor arsipnya"


def pdf_text(content: bytes) -> str:
    """The text of a PDF with its line breaks and runs of spaces made single spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


# ---------------------------------------------------------------- the service


def test_archive_moves_and_logs(ppid):
    entri = ready_entry()
    entri = entri_archive(entri_id=entri.pk, by=ppid)
    entri.refresh_from_db()
    assert entri.state == State.DIARSIPKAN
    log = TransitionLog.objects.get(entri=entri, to_state=State.DIARSIPKAN)
    assert log.from_state == State.DISETUJUI and log.by == ppid
    # the log is read by approvers: it does not say where the hardcopy is
    assert log.action == "arsipkan"
    assert entri.archive_code not in log.note and "Ordner Uji" not in log.note


def test_archive_with_nothing_names_everything_missing(ppid):
    entri = EntriFactory(classified=True, state=State.DISETUJUI)
    with pytest.raises(ActionRefused) as exc:
        entri_archive(entri_id=entri.pk, by=ppid)
    message = str(exc.value)
    assert message.startswith("Entri belum dapat diarsipkan. Masih kurang:")
    for missing in (SOFTCOPY, SCAN, BINDER):
        assert missing in message
    entri.refresh_from_db()
    assert entri.state == State.DISETUJUI
    assert not TransitionLog.objects.filter(entri=entri, to_state=State.DIARSIPKAN).exists()


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        ({"softcopy", "scan"}, BINDER),
        ({"softcopy", "binder"}, SCAN),
        ({"scan", "binder"}, SOFTCOPY),
    ],
)
def test_archive_names_the_one_missing_piece(ppid, present, missing):
    entri = EntriFactory(classified=True, state=State.DISETUJUI)
    if "softcopy" in present:
        add_file(entri, Berkas.Kind.SOFTCOPY)
    if "scan" in present:
        add_file(entri, Berkas.Kind.SCAN)
    if "binder" in present:
        place(entri, make_ordner())
    with pytest.raises(ActionRefused) as exc:
        entri_archive(entri_id=entri.pk, by=ppid)
    message = str(exc.value)
    assert missing in message
    for other in {SOFTCOPY, SCAN, BINDER} - {missing}:
        assert other not in message


def test_a_removed_file_does_not_count(ppid, desk):
    entri = ready_entry()
    from django.utils import timezone

    entri.files.filter(kind=Berkas.Kind.SCAN).update(removed_at=timezone.now(), removed_by=desk)
    with pytest.raises(ActionRefused, match=re.escape(SCAN)):
        entri_archive(entri_id=entri.pk, by=ppid)


def test_only_the_ppid_archives(desk, pembina):
    entri = ready_entry()
    for user in (desk, pembina):
        with pytest.raises(ActionRefused, match="memerlukan peran: PPID"):
            entri_archive(entri_id=entri.pk, by=user)
    entri.refresh_from_db()
    assert entri.state == State.DISETUJUI


@pytest.mark.parametrize("state", [State.DIKLASIFIKASI, State.DIAJUKAN, State.DIARSIPKAN])
def test_only_an_approved_entry_is_archived(ppid, state):
    entri = ready_entry()
    entri.state = state
    entri.save(update_fields=["state"])
    with pytest.raises(ActionRefused, match="tidak dapat dilakukan"):
        entri_archive(entri_id=entri.pk, by=ppid)


# ---------------------------------------------------------------- the pages


def test_archive_button_on_the_entry_page(client, ppid, desk):
    entri = ready_entry()
    client.force_login(ppid)
    html = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert "Arsip dan Keputusan" in html
    assert reverse("arsip:arsipkan", args=[entri.pk]) in html
    client.force_login(desk)
    html = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert reverse("arsip:arsipkan", args=[entri.pk]) not in html  # only the PPID archives


def test_entry_page_lists_what_is_missing(client, ppid):
    entri = EntriFactory(classified=True, state=State.DISETUJUI)
    add_file(entri, Berkas.Kind.SOFTCOPY)
    client.force_login(ppid)
    html = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert SCAN in html and BINDER in html and SOFTCOPY not in html


def test_archive_through_the_page(client, ppid):
    entri = ready_entry()
    client.force_login(ppid)
    response = client.post(reverse("arsip:arsipkan", args=[entri.pk]), follow=True)
    assert "Entri diarsipkan" in response.content.decode()
    entri.refresh_from_db()
    assert entri.state == State.DIARSIPKAN


def test_refusal_through_the_page_is_shown(client, ppid):
    entri = EntriFactory(classified=True, state=State.DISETUJUI)
    client.force_login(ppid)
    response = client.post(reverse("arsip:arsipkan", args=[entri.pk]), follow=True)
    assert "Masih kurang" in response.content.decode()
    entri.refresh_from_db()
    assert entri.state == State.DISETUJUI


def test_archive_index_shows_the_tree_and_what_each_binder_holds(client, desk):
    entri = ready_entry()
    other = make_ordner("Ordner Kosong")
    client.force_login(desk)
    html = client.get(reverse("arsip:index")).content.decode()
    for name in ("Ruang Arsip", "Lemari A", "Rak 1", "Boks 1", "Ordner Uji", "Ordner Kosong"):
        assert name in html
    assert entri.title in html and entri.archive_code in html
    assert reverse("arsip:ordner", args=[other.pk]) in html


@pytest.mark.parametrize("user_fixture", ["pembina", "no_role"])
def test_archive_pages_are_for_desk_and_ppid_only(client, request, user_fixture):
    entri = ready_entry()
    client.force_login(request.getfixturevalue(user_fixture))
    for url in (
        reverse("arsip:index"),
        reverse("arsip:ordner", args=[entri.ordner_id]),
        reverse("arsip:label", args=[entri.ordner_id]),
        reverse("arsip:isi", args=[entri.ordner_id]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("arsip:arsipkan", args=[entri.pk])).status_code == 403


def test_ordner_page_404_for_a_place_that_is_not_a_binder(client, desk):
    ordner = make_ordner()
    client.force_login(desk)
    assert client.get(reverse("arsip:ordner", args=[ordner.parent_id])).status_code == 404
    assert client.get(reverse("arsip:ordner", args=[ordner.pk])).status_code == 200


def _fill_binder(n):
    ordner = make_ordner()
    for _ in range(n):
        ready_entry(ordner)
    return ordner


@pytest.mark.parametrize("size", [3, 30])
def test_archive_index_query_count_does_not_grow(client, desk, django_assert_num_queries, size):
    _fill_binder(size)
    TempatSimpan.objects.create(level=1, name=f"Ruang {size}")
    client.force_login(desk)
    client.get(reverse("arsip:index"))  # warm the session and the role cache
    # session, user, roles, site profile, places, entries (no review count: the desk never decides)
    with django_assert_num_queries(6):
        response = client.get(reverse("arsip:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_ordner_page_query_count_does_not_grow(client, desk, django_assert_num_queries, size):
    ordner = _fill_binder(size)
    client.force_login(desk)
    client.get(reverse("arsip:ordner", args=[ordner.pk]))
    with django_assert_num_queries(6):
        response = client.get(reverse("arsip:ordner", args=[ordner.pk]))
    assert response.content.decode().count("badge state-disetujui") == size


def test_spine_label_pdf(client, desk):
    ordner = make_ordner("Ordner DIK 2026")
    entries = [ready_entry(ordner) for _ in range(3)]
    client.force_login(desk)
    response = client.get(reverse("arsip:label", args=[ordner.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert height > 3 * width  # a narrow portrait strip for the spine
    text = pdf_text(response.content)
    assert "KPU KABUPATEN PINRANG" in text
    assert "Ordner DIK 2026" in text and "Ordner Ordner" not in text
    assert "Lemari A" in text and "Boks 1" in text
    first, last = entries[0].archive_code, entries[-1].archive_code
    assert f"{first} – {last}" in text


def test_contents_list_pdf(client, desk):
    ordner = make_ordner()
    entries = [ready_entry(ordner) for _ in range(2)]
    client.force_login(desk)
    response = client.get(reverse("arsip:isi", args=[ordner.pk]))
    text = pdf_text(response.content)
    assert "KOMISI PEMILIHAN UMUM KABUPATEN PINRANG" in text  # the letterhead
    assert "DAFTAR ISI ORDNER" in text
    for entri in entries:
        assert entri.archive_code in text
        assert entri.title in text
    assert "Data pemilih" in text  # document type
    assert "disetujui" in text  # state


def test_entry_page_names_the_decrees_that_cover_it(client, ppid, pembina):
    from publikasi import services as publikasi_services
    from tests.archive_fixtures import archived_entry, pdf_upload

    entri = archived_entry()
    keputusan = publikasi_services.keputusan_create(
        by=ppid,
        data={"number": "731 Tahun 2025", "date": datetime.date(2025, 8, 21), "title": "Penetapan"},
        pdf=pdf_upload(),
        entries=[entri],
    )
    client.force_login(ppid)
    html = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert "Keputusan KPU Nomor 731 Tahun 2025" in html and "draf" in html
    assert reverse("publikasi_staf:detail", args=[keputusan.pk]) in html
    assert reverse("arsip:ordner", args=[entri.ordner_id]) in html
    # an approver sees the decree but no link into the desk's pages
    client.force_login(pembina)
    html = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert "Keputusan KPU Nomor 731 Tahun 2025" in html
    assert reverse("publikasi_staf:detail", args=[keputusan.pk]) not in html
    assert reverse("arsip:ordner", args=[entri.ordner_id]) not in html


def test_the_place_reads_the_same_everywhere(client, ppid):
    """One rendering of a place: its names, which already say their level (no “Ruang Ruang”)."""
    ordner = make_ordner("Ordner DIK 2026")
    entri = ready_entry(ordner)
    path = "Ruang Arsip › Lemari A › Rak 1 › Boks 1 › Ordner DIK 2026"
    assert ordner.path == str(ordner) == path
    client.force_login(ppid)
    detail = html.unescape(
        client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    )
    assert f"<dd>{path}</dd>" in detail
    assert f'<option value="{ordner.pk}" selected>{path}</option>' in detail
    binder = html.unescape(client.get(reverse("arsip:ordner", args=[ordner.pk])).content.decode())
    assert f"<dd>{path}</dd>" in binder
    response = client.post(reverse("arsip:arsipkan", args=[entri.pk]), follow=True)
    entri.refresh_from_db()
    assert entri.state == State.DIARSIPKAN
    # the desk is told where, in the message; the log (read by approvers) is not
    assert f"{path}, nomor arsip {entri.archive_code}" in html.unescape(response.content.decode())
    for text in (detail, binder):
        assert "Ruang Ruang" not in text and "Ordner Ordner" not in text
