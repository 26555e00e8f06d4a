"""The archive number: unique, running, never reused, also when binders are filled at once."""

import threading

import pytest
from django.db import connection

from dokumen import services
from dokumen.models import Entri
from tests.archive_fixtures import seed_reference_data
from tests.factories import EntriFactory, UserFactory, make_ordner


@pytest.mark.django_db
def test_numbers_run_and_are_kept_when_the_hardcopy_moves(desk):
    first, second = make_ordner("Ordner A"), make_ordner("Ordner B")
    entries = [EntriFactory() for _ in range(3)]
    numbers = [
        services.entri_place(entri_id=e.pk, by=desk, ordner_id=first.pk).archive_number
        for e in entries
    ]
    assert numbers == [1, 2, 3]
    moved = services.entri_place(entri_id=entries[0].pk, by=desk, ordner_id=second.pk)
    assert moved.archive_number == 1 and moved.ordner == second
    fresh = services.entri_place(entri_id=EntriFactory().pk, by=desk, ordner_id=second.pk)
    assert fresh.archive_number == 4  # never a number given before


@pytest.mark.django_db(transaction=True)
def test_parallel_placements_never_share_a_number():
    """PostgreSQL: placements in parallel transactions each take their own next number."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel transactions need PostgreSQL")
    seed_reference_data()  # an earlier transactional test may have flushed it
    desk = UserFactory(roles=["Petugas Desk Layanan Informasi"], username="desk-paralel")
    ordner = make_ordner()
    ids = [EntriFactory().pk for _ in range(8)]
    start, errors = threading.Barrier(len(ids)), []

    def place(entri_id):
        try:
            start.wait(10)
            services.entri_place(entri_id=entri_id, by=desk, ordner_id=ordner.pk)
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Entri.objects.filter(pk__in=ids).values_list("archive_number", flat=True))
    assert numbers == list(range(1, len(ids) + 1))
