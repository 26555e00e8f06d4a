"""The full transition matrix of the approval step: every state × every actor × every action.

Each allowed transition passes through its service and writes exactly one log row; every other
combination raises ActionRefused and leaves the entry, its rounds and its log as they were."""

import pytest

from dokumen.models import State, TransitionLog
from persetujuan import services
from persetujuan.models import Persetujuan, Putaran
from ppid.errors import ActionRefused
from ppid.roles import APPROVER_ROLES, Role
from tests.factories import UserFactory
from tests.persetujuan_setup import approve_as, entry_in_state, snapshot

ACTORS = [None, *Role]  # None: a user without any role
ACTIONS = [
    ("submit", None),
    ("withdraw", None),
    *[("return", role) for role in APPROVER_ROLES],
    *[("approve_last", role) for role in APPROVER_ROLES],
]

# (state, actor role, action, action role) → (state after, round status after)
ALLOWED = {
    (State.DIKLASIFIKASI, Role.PPID, "submit", None): (State.DIAJUKAN, Putaran.Status.OPEN),
    (State.DIAJUKAN, Role.PPID, "withdraw", None): (
        State.DIKLASIFIKASI,
        Putaran.Status.WITHDRAWN,
    ),
    **{
        (State.DIAJUKAN, role, "return", role): (State.DIKLASIFIKASI, Putaran.Status.RETURNED)
        for role in APPROVER_ROLES
    },
    **{
        (State.DIAJUKAN, role, "approve_last", role): (State.DISETUJUI, Putaran.Status.APPROVED)
        for role in APPROVER_ROLES
    },
}


def run(action, action_role, entri, actor):
    if action == "submit":
        services.entri_submit(entri_id=entri.pk, by=actor)
    elif action == "withdraw":
        services.entri_withdraw(entri_id=entri.pk, by=actor)
    elif action == "return":
        services.return_entri(
            entri_id=entri.pk, by=actor, role=action_role, reason="Uji konsekuensi belum lengkap."
        )
    else:
        services.approve(entri_id=entri.pk, by=actor, role=action_role)


CASES = [
    (state, actor, action, action_role)
    for state in State
    for actor in ACTORS
    for action, action_role in ACTIONS
]


def case_id(case):
    state, actor, action, action_role = case
    who = actor.name if actor else "tanpa_peran"
    return f"{state.value}-{who}-{action}{'_' + action_role.name if action_role else ''}"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_transition_matrix(case):
    state, actor_role, action, action_role = case
    opener = UserFactory(roles=[Role.PPID])
    entri = entry_in_state(state, opener=opener)
    if state == State.DIAJUKAN and action == "approve_last":
        # every other required role has approved: this decision is the last one
        approve_as(entri, *[r for r in APPROVER_ROLES if r != action_role])
    actor = UserFactory(roles=[actor_role] if actor_role else [])
    before = snapshot(entri)
    logs_before = before[1]

    expected = ALLOWED.get((state, actor_role, action, action_role))
    if expected is None:
        with pytest.raises(ActionRefused) as refused:
            run(action, action_role, entri, actor)
        assert str(refused.value)
        assert snapshot(entri) == before
        return

    run(action, action_role, entri, actor)
    entri.refresh_from_db()
    to_state, round_status = expected
    assert entri.state == to_state
    log = TransitionLog.objects.filter(entri=entri).order_by("-pk").first()
    # the last approval is logged as the role's approval, then as the round's completion
    rows = 2 if action == "approve_last" else 1
    assert TransitionLog.objects.filter(entri=entri).count() == logs_before + rows
    assert (log.from_state, log.to_state, log.by) == (state, to_state, actor)
    latest = Putaran.objects.filter(entri=entri).order_by("-number").first()
    assert latest.status == round_status
    if action in ("return", "approve_last"):
        decision = Persetujuan.objects.get(putaran=latest, role=action_role.value)
        assert decision.by == actor


def test_matrix_is_complete():
    assert len(CASES) == len(State) * len(ACTORS) * len(ACTIONS)
    assert len(ALLOWED) == 8
