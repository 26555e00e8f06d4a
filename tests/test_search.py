"""The one search of entries (dokumen/search.py): stemming, prefixes, partial words and numbers,
ranking, what the public may search, and the indexes PostgreSQL uses for it."""

import pytest
from django.db import connection
from django.urls import reverse

from dokumen.models import Entri, State
from dokumen.search import PUBLIC, STAFF, ranked, search_entries
from ppid.models import Kantor
from ppid.roles import Role
from tests.factories import EntriFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
    ),
]


def titles(queryset) -> list[str]:
    return list(queryset.values_list("title", flat=True))


def found(text, scope=STAFF) -> list[str]:
    return titles(ranked(search_entries(Entri.objects.all(), text, scope=scope)))


def test_indonesian_stemming_finds_other_forms_of_a_word():
    EntriFactory(title="Daftar pemilih tetap hasil pemutakhiran")
    EntriFactory(title="Rekapitulasi anggaran kegiatan")
    # pemilihan → pilih ← pemilih; kesehatan → sehat
    assert found("pemilihan") == ["Daftar pemilih tetap hasil pemutakhiran"]
    EntriFactory(title="Surat keterangan sehat jasmani")
    assert found("kesehatan") == ["Surat keterangan sehat jasmani"]


def test_every_word_must_match_and_each_is_a_prefix():
    EntriFactory(title="Ijazah calon anggota legislatif")
    EntriFactory(title="Ijazah pegawai sekretariat")
    assert found("ijazah legis") == ["Ijazah calon anggota legislatif"]
    assert sorted(found("ijaz")) == [
        "Ijazah calon anggota legislatif",
        "Ijazah pegawai sekretariat",
    ]


def test_partial_words_and_numbers_match_by_trigram():
    EntriFactory(title="Surat Nomor 1234/PL.01.1-SD/2024 tentang verifikasi")
    EntriFactory(title="Surat Nomor 99/PL.02/2023 tentang jadwal")
    assert found("1234/PL.01") == ["Surat Nomor 1234/PL.01.1-SD/2024 tentang verifikasi"]
    assert found("ifikas") == ["Surat Nomor 1234/PL.01.1-SD/2024 tentang verifikasi"]


def test_the_consequence_test_and_the_summary_are_searched_by_the_staff():
    EntriFactory(title="Berkas pertama", summary="Memuat rekam medis bakal calon.")
    EntriFactory(title="Berkas kedua", classified=True, test_weighing="Kerahasiaan genetika.")
    assert found("rekam medis") == ["Berkas pertama"]
    assert found("genetika") == ["Berkas kedua"]


def test_the_public_searches_only_what_the_public_page_shows():
    EntriFactory(
        title="Berkas umum",
        summary="Ringkasan internal menyebut sandiwara.",
        classified=True,
        test_harm="Membuka rahasia jabatan.",
        test_weighing="Pertimbangan menyebut lokakarya.",
    )
    assert found("sandiwara", PUBLIC) == []  # the summary is not on the public page
    assert found("lokakarya", PUBLIC) == []  # neither is the weighing
    assert found("rahasia jabatan", PUBLIC) == ["Berkas umum"]  # the harm is
    assert found("sandiwara", STAFF) == ["Berkas umum"]


def test_a_title_match_ranks_before_a_summary_match():
    EntriFactory(title="Catatan rapat pleno", summary="Memuat daftar hadir peserta.")
    EntriFactory(title="Daftar hadir rapat koordinasi", summary="Absensi.")
    assert found("hadir") == ["Daftar hadir rapat koordinasi", "Catatan rapat pleno"]


def test_punctuation_only_finds_nothing_and_breaks_nothing():
    EntriFactory(title="Dokumen biasa")
    assert found("&|!:*()") == []
    assert found("   ") == ["Dokumen biasa"]  # no search: the list as it was


def test_the_staff_list_and_the_public_page_use_the_search(client):
    ppid = UserFactory(roles=[Role.PPID])
    EntriFactory(title="Daftar pemilih tetap kecamatan")
    EntriFactory(title="Rekap anggaran")
    client.force_login(ppid)
    page = client.get(reverse("meja:entri_list"), {"q": "pemilihan"}).content.decode()
    assert "Daftar pemilih tetap kecamatan" in page
    assert "Rekap anggaran" not in page
    client.logout()
    EntriFactory(title="Daftar pemilih tetap provinsi", state=State.DITETAPKAN, classified=True)
    page = client.get(reverse("publikasi:dik"), {"q": "pemilihan"}).content.decode()
    assert "Daftar pemilih tetap provinsi" in page
    assert "Daftar pemilih tetap kecamatan" not in page  # not in force


# ---------------------------------------------------------------- the plans


def _bulk_entries(n: int, *, title=lambda i: f"Dokumen arsip nomor {i}/PL.01/2024") -> None:
    """n entries spread over every office, in one INSERT per 5,000, then ANALYZE."""
    offices = list(Kantor.objects.values_list("pk", flat=True))
    collector = UserFactory()
    states = [State.DITETAPKAN] * 6 + [State.DIKUMPULKAN, State.DIAJUKAN]
    Entri.objects.bulk_create(
        [
            Entri(
                kantor_id=offices[i % len(offices)],
                title=title(i),
                summary=f"Ringkasan dokumen {i} tentang tahapan pemilihan",
                holding_unit="Subbagian Teknis",
                collected_by=collector,
                state=states[i % len(states)],
                test_harm="Mengungkap rahasia pribadi.",
            )
            for i in range(n)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dokumen_entri")


def plan(queryset) -> str:
    """The plan with sequential scans priced out: the query can be served by an index only if
    the index matches it (the planner then picks it; with them priced in, it picks an index
    once the table is large: at 20,000 rows it still reads them all, a few milliseconds)."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            return queryset.explain()
        finally:
            cursor.execute("RESET enable_seqscan")


def test_postgresql_uses_the_full_text_and_trigram_indexes():
    _bulk_entries(20_000)
    EntriFactory(title="Salinan ijazah sarjana hukum")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dokumen_entri")
    full_text = search_entries(Entri.objects.all(), "ijazah", scope=STAFF)
    assert "entri_search_document" in plan(full_text)
    assert "Seq Scan" not in plan(full_text)
    assert titles(full_text) == ["Salinan ijazah sarjana hukum"]
    number = search_entries(Entri.objects.all(), "12345/PL", scope=PUBLIC)
    assert "entri_title_trigram" in plan(number)
    assert titles(number) == ["Dokumen arsip nomor 12345/PL.01/2024"]
    # the rank reads the stored document: nothing recomputes it row by row
    ranked_sql = str(ranked(full_text).query)
    assert "to_tsvector" not in ranked_sql and '"search_document"' in ranked_sql


def test_every_gin_index_takes_its_rows_at_once():
    """No search index keeps a pending list (dokumen/0018): with PostgreSQL's default, up to
    4 MB of new rows wait outside the index and every search reads them all, which made the
    planner give up the index at 1M entries. A GIN index added later must say the same."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, coalesce(c.reloptions, '{}') FROM pg_class c "
            "JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE am.amname = 'gin' AND n.nspname = current_schema()"
        )
        options = dict(cursor.fetchall())
    assert {"entri_search_document", "dokumen_teksentri_search_gin"} <= options.keys()
    assert {name: o for name, o in options.items() if "fastupdate=off" not in o} == {}


def test_the_stored_document_follows_every_edit():
    entri = EntriFactory(title="Berkas lama")
    assert found("gudang") == []
    Entri.objects.filter(pk=entri.pk).update(summary="Disimpan di gudang arsip.")
    assert found("gudang") == ["Berkas lama"]


def test_the_search_works_inside_a_subquery():
    """The stored column is named under the alias the query gives the table."""
    match = EntriFactory(title="Ijazah sarjana")
    EntriFactory(title="Rekap anggaran")
    inner = search_entries(Entri.objects.all(), "ijazah").values("pk")
    assert list(Entri.objects.filter(pk__in=inner).values_list("pk", flat=True)) == [match.pk]
