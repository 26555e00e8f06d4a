"""Bringing an office's records in, on a phone (390 px) with the demo's data: the PPID imports
a list through the upload form, sees every row with its problems, imports; the archive pages
(places, their management, the number format) and the retention pages pass the page checks
(one h1, labels, 44 px targets, no horizontal scroll, Indonesian only, axe-core)."""

import io

import pytest
from django.core.management import call_command

from impor.models import Impor
from ppid import demo as ppid_demo
from retensi.models import Pemusnahan
from tests.browser import page_checks

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LIST = (
    "Judul informasi;Unit penguasa informasi;Tanggal dikumpulkan;Dasar hukum\n"
    "Salinan ijazah calon anggota PPK Lanrisang;Subbagian SDM;14/03/2024;17h\n"
    "Daftar nilai ujian calon PPS Lembang;Subbagian SDM;31/02/2024;17h\n"
)


def login(page, base, username, lands_on):
    password = {u: pw for u, _n, _r, pw in ppid_demo.DEMO_USERS}[username]
    page.goto(f"{base}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(password)
    page.get_by_role("button", name="Masuk").tap()
    page.wait_for_url(f"{base}{lands_on}")


def checked(page, url, folder, name) -> None:
    page.goto(url)
    assert page_checks.problems(page) == [], url
    page.screenshot(path=folder / f"{name}-390.png", full_page=True)


def test_import_archive_and_retention_on_a_phone(browser, live_server, artifacts_dir, tmp_path):
    call_command("demo", stdout=io.StringIO())
    folder = artifacts_dir / "bringing-in"
    folder.mkdir(exist_ok=True)
    base = live_server.url
    context = browser.new_context(viewport=page_checks.PHONE, has_touch=True)
    page = context.new_page()
    login(page, base, "ppid", "/meja/")

    checked(page, f"{base}/meja/impor/", folder, "impor")
    path = tmp_path / "daftar-lanrisang.csv"
    path.write_text(LIST, encoding="utf-8")
    page.get_by_label("Berkas (.xlsx atau .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").tap()
    page.wait_for_url(f"{base}/meja/impor/*/")
    assert page_checks.problems(page) == []
    assert "Tanggal “31/02/2024” pada “Tanggal dikumpulkan” tidak dapat dibaca" in page.inner_text(
        "main"
    )
    page.screenshot(path=folder / "impor-pratinjau-390.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Impor 1 baris").tap()
    assert "1 entri diimpor; 1 baris bermasalah tidak diimpor." in page.inner_text("main")
    assert Impor.objects.get(original_name="daftar-lanrisang.csv").rows_imported == 1

    draft = Impor.objects.get(original_name="daftar-dik-2019.csv")
    checked(page, f"{base}/meja/impor/{draft.pk}/", folder, "impor-draf")
    checked(page, f"{base}/meja/arsip/", folder, "arsip")
    with page.expect_navigation():
        page.get_by_role("link", name="Lemari A").first.tap()
    assert page_checks.problems(page) == []
    page.screenshot(path=folder / "tempat-390.png", full_page=True)
    checked(page, f"{base}/meja/arsip/format-nomor/", folder, "format-nomor")
    checked(page, f"{base}/meja/arsip/retensi/", folder, "retensi")
    waiting = Pemusnahan.objects.get()
    checked(page, f"{base}/meja/arsip/retensi/entri/{waiting.entri_id}/", folder, "retensi-entri")

    # the Atasan PPID approves the disposal the PPID proposed, from the review queue
    context.clear_cookies()
    login(page, base, "atasan", "/persetujuan/")
    with page.expect_navigation():
        page.get_by_role("link", name="Usul pemusnahan arsip yang menunggu Atasan PPID").tap()
    assert page_checks.problems(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name=waiting.entri.title).first.tap()
    assert page_checks.problems(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Setujui pemusnahan").tap()
    assert "Pemusnahan disetujui." in page.inner_text("main")
    waiting.refresh_from_db()
    assert waiting.status == Pemusnahan.Status.APPROVED
    context.close()
