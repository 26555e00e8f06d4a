"""Staff search finds words inside the files (PostgreSQL full-text search, Indonesian stemming,
ranked, with the found words highlighted), and only in the files the user may open: a word
planted in the files of entries a user may not see is never found by that user, in any role
or office; the public search never reads the text of files."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dokumen.archive import entri_archive
from dokumen.berkas import berkas_add, berkas_remove
from dokumen.models import Berkas, Entri, State, TeksBerkas, TeksEntri
from dokumen.search import ranked, search_entries
from dokumen.selectors import (
    entries_visible_to,
    file_text_query,
    file_text_snippets,
    file_texts_matching,
)
from persetujuan.services import entri_submit
from ppid.models import Kantor
from ppid.roles import Role
from tests import berkas_samples as samples
from tests import scans
from tests.archive_fixtures import add_file, place
from tests.factories import EntriFactory, UserFactory, make_ordner
from tests.test_keputusan import published

pytestmark = pytest.mark.django_db

WORD = "zirkonia"  # in no title, summary or reference text: found only inside the files
ALL_ROLES = [Role.DESK, Role.PPID, Role.PEMBINA, Role.TIM, Role.ATASAN]
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


def add_text_file(entri, by, lines, *, name="surat.pdf", callbacks):
    with callbacks(execute=True):
        [berkas] = berkas_add(
            entri_id=entri.pk,
            by=by,
            kind="softcopy",
            files=[samples.upload(name, scans.text_pdf([lines]))],
        )
    assert TeksBerkas.objects.get(pk=berkas.pk).status == TeksBerkas.Status.DONE
    return berkas


def planted_line(label: str) -> list[str]:
    return [f"Catatan {label}", f"Dokumen ini menyebut kata {WORD} sekali."]


@pytest.fixture
def offices(db):
    return Kantor.default(), Kantor.objects.get(slug="kab-sidenreng-rappang")


@pytest.fixture
def planted(offices, django_capture_on_commit_callbacks):
    """The word in a file of a Pinrang entry at every step, in a removed file, and in two
    Sidenreng Rappang entries; title → entry."""
    pinrang, sidrap = offices
    desk = UserFactory(roles=[Role.DESK], username="desk-tanam")
    ppid = UserFactory(roles=[Role.PPID], username="ppid-tanam")
    entries = {}
    for state in State:
        entri = EntriFactory(
            classified=state != State.DIKUMPULKAN,
            state=State.DIKUMPULKAN if state == State.DIKUMPULKAN else State.DIKLASIFIKASI,
            title=f"Entri pinrang tahap {state.value}",
        )
        add_text_file(
            entri, desk, planted_line(state.value), callbacks=django_capture_on_commit_callbacks
        )
        if state == State.DIAJUKAN:
            entri_submit(entri_id=entri.pk, by=ppid)
        elif state not in (State.DIKUMPULKAN, State.DIKLASIFIKASI):
            Entri.objects.filter(pk=entri.pk).update(state=state)
        entries[entri.title] = entri

    removed = EntriFactory(
        classified=True, state=State.DIKLASIFIKASI, title="Entri pinrang berkas dihapus"
    )
    berkas = add_text_file(
        removed, desk, planted_line("dihapus"), callbacks=django_capture_on_commit_callbacks
    )
    berkas_remove(berkas_id=berkas.pk, by=ppid, note="salah unggah")
    entries[removed.title] = removed

    sidrap_desk = UserFactory(roles=[Role.DESK], roles__kantor=sidrap, username="desk-sidrap-tanam")
    for state in (State.DIKUMPULKAN, State.DIKLASIFIKASI):
        entri = EntriFactory(
            kantor=sidrap,
            classified=state == State.DIKLASIFIKASI,
            state=state,
            title=f"Entri sidrap tahap {state.value}",
        )
        add_text_file(
            entri, sidrap_desk, planted_line("sidrap"), callbacks=django_capture_on_commit_callbacks
        )
        entries[entri.title] = entri
    return entries


def expected_titles(role: Role, office: str) -> set[str]:
    """What the list shows this role in this office, among the planted entries whose file
    still holds the word: desk and PPID every step; approvers all but the desk's collection."""
    states = (
        list(State)
        if role in (Role.DESK, Role.PPID)
        else [s for s in State if s != State.DIKUMPULKAN]
    )
    if office == "sidrap":
        states = [s for s in states if s in (State.DIKUMPULKAN, State.DIKLASIFIKASI)]
    return {f"Entri {office} tahap {s.value}" for s in states}


def xlsx_titles(response) -> str:
    content = b"".join(response.streaming_content)
    response.close()
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


def found_titles(user, words=WORD) -> set[str]:
    return set(file_texts_matching(user, words).values_list("berkas__entri__title", flat=True))


@pytest.mark.parametrize("office", ["pinrang", "sidrap"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_word_in_files_is_found_exactly_where_the_list_shows_the_entry(
    planted, offices, client, role, office
):
    kantor = offices[0] if office == "pinrang" else offices[1]
    user = UserFactory(roles=[role], roles__kantor=kantor, username=f"cari-{office}")
    expected = expected_titles(role, office)
    assert found_titles(user) == expected
    assert "Entri pinrang berkas dihapus" not in found_titles(user)  # a removed file

    client.force_login(user)
    hidden = set(planted) - expected
    if role in (Role.DESK, Role.PPID):
        page = client.get(reverse("meja:entri_list"), {"q": WORD})
        body = page.content.decode()
        assert page.status_code == 200
        assert {t for t in planted if t in body} == expected
        assert body.count(f"<mark>{WORD}</mark>") == len(expected)
        # and the same selection printed and exported
        xlsx = client.get(reverse("meja:entri_xlsx"), {"q": WORD})
        assert xlsx.status_code == 200
        rows = xlsx_titles(xlsx)
        assert {t for t in planted if t in rows} == expected
    else:
        # approvers search their review queue: the entry submitted to them, nothing else
        page = client.get(reverse("persetujuan:antrean"), {"q": WORD})
        body = page.content.decode()
        assert page.status_code == 200
        shown = {t for t in planted if t in body}
        assert shown == ({"Entri pinrang tahap diajukan"} if office == "pinrang" else set())
        assert not shown & hidden
        assert body.count(f"<mark>{WORD}</mark>") == len(shown)


def test_a_user_without_a_role_finds_nothing(planted, client):
    user = UserFactory(username="tanpa-peran")
    assert found_titles(user) == set()
    client.force_login(user)
    page = client.get(reverse("meja:entri_list"), {"q": WORD})
    assert page.status_code == 403
    assert not any(t in page.content.decode() for t in planted)


def test_snippets_come_only_from_visible_files(planted, offices):
    """Asked for hidden entries' ids, the snippets stay empty: the selector is the filter."""
    sidrap_ppid = UserFactory(roles=[Role.PPID], roles__kantor=offices[1], username="ppid-s2")
    ids = [e.pk for e in planted.values()]
    found = file_text_snippets(sidrap_ppid, WORD, entri_ids=ids)
    assert {Entri.objects.get(pk=pk).title for pk in found} == expected_titles(Role.PPID, "sidrap")
    removed = planted["Entri pinrang berkas dihapus"]
    assert removed.pk not in file_text_snippets(
        UserFactory(roles=[Role.PPID], username="ppid-p2"), WORD, entri_ids=ids
    )


# ---------------------------------------------------------------- Indonesian, ranked, highlighted


@postgresql_only
def test_ocr_text_is_found_by_another_form_of_the_word_ranked_and_highlighted(
    client, desk, django_capture_on_commit_callbacks
):
    """The scan says "pemilih"; the search "memilih" finds it (Indonesian stemming: both are
    "pilih"), in a JPEG and in an image-only PDF; the file with the word twice ranks
    first; the page shows the words found, marked, with the file's name."""
    # the entries' own fields (the consequence test too) leave the word out: only scans hold it
    unsaid = {"test_material": "Data pribadi.", "test_public_interest": "Keterbukaan."}
    once = EntriFactory(
        classified=True, state=State.DIKLASIFIKASI, title="Berita acara sekali", **unsaid
    )
    twice = EntriFactory(
        classified=True, state=State.DIKLASIFIKASI, title="Berita acara dua kali", **unsaid
    )
    other = EntriFactory(
        classified=True, state=State.DIKLASIFIKASI, title="Surat tanpa kata itu", **unsaid
    )
    with django_capture_on_commit_callbacks(execute=True):
        berkas_add(
            entri_id=once.pk,
            by=desk,
            kind="scan",
            files=[samples.upload("pindaian-sekali.jpg", scans.scan_jpeg(scans.LETTER))],
        )
        berkas_add(
            entri_id=twice.pk,
            by=desk,
            kind="scan",
            files=[
                samples.upload(
                    "pindaian-dua.pdf",
                    scans.scan_pdf(
                        [scans.LETTER, ["Daftar pemilih diumumkan setelah rapat pleno."]]
                    ),
                )
            ],
        )
        berkas_add(
            entri_id=other.pk,
            by=desk,
            kind="scan",
            files=[samples.upload("lain.png", scans.scan_png(["Undangan rapat koordinasi"]))],
        )
    assert "pemilih" in TeksBerkas.objects.get(berkas__entri=once).text
    assert "memilih" not in TeksBerkas.objects.get(berkas__entri=once).text

    client.force_login(desk)
    page = client.get(reverse("meja:entri_list"), {"q": "memilih"}).content.decode()
    assert "Berita acara dua kali" in page and "Berita acara sekali" in page
    assert "Surat tanpa kata itu" not in page
    assert page.index("Berita acara dua kali") < page.index("Berita acara sekali")
    assert "<mark>pemilih</mark>" in page
    assert "pindaian-dua.pdf" in page and "pindaian-sekali.jpg" in page
    # the snippet links to the file's page
    [scan] = Berkas.objects.filter(entri=once)
    assert reverse("berkas:pratinjau", args=[scan.pk]) in page
    # a chosen order wins over the rank
    page = client.get(reverse("meja:entri_list"), {"q": "memilih", "sort": "title"})
    body = page.content.decode()
    assert body.index("Berita acara dua kali") < body.index("Berita acara sekali")  # d < s
    page = client.get(reverse("meja:entri_list"), {"q": "memilih", "sort": "-title"})
    body = page.content.decode()
    assert body.index("Berita acara sekali") < body.index("Berita acara dua kali")


@postgresql_only
@pytest.mark.parametrize(
    "model, index",
    [(TeksBerkas, "dokumen_teksberkas_search_gin"), (TeksEntri, "dokumen_teksentri_search_gin")],
)
def test_the_words_condition_is_served_by_the_gin_index(planted, model, index):
    """The condition the selectors put on a file's words and on an entry's (search_vector @@
    query) matches the GIN index of its migration (at a test's size the planner is told to avoid
    the table scan)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        rows = model.objects.filter(search_vector=file_text_query(WORD))
        sql, params = rows.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan


def test_a_match_in_the_entry_itself_is_listed_before_a_match_in_a_file(
    client, desk, django_capture_on_commit_callbacks
):
    in_file = EntriFactory(classified=True, state=State.DIKLASIFIKASI, title="Notulen rapat pleno")
    in_title = EntriFactory(
        classified=True, state=State.DIKLASIFIKASI, title=f"Daftar {WORD} milik pemilih"
    )
    add_text_file(
        in_file, desk, planted_line("berkas"), callbacks=django_capture_on_commit_callbacks
    )
    client.force_login(desk)
    body = client.get(reverse("meja:entri_list"), {"q": WORD}).content.decode()
    assert body.index(in_title.title) < body.index(in_file.title)


# ---------------------------------------------------------------- the public search


def test_the_public_search_never_reads_the_text_of_files(
    client, ppid, desk, django_capture_on_commit_callbacks
):
    entri = EntriFactory(
        classified=True, state=State.DIKLASIFIKASI, title="Daftar pemilih tetap yang dikecualikan"
    )
    add_text_file(entri, desk, planted_line("publik"), callbacks=django_capture_on_commit_callbacks)
    add_file(entri, Berkas.Kind.SCAN, content=b"\xff\xd8\xff\xe0 foto", content_type="image/jpeg")
    Entri.objects.filter(pk=entri.pk).update(state=State.DISETUJUI)
    place(entri, make_ordner())
    entri_archive(entri_id=entri.pk, by=ppid)
    published(ppid, [entri])
    assert Entri.objects.get(pk=entri.pk).state == State.DITETAPKAN

    # the staff find it by the word in its file; the public does not
    client.force_login(ppid)
    assert entri.title in client.get(reverse("meja:entri_list"), {"q": WORD}).content.decode()
    client.logout()
    by_title = client.get(reverse("publikasi:dik"), {"q": "pemilih tetap"}).content.decode()
    assert entri.title in by_title
    with CaptureQueriesContext(connection) as queries:
        by_word = client.get(reverse("publikasi:dik"), {"q": WORD})
    assert by_word.status_code == 200
    assert entri.title not in by_word.content.decode()
    assert not [q["sql"] for q in queries if "teksberkas" in q["sql"]]


@postgresql_only
def test_an_entry_shows_the_snippets_of_its_best_three_files(
    desk, django_capture_on_commit_callbacks
):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI, title="Entri banyak berkas")
    for n in range(1, 6):
        lines = [f"Lampiran {n}"] + [f"Kata {WORD} disebut." for _ in range(n)]
        add_text_file(
            entri,
            desk,
            lines,
            name=f"lampiran-{n}.pdf",
            callbacks=django_capture_on_commit_callbacks,
        )
    [snippets] = file_text_snippets(desk, WORD, entri_ids=[entri.pk]).values()
    assert [s.name for s in snippets] == ["lampiran-5.pdf", "lampiran-4.pdf", "lampiran-3.pdf"]


def test_the_demo_offices_find_the_typed_words_of_their_own_scans_only(
    django_capture_on_commit_callbacks,
):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=io.StringIO())
    users = get_user_model().objects
    offices = {}
    for username in ("desk", "desk.sidrap", "pembina"):
        found = file_texts_matching(users.get(username=username), "serah terima")
        offices[username] = set(found.values_list("berkas__entri__kantor__slug", flat=True))
        assert found.filter(berkas__kind="scan").exists(), username  # read by OCR
    assert offices == {
        "desk": {"kab-pinrang"},
        "desk.sidrap": {"kab-sidenreng-rappang"},
        "pembina": {"kab-pinrang"},
    }


# ---------------------------------------------------------------- the words of an entry's files


def entry_words_found(user, words=WORD) -> set[str]:
    return set(
        search_entries(entries_visible_to(user), words, user=user).values_list("title", flat=True)
    )


@postgresql_only
def test_an_entry_is_found_by_the_words_of_every_file_it_keeps_and_of_none_it_removed(
    ppid, desk, django_capture_on_commit_callbacks
):
    """The one row of words per entry (TeksEntri) follows its files: each read text adds its
    words, a removed file takes its words away, the other files' words stay."""
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI, title="Notulen rapat pleno")
    first = add_text_file(
        entri,
        desk,
        ["Berita acara", "rekapitulasi suara kecamatan"],
        name="satu.pdf",
        callbacks=django_capture_on_commit_callbacks,
    )
    assert entry_words_found(ppid, "rekapitulasi") == {entri.title}
    assert entry_words_found(ppid, WORD) == set()
    second = add_text_file(
        entri,
        desk,
        planted_line("kedua"),
        name="dua.pdf",
        callbacks=django_capture_on_commit_callbacks,
    )
    assert entry_words_found(ppid, "rekapitulasi") == {entri.title}
    assert entry_words_found(ppid, WORD) == {entri.title}

    berkas_remove(berkas_id=second.pk, by=ppid, note="salah unggah")
    assert entry_words_found(ppid, WORD) == set()
    assert entry_words_found(ppid, "rekapitulasi") == {entri.title}
    berkas_remove(berkas_id=first.pk, by=ppid, note="salah unggah")
    assert entry_words_found(ppid, "rekapitulasi") == set()


@postgresql_only
def test_an_entry_whose_files_hold_the_words_more_ranks_first(
    ppid, desk, django_capture_on_commit_callbacks
):
    once = EntriFactory(classified=True, state=State.DIKLASIFIKASI, title="Surat keluar biasa")
    often = EntriFactory(classified=True, state=State.DIKLASIFIKASI, title="Surat masuk biasa")
    add_text_file(once, desk, planted_line("sekali"), callbacks=django_capture_on_commit_callbacks)
    add_text_file(
        often,
        desk,
        [f"{WORD} {WORD}", f"Arsip {WORD} lagi", f"dan {WORD}"],
        callbacks=django_capture_on_commit_callbacks,
    )
    found = ranked(search_entries(entries_visible_to(ppid), WORD, user=ppid))
    assert list(found.values_list("title", flat=True)) == [often.title, once.title]


@postgresql_only
def test_entries_found_by_their_own_words_are_ranked_by_them_not_by_their_files(
    ppid, desk, django_capture_on_commit_callbacks
):
    """Both titles hold the word alike; the older entry's files hold it too. Its files do not
    lift it: an entry's words from its files are read only for entries found by them alone
    (reading them for every match of a word in all the titles of an office cost 20 ms)."""
    with_files = EntriFactory(classified=True, state=State.DIKLASIFIKASI, title=f"Arsip {WORD}")
    without = EntriFactory(classified=True, state=State.DIKLASIFIKASI, title=f"Arsip {WORD}")
    add_text_file(
        with_files,
        desk,
        [f"{WORD} {WORD}", f"Arsip {WORD} lagi"],
        callbacks=django_capture_on_commit_callbacks,
    )
    found = ranked(search_entries(entries_visible_to(ppid), WORD, user=ppid))
    # the same own rank: the newer first, as in every list
    assert list(found.values_list("pk", flat=True)) == [without.pk, with_files.pk]


@postgresql_only
def test_an_entry_whose_files_hold_more_words_than_a_tsvector_keeps_the_first_files_words(
    ppid, desk, django_capture_on_commit_callbacks
):
    """Two files of 55,000 different words each: one tsvector cannot hold both (1 MB). Reading
    the second does not fail; the entry is still found by its first file's words."""
    from dokumen.file_text import refresh_entry_words

    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI, title="Arsip sangat besar")
    files = [
        add_text_file(
            entri,
            desk,
            planted_line(name),
            name=f"{name}.pdf",
            callbacks=django_capture_on_commit_callbacks,
        )
        for name in ("a", "b")
    ]
    with connection.cursor() as cursor:
        for berkas, mark in zip(files, "ab", strict=True):
            cursor.execute(
                "UPDATE dokumen_teksberkas SET search_vector = search_vector || "
                "(SELECT to_tsvector('simple', string_agg('kata' || g || %s, ' ')) "
                "FROM generate_series(1, 55000) g) WHERE berkas_id = %s",
                [mark, berkas.pk],
            )
    refresh_entry_words([entri.pk])
    assert entry_words_found(ppid, WORD) == {entri.title}
    assert entry_words_found(ppid, "kata54321a") == {entri.title}
