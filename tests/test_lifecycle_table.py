"""The lifecycle is one table of named actions: every action × every state × every actor is
allowed exactly where dokumen.lifecycle.ACTIONS says, through the service and through POST;
an allowed action writes one log row naming it, a refused one changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from dokumen import archive, berkas, lifecycle, samaran, services
from dokumen.lifecycle import ACTIONS, NEW, SYSTEM, UNDER_APPROVAL
from dokumen.models import (
    Action,
    Berkas,
    DasarHukum,
    Entri,
    JenisJangkaWaktu,
    State,
    TransitionLog,
)
from impor.models import BarisImpor
from persetujuan import services as approval
from persetujuan.models import Putaran
from ppid.errors import ActionRefused
from ppid.models import Kantor
from ppid.roles import Role
from tests.archive_fixtures import add_file, add_redacted_copy, pdf_bytes
from tests.factories import EntriFactory, UserFactory, make_ordner
from tests.persetujuan_setup import entry_in_state, snapshot
from usulan import services as usulan_services

DECREE = "keputusan"  # a decree, on whose behalf the system moves other offices' entries
ACTORS = [*Role, "tanpa_peran", DECREE, SYSTEM]
PEOPLE = [*Role, "tanpa_peran"]
STATES = [NEW, *State]
CLASSIFICATION = {
    "test_material": "Data pribadi pemilih.",
    "test_harm": "Mengungkap rahasia pribadi.",
    "test_law": "UU 14/2008 Pasal 17 huruf h.",
    "test_public_interest": "Transparansi daftar pemilih.",
    "test_weighing": "Kerugian lebih besar daripada manfaat.",
    "test_conclusion": "dikecualikan",
    "period_years": 5,
    "period_wording": "5 (lima) tahun sejak ditetapkan",
    "period_start": datetime.date(2026, 1, 5),
}
DESK_DATA = {
    "title": "Salinan KTP calon anggota DPRD",
    "summary": "Pindaian KTP.",
    "holding_unit": "Subbagian Teknis",
    "collected_on": datetime.date(2026, 1, 5),
}


def state_id(state):
    return "baru" if state is NEW else state.value


def actor_id(actor):
    return "sistem" if actor is SYSTEM else (actor if isinstance(actor, str) else actor.name)


def make_actor(actor):
    if actor is SYSTEM:
        return SYSTEM
    if actor == DECREE:
        # published by KPU RI's PPID: no role in the entry's office
        ri = Kantor.objects.get(slug="ri")
        publisher = UserFactory(roles=[Role.PPID], roles__kantor=ri)
        return lifecycle.ByDecree(decree="Keputusan KPU Nomor 731 Tahun 2025", publisher=publisher)
    return UserFactory(roles=[] if actor == "tanpa_peran" else [actor])


def table_allows(action: Action, state, actor) -> bool:
    step = ACTIONS[action]
    if state not in step.sources:
        return False
    if actor is SYSTEM:
        return step.system
    if actor == DECREE:
        return step.by_decree
    return actor != "tanpa_peran" and actor in step.role_set


def ready_in(state):
    """An entry in `state` with what every action may need: its rounds (an open one when
    submitted), a softcopy, a scan and a binder (archiving), a file to remove."""
    opener = UserFactory(roles=[Role.PPID])
    entri = entry_in_state(state, opener=opener)
    add_file(entri, Berkas.Kind.SOFTCOPY)
    add_file(entri, Berkas.Kind.SCAN, content=b"\xff\xd8\xff\xe0 foto", content_type="image/jpeg")
    add_redacted_copy(entri)  # waiting for its approval
    # the files and the copy are part of what the open round covers
    Putaran.objects.filter(entri=entri, status=Putaran.Status.OPEN).update(
        content_hash=entri.content_hash()
    )
    ordner = make_ordner()
    Entri.objects.filter(pk=entri.pk).update(ordner=ordner, archive_number=entri.pk)
    entri.refresh_from_db()
    return entri


def take(action: Action, entri, by):
    """The service a user's request calls for `action` (the lifecycle's entry point for the
    actions that are the consequence of another: a decree, the end of a period)."""
    person = by if by is not SYSTEM and not isinstance(by, lifecycle.ByDecree) else None
    role = (
        next(iter(person.penugasan.values_list("role", flat=True)), Role.PEMBINA)
        if person
        else None
    )
    if action == Action.IMPORT:
        if entri is not None:
            return lifecycle.check(entri, action, by)
        return _import_one_row(by)
    if entri is None and (action != Action.COLLECT or person is None and by is not SYSTEM):
        return lifecycle.check(None, action, by)
    if isinstance(by, lifecycle.ByDecree):  # a decree takes its steps through the table only
        with transaction.atomic():
            return lifecycle.perform(lifecycle.lock(entri.pk, by=by), action, by=by, note="uji")
    if action == Action.COLLECT:
        if entri is not None:
            return lifecycle.check(entri, action, by)
        return services.entri_create(by=by, data=DESK_DATA)
    if action == Action.EDIT:
        return services.entri_update(entri_id=entri.pk, by=by, data={"summary": "Ringkasan baru."})
    if action == Action.CLASSIFY:
        return services.entri_classify(
            entri_id=entri.pk,
            by=by,
            data={
                **CLASSIFICATION,
                "document_type": entri.document_type or _doc_type(),
                "period_kind": JenisJangkaWaktu.objects.get(code="tahun-tetap"),
            },
            legal_grounds=DasarHukum.objects.filter(code="17h"),
        )
    if action == Action.RETURN_TO_DESK:
        return services.entri_return_to_desk(entri_id=entri.pk, by=by, note="Lengkapi.")
    if action == Action.SUBMIT:
        return approval.entri_submit(entri_id=entri.pk, by=by)
    if action == Action.WITHDRAW:
        return approval.entri_withdraw(entri_id=entri.pk, by=by)
    if action == Action.RETURN:
        return approval.return_entri(entri_id=entri.pk, by=by, role=role, reason="Kurang jelas.")
    if action == Action.APPROVE:
        return approval.approve(entri_id=entri.pk, by=by, role=role)
    if action == Action.ARCHIVE:
        return archive.entri_archive(entri_id=entri.pk, by=by)
    if action == Action.PROPOSE:
        return usulan_services.usulan_send(
            by=by,
            entri_ids=[entri.pk],
            data={
                "nomor_surat": "1/PP/2026",
                "tanggal_surat": datetime.date(2026, 1, 5),
                "tujuan": "KPU Sulsel",
            },
        )
    if action == Action.PLACE:
        return services.entri_place(entri_id=entri.pk, by=by, ordner_id=make_ordner("Lain").pk)
    if action == Action.UPLOAD:
        upload = SimpleUploadedFile("baru.pdf", pdf_bytes(2), content_type="application/pdf")
        return berkas.berkas_add(entri_id=entri.pk, by=by, kind="softcopy", files=[upload])
    if action == Action.REMOVE_FILE:
        return berkas.berkas_remove(berkas_id=entri.files.first().pk, by=by)
    if action == Action.APPROVE_REDACTED:
        copy = entri.redacted_copies.first() if entri else None
        return samaran.salinan_approve(salinan_id=copy.pk if copy else 0, by=by)
    if action == Action.ADD_REDACTED:
        copy = SimpleUploadedFile("samaran.pdf", pdf_bytes(1), content_type="application/pdf")
        return samaran.salinan_add(entri_id=entri.pk, by=by, upload=copy)
    with transaction.atomic():
        return lifecycle.perform(lifecycle.lock(entri.pk, by=by), action, by=by, note="uji")


def _import_one_row(by):
    """A one-row list of the desk's fields, uploaded and imported by `by` (the import service
    refuses whoever may not import, before anything is kept)."""
    import csv
    import io

    from django.utils import translation

    from dokumen.dik_template import COLUMNS
    from impor import services as impor_services
    from ppid.models import Kantor

    keys = ["title", "summary", "holding_unit", "collected_on"]
    out = io.StringIO()
    with translation.override("id"):
        titles = {c.key: c.title for c in COLUMNS}
    writer = csv.writer(out)
    writer.writerow([titles[k] for k in keys])
    writer.writerow([DESK_DATA[k] for k in keys])
    upload = SimpleUploadedFile("daftar.csv", out.getvalue().encode())
    kantor = Kantor.default() if by is not SYSTEM else None
    if by is SYSTEM or isinstance(by, lifecycle.ByDecree):
        return lifecycle.check(Entri(kantor=Kantor.default()), Action.IMPORT, by)
    impor, _created = impor_services.impor_upload(by=by, upload=upload, kantor=kantor)
    return impor_services.impor_run(impor_id=impor.pk, by=by)


def _doc_type():
    from dokumen.models import JenisDokumen

    return JenisDokumen.objects.get(code="data-pemilih")


def expected_state(action: Action, state):
    target = ACTIONS[action].target
    changes_content = (Action.EDIT, Action.UPLOAD, Action.REMOVE_FILE, Action.ADD_REDACTED)
    if action in changes_content and state in UNDER_APPROVAL:
        return State.DIKLASIFIKASI  # the change voids the round
    return target or state


def logged_as(by) -> dict:
    """How the log row names the actor: a person, the system, or the system for a decree."""
    if isinstance(by, lifecycle.ByDecree):
        return {"by": None, "by_decree": by.decree, "decree_publisher": by.publisher}
    return {"by": by, "by_decree": ""}


CASES = [(a, s) for a in ACTIONS for s in STATES]


@pytest.mark.django_db
@pytest.mark.parametrize("action,state", CASES, ids=[f"{a.value}-{state_id(s)}" for a, s in CASES])
def test_every_actor_through_the_service(action, state):
    wrong = []
    for actor in ACTORS:
        by = make_actor(actor)
        entri = None if state is NEW else ready_in(state)
        before = snapshot(entri) if entri else None
        try:
            take(action, entri, by)
        except ActionRefused:
            allowed = False
            if entri is not None and snapshot(entri) != before:
                wrong.append((actor_id(actor), "a refusal changed the entry"))
        else:
            allowed = True
            if entri is None:
                entri = Entri.objects.get(title=DESK_DATA["title"])
            else:
                entri.refresh_from_db()
            if entri.state != expected_state(action, state or State.DIKUMPULKAN):
                wrong.append((actor_id(actor), f"ended in {entri.state}"))
            logged = TransitionLog.objects.filter(entri=entri, action=action, **logged_as(by))
            if ACTIONS[action].logged and logged.count() != 1:
                wrong.append((actor_id(actor), "no log row naming the action"))
        if allowed != table_allows(action, state, actor):
            wrong.append((actor_id(actor), "allowed" if allowed else "refused"))
        BarisImpor.objects.filter(entri__title=DESK_DATA["title"]).delete()
        Entri.objects.filter(title=DESK_DATA["title"]).delete()
    assert wrong == []


# ---------------------------------------------------------------- the same by POST


def post_for(action: Action, entri, by):
    """The request a page sends for `action`, with the state the page showed."""
    role = next(iter(by.penugasan.values_list("role", flat=True)), Role.PEMBINA.value)
    state = {"state": entri.state}
    if action == Action.CLASSIFY:
        data = {**CLASSIFICATION, "document_type": _doc_type().pk, "period_kind": _period()}
        data["legal_grounds"] = [DasarHukum.objects.get(code="17h").pk]
        return reverse("meja:entri_classify", args=[entri.pk]), {**data, **state}
    if action == Action.EDIT:
        data = {
            "title": entri.title,
            "summary": "Ringkasan baru.",
            "holding_unit": entri.holding_unit,
            "collected_on": entri.collected_on.isoformat(),
            "earlier_designation": entri.earlier_designation,
        }
        return reverse("meja:entri_edit", args=[entri.pk]), {**data, **_classified(entri), **state}
    urls = {
        Action.SUBMIT: ("persetujuan:ajukan_entri", {}),
        Action.WITHDRAW: ("persetujuan:tarik", {"note": ""}),
        Action.RETURN: ("persetujuan:kembalikan", {"role": role, "reason": "Kurang jelas."}),
        Action.APPROVE: ("persetujuan:setujui", {"role": role, "confirm": "on"}),
        Action.ARCHIVE: ("arsip:arsipkan", {}),
        Action.RETURN_TO_DESK: ("meja:entri_return", {"note": "Lengkapi."}),
        Action.PLACE: ("meja:entri_place", {"ordner": make_ordner("Lain").pk}),
        Action.PROPOSE: (
            "usulan:baru",
            {"entri": entri.pk, "nomor_surat": "1/PP/2026", "tanggal_surat": "2026-01-05"},
        ),
    }
    name, data = urls[action]
    if action == Action.PROPOSE:
        return reverse(name), {**data, "tujuan": "KPU Provinsi Sulawesi Selatan"}
    return reverse(name, args=[entri.pk]), {**data, **state}


def _period():
    from dokumen.models import JenisJangkaWaktu

    return JenisJangkaWaktu.objects.get(code="tahun-tetap").pk


def _classified(entri) -> dict:
    if not entri.document_type_id:
        return {}
    return {
        **{k: v for k, v in CLASSIFICATION.items()},
        "document_type": entri.document_type_id,
        "period_kind": entri.period_kind_id,
        "other_law": entri.other_law,
        "legal_grounds": list(entri.legal_grounds.values_list("pk", flat=True)),
        "period_review": "",
    }


POSTED = [
    Action.CLASSIFY,
    Action.SUBMIT,
    Action.WITHDRAW,
    Action.RETURN,
    Action.APPROVE,
    Action.ARCHIVE,
    Action.RETURN_TO_DESK,
    Action.EDIT,
    Action.PLACE,
    Action.PROPOSE,
]
POST_CASES = [(a, s) for a in POSTED for s in State]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action,state", POST_CASES, ids=[f"{a.value}-{s.value}" for a, s in POST_CASES]
)
def test_every_actor_by_post(client, action, state):
    wrong = []
    for actor in PEOPLE:  # people only: the system and a decree post nothing
        by = make_actor(actor)
        entri = ready_in(state)
        before = snapshot(entri)
        place_before = (entri.ordner_id, entri.summary)
        client.force_login(by)
        url, data = post_for(action, entri, by)
        response = client.post(url, data)
        entri.refresh_from_db()
        changed = snapshot(entri) != before or (entri.ordner_id, entri.summary) != place_before
        if response.status_code >= 500:
            wrong.append((actor_id(actor), response.status_code))
        if changed != table_allows(action, state, actor):
            wrong.append((actor_id(actor), "changed" if changed else "unchanged"))
        client.logout()
    assert wrong == []


# ---------------------------------------------------------------- the stale tab


def test_a_stale_classification_form_never_moves_a_submitted_entry(client, ppid):
    """The bug that made this table: classify form open, entry submitted in another tab,
    then "Klasifikasikan" pressed in the first tab without changes."""
    entri = EntriFactory(classified=True, state=State.DIKUMPULKAN)
    client.force_login(ppid)
    first_tab = client.get(reverse("meja:entri_classify", args=[entri.pk]))
    assert 'name="state" value="dikumpulkan"' in first_tab.content.decode()
    services.entri_classify(entri_id=entri.pk, by=ppid)
    approval.entri_submit(entri_id=entri.pk, by=ppid)

    url, data = post_for(Action.CLASSIFY, entri, ppid)
    data["state"] = State.DIKUMPULKAN  # what the first tab showed
    with translation.override("id"):
        response = client.post(url, data, follow=True)
    entri.refresh_from_db()
    assert entri.state == State.DIAJUKAN
    assert Putaran.objects.get(entri=entri, status=Putaran.Status.OPEN)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("meja:entri_detail", args=[entri.pk])
    assert "Entri ini sekarang “diajukan”, jadi “klasifikasikan” tidak dapat dilakukan" in text
    assert "Yang dapat Anda lakukan sekarang: tarik dari persetujuan" in text
    # and without the page's state, the table alone refuses it
    data.pop("state")
    with pytest.raises(ActionRefused, match="“diajukan”"):
        services.entri_classify(entri_id=entri.pk, by=ppid)
    # withdrawal still gets it out
    approval.entri_withdraw(entri_id=entri.pk, by=ppid)
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    assert not Putaran.objects.filter(entri=entri, status=Putaran.Status.OPEN).exists()


def test_a_stale_edit_form_keeps_what_was_typed_and_warns_before_voiding(client, ppid):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    client.force_login(ppid)
    url, data = post_for(Action.EDIT, entri, ppid)  # the page showed “diklasifikasi”
    approval.entri_submit(entri_id=entri.pk, by=ppid)  # meanwhile, in another tab
    with translation.override("id"):
        response = client.post(url, {**data, "summary": "Ringkasan dari tab lama."})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Tidak ada yang diubah" in text and "“diklasifikasi” menjadi “diajukan”" in text
    assert "Ringkasan dari tab lama." in text  # nothing typed is lost
    assert 'name="state" value="diajukan"' in text  # saving again is a deliberate choice
    entri.refresh_from_db()
    assert entri.state == State.DIAJUKAN and entri.summary != "Ringkasan dari tab lama."


def test_the_log_tells_a_return_a_withdrawal_and_a_void_by_edit_apart(ppid, pembina, desk):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    approval.entri_submit(entri_id=entri.pk, by=ppid)
    approval.return_entri(entri_id=entri.pk, by=pembina, role=Role.PEMBINA, reason="Kurang.")
    approval.entri_submit(entri_id=entri.pk, by=ppid)
    approval.entri_withdraw(entri_id=entri.pk, by=ppid)
    approval.entri_submit(entri_id=entri.pk, by=ppid)
    services.entri_update(entri_id=entri.pk, by=desk, data={"summary": "Ringkasan lain."})
    log = list(entri.transitions.values_list("action", "from_state", "to_state", "by"))
    assert log == [
        ("ajukan", "diklasifikasi", "diajukan", ppid.pk),
        ("kembalikan", "diajukan", "diklasifikasi", pembina.pk),
        ("ajukan", "diklasifikasi", "diajukan", ppid.pk),
        ("tarik", "diajukan", "diklasifikasi", ppid.pk),
        ("ajukan", "diklasifikasi", "diajukan", ppid.pk),
        ("batal_karena_ubah", "diajukan", "diklasifikasi", desk.pk),
    ]
    statuses = list(entri.rounds.order_by("number").values_list("status", flat=True))
    assert statuses == ["dikembalikan", "ditarik", "batal"]


def test_refusals_say_why_and_what_can_be_done_in_indonesian(desk, ppid):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    with translation.override("id"):
        with pytest.raises(ActionRefused) as wrong_role:
            approval.entri_submit(entri_id=entri.pk, by=desk)
        assert str(wrong_role.value) == "“ajukan untuk persetujuan” memerlukan peran: PPID."
        with pytest.raises(ActionRefused) as wrong_state:
            archive.entri_archive(entri_id=entri.pk, by=ppid)
        message = str(wrong_state.value)
        assert message.startswith("Entri ini sekarang “diklasifikasi”, jadi “arsipkan” tidak")
        assert "Yang dapat Anda lakukan sekarang: ajukan untuk persetujuan" in message
        with pytest.raises(ActionRefused, match="memerlukan orang"), transaction.atomic():
            lifecycle.perform(entri, Action.CLASSIFY, by=SYSTEM)


def test_actions_for_puts_the_next_step_first(desk, ppid):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    assert [s.action for s in lifecycle.actions_for(entri, ppid)][:2] == [
        Action.SUBMIT,
        Action.EDIT,
    ]
    assert Action.SUBMIT not in [s.action for s in lifecycle.actions_for(entri, desk)]
    collected = EntriFactory()
    assert [s.action for s in lifecycle.actions_for(collected, desk)] == [
        Action.EDIT,
        Action.UPLOAD,
        Action.PLACE,
        Action.PRINT,
    ]  # no file yet: nothing to remove
