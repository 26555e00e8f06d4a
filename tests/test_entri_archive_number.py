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
