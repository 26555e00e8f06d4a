"""`manage.py demo` shows the approval step, and running it twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from dokumen.models import Entri, State, TransitionLog
from persetujuan.demo import APPROVED_TITLES, PARTIAL, READY, RETURN_REASON, RETURNED
from persetujuan.models import Persetujuan, Putaran
from persetujuan.selectors import queue_for

pytestmark = pytest.mark.django_db


def counts():
    return (
        Entri.objects.count(),
        TransitionLog.objects.count(),
        Putaran.objects.count(),
        Persetujuan.objects.count(),
        sorted(Entri.objects.values_list("title", "state")),
    )


def test_demo_shows_every_step_of_approval_and_is_idempotent(django_user_model, mailoutbox):
    call_command("demo", stdout=io.StringIO())
    first = counts()
    call_command("demo", stdout=io.StringIO())
    assert counts() == first

    approved = Entri.objects.filter(title__in=APPROVED_TITLES)
    assert approved.count() == 2
    # the publication demo takes approved entries on to the archive and the decree
    assert {e.state for e in approved} <= {State.DISETUJUI, State.DIARSIPKAN, State.DITETAPKAN}
    assert Entri.objects.filter(state=State.DISETUJUI).exists()
    for entri in approved:
        assert entri.rounds.get().status == Putaran.Status.APPROVED

    partial = Entri.objects.get(title=PARTIAL["desk"]["title"])
    assert partial.state == State.DIAJUKAN
    assert list(partial.rounds.get().decisions.values_list("role", flat=True)) == ["Pembina PPID"]

    returned = Entri.objects.get(title=RETURNED["desk"]["title"])
    assert returned.state == State.DIAJUKAN
    rounds = list(returned.rounds.order_by("number"))
    assert [r.status for r in rounds] == [Putaran.Status.RETURNED, Putaran.Status.OPEN]
    assert rounds[0].decisions.get().reason == RETURN_REASON

    for spec in READY:
        assert Entri.objects.get(title=spec["desk"]["title"]).state == State.DIKLASIFIKASI

    users = {u.username: u for u in django_user_model.objects.all()}
    assert list(queue_for(users["pembina"])) == [returned]
    assert set(queue_for(users["tim1"])) == {partial, returned}
    assert set(queue_for(users["tim2"])) == {partial, returned}
    assert set(queue_for(users["atasan"])) == {partial, returned}
    assert list(queue_for(users["ppid"])) == []
