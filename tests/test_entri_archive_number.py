"""Archive numbers under concurrency: parallel placements on PostgreSQL never share a number."""

import threading

import pytest
from django.db import connection

from dokumen import services
from dokumen.models import ArchiveCounter, Entri
from ppid.models import Kantor
from ppid.roles import Role, roles_of
from tests.factories import EntriFactory, UserFactory, make_ordner
from tests.persetujuan_setup import reseed

PARALLEL = 8

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are only real on PostgreSQL"
    ),
    # threads see only committed rows. An earlier transactional test (the browser tests) may
    # have flushed the seeded groups, so this test makes what it needs itself.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def desk():
    reseed()
    return UserFactory(username="desk-paralel", roles=[Role.DESK])


def place_all_at_once(entries, ordners, by):
    barrier = threading.Barrier(len(entries))
    numbers, errors = [], []

    def place(entri, ordner):
        try:
            barrier.wait(timeout=30)
            numbers.append(
                services.entri_place(entri_id=entri.pk, by=by, ordner_id=ordner.pk).archive_number
            )
        except Exception as exc:  # reported below with the numbers
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=place, args=(entri, ordners[n % len(ordners)]))
        for n, entri in enumerate(entries)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return numbers, errors


@pytest.mark.parametrize("counter_exists", [False, True], ids=["first-ever", "running"])
def test_parallel_placements_get_distinct_running_numbers(desk, counter_exists):
    if counter_exists:
        ArchiveCounter.objects.create(kantor=Kantor.default(), last_number=100)
    start = 100 if counter_exists else 0
    roles_of(desk)  # roles read once, before the threads share the user
    ordners = [make_ordner("Ordner A"), make_ordner("Ordner B")]
    entries = [EntriFactory(collected_by=desk) for _ in range(PARALLEL)]

    numbers, errors = place_all_at_once(entries, ordners, desk)

    assert errors == []
    assert sorted(numbers) == list(range(start + 1, start + PARALLEL + 1))
    stored = sorted(Entri.objects.values_list("archive_number", flat=True))
    assert stored == list(range(start + 1, start + PARALLEL + 1))
    assert ArchiveCounter.objects.get().last_number == start + PARALLEL


@pytest.mark.parametrize("counter_exists", [False, True], ids=["first-ever", "running"])
def test_two_offices_placing_at_once_each_number_their_own_series(desk, counter_exists):
    """Pinrang and Sidrap place binders at the same moment: each office's numbers run on
    from its own counter, without a gap or a number shared, and neither waits on the other's
    series being taken wrongly."""
    pinrang, sidrap = Kantor.default(), Kantor.objects.get(slug="kab-sidenreng-rappang")
    if counter_exists:
        ArchiveCounter.objects.create(kantor=pinrang, last_number=100)
        ArchiveCounter.objects.create(kantor=sidrap, last_number=7)
    starts = {pinrang.pk: 100, sidrap.pk: 7} if counter_exists else {pinrang.pk: 0, sidrap.pk: 0}
    sidrap_desk = UserFactory(username="desk-sidrap-paralel", roles=[Role.DESK])
    sidrap_desk.penugasan.update(kantor=sidrap)
    people = {pinrang.pk: desk, sidrap.pk: sidrap_desk}
    for user in people.values():
        roles_of(user)  # roles read once, before the threads share the users
    ordners = {
        pinrang.pk: [
            make_ordner("Ordner A", kantor=pinrang),
            make_ordner("Ordner B", kantor=pinrang),
        ],
        sidrap.pk: [make_ordner("Ordner S", kantor=sidrap)],
    }
    jobs = []
    for n in range(PARALLEL):  # interleaved: Pinrang, Sidrap, Pinrang, …
        office = pinrang if n % 2 == 0 else sidrap
        entri = EntriFactory(kantor=office, collected_by=people[office.pk])
        jobs.append((entri, ordners[office.pk][n % len(ordners[office.pk])], people[office.pk]))

    barrier = threading.Barrier(len(jobs))
    errors = []

    def place(entri, ordner, by):
        try:
            barrier.wait(timeout=30)
            services.entri_place(entri_id=entri.pk, by=by, ordner_id=ordner.pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    per_office = PARALLEL // 2
    for office in (pinrang, sidrap):
        start = starts[office.pk]
        numbers = sorted(
            Entri.objects.filter(kantor=office).values_list("archive_number", flat=True)
        )
        assert numbers == list(range(start + 1, start + per_office + 1)), office.slug
        assert ArchiveCounter.objects.get(kantor=office).last_number == start + per_office
