"""The daily end-of-period command: fixed periods end, conditional ones are listed for review."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from dokumen.models import Entri, JenisJangkaWaktu, State, TransitionLog
from tests.archive_fixtures import seed_reference_data
from tests.factories import EntriFactory


def in_force(**kwargs):
    today = timezone.localdate()
    start = kwargs.pop("start", today - datetime.timedelta(days=6 * 365))
    years = kwargs.pop("years", 5)
    return EntriFactory(
        classified=True,
        state=kwargs.pop("state", State.DITETAPKAN),
        period_start=start,
        period_years=years,
        period_end=kwargs.pop("end", start.replace(year=start.year + years)),
        **kwargs,
    )


def run() -> str:
    out = io.StringIO()
    call_command("dik_kedaluwarsa", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_an_ended_period_makes_the_entry_no_longer_exempted():
    ended = in_force(title="Periode sudah lewat")
    output = run()
    ended.refresh_from_db()
    assert ended.state == State.TIDAK_BERLAKU
    log = TransitionLog.objects.get(entri=ended, to_state=State.TIDAK_BERLAKU)
    assert log.by is None and log.from_state == State.DITETAPKAN
    assert "Jangka waktu pengecualian berakhir" in log.note
    assert "Periode sudah lewat" in output
    assert "1 entri mencapai akhir jangka waktunya." in output


@pytest.mark.django_db
def test_running_twice_moves_once():
    ended = in_force()
    run()
    output = run()
    assert TransitionLog.objects.filter(entri=ended, to_state=State.TIDAK_BERLAKU).count() == 1
    assert "0 entri mencapai akhir jangka waktunya." in output


@pytest.mark.django_db
def test_entries_whose_period_has_not_passed_stay():
    today = timezone.localdate()
    running = in_force(start=today - datetime.timedelta(days=365))
    ends_today = in_force(end=today)
    conditional = EntriFactory(
        classified=True,
        state=State.DITETAPKAN,
        period_kind=JenisJangkaWaktu.objects.get(code="sampai-kondisi"),
        period_years=None,
        period_end=None,
        period_start=today - datetime.timedelta(days=4000),
    )
    archived_only = in_force(state=State.DIARSIPKAN)  # not in force yet: not ours to end
    run()
    for entri in (running, ends_today, conditional, archived_only):
        before = entri.state
        entri.refresh_from_db()
        assert entri.state == before
    assert not TransitionLog.objects.filter(to_state=State.TIDAK_BERLAKU).exists()


@pytest.mark.django_db
def test_overdue_reviews_of_conditional_periods_are_listed():
    today = timezone.localdate()
    overdue = EntriFactory(
        classified=True,
        state=State.DITETAPKAN,
        title="Daftar pemilih dengan NIK utuh",
        period_kind=JenisJangkaWaktu.objects.get(code="sampai-kondisi"),
        period_years=None,
        period_review=today - datetime.timedelta(days=3),
    )
    EntriFactory(
        classified=True,
        state=State.DITETAPKAN,
        title="Belum waktunya ditinjau",
        period_kind=JenisJangkaWaktu.objects.get(code="sampai-peristiwa"),
        period_years=None,
        period_review=today + datetime.timedelta(days=30),
    )
    output = run()
    assert "Tinjauan terlambat" in output and overdue.title in output
    assert "Belum waktunya ditinjau" not in output


@pytest.mark.django_db
def test_review_list_on_the_publication_page(client, desk):
    today = timezone.localdate()
    EntriFactory(
        classified=True,
        state=State.DITETAPKAN,
        title="Identitas pelapor pelanggaran",
        period_kind=JenisJangkaWaktu.objects.get(code="sampai-peristiwa"),
        period_years=None,
        period_wording="Sampai putusan berkekuatan hukum tetap",
        period_review=today - datetime.timedelta(days=1),
    )
    in_force(title="Periode tetap tidak ditinjau di sini", start=today)
    client.force_login(desk)
    html = client.get(reverse("publikasi_staf:index")).content.decode()
    assert "Identitas pelapor pelanggaran" in html
    assert "Sampai putusan berkekuatan hukum tetap" in html
    assert "tinjauan terlambat" in html
    assert "Periode tetap tidak ditinjau di sini" not in html


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_do_not_collide():
    """PostgreSQL: an entry another run holds is skipped, then ended once by whoever gets it."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL")
    seed_reference_data()  # an earlier transactional test may have flushed it
    held, other = in_force(), in_force()
    locked, release = threading.Event(), threading.Event()

    def hold_row():
        with transaction.atomic():
            Entri.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=hold_row)
    thread.start()
    locked.wait(10)
    try:
        run()  # must not wait for the held row
        held.refresh_from_db()
        other.refresh_from_db()
        assert held.state == State.DITETAPKAN
        assert other.state == State.TIDAK_BERLAKU
    finally:
        release.set()
        thread.join()
    run()
    held.refresh_from_db()
    assert held.state == State.TIDAK_BERLAKU
    assert TransitionLog.objects.filter(to_state=State.TIDAK_BERLAKU).count() == 2
