"""Approving, returning, submitting and withdrawing from the pages, as the users see them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dokumen.models import Entri, State, TransitionLog
from persetujuan import services
from persetujuan.models import Persetujuan, Putaran
from ppid.roles import Role
from tests.factories import EntriFactory
from tests.persetujuan_setup import ATASAN, PEMBINA, TIM, approve_as, submitted_entry

pytestmark = pytest.mark.django_db


def entry_page(client, entri):
    response = client.get(reverse("meja:entri_detail", args=[entri.pk]))
    assert response.status_code == 200
    return response.content.decode()


def follow_messages(client, response) -> str:
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_an_approver_opens_the_entry_and_sees_the_approval_forms(client, ppid, pembina):
    entri = submitted_entry(ppid)
    client.force_login(pembina)
    html = entry_page(client, entri)
    assert "Putaran 1 terbuka." in html
    assert reverse("persetujuan:setujui", args=[entri.pk]) in html
    assert reverse("persetujuan:kembalikan", args=[entri.pk]) in html
    assert "Saya telah membaca entri, klasifikasinya dan berkasnya" in html
    assert "Alasan pengembalian" in html
    assert "Anda memutus sebagai <strong>Pembina PPID</strong>" in html


def test_a_person_with_two_roles_chooses_the_role(client, ppid, user_with):
    both = user_with(Role.PEMBINA, Role.ATASAN)
    entri = submitted_entry(ppid)
    client.force_login(both)
    html = entry_page(client, entri)
    assert '<option value="Pembina PPID">Pembina PPID</option>' in html
    assert '<option value="Atasan PPID">Atasan PPID</option>' in html
    response = client.post(
        reverse("persetujuan:setujui", args=[entri.pk]), {"role": ATASAN, "confirm": "on"}
    )
    assert response.status_code == 302
    assert Persetujuan.objects.get(putaran__entri=entri).role == ATASAN


def test_approve_needs_the_confirmation(client, ppid, pembina):
    entri = submitted_entry(ppid)
    client.force_login(pembina)
    url = reverse("persetujuan:setujui", args=[entri.pk])
    confirm_page = client.get(url)
    assert confirm_page.status_code == 200
    assert "Setujui entri" in confirm_page.content.decode()
    # the classification to be approved, each fact with its label
    assert "<dt>Jenis dokumen</dt>" in confirm_page.content.decode()
    assert "<dt>b. Potensi konsekuensi bahaya" in confirm_page.content.decode()
    response = client.post(url, {"role": PEMBINA})
    assert response.status_code == 400
    assert "Centang kotak untuk menegaskan" in response.content.decode()
    assert not Persetujuan.objects.exists()
    response = client.post(url, {"role": PEMBINA, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("meja:entri_detail", args=[entri.pk])
    decision = Persetujuan.objects.get()
    assert (decision.role, decision.by, decision.result) == (PEMBINA, pembina, "setuju")
    html = follow_messages(client, response)
    assert "Disetujui sebagai Pembina PPID." in html


def test_the_last_approval_from_the_page_approves_the_entry(client, ppid, atasan):
    entri = submitted_entry(ppid)
    approve_as(entri, Role.PEMBINA, Role.TIM)
    client.force_login(atasan)
    response = client.post(
        reverse("persetujuan:setujui", args=[entri.pk]), {"role": ATASAN, "confirm": "on"}
    )
    html = follow_messages(client, response)
    assert "Semua peran yang wajib telah menyetujui: entri disetujui." in html
    entri.refresh_from_db()
    assert entri.state == State.DISETUJUI


def test_double_click_on_approve_gives_no_server_error(client, ppid, atasan):
    entri = submitted_entry(ppid)
    approve_as(entri, Role.PEMBINA, Role.TIM)
    client.force_login(atasan)
    url = reverse("persetujuan:setujui", args=[entri.pk])
    first = client.post(url, {"role": ATASAN, "confirm": "on"})
    second = client.post(url, {"role": ATASAN, "confirm": "on"})
    assert first.status_code == 302 and second.status_code == 302
    html = client.get(second["Location"]).content.decode()
    assert "tidak dapat dilakukan" in html
    assert Persetujuan.objects.filter(role=ATASAN).count() == 1
    assert TransitionLog.objects.filter(entri=entri, to_state=State.DISETUJUI).count() == 1


def test_double_click_before_the_last_approval(client, ppid, pembina):
    entri = submitted_entry(ppid)
    client.force_login(pembina)
    url = reverse("persetujuan:setujui", args=[entri.pk])
    client.post(url, {"role": PEMBINA, "confirm": "on"})
    second = client.post(url, {"role": PEMBINA, "confirm": "on"})
    assert second.status_code == 302
    html = client.get(second["Location"]).content.decode()
    assert "Pembina PPID sudah memutus dalam putaran ini" in html
    assert Persetujuan.objects.count() == 1


def test_return_needs_a_reason_shown_next_to_the_field(client, ppid, tim):
    entri = submitted_entry(ppid)
    client.force_login(tim)
    url = reverse("persetujuan:kembalikan", args=[entri.pk])
    response = client.post(url, {"role": TIM, "reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(
        r'<div class="field has-error">.*?class="errorlist".*?</ul>', html, re.S
    ).group(0)
    assert 'name="reason"' in field
    assert "Tulis alasan pengembalian entri." in field
    assert Entri.objects.get(pk=entri.pk).state == State.DIAJUKAN


def test_a_return_shows_the_reason_prominently_to_the_ppid(client, ppid, tim):
    entri = submitted_entry(ppid)
    client.force_login(tim)
    response = client.post(
        reverse("persetujuan:kembalikan", args=[entri.pk]),
        {"role": TIM, "reason": "Uji kepentingan publik huruf (d) belum diuraikan."},
    )
    assert "Dikembalikan kepada PPID sebagai Tim Pertimbangan." in follow_messages(client, response)
    client.force_login(ppid)
    html = entry_page(client, entri)
    # at the top of the page, before what the PPID can do
    box = re.search(r'<section class="card returned".*?</section>', html, re.S).group(0)
    assert html.index(box) < html.index('id="h-actions"')
    assert "Dikembalikan, menunggu PPID" in box
    assert "Uji kepentingan publik huruf (d) belum diuraikan." in box
    assert "Tim Pertimbangan" in box and tim.get_full_name() in box
    # the PPID can submit again from the same page
    assert reverse("persetujuan:ajukan_entri", args=[entri.pk]) in html


def test_the_opener_sees_why_there_is_nothing_to_decide(client, user_with):
    opener = user_with(Role.PPID, Role.PEMBINA)
    entri = submitted_entry(opener)
    client.force_login(opener)
    html = entry_page(client, entri)
    assert "Anda yang mengajukan putaran ini" in html
    assert reverse("persetujuan:setujui", args=[entri.pk]) not in html
    response = client.post(
        reverse("persetujuan:setujui", args=[entri.pk]), {"role": PEMBINA, "confirm": "on"}
    )
    assert "diajukannya sendiri" in follow_messages(client, response)
    assert not Persetujuan.objects.exists()


def test_the_entry_page_shows_every_round_and_marks_void_ones(client, ppid, pembina, tim):
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    from dokumen import services as dokumen_services

    dokumen_services.entri_update(entri_id=entri.pk, by=ppid, data={"test_harm": "Diperbarui."})
    services.entri_submit(entri_id=entri.pk, by=ppid)
    client.force_login(tim)
    html = entry_page(client, entri)
    assert "Putaran 2 terbuka." in html
    assert '<span class="badge round-batal">batal (isi berubah)</span>' in html
    assert '<div class="round void">' in html
    assert pembina.get_full_name() in html  # the void round still shows who decided


def test_approvers_do_not_see_collected_entries(client, pembina):
    entri = EntriFactory()
    client.force_login(pembina)
    assert client.get(reverse("meja:entri_detail", args=[entri.pk])).status_code == 404
    assert client.get(reverse("persetujuan:setujui", args=[entri.pk])).status_code == 404


def test_no_role_gets_404_on_every_entry_action(client, ppid, no_role):
    entri = submitted_entry(ppid)
    client.force_login(no_role)
    for name in ("setujui", "kembalikan", "ajukan_entri", "tarik", "lembar_pdf"):
        url = reverse(f"persetujuan:{name}", args=[entri.pk])
        method = client.get if name in ("setujui", "kembalikan", "lembar_pdf") else client.post
        assert method(url).status_code == 404, name
    assert not Persetujuan.objects.exists()


def test_batch_approve_from_the_queue(client, ppid, pembina):
    entries = [submitted_entry(ppid) for _ in range(3)]
    client.force_login(pembina)
    url = reverse("persetujuan:antrean")
    response = client.post(
        url, {"entri": [entries[0].pk, entries[2].pk], "confirm": "on", "role": PEMBINA}
    )
    html = follow_messages(client, response)
    assert "2 entri disetujui sebagai Pembina PPID." in html
    assert set(Persetujuan.objects.values_list("putaran__entri", flat=True)) == {
        entries[0].pk,
        entries[2].pk,
    }
    # what was decided left the queue
    assert html.count('name="entri"') == 1


def test_batch_approve_needs_the_confirmation_and_a_selection(client, ppid, pembina):
    entri = submitted_entry(ppid)
    client.force_login(pembina)
    url = reverse("persetujuan:antrean")
    response = client.post(url, {"entri": [entri.pk], "role": PEMBINA})
    assert response.status_code == 400
    assert "Centang kotak untuk menegaskan" in response.content.decode()
    response = client.post(url, {"confirm": "on", "role": PEMBINA})
    assert "Pilih sedikitnya satu entri." in follow_messages(client, response)
    assert not Persetujuan.objects.exists()


def test_batch_approve_with_one_forbidden_entry_is_refused_whole(client, ppid, pembina, user_with):
    mine = submitted_entry(ppid)
    decided = submitted_entry(ppid, title="Sudah diputus Pembina lain")
    services.approve(entri_id=decided.pk, by=user_with(Role.PEMBINA), role=PEMBINA)
    collected = EntriFactory()  # not even visible to approvers
    client.force_login(pembina)
    url = reverse("persetujuan:antrean")
    for bad in (decided, collected):
        logs = TransitionLog.objects.count()
        response = client.post(url, {"entri": [mine.pk, bad.pk], "confirm": "on", "role": PEMBINA})
        assert "Tidak ada yang diubah" in follow_messages(client, response)
        assert not Persetujuan.objects.filter(by=pembina).exists()
        assert TransitionLog.objects.count() == logs


def test_the_ppid_submits_a_batch_from_the_submit_page(client, ppid):
    entries = [
        EntriFactory(classified=True, state=State.DIKLASIFIKASI, title=f"Entri siap {n}")
        for n in range(3)
    ]
    client.force_login(ppid)
    url = reverse("persetujuan:ajukan")
    html = client.get(url).content.decode()
    for entri in entries:
        assert f'name="entri" value="{entri.pk}"' in html
    response = client.post(url, {"entri": [e.pk for e in entries]})
    html = follow_messages(client, response)
    assert "3 entri diajukan untuk persetujuan." in html
    assert Putaran.objects.filter(status=Putaran.Status.OPEN).count() == 3
    assert "Menunggu persetujuan" in html and "Entri siap 1" in html


def test_the_submit_page_refuses_a_bad_batch_whole(client, ppid):
    ready = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    collected = EntriFactory(title="Belum diklasifikasi")
    client.force_login(ppid)
    response = client.post(reverse("persetujuan:ajukan"), {"entri": [ready.pk, collected.pk]})
    html = follow_messages(client, response)
    assert "“Belum diklasifikasi”" in html and "Tidak ada yang diubah" in html
    assert not Putaran.objects.exists()


def test_the_submit_page_is_for_the_ppid(client, desk, pembina):
    for user in (desk, pembina):
        client.force_login(user)
        assert client.get(reverse("persetujuan:ajukan")).status_code == 403


def test_submit_and_withdraw_from_the_entry_page(client, ppid):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    client.force_login(ppid)
    html = entry_page(client, entri)
    assert "Ajukan untuk persetujuan" in html
    response = client.post(reverse("persetujuan:ajukan_entri", args=[entri.pk]))
    assert "Diajukan untuk persetujuan (putaran 1)." in follow_messages(client, response)
    html = entry_page(client, entri)
    assert reverse("persetujuan:tarik", args=[entri.pk]) in html
    response = client.post(
        reverse("persetujuan:tarik", args=[entri.pk]), {"note": "Menunggu berkas asli."}
    )
    assert "Ditarik: entri kembali berstatus diklasifikasi." in follow_messages(client, response)
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    assert entri.rounds.get().status == Putaran.Status.WITHDRAWN


def test_the_desk_cannot_submit(client, desk):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    client.force_login(desk)
    html = entry_page(client, entri)
    assert reverse("persetujuan:ajukan_entri", args=[entri.pk]) not in html
    response = client.post(reverse("persetujuan:ajukan_entri", args=[entri.pk]))
    assert "memerlukan peran: PPID" in follow_messages(client, response)
    assert not Putaran.objects.exists()


def test_nav_count_for_each_approver(client, ppid, pembina, tim):
    entri = submitted_entry(ppid)
    submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    client.force_login(pembina)
    html = client.get(reverse("persetujuan:antrean")).content.decode()
    assert (
        '<span class="count" aria-hidden="true">1</span><span class="visually-hidden"> (1 menunggu)</span>'
        in html
    )
    client.force_login(tim)
    html = client.get(reverse("persetujuan:antrean")).content.decode()
    assert (
        '<span class="count" aria-hidden="true">2</span><span class="visually-hidden"> (2 menunggu)</span>'
        in html
    )


def test_the_submit_page_query_count_does_not_grow(client, ppid, tim):
    def add_entries(n):
        for _ in range(n):
            EntriFactory(classified=True, state=State.DIKLASIFIKASI)
            services.approve(entri_id=submitted_entry(ppid).pk, by=tim, role=TIM)
            approve_as(submitted_entry(ppid), Role.PEMBINA, Role.TIM, Role.ATASAN)
            returned = submitted_entry(ppid)
            services.return_entri(entri_id=returned.pk, by=tim, role=TIM, reason="Perbaiki.")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("persetujuan:ajukan"))
        assert response.status_code == 200
        return len(captured), response.content.decode()

    client.force_login(ppid)
    add_entries(2)
    client.get(reverse("persetujuan:ajukan"))  # the site profile is created once
    few, _html = queries()
    add_entries(8)
    many, html = queries()
    assert many == few
    assert html.count('name="entri"') == 20  # classified and returned ones, ready to submit
    assert html.count("Perbaiki.") == 10
