"""The desk's pages: list, Formulir, edit, classification, return, hardcopy place, history."""

import datetime
import html
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from dokumen import services
from dokumen.models import Berkas, DasarHukum, Entri, JenisDokumen, JenisJangkaWaktu, State
from tests.factories import EntriFactory, UserFactory, make_ordner

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def field_errors(response, name: str) -> list[str]:
    """The errors rendered inside the field's own block (partials/field.html)."""
    match = re.search(
        rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', page_text(response), re.S
    )
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


def titles_in(response) -> list[str]:
    return [e.title for e in response.context["entries"]]


def form_data(entri: Entri, fields) -> dict:
    """What a browser posts back for the entry's current values."""
    data = {}
    for name in fields:
        if name == "legal_grounds":
            data[name] = [str(pk) for pk in entri.legal_grounds.values_list("pk", flat=True)]
            continue
        value = getattr(entri, name)
        if value is None:
            data[name] = ""
        elif hasattr(value, "pk"):
            data[name] = str(value.pk)
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def classification_post(**overrides) -> dict:
    data = {
        "document_type": str(JenisDokumen.objects.get(code="data-pemilih").pk),
        "legal_grounds": [str(DasarHukum.objects.get(code="17h").pk)],
        "other_law": "",
        "test_material": "Data pribadi pemilih.",
        "test_harm": "Mengungkap rahasia pribadi.",
        "test_law": "UU 14/2008 Pasal 17 huruf h.",
        "test_public_interest": "Transparansi daftar pemilih.",
        "test_weighing": "Kerugian lebih besar daripada manfaat.",
        "test_conclusion": "dikecualikan",
        "period_kind": str(JenisJangkaWaktu.objects.get(code="tahun-tetap").pk),
        "period_years": "5",
        "period_wording": "5 (lima) tahun sejak ditetapkan",
        "period_start": "2026-01-02",
        "period_review": "2027-01-02",
    }
    data.update(overrides)
    return data


ALL_FIELDS = (*services.DESK_FIELDS, "legal_grounds", *services.CLASSIFICATION_FIELDS)


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("role_fixture", ["no_role", "pembina", "tim", "atasan"])
def test_only_desk_and_ppid_reach_the_entry_pages(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    for name, args in [
        ("entri_list", []),
        ("entri_create", []),
        ("formulir_pdf", []),
        ("entri_edit", [entri.pk]),
        ("entri_classify", [entri.pk]),
        ("entri_formulir_pdf", [entri.pk]),
        ("entri_uji_pdf", [entri.pk]),
    ]:
        assert client.get(reverse(f"meja:{name}", args=args)).status_code == 403, name
    for name in ("entri_return", "entri_place"):
        assert client.post(reverse(f"meja:{name}", args=[entri.pk])).status_code == 403
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI


def test_a_missing_entry_is_404(client, ppid):
    client.force_login(ppid)
    assert client.get(reverse("meja:entri_edit", args=[999])).status_code == 404
    assert client.get(reverse("meja:entri_uji_pdf", args=[999])).status_code == 404


def test_return_and_place_only_take_post(client, ppid):
    client.force_login(ppid)
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    assert client.get(reverse("meja:entri_return", args=[entri.pk])).status_code == 405
    assert client.get(reverse("meja:entri_place", args=[entri.pk])).status_code == 405


# ---------------------------------------------------------------- the list


def test_the_list_filters_by_state_type_ground_year_and_text(client, desk):
    client.force_login(desk)
    collected = EntriFactory(
        title="Salinan KTP-el bakal calon", collected_on=datetime.date(2025, 5, 1)
    )
    classified = EntriFactory(
        classified=True,
        state=State.DIKLASIFIKASI,
        title="Daftar pemilih dengan NIK",
        summary="Memuat NKK lengkap.",
        grounds=["17j"],
    )
    staff = EntriFactory(
        classified=True,
        title="Berkas pribadi anggota PPK",
        document_type=JenisDokumen.objects.get(code="kepegawaian"),
        grounds=["17h2"],
    )
    url = reverse("meja:entri_list")

    assert set(titles_in(client.get(url))) == {collected.title, classified.title, staff.title}
    assert titles_in(client.get(url, {"state": "diklasifikasi"})) == [classified.title]
    kepegawaian = JenisDokumen.objects.get(code="kepegawaian")
    assert titles_in(client.get(url, {"document_type": kepegawaian.pk})) == [staff.title]
    ground = DasarHukum.objects.get(code="17j")
    assert titles_in(client.get(url, {"legal_ground": ground.pk})) == [classified.title]
    assert titles_in(client.get(url, {"year": "2025"})) == [collected.title]
    assert titles_in(client.get(url, {"q": "nkk"})) == [classified.title]  # in the summary
    assert titles_in(client.get(url, {"q": "KTP-EL"})) == [collected.title]  # in the title
    assert titles_in(client.get(url, {"q": "ppk", "state": "dikumpulkan"})) == [staff.title]
    response = client.get(url, {"q": "tidak ada"})
    assert "Tidak ada entri yang cocok dengan saringan ini." in page_text(response)


def test_the_list_offers_the_years_that_have_entries(client, desk):
    client.force_login(desk)
    EntriFactory(collected_on=datetime.date(2023, 1, 5))
    EntriFactory(collected_on=datetime.date(2025, 8, 5))
    form = client.get(reverse("meja:entri_list")).context["filter"].form
    assert [value for value, _label in form.fields["year"].choices] == ["", "2025", "2023"]


def test_the_list_sorts(client, desk):
    client.force_login(desk)
    b = EntriFactory(title="B dokumen", collected_on=datetime.date(2026, 1, 3))
    a = EntriFactory(
        title="A dokumen",
        collected_on=datetime.date(2026, 1, 1),
        classified=True,
        state=State.DIARSIPKAN,
    )
    c = EntriFactory(
        title="C dokumen",
        collected_on=datetime.date(2026, 1, 2),
        classified=True,
        state=State.DIKLASIFIKASI,
    )
    url = reverse("meja:entri_list")
    assert titles_in(client.get(url)) == [b.title, c.title, a.title]  # newest first
    assert titles_in(client.get(url, {"sort": "collected_on"})) == [a.title, c.title, b.title]
    assert titles_in(client.get(url, {"sort": "title"})) == [a.title, b.title, c.title]
    assert titles_in(client.get(url, {"sort": "-title"})) == [c.title, b.title, a.title]
    # by step in the SOP's order, not alphabetically (“diarsipkan” < “dikumpulkan”)
    assert titles_in(client.get(url, {"sort": "state"})) == [b.title, c.title, a.title]
    assert titles_in(client.get(url, {"sort": "-state"})) == [a.title, c.title, b.title]
    response = client.get(url, {"sort": "state; drop table"})
    assert response.status_code == 200
    assert titles_in(response) == [b.title, c.title, a.title]


def test_the_list_has_pages_of_25_that_keep_the_filters(client, desk):
    client.force_login(desk)
    for n in range(27):
        EntriFactory(title=f"Dokumen {n:02d}", collected_on=datetime.date(2026, 1, 1))
    EntriFactory(title="Lain", collected_on=datetime.date(2024, 1, 1))
    url = reverse("meja:entri_list")
    first = client.get(url, {"year": "2026", "sort": "title"})
    assert len(first.context["entries"]) == 25
    text = page_text(first)
    assert "27 entri ditemukan." in text
    assert "Halaman 1 dari 2" in text
    assert "?year=2026&sort=title&page=2" in text
    second = client.get(url, {"year": "2026", "sort": "title", "page": 2})
    assert titles_in(second) == ["Dokumen 25", "Dokumen 26"]
    last = client.get(url, {"year": "2026", "sort": "title", "page": "99"})
    assert titles_in(last) == titles_in(second)  # past the end: the last page


def _many_entries(n):
    kinds = list(JenisDokumen.objects.all()[:3])
    for i in range(n):
        EntriFactory(
            classified=True,
            document_type=kinds[i % 3],
            grounds=["17h", "17j"] if i % 2 else ["17h2"],
            state=[State.DIKUMPULKAN, State.DIKLASIFIKASI, State.DIARSIPKAN][i % 3],
        )


def test_the_list_query_count_does_not_grow(client, desk, django_assert_num_queries):
    client.force_login(desk)
    url = reverse("meja:entri_list")
    _many_entries(3)
    client.get(url)  # the first request creates the site profile
    with CaptureQueriesContext(connection) as with_three:
        assert len(client.get(url).context["entries"]) == 3
    _many_entries(27)
    with django_assert_num_queries(len(with_three.captured_queries)):
        response = client.get(url)
    assert len(response.context["entries"]) == 25
    assert len(with_three.captured_queries) <= 12


# ---------------------------------------------------------------- create and edit


def test_the_desk_collects_an_entry_on_the_formulir(client, desk):
    client.force_login(desk)
    url = reverse("meja:entri_create")
    form_page = page_text(client.get(url))
    assert 'type="date" name="collected_on"' in form_page
    assert f'value="{timezone.localdate().isoformat()}"' in form_page
    assert 'name="test_harm"' not in form_page  # classification is the PPID's step
    response = client.post(
        url,
        {
            "title": "Surat keterangan sehat calon",
            "summary": "",
            "holding_unit": "Subbagian Teknis",
            "collected_on": "2026-03-14",
            "earlier_designation": "",
        },
        follow=True,
    )
    entri = Entri.objects.get()
    assert response.redirect_chain[-1][0] == reverse("meja:entri_detail", args=[entri.pk])
    assert "Entri disimpan pada Formulir." in page_text(response)
    assert (entri.state, entri.collected_by, entri.collected_on) == (
        State.DIKUMPULKAN,
        desk,
        datetime.date(2026, 3, 14),
    )


def test_a_formulir_without_title_shows_the_error_beside_it(client, desk):
    client.force_login(desk)
    response = client.post(
        reverse("meja:entri_create"),
        {"title": "", "holding_unit": "Subbagian Teknis", "collected_on": "bukan tanggal"},
    )
    assert response.status_code == 200
    assert field_errors(response, "title") == ["Bidang ini tidak boleh kosong."]
    assert field_errors(response, "collected_on") == ["Masukkan tanggal yang valid."]
    assert field_errors(response, "holding_unit") == []
    assert not Entri.objects.exists()


def test_the_desk_edits_only_the_information(client, desk):
    client.force_login(desk)
    entri = EntriFactory(classified=True)
    url = reverse("meja:entri_edit", args=[entri.pk])
    text = page_text(client.get(url))
    assert 'name="title"' in text and 'name="test_harm"' not in text
    data = form_data(entri, services.DESK_FIELDS)
    data["title"] = "Judul yang diperbaiki"
    data["test_harm"] = "disisipkan"  # not on the desk's form: ignored
    response = client.post(url, data, follow=True)
    assert "Perubahan disimpan." in page_text(response)
    entri.refresh_from_db()
    assert (entri.title, entri.test_harm) == (
        "Judul yang diperbaiki",
        "Mengungkap rahasia pribadi.",
    )


def test_the_ppid_edits_everything(client, ppid):
    client.force_login(ppid)
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    url = reverse("meja:entri_edit", args=[entri.pk])
    text = page_text(client.get(url))
    assert 'name="test_harm"' in text and 'name="legal_grounds"' in text
    assert f'value="{entri.period_start.isoformat()}"' in text
    data = form_data(entri, ALL_FIELDS)
    data["legal_grounds"] = [str(DasarHukum.objects.get(code="17j").pk)]
    client.post(url, data)
    assert list(entri.legal_grounds.values_list("code", flat=True)) == ["17j"]


def test_saving_an_unchanged_form_records_no_change(client, ppid):
    client.force_login(ppid)
    entri = EntriFactory(classified=True, grounds=["17h", "17j"], summary="Baris satu\r\nBaris dua")
    services.entri_classify(entri_id=entri.pk, by=ppid)
    entri.refresh_from_db()
    history = entri.history.count()
    transitions = entri.transitions.count()
    response = client.post(
        reverse("meja:entri_edit", args=[entri.pk]), form_data(entri, ALL_FIELDS), follow=True
    )
    assert "Tidak ada yang berubah." in page_text(response)
    assert entri.history.count() == history
    assert entri.transitions.count() == transitions
    updated = Entri.objects.get(pk=entri.pk)
    assert updated.updated_at == entri.updated_at


def test_a_read_only_entry_cannot_be_edited(client, ppid):
    client.force_login(ppid)
    entri = EntriFactory(classified=True, state=State.DITETAPKAN)
    url = reverse("meja:entri_edit", args=[entri.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("meja:entri_detail", args=[entri.pk])
    assert "Entri berstatus “ditetapkan” hanya dapat dibaca" in page_text(response)
    response = client.post(url, {**form_data(entri, ALL_FIELDS), "title": "x"}, follow=True)
    assert "hanya dapat dibaca" in page_text(response)
    entri.refresh_from_db()
    assert entri.title != "x"


def test_an_incomplete_classified_entry_shows_the_error_beside_the_field(client, ppid):
    client.force_login(ppid)
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    data = {**form_data(entri, ALL_FIELDS), "period_wording": ""}
    response = client.post(reverse("meja:entri_edit", args=[entri.pk]), data)
    assert response.status_code == 200
    assert field_errors(response, "period_wording") == [
        "Tuliskan jangka waktu persis seperti akan diumumkan."
    ]
    entri.refresh_from_db()
    assert entri.period_wording


# ---------------------------------------------------------------- classify


def test_the_ppid_classifies_through_the_form(client, ppid):
    client.force_login(ppid)
    entri = EntriFactory()
    url = reverse("meja:entri_classify", args=[entri.pk])
    text = page_text(client.get(url))
    assert "a. Materi, sifat, dan lingkup informasi" in text
    assert 'type="checkbox" name="legal_grounds"' in text
    assert "Pasal 17 huruf h angka 2 UU 14/2008 — " in text
    assert 'type="date" name="period_start"' in text
    response = client.post(url, classification_post(), follow=True)
    assert "Entri telah diklasifikasi." in page_text(response)
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    assert entri.period_end == datetime.date(2031, 1, 2)


def test_only_active_grounds_are_offered(client, ppid):
    client.force_login(ppid)
    DasarHukum.objects.filter(code="17h2").update(active=False)
    entri = EntriFactory()
    choices = client.get(reverse("meja:entri_classify", args=[entri.pk])).context["form"]
    codes = set(choices.fields["legal_grounds"].queryset.values_list("code", flat=True))
    assert "17h" in codes and "17h2" not in codes
    assert "20-1" not in codes and all(c.startswith("17") for c in codes)


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("test_harm", "Uraikan potensi konsekuensi bahaya akibat dibukanya informasi."),
        ("document_type", "Pilih jenis dokumen."),
        ("legal_grounds", "Pilih paling sedikit satu dasar pengecualian dari Pasal 17 UU 14/2008."),
        ("test_conclusion", "Pilih kesimpulan uji konsekuensi."),
        ("period_start", "Isi tanggal mulai jangka waktu."),
    ],
)
def test_a_missing_classification_field_is_shown_beside_it(client, ppid, missing, message):
    client.force_login(ppid)
    entri = EntriFactory()
    data = classification_post(**{missing: [] if missing == "legal_grounds" else ""})
    data["period_review"] = ""
    response = client.post(reverse("meja:entri_classify", args=[entri.pk]), data)
    assert response.status_code == 200
    assert field_errors(response, missing) == [message]
    others = [n for n in ALL_FIELDS if n != missing and field_errors(response, n)]
    assert others == []
    assert "Beberapa isian perlu diperbaiki" in page_text(response)
    entri.refresh_from_db()
    assert entri.state == State.DIKUMPULKAN
    assert entri.document_type is None


def test_an_unlimited_period_for_letters_a_to_f_is_shown_on_the_period_kind(client, ppid):
    client.force_login(ppid)
    entri = EntriFactory()
    data = classification_post(
        legal_grounds=[str(DasarHukum.objects.get(code="17c").pk)],
        period_kind=str(JenisJangkaWaktu.objects.get(code="tidak-terbatas").pk),
        period_years="",
    )
    response = client.post(reverse("meja:entri_classify", args=[entri.pk]), data)
    [error] = field_errors(response, "period_kind")
    assert error.startswith(
        "Jangka waktu tidak terbatas tidak diperbolehkan untuk Pasal 17 huruf c UU 14/2008"
    )
    assert "tidak bersifat permanen" in error
    entri.refresh_from_db()
    assert entri.state == State.DIKUMPULKAN


def test_the_desk_cannot_open_the_classification(client, desk):
    client.force_login(desk)
    entri = EntriFactory()
    url = reverse("meja:entri_classify", args=[entri.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, classification_post()).status_code == 403
    entri.refresh_from_db()
    assert entri.state == State.DIKUMPULKAN


def test_classifying_a_classified_entry_is_refused_with_the_reason(client, ppid):
    client.force_login(ppid)
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    response = client.get(reverse("meja:entri_classify", args=[entri.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("meja:entri_detail", args=[entri.pk])
    assert "jadi “klasifikasikan” tidak dapat dilakukan" in page_text(response)


# ---------------------------------------------------------------- return and place


def test_the_ppid_returns_an_entry_to_the_desk(client, ppid):
    client.force_login(ppid)
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    response = client.post(
        reverse("meja:entri_return", args=[entri.pk]), {"note": "Lengkapi ringkasan"}, follow=True
    )
    assert "Entri dikembalikan ke desk." in page_text(response)
    entri.refresh_from_db()
    assert entri.state == State.DIKUMPULKAN
    assert entri.transitions.last().note == "Lengkapi ringkasan"


def test_the_desk_cannot_return_an_entry(client, desk):
    client.force_login(desk)
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    response = client.post(reverse("meja:entri_return", args=[entri.pk]), follow=True)
    assert "memerlukan peran: PPID" in page_text(response)
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI


def test_the_desk_places_the_hardcopy_and_sees_its_number(client, desk):
    client.force_login(desk)
    ordner = make_ordner("Ordner DIK 2026")
    entri = EntriFactory()
    detail = page_text(client.get(reverse("meja:entri_detail", args=[entri.pk])))
    assert f'<option value="{ordner.pk}">{ordner.path}</option>' in detail
    response = client.post(
        reverse("meja:entri_place", args=[entri.pk]), {"ordner": ordner.pk}, follow=True
    )
    text = page_text(response)
    assert f"Hardcopy disimpan di {ordner.path}, nomor arsip 00001." in text
    assert "Nomor arsip: dari “—” menjadi “00001”" in history_section(response)
    entri.refresh_from_db()
    assert (entri.ordner, entri.archive_number) == (ordner, 1)


def test_placing_without_a_binder_is_refused(client, desk):
    client.force_login(desk)
    make_ordner()
    entri = EntriFactory()
    response = client.post(reverse("meja:entri_place", args=[entri.pk]), {}, follow=True)
    assert "Pilih ordner sebagai tempat penyimpanan hardcopy." in page_text(response)
    entri.refresh_from_db()
    assert entri.archive_number is None


# ---------------------------------------------------------------- the entry page


def test_the_entry_page_shows_what_each_user_may_do(client, desk, ppid, pembina):
    collected = EntriFactory()
    classified = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    decreed = EntriFactory(classified=True, state=State.DITETAPKAN)

    def links(user, entri):
        client.force_login(user)
        text = page_text(client.get(reverse("meja:entri_detail", args=[entri.pk])))
        names = ["entri_edit", "entri_classify", "entri_return", "entri_place", "entri_uji_pdf"]
        return {n for n in names if reverse(f"meja:{n}", args=[entri.pk]) in text}

    everything_but_the_ppid = {"entri_edit", "entri_place", "entri_uji_pdf"}
    assert links(desk, collected) == everything_but_the_ppid
    assert links(desk, classified) == everything_but_the_ppid
    assert links(ppid, collected) == everything_but_the_ppid | {"entri_classify"}
    assert links(ppid, classified) == everything_but_the_ppid | {"entri_return"}
    assert links(ppid, decreed) == {"entri_place", "entri_uji_pdf"}
    assert links(pembina, classified) == set()


def _add_file(entri, user, name, kind=Berkas.Kind.SCAN):
    berkas = Berkas(
        entri=entri,
        kind=kind,
        file=ContentFile(b"%PDF-1.4 uji", name="uji"),
        original_name=name,
        content_type="application/pdf",
        size=12,
        sha256="0" * 64,
        uploaded_by=user,
    )
    berkas._history_user = user
    berkas.save()
    return berkas


def _remove_file(berkas, user):
    berkas.removed_at = timezone.now()
    berkas.removed_by = user
    berkas._history_user = user
    berkas.save()


def history_section(response) -> str:
    text = page_text(response)
    return text[text.index('id="h-history"') :]


def test_the_history_shows_who_changed_what_and_when(client, desk, ppid):
    desk.first_name, desk.last_name = "Nurul", "Hidayah"
    desk.save()
    ppid.first_name, ppid.last_name = "Andi", "Rahman"
    ppid.save()
    entri = services.entri_create(
        by=desk,
        data={"title": "Judul lama", "holding_unit": "Subbagian Teknis", "summary": ""},
    )
    services.entri_update(entri_id=entri.pk, by=desk, data={"title": "Judul baru"})
    services.entri_update(
        entri_id=entri.pk,
        by=ppid,
        data={"document_type": JenisDokumen.objects.get(code="data-pemilih")},
        legal_grounds=DasarHukum.objects.filter(code__in=["17h", "17j"]),
    )
    services.entri_update(
        entri_id=entri.pk, by=ppid, data={}, legal_grounds=DasarHukum.objects.filter(code="17j")
    )
    client.force_login(ppid)
    section = history_section(client.get(reverse("meja:entri_detail", args=[entri.pk])))
    assert "Entri dibuat" in section
    assert "Judul informasi: dari “Judul lama” menjadi “Judul baru”" in section
    assert "Jenis dokumen: dari “—” menjadi “Data pemilih”" in section
    assert (
        "Dasar pengecualian: dari “—” menjadi “Pasal 17 huruf h UU 14/2008; "
        "Pasal 17 huruf j UU 14/2008”"
    ) in section
    assert (
        "Dasar pengecualian: dari “Pasal 17 huruf h UU 14/2008; Pasal 17 huruf j UU 14/2008” "
        "menjadi “Pasal 17 huruf j UU 14/2008”"
    ) in section
    assert "Nurul Hidayah" in section and "Andi Rahman" in section
    assert date_format(timezone.localtime(), "DATETIME_FORMAT")[:10] in section
    # newest first: the last change of grounds comes before the title change
    assert section.index("menjadi “Pasal 17 huruf j UU 14/2008”") < section.index("Judul baru")


def test_the_history_shows_files_added_and_removed_several_at_once(client, desk, ppid):
    entri = EntriFactory()
    scans = [_add_file(entri, desk, f"pindaian-{n}.jpg") for n in range(3)]
    _add_file(entri, ppid, "asli.docx", kind=Berkas.Kind.SOFTCOPY)
    _remove_file(scans[0], ppid)
    _remove_file(scans[2], ppid)
    client.force_login(desk)
    section = history_section(client.get(reverse("meja:entri_detail", args=[entri.pk])))
    assert "3 berkas ditambahkan" in section
    for n in range(3):
        assert f"pindaian-{n}.jpg (pindaian hardcopy)" in section
    assert "1 berkas ditambahkan" in section  # another person's upload is its own event
    assert "2 berkas dihapus" in section
    removed = section[section.index("2 berkas dihapus") :]
    removed = removed[: removed.index("</tr>")]
    assert "pindaian-0.jpg" in removed and "pindaian-2.jpg" in removed
    assert "pindaian-1.jpg" not in removed


def test_history_of_the_entry_page_takes_a_fixed_number_of_queries(client, ppid):
    def queries_for(entri):
        client.force_login(ppid)
        url = reverse("meja:entri_detail", args=[entri.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    def change(entri, n, by):
        services.entri_update(
            entri_id=entri.pk,
            by=by,
            data={
                "title": f"Judul dokumen nomor {n}",
                "document_type": JenisDokumen.objects.all()[n % 4],
            },
            legal_grounds=DasarHukum.objects.filter(code__in=["17h", f"17h{n % 4 + 1}"]),
        )
        _add_file(entri, by, f"berkas-{n}.pdf")

    small = EntriFactory()
    change(small, 0, ppid)
    big = EntriFactory()
    for n in range(12):
        change(big, n, UserFactory(roles=["PPID"]))
    assert big.history.count() > 12
    assert queries_for(big) == queries_for(small)


# ---------------------------------------------------------------- dashboard


def test_the_dashboard_links_to_new_and_filtered_lists(client, desk):
    client.force_login(desk)
    EntriFactory()
    text = page_text(client.get(reverse("meja:beranda")))
    h1_end = text.index("</h1>")
    actions = text[h1_end : text.index("</div>", h1_end)]
    assert reverse("meja:entri_create") in actions and "Entri baru" in actions
    assert reverse("meja:entri_list") in actions and "Semua entri" in actions
    for state in State:
        assert f'href="{reverse("meja:entri_list")}?state={state.value}"' in text
