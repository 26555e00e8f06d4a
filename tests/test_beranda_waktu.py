"""SOP time standard on the staff dashboard: age in the current step, late collection, who waits."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dokumen.models import Entri, State
from ppid.models import SiteProfile
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db


def aged(days, state=State.DIKUMPULKAN, **kwargs):
    entri = EntriFactory(
        state=state,
        classified=state != State.DIKUMPULKAN,
        collected_on=timezone.localdate() - datetime.timedelta(days=days),
        **kwargs,
    )
    Entri.objects.filter(pk=entri.pk).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=days)
    )
    return entri


def test_age_in_step_and_late_collection_flagged(client, desk):
    aged(20, title="Dikumpulkan sejak lama")
    aged(3, title="Baru dikumpulkan")
    aged(30, state=State.DIAJUKAN, title="Menunggu persetujuan")
    aged(40, state=State.DITETAPKAN, title="Sudah ditetapkan")
    client.force_login(desk)
    html = client.get(reverse("meja:beranda")).content.decode()
    assert "Lama di tahap sekarang" in html
    assert "Standar waktu SOP: pengumpulan (langkah 1) paling lama 14 hari." in html
    assert "1 pengumpulan melewati standar" in html
    assert html.count("pengumpulan lebih dari 14 hari") == 1
    assert "20 hari" in html and "3 hari" in html and "30 hari" in html
    # oldest first; an entry in force is not waiting in a step
    assert html.index("Menunggu persetujuan") < html.index("Dikumpulkan sejak lama")
    assert "Sudah ditetapkan" not in html
    # only the PPID sees what waits on whom
    assert "Siapa yang ditunggu" not in html


def test_collection_age_counts_from_the_day_collected(client, desk):
    """The desk may type in a collection days later: step 1's clock started on collection."""
    EntriFactory(
        title="Dicatat hari ini",
        collected_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    client.force_login(desk)
    html = client.get(reverse("meja:beranda")).content.decode()
    row = html[html.index("Dicatat hari ini") :]
    row = row[: row.index("</tr>")]
    assert "20 hari" in row
    assert "pengumpulan lebih dari 14 hari" in row


def test_ppid_sees_what_waits_on_whom(client, ppid):
    aged(2, state=State.DIAJUKAN)
    aged(2, state=State.DIAJUKAN)
    aged(1, state=State.DIARSIPKAN)
    client.force_login(ppid)
    html = client.get(reverse("meja:beranda")).content.decode()
    assert "Siapa yang ditunggu" in html
    assert "Pembina PPID, Tim Pertimbangan, Atasan PPID" in html
    assert "KPU RI, lalu PPID" in html
    row = html[html.index("Siapa yang ditunggu") :]
    assert '<td data-label="Entri">2</td>' in row


@pytest.mark.parametrize("size", [3, 30])
def test_dashboard_query_count_does_not_grow(client, ppid, django_assert_num_queries, size):
    SiteProfile.current()
    for n in range(size):
        aged(n, state=[State.DIKUMPULKAN, State.DIAJUKAN, State.DISETUJUI][n % 3])
    client.force_login(ppid)
    client.get(reverse("meja:beranda"))
    # session, user, roles, site profile, counts, aging list, late collections, failed mail (no
    # review count: the PPID never decides)
    with django_assert_num_queries(8):
        response = client.get(reverse("meja:beranda"))
    assert response.status_code == 200


def test_demo_entries_reached_their_steps_on_different_days(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=io.StringIO())
    later_steps = Entri.objects.exclude(state=State.DIKUMPULKAN)
    first = dict(later_steps.values_list("pk", "state_changed_at"))
    today = timezone.localdate()
    assert all(timezone.localdate(when) < today for when in first.values())
    assert len({when.date() for when in first.values()}) > 3
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=io.StringIO())
    assert dict(later_steps.values_list("pk", "state_changed_at")) == first
