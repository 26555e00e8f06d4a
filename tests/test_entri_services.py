"""Services of SOP steps 1–3: collect, edit, classify, return to the desk, place the hardcopy."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from dokumen import services
from dokumen.lifecycle import moved
from dokumen.models import (
    Action,
    ArchiveCounter,
    DasarHukum,
    Entri,
    JenisDokumen,
    JenisJangkaWaktu,
    State,
    TempatSimpan,
    TransitionLog,
)
from ppid.errors import ActionRefused
from ppid.models import Kantor
from tests.factories import EntriFactory, make_ordner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indonesian")]

DESK_DATA = {
    "title": "Daftar riwayat hidup calon anggota KPPS",
    "summary": "Memuat NIK dan alamat rumah.",
    "holding_unit": "Subbagian Teknis",
    "collected_on": datetime.date(2026, 3, 14),
    "earlier_designation": "Keputusan KPU Nomor 32/Kpts/KPU/2016",
}


@pytest.fixture
def indonesian():
    with translation.override("id"):
        yield


def classification_data(**overrides):
    data = {
        "document_type": JenisDokumen.objects.get(code="data-pemilih"),
        "other_law": "",
        "test_material": "Data pribadi pemilih.",
        "test_harm": "Mengungkap rahasia pribadi.",
        "test_law": "UU 14/2008 Pasal 17 huruf h.",
        "test_public_interest": "Transparansi daftar pemilih.",
        "test_weighing": "Kerugian lebih besar daripada manfaat.",
        "test_conclusion": "dikecualikan",
        "period_kind": JenisJangkaWaktu.objects.get(code="tahun-tetap"),
        "period_years": 5,
        "period_wording": "5 (lima) tahun sejak ditetapkan",
        "period_start": datetime.date(2026, 1, 2),
        "period_review": datetime.date(2027, 1, 2),
    }
    data.update(overrides)
    return data


def grounds(*codes):
    return list(DasarHukum.objects.filter(code__in=codes))


# ---------------------------------------------------------------- create (the desk's Formulir)


def test_desk_collects_an_entry(desk):
    entri = services.entri_create(by=desk, data=DESK_DATA)
    entri.refresh_from_db()
    assert entri.state == State.DIKUMPULKAN
    assert entri.collected_by == desk
    assert entri.title == DESK_DATA["title"]
    log = TransitionLog.objects.get(entri=entri)
    assert (log.from_state, log.to_state, log.by) == ("", State.DIKUMPULKAN, desk)
    created = entri.history.get()
    assert (created.history_type, created.history_user) == ("+", desk)


def test_ppid_may_collect_too(ppid):
    assert services.entri_create(by=ppid, data=DESK_DATA).collected_by == ppid


@pytest.mark.parametrize("role_fixture", ["no_role", "pembina", "tim", "atasan"])
def test_only_desk_and_ppid_collect(request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(ActionRefused, match="memerlukan peran"):
        services.entri_create(by=user, data=DESK_DATA)
    assert not Entri.objects.exists()


def test_collecting_refuses_classification_fields(desk):
    with pytest.raises(ActionRefused, match="hanya isian informasi"):
        services.entri_create(by=desk, data={**DESK_DATA, "test_harm": "x"})
    assert not Entri.objects.exists()


def test_collecting_without_title_and_unit_is_a_field_error(desk):
    with pytest.raises(ValidationError) as exc:
        services.entri_create(by=desk, data={**DESK_DATA, "title": "", "holding_unit": ""})
    assert set(exc.value.message_dict) == {"title", "holding_unit"}
    assert not Entri.objects.exists()
    assert not TransitionLog.objects.exists()


# ---------------------------------------------------------------- update


def test_desk_edits_the_information_and_history_records_who(desk):
    entri = EntriFactory()
    services.entri_update(entri_id=entri.pk, by=desk, data={"summary": "Ringkasan baru."})
    latest = entri.history.first()
    assert latest.summary == "Ringkasan baru."
    assert latest.history_user == desk
    assert latest.prev_record.summary != "Ringkasan baru."


def test_saving_unchanged_values_records_nothing(ppid):
    entri = EntriFactory(classified=True)
    fresh = Entri.objects.get(pk=entri.pk)
    data = {f: getattr(fresh, f) for f in services.DESK_FIELDS + services.CLASSIFICATION_FIELDS}
    before = (entri.history.count(), fresh.updated_at)
    sent = []

    def listener(**kwargs):
        sent.append(kwargs)

    moved.connect(listener)
    try:
        services.entri_update(
            entri_id=entri.pk, by=ppid, data=data, legal_grounds=fresh.legal_grounds.all()
        )
    finally:
        moved.disconnect(listener)
    fresh.refresh_from_db()
    assert (entri.history.count(), fresh.updated_at) == before
    assert sent == []


def test_changing_grounds_and_fields_is_one_history_row(ppid):
    entri = EntriFactory(classified=True, grounds=["17h"])
    rows = entri.history.count()
    services.entri_update(
        entri_id=entri.pk,
        by=ppid,
        data={"test_harm": "Kerugian yang lebih jelas."},
        legal_grounds=grounds("17j", "17i"),  # one removed, two added
    )
    assert entri.history.count() == rows + 1
    latest = entri.history.first()
    assert latest.test_harm == "Kerugian yang lebih jelas."
    assert set(latest.legal_grounds.values_list("dasarhukum__code", flat=True)) == {"17i", "17j"}
    assert set(latest.prev_record.legal_grounds.values_list("dasarhukum__code", flat=True)) == {
        "17h"
    }


def test_desk_cannot_change_the_classification(desk):
    entri = EntriFactory(classified=True)
    with pytest.raises(ActionRefused, match="Hanya PPID yang mengklasifikasi"):
        services.entri_update(entri_id=entri.pk, by=desk, data={"test_harm": "lain"})
    with pytest.raises(ActionRefused, match="Hanya PPID yang mengklasifikasi"):
        services.entri_update(entri_id=entri.pk, by=desk, data={}, legal_grounds=grounds("17j"))
    entri.refresh_from_db()
    assert entri.test_harm == "Mengungkap rahasia pribadi."


def test_approvers_do_not_edit(pembina):
    hidden = EntriFactory()  # collected: not even visible to an approver
    with pytest.raises(ActionRefused, match="tidak ada atau tidak tersedia"):
        services.entri_update(entri_id=hidden.pk, by=pembina, data={"title": "x"})
    seen = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    with pytest.raises(ActionRefused, match="memerlukan peran"):
        services.entri_update(entri_id=seen.pk, by=pembina, data={"title": "x"})


def test_unknown_fields_are_refused(ppid):
    entri = EntriFactory()
    with pytest.raises(ActionRefused, match="state"):
        services.entri_update(entri_id=entri.pk, by=ppid, data={"state": State.DITETAPKAN})
    entri.refresh_from_db()
    assert entri.state == State.DIKUMPULKAN


@pytest.mark.parametrize("state", [State.DIARSIPKAN, State.DITETAPKAN, State.TIDAK_BERLAKU])
def test_read_only_states_refuse_edits(ppid, state):
    entri = EntriFactory(classified=True, state=state)
    with pytest.raises(ActionRefused, match="hanya dapat dibaca") as exc:
        services.entri_update(entri_id=entri.pk, by=ppid, data={"title": "baru"})
    assert str(State(state).label) in str(exc.value)
    entri.refresh_from_db()
    assert entri.title != "baru"


def test_a_classified_entry_stays_complete(ppid):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    with pytest.raises(ValidationError) as exc:
        services.entri_update(entri_id=entri.pk, by=ppid, data={"test_harm": "  "})
    assert exc.value.message_dict == {
        "test_harm": ["Uraikan potensi konsekuensi bahaya akibat dibukanya informasi."]
    }
    entri.refresh_from_db()
    assert entri.test_harm == "Mengungkap rahasia pribadi."


def test_editing_a_submitted_entry_needs_a_new_round(desk):
    entri = EntriFactory(classified=True, state=State.DIAJUKAN)
    sent = []

    def listener(**kwargs):
        sent.append(kwargs)

    moved.connect(listener)
    try:
        services.entri_update(entri_id=entri.pk, by=desk, data={"title": "Judul diperbaiki"})
    finally:
        moved.disconnect(listener)
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    assert entri.state_action == Action.VOID_BY_EDIT
    last = entri.transitions.last()
    assert (last.action, last.by) == (Action.VOID_BY_EDIT, desk)
    assert [kw["step"].action for kw in sent] == [Action.VOID_BY_EDIT]


def test_fixed_period_sets_its_end(ppid):
    entri = EntriFactory()
    services.entri_update(
        entri_id=entri.pk,
        by=ppid,
        data={
            "period_kind": JenisJangkaWaktu.objects.get(code="tahun-tetap"),
            "period_years": 4,
            "period_start": datetime.date(2024, 2, 29),
        },
    )
    entri.refresh_from_db()
    assert entri.period_end == datetime.date(2028, 2, 29)


# ---------------------------------------------------------------- classify


def test_ppid_classifies(ppid):
    entri = EntriFactory()
    services.entri_classify(
        entri_id=entri.pk, by=ppid, data=classification_data(), legal_grounds=grounds("17h")
    )
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    assert list(entri.legal_grounds.values_list("code", flat=True)) == ["17h"]
    log = entri.transitions.last()
    assert (log.from_state, log.to_state, log.by, log.note) == (
        State.DIKUMPULKAN,
        State.DIKLASIFIKASI,
        ppid,
        "Diklasifikasi",
    )


def test_classifying_an_empty_entry_names_every_missing_field(ppid):
    entri = EntriFactory()
    with pytest.raises(ValidationError) as exc:
        services.entri_classify(entri_id=entri.pk, by=ppid)
    errors = exc.value.message_dict
    assert set(errors) == {
        "document_type",
        "legal_grounds",
        "test_material",
        "test_harm",
        "test_law",
        "test_public_interest",
        "test_weighing",
        "test_conclusion",
        "period_kind",
        "period_wording",
        "period_start",
    }
    assert errors["document_type"] == ["Pilih jenis dokumen."]
    entri.refresh_from_db()
    assert entri.state == State.DIKUMPULKAN


def test_a_refused_classification_saves_nothing(ppid):
    entri = EntriFactory()
    rows = entri.history.count()
    with pytest.raises(ValidationError) as exc:
        services.entri_classify(
            entri_id=entri.pk,
            by=ppid,
            data=classification_data(test_weighing=""),
            legal_grounds=grounds("17h"),
        )
    assert list(exc.value.message_dict) == ["test_weighing"]
    entri.refresh_from_db()
    assert entri.document_type is None
    assert not entri.legal_grounds.exists()
    assert entri.history.count() == rows


@pytest.mark.parametrize("code", ["17a", "17c", "17f2"])
def test_grounds_a_to_f_are_never_unlimited(ppid, code):
    entri = EntriFactory()
    with pytest.raises(ValidationError) as exc:
        services.entri_classify(
            entri_id=entri.pk,
            by=ppid,
            data=classification_data(
                period_kind=JenisJangkaWaktu.objects.get(code="tidak-terbatas"), period_years=None
            ),
            legal_grounds=grounds(code, "17j"),
        )
    errors = exc.value.message_dict
    assert list(errors) == ["period_kind"]
    assert "tidak bersifat permanen" in errors["period_kind"][0]
    assert DasarHukum.objects.get(code=code).citation in errors["period_kind"][0]
    assert "17 huruf j" not in errors["period_kind"][0]


def test_grounds_g_to_j_may_be_unlimited(ppid):
    entri = EntriFactory()
    services.entri_classify(
        entri_id=entri.pk,
        by=ppid,
        data=classification_data(
            period_kind=JenisJangkaWaktu.objects.get(code="tidak-terbatas"), period_years=None
        ),
        legal_grounds=grounds("17j"),
    )
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    assert entri.period_end is None


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"period_years": None}, "period_years", "jumlah tahun"),
        ({"test_conclusion": "terbuka"}, "test_conclusion", "tidak dikecualikan"),
        ({"period_review": datetime.date(2025, 1, 1)}, "period_review", "sebelum"),
        ({"period_start": None, "period_review": None}, "period_start", "tanggal mulai"),
    ],
)
def test_classification_rules_are_field_errors(ppid, overrides, field, text):
    entri = EntriFactory()
    with pytest.raises(ValidationError) as exc:
        services.entri_classify(
            entri_id=entri.pk,
            by=ppid,
            data=classification_data(**overrides),
            legal_grounds=grounds("17h"),
        )
    errors = exc.value.message_dict
    assert list(errors) == [field]
    assert text in errors[field][0]


def test_desk_does_not_classify(desk):
    entri = EntriFactory(classified=True)
    with pytest.raises(ActionRefused, match="memerlukan peran: PPID"):
        services.entri_classify(entri_id=entri.pk, by=desk)
    entri.refresh_from_db()
    assert entri.state == State.DIKUMPULKAN


def test_classifying_twice_is_refused(ppid):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    with pytest.raises(ActionRefused, match="tidak dapat dilakukan"):
        services.entri_classify(entri_id=entri.pk, by=ppid)


# ---------------------------------------------------------------- return to the desk


def test_ppid_returns_a_classified_entry_to_the_desk(ppid):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    services.entri_return_to_desk(entri_id=entri.pk, by=ppid, note="Ringkasan kurang jelas")
    entri.refresh_from_db()
    assert entri.state == State.DIKUMPULKAN
    assert entri.transitions.last().note == "Ringkasan kurang jelas"


def test_returning_without_a_note_says_so(ppid):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    services.entri_return_to_desk(entri_id=entri.pk, by=ppid)
    assert entri.transitions.last().note == "Dikembalikan ke desk"


def test_desk_does_not_return(desk):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    with pytest.raises(ActionRefused, match="PPID"):
        services.entri_return_to_desk(entri_id=entri.pk, by=desk)
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI


def test_a_collected_entry_cannot_be_returned(ppid):
    entri = EntriFactory()
    with pytest.raises(ActionRefused, match="tidak dapat dilakukan"):
        services.entri_return_to_desk(entri_id=entri.pk, by=ppid)


# ---------------------------------------------------------------- hardcopy place


def test_placing_takes_running_archive_numbers(desk):
    ordner = make_ordner()
    first, second, third = EntriFactory(), EntriFactory(), EntriFactory()
    numbers = [
        services.entri_place(entri_id=e.pk, by=desk, ordner_id=ordner.pk).archive_number
        for e in (second, first, third)
    ]
    assert numbers == [1, 2, 3]
    second.refresh_from_db()
    assert second.archive_code == "00001"
    assert second.ordner == ordner
    assert second.history.first().history_change_reason == "Hardcopy ditempatkan di ordner"


def test_moving_the_hardcopy_keeps_its_number(desk):
    entri = EntriFactory()
    first = make_ordner("Ordner A")
    other = make_ordner("Ordner B")
    services.entri_place(entri_id=entri.pk, by=desk, ordner_id=first.pk)
    rows = entri.history.count()
    services.entri_place(entri_id=entri.pk, by=desk, ordner_id=first.pk)  # same place: no change
    assert entri.history.count() == rows
    moved = services.entri_place(entri_id=entri.pk, by=desk, ordner_id=other.pk)
    assert (moved.archive_number, moved.ordner) == (1, other)
    assert ArchiveCounter.objects.get().last_number == 1


def test_a_number_is_never_reused(desk):
    ordner = make_ordner()
    # numbers 1–41 were given before, in this office
    ArchiveCounter.objects.create(kantor=Kantor.default(), last_number=41)
    entri = EntriFactory()
    assert (
        services.entri_place(entri_id=entri.pk, by=desk, ordner_id=ordner.pk).archive_number == 42
    )


def test_archive_numbers_are_unique_in_the_database(desk):
    ordner = make_ordner()
    entri = services.entri_place(entri_id=EntriFactory().pk, by=desk, ordner_id=ordner.pk)
    other = EntriFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Entri.objects.filter(pk=other.pk).update(archive_number=entri.archive_number)


def test_only_a_binder_holds_hardcopy(desk):
    make_ordner()
    box = TempatSimpan.objects.get(level=TempatSimpan.Level.BOKS)
    entri = EntriFactory()
    with pytest.raises(ActionRefused, match="ordner"):
        services.entri_place(entri_id=entri.pk, by=desk, ordner_id=box.pk)
    entri.refresh_from_db()
    assert entri.archive_number is None
    assert not ArchiveCounter.objects.filter(last_number__gt=0).exists()


def test_a_lapsed_entry_keeps_its_place(ppid):
    entri = EntriFactory(classified=True, state=State.TIDAK_BERLAKU)
    with pytest.raises(ActionRefused, match="sekarang “tidak berlaku”"):
        services.entri_place(entri_id=entri.pk, by=ppid, ordner_id=make_ordner().pk)


@pytest.mark.parametrize("role_fixture", ["no_role", "pembina"])
def test_only_desk_and_ppid_place(request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    entri = EntriFactory()
    # an approver does not see a collected entry at all: refused like a missing one
    with pytest.raises(ActionRefused, match="memerlukan peran|tidak ada atau tidak tersedia"):
        services.entri_place(entri_id=entri.pk, by=user, ordner_id=make_ordner().pk)
