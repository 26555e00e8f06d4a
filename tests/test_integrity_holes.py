"""Holes found by attacking the running app, each closed by the one rule and its selector."""

import datetime
import html
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from dokumen.models import AccessLog, Entri, State, TransitionLog
from persetujuan import services as approval
from persetujuan.models import Putaran
from ppid.roles import Role
from publikasi import services as publication
from tests.archive_fixtures import archived_entry, pdf_upload, ready_entry
from tests.factories import EntriFactory, UserFactory
from tests.persetujuan_setup import PEMBINA, submitted_entry

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- batch approve: no oracle


def test_a_hidden_id_in_a_batch_is_refused_like_a_missing_one(client, ppid, pembina):
    visible = submitted_entry(ppid)
    hidden = EntriFactory(title="Daftar nama saksi yang dirahasiakan")  # collected: hidden
    client.force_login(pembina)
    url = reverse("persetujuan:antrean")
    data = {"role": PEMBINA, "confirm": "on"}
    with translation.override("id"):
        with_hidden = client.post(url, {**data, "entri": [visible.pk, hidden.pk]}, follow=True)
        with_missing = client.post(url, {**data, "entri": [visible.pk, 999999]}, follow=True)
    text_hidden = html.unescape(with_hidden.content.decode())
    text_missing = html.unescape(with_missing.content.decode())
    assert hidden.title not in text_hidden
    message = "Salah satu entri yang dipilih tidak ada atau tidak tersedia untuk Anda."
    assert message in text_hidden and message in text_missing
    assert not visible.rounds.get().decisions.exists()  # nothing changed


def test_a_batch_submit_locks_through_the_selector(ppid, pembina):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    with pytest.raises(Exception, match="tidak ada atau tidak tersedia"):
        approval.entries_submit(entri_ids=[entri.pk, 424242], by=ppid)
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI


# ---------------------------------------------------------------- hardcopy places per role


@pytest.mark.parametrize(
    "role,sees", [(Role.DESK, True), (Role.PPID, True), (Role.PEMBINA, False), (Role.ATASAN, False)]
)
def test_the_hardcopy_place_reaches_only_desk_and_ppid(client, ppid, role, sees):
    entri = ready_entry()
    path = entri.ordner.path
    from dokumen.archive import entri_archive

    entri_archive(entri_id=entri.pk, by=ppid)
    entri.refresh_from_db()
    client.force_login(UserFactory(roles=[role]))
    text = html.unescape(client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode())
    for secret in (path, entri.ordner.name, f"No. arsip {entri.archive_code}"):
        assert (secret in text) == sees, secret
    # the history of the place field, and the log, say nothing of it to an approver
    log = " ".join(TransitionLog.objects.filter(entri=entri).values_list("note", flat=True))
    assert entri.ordner.name not in log


# ---------------------------------------------------------------- the decree PDF is logged


def test_the_staff_view_of_a_decree_pdf_writes_an_access_log_row(client, ppid, desk):
    keputusan = publication.keputusan_create(
        by=ppid,
        data={"number": "731 Tahun 2025", "date": datetime.date(2025, 8, 21), "title": "Uji"},
        pdf=pdf_upload(),
        entries=[archived_entry()],
    )
    client.force_login(desk)
    url = reverse("publikasi_staf:pdf", args=[keputusan.pk])
    response = client.get(url)
    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.berkas, log.file_name) == (desk, None, keputusan.pdf.name)
    assert "731 Tahun 2025" in log.label
    client.force_login(UserFactory(roles=[Role.PEMBINA]))
    assert client.get(url).status_code == 403  # the publication desk is not theirs
    assert AccessLog.objects.count() == 1
    b"".join(response.streaming_content)
    response.close()  # last: it signals the end of the request, which closes the connection


# ---------------------------------------------------------------- bad input


def test_future_collection_dates_and_short_titles_are_refused(client, desk):
    client.force_login(desk)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("id"):
        response = client.post(
            reverse("meja:entri_create"),
            {"title": "KTP", "holding_unit": "Subbagian Teknis", "collected_on": "2030-01-01"},
        )
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Judul terlalu pendek untuk mengenali dokumen" in text
    assert "Tanggal pengumpulan tidak boleh di masa depan" in text
    assert not Entri.objects.exists()
    response = client.post(
        reverse("meja:entri_create"),
        {
            "title": "Salinan KTP calon",
            "holding_unit": "Subbagian Teknis",
            "collected_on": tomorrow.isoformat(),
        },
    )
    assert not Entri.objects.exists()


def test_a_review_date_before_the_start_is_refused_on_every_edit(ppid):
    from django.core.exceptions import ValidationError

    from dokumen import services

    entri = EntriFactory()
    with pytest.raises(ValidationError) as exc:
        services.entri_update(
            entri_id=entri.pk,
            by=ppid,
            data={
                "period_start": datetime.date(2026, 5, 1),
                "period_review": datetime.date(2026, 4, 1),
            },
        )
    assert "period_review" in exc.value.message_dict


# ---------------------------------------------------------------- no-store on staff pages


def test_staff_pages_are_never_stored_and_public_pages_keep_their_caching(client, ppid):
    entri = EntriFactory()
    public = client.get(reverse("publikasi:dik"))
    assert "no-store" not in public.get("Cache-Control", "")
    client.force_login(ppid)
    for url in (
        reverse("meja:beranda"),
        reverse("meja:entri_list"),
        reverse("meja:entri_detail", args=[entri.pk]),
        reverse("persetujuan:ajukan"),
        reverse("publikasi_staf:index"),
        reverse("arsip:index"),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


# ---------------------------------------------------------------- the repair migration


def test_the_repair_migration_closes_stray_rounds_and_logs_it_as_the_system(ppid):
    stranded = submitted_entry(ppid)
    # what the old stale classification tab did: the entry left “diajukan”, its round stayed
    Entri.objects.filter(pk=stranded.pk).update(state=State.DIKLASIFIKASI)
    orphan = EntriFactory(classified=True, state=State.DIAJUKAN)  # submitted, no round
    importlib.import_module("persetujuan.migrations.0002_repair_open_rounds").repair(apps, None)

    round_ = stranded.rounds.get()
    assert round_.status == Putaran.Status.VOID
    repair = stranded.transitions.last()
    assert (repair.action, repair.by) == ("perbaikan_data", None)
    orphan.refresh_from_db()
    assert orphan.state == State.DIKLASIFIKASI
    assert orphan.transitions.last().action == "perbaikan_data"
    # and both can go on: the PPID submits again
    for entri in (stranded, orphan):
        approval.entri_submit(entri_id=entri.pk, by=ppid)
        assert Putaran.objects.filter(entri=entri, status=Putaran.Status.OPEN).count() == 1


# ---------------------------------------------------------------- a returned entry looks returned


def test_a_returned_entry_is_counted_on_the_dashboard_and_found_by_the_list_filter(
    client, ppid, pembina
):
    returned = submitted_entry(ppid, title="Dokumen yang dikembalikan pembina")
    approval.return_entri(entri_id=returned.pk, by=pembina, role=PEMBINA, reason="Kurang.")
    withdrawn = submitted_entry(ppid, title="Dokumen yang ditarik PPID")
    approval.entri_withdraw(entri_id=withdrawn.pk, by=ppid)
    client.force_login(ppid)
    with translation.override("id"):
        dashboard = html.unescape(client.get(reverse("meja:beranda")).content.decode())
        listed = html.unescape(
            client.get(reverse("meja:entri_list"), {"state": "dikembalikan"}).content.decode()
        )
    assert "1 entri dikembalikan, menunggu PPID" in dashboard
    assert returned.title in listed and withdrawn.title not in listed


def test_a_confirmation_box_says_what_to_do_and_a_stale_choice_shows_no_id(client, ppid):
    from publikasi.forms import PublishForm

    form = PublishForm(data={})
    with translation.override("id"):
        assert not form.is_valid()
        message = str(form.errors["confirm"][0])
    assert "Centang" in message and "tidak boleh kosong" not in message
    entri = EntriFactory()
    client.force_login(ppid)
    with translation.override("id"):
        response = client.post(reverse("meja:entri_place", args=[entri.pk]), {"ordner": 424242})
        page = client.get(response["Location"]).content.decode()
    assert "424242" not in html.unescape(page)


def test_a_choice_no_longer_on_the_list_is_refused_without_its_id():
    from dokumen.forms import EntriFullForm

    form = EntriFullForm(data={"document_type": "424242", "legal_grounds": ["535353"]})
    with translation.override("id"):
        assert not form.is_valid()
        messages = [str(m) for f in ("document_type", "legal_grounds") for m in form.errors[f]]
    assert all("Pilihan ini tidak tersedia lagi" in m for m in messages)
    assert not any("424242" in m or "535353" in m for m in messages)
