"""The demo shows the entry steps: collected (one past the two-week standard), classified, history."""

import datetime
import io

import pytest

from dokumen import demo as dokumen_demo
from dokumen.models import Entri, State, TransitionLog
from ppid import demo as ppid_demo

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    return dokumen_demo.load(ppid_demo.load(out), out)


def test_the_demo_shows_each_entry_step_and_runs_twice_without_duplicates():
    load()
    counts = (Entri.objects.count(), TransitionLog.objects.count(), Entri.history.count())
    load()
    assert (Entri.objects.count(), TransitionLog.objects.count(), Entri.history.count()) == counts

    two_weeks_ago = datetime.date.today() - datetime.timedelta(days=14)
    collected = Entri.objects.filter(state=State.DIKUMPULKAN)
    assert collected.filter(collected_on__lt=two_weeks_ago).exists()
    assert collected.filter(collected_on__gte=two_weeks_ago).exists()
    classified = Entri.objects.filter(state=State.DIKLASIFIKASI)
    assert classified.filter(archive_number__isnull=False).exists()
    assert classified.filter(archive_number__isnull=True).exists()
    # edits after collecting, so the entry page has a history to show
    edited = [e for e in Entri.objects.all() if e.history.filter(history_type="~").exists()]
    assert any(e.state == State.DIKUMPULKAN for e in edited)
