"""The archive number: running, kept when the hardcopy moves, never reused.

Parallel placements on PostgreSQL: tests/test_entri_archive_number.py."""

import pytest

from dokumen import services
from tests.factories import EntriFactory, make_ordner


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
