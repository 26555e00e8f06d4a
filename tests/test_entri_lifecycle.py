"""The transition map: check_move allows exactly what dokumen.lifecycle.TRANSITIONS says."""

import itertools

import pytest
from django.utils import translation

from dokumen.lifecycle import SYSTEM, TRANSITIONS, allowed_targets, check_move
from dokumen.models import Entri, State
from ppid.errors import ActionRefused
from ppid.roles import Role

ACTORS = [*Role, SYSTEM, "no role"]
PAIRS = list(itertools.product(State, State))


def actor_user(user_with, actor):
    if actor is SYSTEM:
        return SYSTEM
    if actor == "no role":
        return user_with()
    return user_with(actor)


def may(entri_state, to, by) -> bool:
    try:
        check_move(Entri(state=entri_state), to=to, by=by)
    except ActionRefused:
        return False
    return True


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS, ids=[str(a) for a in ACTORS])
def test_check_move_follows_the_map_for_every_pair(user_with, actor):
    by = actor_user(user_with, actor)
    wrong = []
    for frm, to in PAIRS:
        expected = (frm, to) in TRANSITIONS and actor in TRANSITIONS[(frm, to)]
        if may(frm, to, by) != expected:
            wrong.append((frm.value, to.value, expected))
    assert wrong == []


def test_the_dokumen_steps_of_the_map():
    """SOP steps 1–2: only the PPID classifies and returns; nothing else leaves “collected”."""
    touching_collected = {k: v for k, v in TRANSITIONS.items() if State.DIKUMPULKAN in k}
    assert touching_collected == {
        (State.DIKUMPULKAN, State.DIKLASIFIKASI): frozenset({Role.PPID}),
        (State.DIKLASIFIKASI, State.DIKUMPULKAN): frozenset({Role.PPID}),
    }
    assert allowed_targets(State.DIKUMPULKAN) == [State.DIKLASIFIKASI]


@pytest.mark.django_db
def test_refusals_say_why_in_indonesian(desk, ppid):
    with translation.override("id"):
        with pytest.raises(ActionRefused) as out_of_order:
            check_move(Entri(state=State.DIKUMPULKAN), to=State.DISETUJUI, by=ppid)
        assert str(out_of_order.value) == (
            "Entri yang berstatus “dikumpulkan” tidak dapat menjadi “disetujui”: "
            "alur kegiatan SOP wajib diikuti."
        )
        with pytest.raises(ActionRefused) as wrong_role:
            check_move(Entri(state=State.DIKUMPULKAN), to=State.DIKLASIFIKASI, by=desk)
        assert str(wrong_role.value) == (
            "Memindahkan entri dari “dikumpulkan” ke “diklasifikasi” memerlukan peran: PPID."
        )
        with pytest.raises(ActionRefused, match="harus dilakukan oleh petugas"):
            check_move(Entri(state=State.DIKUMPULKAN), to=State.DIKLASIFIKASI, by=SYSTEM)
