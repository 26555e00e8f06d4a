"""The last approval under concurrency (PostgreSQL): the entry is approved exactly once."""

import threading

import pytest
from django.db import connection

from dokumen.models import State, TransitionLog
from persetujuan import services
from persetujuan.models import Persetujuan, Putaran
from ppid.errors import ActionRefused
from ppid.roles import Role
from tests.factories import UserFactory
from tests.persetujuan_setup import ATASAN, PEMBINA, TIM, reseed, submitted_entry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]


@pytest.fixture(autouse=True)
def seeded(transactional_db):
    reseed()


def race(calls):
    """Start every call at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(n, call):
        try:
            barrier.wait()
            call()
            outcomes[n] = "ok"
        except ActionRefused:
            outcomes[n] = "refused"
        except Exception as exc:  # noqa: BLE001 — anything else is the failure we look for
            outcomes[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("attempt", range(3))
def test_last_approvals_at_once_approve_exactly_once(attempt):
    ppid = UserFactory(roles=[Role.PPID])
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=UserFactory(roles=[Role.PEMBINA]), role=PEMBINA)
    tims = [UserFactory(roles=[Role.TIM]) for _ in range(3)]
    atasans = [UserFactory(roles=[Role.ATASAN]) for _ in range(3)]

    def approving(user, role):
        return lambda: services.approve(entri_id=entri.pk, by=user, role=role)

    calls = [approving(u, TIM) for u in tims] + [approving(u, ATASAN) for u in atasans]
    # a double-click: the same atasan twice
    calls.append(approving(atasans[0], ATASAN))
    outcomes = race(calls)

    assert all(o in ("ok", "refused") for o in outcomes), outcomes
    assert outcomes.count("ok") == 2  # one for Tim Pertimbangan, one for Atasan PPID
    entri.refresh_from_db()
    assert entri.state == State.DISETUJUI
    assert (
        TransitionLog.objects.filter(
            entri=entri, from_state=State.DIAJUKAN, to_state=State.DISETUJUI
        ).count()
        == 1
    )
    putaran = Putaran.objects.get(entri=entri)
    assert putaran.status == Putaran.Status.APPROVED
    assert sorted(Persetujuan.objects.filter(putaran=putaran).values_list("role", flat=True)) == [
        ATASAN,
        PEMBINA,
        TIM,
    ]


def test_approve_and_return_at_once_end_in_one_state():
    ppid = UserFactory(roles=[Role.PPID])
    entri = submitted_entry(ppid)
    services.approve(entri_id=entri.pk, by=UserFactory(roles=[Role.PEMBINA]), role=PEMBINA)
    services.approve(entri_id=entri.pk, by=UserFactory(roles=[Role.TIM]), role=TIM)
    atasan1, atasan2 = UserFactory(roles=[Role.ATASAN]), UserFactory(roles=[Role.ATASAN])
    outcomes = race(
        [
            lambda: services.approve(entri_id=entri.pk, by=atasan1, role=ATASAN),
            lambda: services.return_entri(
                entri_id=entri.pk, by=atasan2, role=ATASAN, reason="Belum lengkap."
            ),
        ]
    )
    assert sorted(outcomes) == ["ok", "refused"]
    entri.refresh_from_db()
    transitions = TransitionLog.objects.filter(entri=entri, from_state=State.DIAJUKAN).exclude(
        to_state=State.DIAJUKAN  # the approvals that left the round open
    )
    assert transitions.count() == 1  # one decision ended the round, the other was refused
    assert entri.state in (State.DISETUJUI, State.DIKLASIFIKASI)
    assert Persetujuan.objects.filter(putaran__entri=entri, role=ATASAN).count() == 1
