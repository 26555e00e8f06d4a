"""Import of an office's existing DIK list: upload, columns, a preview of every row with its
problems in Indonesian, all valid rows in one transaction or nothing, each logged as imported
with the file's SHA-256 and its row; the same file twice adds nothing; an export re-imports."""

import datetime
import hashlib
import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from dokumen import dik_template
from dokumen.models import Action, Entri, State, TransitionLog
from impor import services
from impor.models import BarisImpor, Impor
from ppid.errors import ActionRefused
from ppid.models import Kantor, Penugasan
from ppid.roles import Role
from publikasi.models import Keputusan
from tests.factories import EntriFactory, UserFactory
from tests.services import require_postgresql

pytestmark = pytest.mark.django_db

HEADINGS = {c.key: c for c in dik_template.COLUMNS}


def headings() -> list[str]:
    with translation.override("id"):
        return dik_template.headings()


def good_row(n: int, **changes) -> dict:
    row = {
        "title": f"Dokumen persyaratan calon anggota DPRD nomor {n}",
        "summary": "Pindaian KTP dan ijazah.",
        "holding_unit": "Subbagian Teknis",
        "state": "dikumpulkan",
        "collected_on": datetime.date(2024, 3, 14),
        "document_type": "Data pemilih",
        "legal_grounds": "Pasal 17 huruf h UU 14/2008",
    }
    row.update(changes)
    return row


def established_row(n: int, decree: str, **changes) -> dict:
    return good_row(
        n,
        state="ditetapkan",
        keputusan=decree,
        test_material="Data pribadi calon.",
        test_harm="Mengungkap rahasia pribadi.",
        test_law="UU 14/2008 Pasal 17 huruf h.",
        test_public_interest="Keterbukaan pencalonan.",
        test_weighing="Kerugian lebih besar.",
        test_conclusion="dikecualikan",
        period_kind="Jangka waktu tetap",
        period_years=5,
        period_wording="5 (lima) tahun",
        period_start=datetime.date(2024, 3, 20),
        **changes,
    )


def xlsx(rows: list[dict], name="daftar-dik.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headings())
    for row in rows:
        sheet.append([row.get(c.key) for c in dik_template.COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def published_decree(kantor=None, number="12 Tahun 2024") -> Keputusan:
    kantor = kantor or Kantor.default()
    return Keputusan.objects.create(
        kantor=kantor,
        number=number,
        date=datetime.date(2024, 3, 20),
        title="Penetapan DIK",
        status=Keputusan.Status.PUBLISHED,
        published_at=timezone.now(),
        recorded_by=UserFactory(),
    )


# the bad rows mixed into the 500, by position: (the row's changes, the problem shown)
BAD = {
    7: ({"legal_grounds": "Pasal 17 huruf z"}, "tidak memiliki dasar pengecualian pada huruf z"),
    19: ({"legal_grounds": "17h angka 9"}, "tidak memiliki angka 9"),
    33: ({"legal_grounds": "huruf apa saja"}, "Dasar hukum “huruf apa saja” tidak dikenal"),
    48: ({"collected_on": "31/02/2024"}, "Tanggal “31/02/2024” pada “Tanggal dikumpulkan”"),
    61: ({"document_type": "Surat cinta"}, "Jenis dokumen “Surat cinta” tidak dikenal"),
    77: ({"title": None}, "“Judul informasi” kosong"),
    90: ({"period_kind": "Jangka waktu tetap", "period_years": "lima"}, "bukan bilangan"),
    104: ({"state": "disimpan"}, "Tahap “disimpan” tidak dikenal"),
    118: ({"keputusan": "99 Tahun 2099", "state": "ditetapkan"}, "tidak memiliki Keputusan"),
    131: ({"collected_on": datetime.date(2099, 1, 1)}, "tidak boleh di masa depan"),
}


def five_hundred_rows(existing: Entri) -> list[dict]:
    rows = []
    for n in range(500):
        if n in BAD:
            changes, _message = BAD[n]
            rows.append(good_row(n, **changes))
        elif n == 150:  # a duplicate of an entry already in the register
            rows.append(good_row(n, title=existing.title, collected_on=existing.collected_on))
        elif n == 151:  # a duplicate of an earlier row of the file
            rows.append(good_row(3))
        elif n == 152:  # an established entry without its decree
            rows.append(established_row(n, decree=None))
        elif n % 50 == 0:  # established by the office's published decree
            rows.append(established_row(n, decree="12 tahun 2024"))
        elif n == 77 + 1:  # another step than those imported: imported as collected
            rows.append(good_row(n, state="diklasifikasi"))
        else:
            rows.append(good_row(n))
    return rows


def upload(client, file) -> Impor:
    response = client.post(reverse("impor:daftar"), {"berkas": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Impor.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def test_a_500_row_workbook_with_bad_rows_is_previewed_and_imported_whole(client, ppid):
    decree = published_decree()
    existing = EntriFactory(title="Arsip lama yang sudah tercatat di meja", kantor=Kantor.default())
    file = xlsx(five_hundred_rows(existing))
    data = file.read()
    file.seek(0)
    client.force_login(ppid)
    impor = upload(client, file)
    assert impor.sha256 == hashlib.sha256(data).hexdigest()
    with impor.file.open("rb") as kept:  # kept privately, through the storage API
        assert kept.read() == data
    assert Entri.objects.count() == 1

    with translation.override("id"):
        page = client.get(reverse("impor:detail", args=[impor.pk]) + "?masalah=1")
    text = page.content.decode()
    assert "487 baris siap diimpor" in text
    assert "13 baris bermasalah" in text
    for _changes, message in BAD.values():
        assert message in text, message
    assert f"Sama dengan entri nomor {existing.pk} yang sudah ada" in text
    assert "Sama dengan baris 5 pada berkas ini" in text
    assert "perlu Keputusan yang menetapkannya" in text
    # every row is on the pages of the preview, 100 per page
    everything = client.get(reverse("impor:detail", args=[impor.pk]) + "?page=5").content
    assert "Halaman 5 dari 5" in everything.decode()

    response = client.post(reverse("impor:jalankan", args=[impor.pk]))
    assert response.status_code == 302
    impor.refresh_from_db()
    assert (impor.status, impor.rows_imported, impor.rows_left_out) == ("selesai", 487, 13)
    made = Entri.objects.exclude(pk=existing.pk)
    assert made.count() == 487
    assert set(made.values_list("kantor_id", flat=True)) == {Kantor.default().pk}
    established = made.filter(state=State.DITETAPKAN)
    assert established.count() == 9  # rows 0, 50, …, 450 but 150 (a duplicate)
    assert set(decree.entries.values_list("pk", flat=True)) == set(
        established.values_list("pk", flat=True)
    )
    assert made.filter(state=State.DIKUMPULKAN).count() == 478
    # each logged as imported, naming the file's SHA-256 and its row
    logs = TransitionLog.objects.filter(entri__in=made)
    assert logs.count() == 487
    assert set(logs.values_list("action", "by", "from_state")) == {("impor", ppid.pk, "")}
    assert not BarisImpor.objects.filter(impor=impor, row=9).exists()  # index 7 is bad
    row_ten = BarisImpor.objects.get(impor=impor, row=10)
    note = row_ten.entri.transitions.get().note
    assert note == f"Diimpor dari daftar-dik.xlsx (SHA-256 {impor.sha256}), baris 10"
    first = made.get(title=good_row(1)["title"])
    assert [g.code for g in first.legal_grounds.all()] == ["17h"]
    assert first.document_type.code == "data-pemilih"
    assert first.history.count() == 1
    assert [g.dasarhukum.code for g in first.history.get().legal_grounds.all()] == ["17h"]
    fixed = established.first()
    assert fixed.period_end == datetime.date(2029, 3, 20)
    assert fixed.state_action == Action.IMPORT

    # the same file twice adds nothing: again the import, and again the upload
    with translation.override("id"):
        again = client.post(reverse("impor:jalankan", args=[impor.pk]), follow=True)
    assert "sudah diimpor" in again.content.decode()
    file.seek(0)
    assert upload(client, SimpleUploadedFile("salinan.xlsx", data)).pk == impor.pk
    assert Entri.objects.count() == 488


def test_nothing_is_imported_when_one_row_fails_on_its_way_in(client, ppid, monkeypatch):
    client.force_login(ppid)
    impor = upload(client, xlsx([good_row(n) for n in range(20)]))

    def broken(entries, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("dokumen.lifecycle.log_imported", broken)
    with pytest.raises(RuntimeError):
        services.impor_run(impor_id=impor.pk, by=ppid)
    impor.refresh_from_db()
    assert impor.status == Impor.Status.DRAFT
    assert Entri.objects.count() == 0
    assert BarisImpor.objects.count() == 0


def test_a_semicolon_csv_with_indonesian_dates_and_codes(client, ppid):
    published_decree(number="5 Tahun 2023")
    with translation.override("id"):
        heads = [
            HEADINGS[k].title
            for k in ("title", "holding_unit", "collected_on", "legal_grounds", "state")
        ]
    lines = [
        ";".join(heads),
        'Salinan ijazah calon kepala daerah;Subbagian Hukum;14 Maret 2022;"17h; 17g";dikumpulkan',
        "Surat keterangan kesehatan calon;Subbagian Hukum;2022-03-15;17j;",
    ]
    file = SimpleUploadedFile("daftar.csv", "\n".join(lines).encode("utf-8-sig"))
    client.force_login(ppid)
    impor = upload(client, file)
    services.impor_run(impor_id=impor.pk, by=ppid)
    first = Entri.objects.get(title="Salinan ijazah calon kepala daerah")
    assert first.collected_on == datetime.date(2022, 3, 14)
    assert sorted(first.legal_grounds.values_list("code", flat=True)) == ["17g", "17h"]
    assert Entri.objects.get(title__startswith="Surat keterangan").state == State.DIKUMPULKAN


def test_columns_are_mapped_by_the_user(client, ppid):
    workbook = Workbook()
    workbook.active.append(["No", "Nama dokumen", "Pemilik", "Tgl"])
    workbook.active.append([1, "Berita acara rapat pleno tertutup", "Sekretariat", "01/02/2023"])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(ppid)
    impor = upload(client, SimpleUploadedFile("lama.xlsx", out.getvalue()))
    with translation.override("id"):
        page = client.get(reverse("impor:detail", args=[impor.pk])).content.decode()
    assert "Tidak ada kolom berkas yang dipilih untuk “Judul informasi”" in page
    assert "Impor 1 baris" not in page
    client.post(
        reverse("impor:kolom", args=[impor.pk]),
        {"kolom_title": "1", "kolom_holding_unit": "2", "kolom_collected_on": "3"},
    )
    with translation.override("id"):
        page = client.get(reverse("impor:detail", args=[impor.pk])).content.decode()
    assert "Impor 1 baris" in page
    services.impor_run(impor_id=impor.pk, by=ppid)
    entri = Entri.objects.get()
    assert (entri.title, entri.holding_unit, entri.collected_on) == (
        "Berita acara rapat pleno tertutup",
        "Sekretariat",
        datetime.date(2023, 2, 1),
    )


def test_the_staff_export_re_imports_cleanly_in_another_office(client, ppid):
    pinrang = Kantor.default()
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    EntriFactory(title="Salinan KTP calon bupati Pinrang", summary="KTP.", kantor=pinrang)
    EntriFactory(
        classified=True,
        state=State.DIKLASIFIKASI,
        title="Data pemilih disabilitas Pinrang",
        kantor=pinrang,
    )
    fixed = EntriFactory(
        classified=True, state=State.DITETAPKAN, title="Ijazah calon wakil bupati", kantor=pinrang
    )
    published_decree(pinrang, "7 Tahun 2025").entries.add(fixed)
    published_decree(sidrap, "7 Tahun 2025")
    client.force_login(ppid)
    exported = client.get(reverse("meja:entri_xlsx"))
    data = b"".join(exported.streaming_content)

    sidrap_ppid = UserFactory(roles=[Role.PPID], roles__kantor=sidrap)
    impor, _created = services.impor_upload(
        by=sidrap_ppid, upload=SimpleUploadedFile("ekspor.xlsx", data)
    )
    preview = services.impor_preview(impor=impor, by=sidrap_ppid)
    assert preview.problems == [] and preview.invalid == []
    assert [r.notes for r in preview.rows if r.notes]  # "diklasifikasi" comes in as collected
    services.impor_run(impor_id=impor.pk, by=sidrap_ppid)
    copies = {e.title: e for e in Entri.objects.filter(kantor=sidrap)}
    assert set(copies) == {
        "Salinan KTP calon bupati Pinrang",
        "Data pemilih disabilitas Pinrang",
        "Ijazah calon wakil bupati",
    }
    copy = copies["Ijazah calon wakil bupati"]
    assert copy.state == State.DITETAPKAN
    for field in ("summary", "holding_unit", "collected_on", "test_harm", "period_years"):
        assert getattr(copy, field) == getattr(fixed, field), field
    assert copy.document_type == fixed.document_type
    assert list(copy.legal_grounds.all()) == list(fixed.legal_grounds.all())
    # and exported again from Sidrap, the same columns hold the same values
    client.force_login(sidrap_ppid)
    again = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("meja:entri_xlsx")).streaming_content))
    )
    assert [c.value for c in next(again.active.iter_rows(max_row=1))] == headings()


def test_only_the_ppid_of_the_office_imports_and_sees_imports(client, ppid, desk, pembina):
    client.force_login(ppid)
    impor = upload(client, xlsx([good_row(1)]))
    for user in (desk, pembina):
        client.force_login(user)
        assert client.get(reverse("impor:daftar")).status_code == 403
        assert client.get(reverse("impor:detail", args=[impor.pk])).status_code == 404
        assert client.post(reverse("impor:jalankan", args=[impor.pk])).status_code == 404
        with pytest.raises(ActionRefused):
            services.impor_run(impor_id=impor.pk, by=user)
    other = UserFactory(
        roles=[Role.PPID], roles__kantor=Kantor.objects.get(slug="kab-sidenreng-rappang")
    )
    client.force_login(other)
    assert client.get(reverse("impor:detail", args=[impor.pk])).status_code == 404
    # the same file uploaded for Sidrap is Sidrap's own import, its rows Sidrap's entries
    assert Entri.objects.count() == 0


def test_the_template_has_the_exports_headings(client, ppid):
    client.force_login(ppid)
    response = client.get(reverse("impor:templat"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == headings()


def test_the_command_imports_a_file_for_the_it_officer(tmp_path, ppid):
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(xlsx([good_row(1), good_row(2, legal_grounds="17x")]).read())
    out = io.StringIO()
    call_command("impor_dik", str(path), "--oleh", ppid.username, stdout=out)
    assert "row 3:" in out.getvalue()
    assert "Imported 1 entries, left out 1 rows" in out.getvalue()
    again = io.StringIO()
    call_command("impor_dik", str(path), "--oleh", ppid.username, stdout=again)
    assert "nothing was added" in again.getvalue()
    assert Entri.objects.count() == 1
    assert TransitionLog.objects.get().action == Action.IMPORT


def test_ten_thousand_rows_on_postgresql(ppid, capsys):
    require_postgresql()
    decree = published_decree()
    rows = [
        established_row(n, decree=decree.number) if n % 10 == 0 else good_row(n)
        for n in range(10_000)
    ]
    file = xlsx(rows)
    started = time.monotonic()
    impor, _created = services.impor_upload(by=ppid, upload=file)
    checked = time.monotonic()
    preview = services.impor_preview(impor=impor, by=ppid)
    assert len(preview.valid) == 10_000
    previewed = time.monotonic()
    services.impor_run(impor_id=impor.pk, by=ppid)
    done = time.monotonic()
    assert Entri.objects.count() == 10_000
    assert Entri.objects.filter(state=State.DITETAPKAN).count() == 1_000
    assert TransitionLog.objects.filter(action=Action.IMPORT).count() == 10_000
    with capsys.disabled():
        print(
            f"\n10k rows: upload {checked - started:.1f} s, preview {previewed - checked:.1f} s, "
            f"import {done - previewed:.1f} s"
        )
    assert done - previewed < 120


def test_a_ppid_of_two_offices_chooses_the_office(client):
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    both = UserFactory(roles=[Role.PPID])
    Penugasan.objects.create(user=both, kantor=sidrap, role=Role.PPID.value)
    client.force_login(both)
    with translation.override("id"):
        page = client.post(reverse("impor:daftar"), {"berkas": xlsx([good_row(1)])}, follow=True)
    assert "Pilih kantor tujuan impor daftar ini." in page.content.decode()
    assert not Impor.objects.exists()
    response = client.post(
        reverse("impor:daftar"), {"berkas": xlsx([good_row(1)]), "kantor": str(sidrap.pk)}
    )
    assert response.status_code == 302
    assert Impor.objects.get().kantor == sidrap
    # an office where the user does not import is refused like any other
    pinrang_only = UserFactory(roles=[Role.PPID])
    with pytest.raises(ActionRefused):
        services.impor_upload(by=pinrang_only, upload=xlsx([good_row(2)]), kantor=str(sidrap.pk))


def test_a_workbook_with_an_xml_entity_bomb_is_refused_in_words(client, ppid):
    good = io.BytesIO(xlsx([good_row(1)]).read())
    bomb = io.BytesIO()
    lol = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                title = good_row(1)["title"].encode()
                content = lol.encode() + content.replace(title, b"&b;")
            target.writestr(item, content)
    client.force_login(ppid)
    with translation.override("id"):
        response = client.post(
            reverse("impor:daftar"),
            {"berkas": SimpleUploadedFile("bom.xlsx", bomb.getvalue())},
            follow=True,
        )
    assert response.status_code == 200
    # openpyxl parses through defusedxml: the entities are refused, never expanded
    assert "Buku kerja tidak dapat dibaca" in response.content.decode()
    assert not Impor.objects.exists()
