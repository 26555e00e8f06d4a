"""The filter counts of the public DIK (by document type and legal ground) and its number in
force are counted once per version of the DIK in force, not again for every list not in the
cache (a new search, filter or page). Counted per version of the office's own DIK."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dokumen.models import State
from publikasi.dik_pdf import public_dik_changed
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db


def grouped_counts(client, params) -> int:
    """The GROUP BY queries of one visit of the public DIK page."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("publikasi:dik"), params).status_code == 200
    return sum(
        "GROUP BY" in q["sql"]
        and "dokumen_jenisdokumen" in q["sql"].split("FROM")[1]
        or 'GROUP BY "dokumen_dasarhukum"' in q["sql"]
        for q in captured.captured_queries
    )


def test_facets_are_counted_once_per_version_of_the_dik(client):
    for n in range(3):
        EntriFactory(title=f"Daftar pemilih wilayah {n}", state=State.DITETAPKAN, classified=True)
    assert grouped_counts(client, {}) == 2  # types, grounds
    page = client.get(reverse("publikasi:dik")).content.decode()
    assert "(3)" in page
    # other lists, each a miss of the list cache: the counts are the version's
    assert grouped_counts(client, {"q": "pemilih"}) == 0
    assert grouped_counts(client, {"halaman": "2"}) == 0
    assert grouped_counts(client, {"jenis": "data-pemilih"}) == 0

    entri = EntriFactory(title="Daftar pemilih wilayah 9", state=State.DITETAPKAN, classified=True)
    public_dik_changed([entri.kantor_id])  # what a publication calls
    assert grouped_counts(client, {"q": "wilayah"}) == 2
    page = client.get(reverse("publikasi:dik")).content.decode()
    assert "(4)" in page
    assert "4 informasi" in page.lower() or "4 information" in page.lower()


def test_the_count_of_a_filtered_list_is_the_facets_count(client, django_assert_num_queries):
    for n in range(3):
        EntriFactory(title=f"Daftar pemilih wilayah {n}", state=State.DITETAPKAN, classified=True)
    client.get(reverse("publikasi:dik"))  # counts kept
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("publikasi:dik"), {"jenis": "data-pemilih", "x": "1"})
    assert not any("COUNT(" in q["sql"] for q in captured.captured_queries)
    assert "Daftar pemilih wilayah 2" in page.content.decode()


def test_a_search_is_counted_once_per_version_of_the_office(client):
    entries = [
        EntriFactory(title=f"Daftar pemilih wilayah {n}", state=State.DITETAPKAN, classified=True)
        for n in range(3)
    ]

    def counts(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("publikasi:dik"), params).content.decode()
        return sum("COUNT(" in q["sql"] for q in captured.captured_queries), page

    client.get(reverse("publikasi:dik"))  # the version's facets counted
    n, page = counts({"q": "pemilih"})
    assert n == 1 and "3 informasi" in page.lower()
    n, page = counts({"q": "pemilih", "halaman": "01"})  # another list of the same search
    assert n == 0 and "3 informasi" in page.lower()
    EntriFactory(title="Daftar pemilih wilayah 9", state=State.DITETAPKAN, classified=True)
    public_dik_changed([entries[0].kantor_id])
    n, page = counts({"q": "pemilih", "halaman": "001"})
    assert n >= 1 and "4 informasi" in page.lower()
