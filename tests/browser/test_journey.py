"""The whole SOP in the browser, as the office lives it: each step by its demo user, on a phone.

Every page the journey opens is checked (tests/browser/page_checks.py: Indonesian only, no
horizontal scroll at 390 px, one h1, labelled fields, visible focus, axe-core; at the end all of
them at once for HTML5 conformance, tests/html_conformance.py) and saved as a full-page
screenshot at 1280 px and 390 px under test-artifacts/journey/.
"""

import csv
import io
import re
import shutil

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from dokumen.models import Berkas, Entri, State
from ppid import demo as ppid_demo
from publikasi.models import Keputusan
from tests import berkas_samples as samples
from tests import html_conformance
from tests.browser import page_checks
from tests.factories import make_ordner
from tests.persetujuan_setup import reseed

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORDS = {username: password for username, _n, _r, password in ppid_demo.DEMO_USERS}
HOME = {"desk": "/meja/", "ppid": "/meja/", "pembina": "/persetujuan/"}
HOME |= {"tim1": "/persetujuan/", "atasan": "/persetujuan/"}
ENTRIES = [
    {
        "title": "Salinan KTP-el dan Kartu Keluarga bakal calon Bupati Pinrang 2024",
        "summary": "Dokumen kependudukan bakal calon yang diserahkan saat pendaftaran.",
        "holding_unit": "Subbagian Teknis Penyelenggaraan Pemilu dan Hubungan Masyarakat",
        "document_type": "Dokumen persyaratan pencalonan Pilkada",
    },
    {
        "title": "Hasil pemeriksaan kesehatan bakal calon Bupati Pinrang 2024",
        "summary": "Laporan tim pemeriksa kesehatan jasmani, rohani, dan bebas narkotika.",
        "holding_unit": "Subbagian Teknis Penyelenggaraan Pemilu dan Hubungan Masyarakat",
        "document_type": "Dokumen persyaratan pencalonan Pilkada",
    },
]
TEST_PARTS = {
    "test_material": "Data pribadi bakal calon yang dikumpulkan untuk pendaftaran Pemilihan 2024.",
    "test_harm": "Membuka dokumen mengungkap rahasia pribadi dan membuka peluang penyalahgunaan data.",
    "test_law": "UU 14/2008 Pasal 17 huruf h; UU 27/2022 tentang Pelindungan Data Pribadi.",
    "test_public_interest": "Publik berkepentingan atas keabsahan syarat calon, yang diumumkan tersendiri.",
    "test_weighing": "Kerugian bagi pemilik data lebih besar daripada manfaat membuka dokumen utuh.",
}
SLOW_MS = 15_000  # an upload is checked and thumbnailed before the page comes back
RETURN_REASON = "Jangka waktu belum dirumuskan lengkap sesuai Pasal 20 UU 14/2008."
DECREE = {"number": "1187 Tahun 2026", "date": "2026-10-20"}
REVOKING = {"number": "1203 Tahun 2026", "date": "2026-11-10"}


class Journey:
    """One browser context for the staff, one for the visitor; every page opened is checked."""

    def __init__(self, browser, base_url, folder):
        self.base = base_url
        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)  # only this run's screenshots
        self.folder.mkdir(parents=True)
        self.contexts = []
        self.watches = []
        self.problems: dict[str, list[str]] = {}
        self.html: dict[str, str] = {}  # every page shown, for the conformance check at the end
        self.shots = 0
        self.step = 0
        self.page = self.new_page(browser)

    def new_page(self, browser):
        context = browser.new_context(viewport=page_checks.PHONE, has_touch=True, locale="id-ID")
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        self.watches.append(page_checks.PageWatch(context, self.base))
        return context.new_page()

    def url(self, path: str) -> str:
        return self.base + path

    def public(self, page) -> None:
        """A public page names no staff member, no binder, no archive number, no file."""
        html = page.content()
        for secret in ("Nurul Hidayah", "Hj. Sitti Aminah", "Ruang Arsip", "Ordner DIK 2026"):
            assert secret not in html, (page.url, secret)
        assert "/berkas/" not in html and "00001" not in html, page.url

    def check(self, name: str, page=None) -> None:
        """The page shown now: its problems at 390 px, then screenshots at 390 and 1280 px."""
        page = page or self.page
        page.wait_for_load_state()
        self.shots += 1
        stem = f"{self.step}-{self.shots:02d}-{name}"
        self.html[f"{stem} {page.url}"] = page.content()
        found = page_checks.problems(page)
        if found:
            self.problems[f"{stem} {page.url}"] = found
        page.screenshot(path=self.folder / f"{stem}-390.png", full_page=True)
        page.set_viewport_size(page_checks.DESKTOP)
        found = [f"at 1280 px: {problem}" for problem in page.evaluate(page_checks.STRUCTURE)]
        if found:
            self.problems[f"{stem} {page.url} 1280"] = found
        page.screenshot(path=self.folder / f"{stem}-1280.png", full_page=True)
        page.set_viewport_size(page_checks.PHONE)

    def log_in(self, username: str) -> None:
        page = self.page
        logout = page.locator("header").get_by_role("button", name="Keluar")
        if logout.count():
            with page.expect_navigation(url=self.url("/")):
                logout.tap()
        page.goto(self.url("/akun/masuk/"))
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Sandi").fill(PASSWORDS[username])
        page.get_by_role("button", name="Masuk").tap()
        expect(page).to_have_url(self.url(HOME[username]))

    def open_entry(self, title: str) -> None:
        self.page.goto(self.url(f"/meja/entri/{Entri.objects.get(title=title).pk}/"))
        expect(self.page.locator("h1")).to_have_text(title)

    def message(self, text: str) -> None:
        expect(self.page.locator(".messages")).to_contain_text(text)

    def pdf(self, link) -> PdfReader:
        """A printed document opens: the link answers a PDF that has pages."""
        response = self.page.request.get(self.url(link.get_attribute("href")))
        assert response.status == 200, response.url
        assert response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.body()))
        assert len(reader.pages) >= 1
        return reader


def upload(journey, kind_label: str, *, files=None, photo=None) -> None:
    """Upload with the progress bar; it must reach 100 % before the page reloads."""
    page = journey.page
    page.get_by_label(kind_label).check()
    if files:
        page.get_by_label("Pilih berkas", exact=True).set_input_files(files)
    if photo:
        camera = page.get_by_label("Atau foto dokumen kertasnya (ponsel)")
        assert camera.get_attribute("accept") == "image/*"
        assert camera.get_attribute("capture") == "environment"
        camera.set_input_files(photo)
    page.evaluate(
        """() => { const bar = document.querySelector('form[data-upload] progress');
        sessionStorage.removeItem('upload-full');
        new MutationObserver(() => { if (bar.value >= 100) sessionStorage.setItem('upload-full', '1'); })
          .observe(bar, {attributes: true, childList: true, subtree: true, characterData: true}); }"""
    )
    before = page.locator(".files li").count()
    page.get_by_role("button", name="Unggah").tap()
    # the script reloads the page at the files once the server has checked them
    expect(page.locator(".files li")).to_have_count(before + 1, timeout=SLOW_MS)
    page.wait_for_load_state()
    assert page.evaluate("() => sessionStorage.getItem('upload-full')") == "1"


def softcopy_pdf(title: str) -> bytes:
    """A one-page PDF that looks like a document in its thumbnail."""
    out = io.BytesIO()
    samples.page_image(text=title).save(out, "PDF", resolution=72.0)
    return out.getvalue()


def thumbnails_shown(page, count: int) -> None:
    thumbs = page.locator(".files img")
    expect(thumbs).to_have_count(count)
    for index in range(count):
        thumbs.nth(index).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=thumbs.nth(index).element_handle()
        )


def classify(journey, entry: dict, *, leave_out: str | None = None) -> None:
    page = journey.page
    page.get_by_label("Jenis dokumen").select_option(label=entry["document_type"])
    page.get_by_label(re.compile(r"Pasal 17 huruf h UU 14/2008 —")).check()
    for name, text in TEST_PARTS.items():
        page.locator(f"[name={name}]").fill("" if name == leave_out else text)
    page.get_by_label("f. Kesimpulan hasil pengujian konsekuensi").select_option(
        label="dikecualikan"
    )
    page.get_by_label("Jenis jangka waktu").select_option(label="Jangka waktu tetap")
    page.get_by_label("Jangka waktu (tahun)").fill("5")
    page.get_by_label("Jangka waktu (rumusan lengkap)").fill(
        "Dikecualikan selama 5 (lima) tahun sejak ditetapkan."
    )
    page.get_by_label("Mulai berlaku").fill("2026-09-01")
    page.get_by_label("Tanggal tinjau").fill("2027-09-01")
    page.get_by_role("button", name="Klasifikasikan").tap()


def test_the_sop_from_collection_to_revocation(browser, live_server, artifacts_dir):
    html_conformance.require_checker()
    reseed()
    ppid_demo.load(io.StringIO())
    ordner = make_ordner("Ordner DIK 2026")
    journey = Journey(browser, live_server.url, artifacts_dir / "journey")
    page = journey.page
    titles = [e["title"] for e in ENTRIES]

    # 1. the desk collects two entries, with a PDF softcopy and a JPEG scan each
    journey.step = 1
    page.goto(journey.url("/akun/masuk/"))
    journey.check("masuk")
    journey.log_in("desk")
    journey.check("meja")
    for entry in ENTRIES:
        page.goto(journey.url("/meja/entri/baru/"))
        page.get_by_label("Judul informasi").fill(entry["title"])
        page.get_by_label("Ringkasan").fill(entry["summary"])
        page.get_by_label("Unit penguasa informasi").fill(entry["holding_unit"])
        page.get_by_label("Tanggal dikumpulkan").fill("2026-08-24")
        if entry is ENTRIES[0]:
            journey.check("entri-baru")
        page.get_by_role("button", name="Simpan entri").tap()
        journey.message("Entri disimpan pada Formulir.")
        expect(page.locator("h1")).to_have_text(entry["title"])
        softcopy = softcopy_pdf(entry["title"])
        upload(
            journey,
            "softcopy asli",
            files={"name": "softcopy.pdf", "mimeType": "application/pdf", "buffer": softcopy},
        )
        scan = samples.image_bytes("JPEG")  # the page as the phone camera gives it
        upload(
            journey,
            "pindaian hardcopy",
            photo={"name": "foto-dokumen.jpg", "mimeType": "image/jpeg", "buffer": scan},
        )
        thumbnails_shown(page, 2)
        journey.check("entri-berkas")
    staff_file_url = (
        page.locator(".files").get_by_role("link", name="Unduh").first.get_attribute("href")
    )
    assert Berkas.objects.count() == 4

    # 2. the PPID classifies both (a missing part first), assigns the binder, submits them
    journey.step = 2
    journey.log_in("ppid")
    journey.check("meja")
    for entry in ENTRIES:
        journey.open_entry(entry["title"])
        page.get_by_role("link", name="Klasifikasikan").tap()
        if entry is ENTRIES[0]:
            classify(journey, entry, leave_out="test_weighing")
            field = page.locator(".field.has-error")
            expect(field).to_have_count(1)
            expect(field.locator("label")).to_contain_text("e. Penyeimbangan")
            expect(field.locator(".errorlist")).to_be_visible()
            # the summary above the form leads to it
            summary = page.locator(".error-summary").get_by_role("link")
            expect(summary).to_have_text(
                ["e. Penyeimbangan antara potensi konsekuensi bahaya dengan kepentingan publik"]
            )
            summary.tap()
            expect(field.locator(".errorlist")).to_be_in_viewport()
            journey.check("klasifikasi-galat")
        classify(journey, entry)
        journey.message("Entri telah diklasifikasi.")
        page.get_by_label("Ordner").select_option(label=ordner.path)
        page.get_by_role("button", name="Simpan hardcopy").tap()
        journey.message(ordner.path)
        journey.check("entri-klasifikasi")
    page.goto(journey.url("/persetujuan/ajukan/"))
    for title in titles:
        page.get_by_label(f"Pilih “{title}”").check()
    journey.check("ajukan")
    page.get_by_role("button", name="Ajukan yang dipilih untuk persetujuan").tap()
    journey.message("2 entri diajukan untuk persetujuan.")

    # 3. the Pembina returns one with a reason; the PPID reads it, edits and resubmits
    journey.step = 3
    journey.log_in("pembina")
    expect(page.locator(".nav .count")).to_have_text("2")
    journey.check("antrean")
    page.get_by_role("link", name=titles[0]).tap()
    page.get_by_label("Alasan pengembalian").fill(RETURN_REASON)
    journey.check("entri-putusan")
    page.get_by_role("button", name="Kembalikan dengan alasan ini").tap()
    journey.message("Dikembalikan kepada PPID")
    journey.log_in("ppid")
    journey.open_entry(titles[0])
    expect(page.locator(".returned")).to_contain_text(RETURN_REASON)
    expect(page.locator(".returned")).to_contain_text("Hj. Sitti Aminah")
    journey.check("entri-dikembalikan")
    page.get_by_role("link", name="Ubah", exact=True).tap()
    page.get_by_label("Jangka waktu (rumusan lengkap)").fill(
        "Dikecualikan selama 5 (lima) tahun sejak ditetapkan oleh Keputusan KPU, sesuai "
        "Pasal 20 UU 14/2008; ditinjau kembali setiap tahun."
    )
    journey.check("entri-ubah")
    page.get_by_role("button", name="Simpan perubahan").tap()
    journey.message("Perubahan disimpan.")
    page.get_by_role("button", name="Ajukan untuk persetujuan").tap()
    journey.message("Diajukan untuk persetujuan (putaran 2).")

    # 4. the three approvers approve both from their queues; the counters go to zero
    journey.step = 4
    for username in ("pembina", "tim1", "atasan"):
        journey.log_in(username)
        expect(page.locator(".nav .count")).to_have_text("2")
        for title in titles:
            page.get_by_label(f"Pilih “{title}”").check()
        page.get_by_label("Saya telah membaca setiap entri yang dipilih").check()
        if username == "tim1":
            journey.check("antrean-pilih")
        page.get_by_role("button", name="Setujui yang dipilih").tap()
        journey.message("2 entri disetujui sebagai")
        expect(page.get_by_text("Tidak ada yang menunggu keputusan Anda.")).to_be_visible()
        expect(page.locator(".nav .count")).to_have_count(0)
    journey.check("antrean-kosong")
    assert set(Entri.objects.values_list("state", flat=True)) == {State.DISETUJUI}

    # 5. the PPID archives both, prints sheet and label, records and publishes the Keputusan
    journey.step = 5
    journey.log_in("ppid")
    for title in titles:
        journey.open_entry(title)
        page.get_by_role("button", name="Arsipkan entri ini").tap()
        journey.message("Entri diarsipkan")
        journey.check("entri-arsip")
    sheet = journey.pdf(page.get_by_role("link", name="Lembar persetujuan (PDF)"))
    assert "Hj. Sitti Aminah" in sheet.pages[0].extract_text()
    page.get_by_role("link", name=ordner.path).tap()
    expect(page.locator("h1")).to_contain_text(ordner.name)
    journey.check("ordner")
    label = journey.pdf(page.get_by_role("link", name=re.compile("Label")))
    assert "00001 – 00002" in label.pages[0].extract_text()
    page.get_by_role("navigation").get_by_role("link", name="Publikasi").tap()
    page.wait_for_url(journey.url("/publikasi/"))
    journey.check("publikasi")
    page.get_by_role("link", name="Catat Keputusan").tap()
    page.get_by_label("Nomor").fill(DECREE["number"])
    page.get_by_label("Tanggal Keputusan").fill(DECREE["date"])
    page.get_by_label("Tentang").fill(
        "Penetapan Informasi yang Dikecualikan atas Dokumen Persyaratan Bakal Calon "
        "Bupati dan Wakil Bupati Pinrang Tahun 2024"
    )
    page.get_by_label("PDF Keputusan").set_input_files(
        {"name": "keputusan.pdf", "mimeType": "application/pdf", "buffer": samples.pdf_bytes(1)}
    )
    for title in titles:
        page.get_by_label(re.compile(re.escape(title))).check()
    journey.check("keputusan-baru")
    page.get_by_role("button", name="Simpan draf").tap()
    expect(page.locator("h1")).to_contain_text(DECREE["number"])
    page.get_by_label(re.compile("Saya menyatakan")).check()
    journey.check("keputusan-draf")
    page.get_by_role("button", name="Terbitkan Keputusan").tap()
    journey.message("diterbitkan")
    journey.check("keputusan-terbit")
    assert set(Entri.objects.values_list("state", flat=True)) == {State.DITETAPKAN}
    keputusan = Keputusan.objects.get(number=DECREE["number"])

    # 6. a visitor finds both, opens the decree, downloads the CSV; no entry file is reachable
    journey.step = 6
    visitor = journey.new_page(browser)
    visitor.goto(journey.url("/"))
    for title in titles:
        expect(visitor.get_by_role("cell", name=title)).to_be_visible()
    journey.public(visitor)
    journey.check("dik-publik", visitor)
    visitor.get_by_role("link", name=str(keputusan)).first.tap()
    expect(visitor.locator("h1")).to_have_text(str(keputusan))
    journey.public(visitor)
    journey.check("keputusan-publik", visitor)
    decree_pdf = visitor.request.get(
        journey.url(
            visitor.get_by_role("link", name="Unduh naskah Keputusan (PDF)").get_attribute("href")
        )
    )
    assert decree_pdf.status == 200
    assert decree_pdf.body().startswith(b"%PDF")
    visitor.get_by_role("link", name="Data terbuka").tap()
    visitor.wait_for_url(journey.url("/data/"))
    journey.public(visitor)
    journey.check("data-terbuka", visitor)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="dik.csv").tap()
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert {row["judul"] for row in csv.DictReader(io.StringIO(text))} == set(titles)
    assert "Nurul Hidayah" not in text and "Ordner DIK 2026" not in text
    response = visitor.goto(journey.url(staff_file_url))
    assert response.status == 404
    journey.watches[-1].expected_error(journey.url(staff_file_url))
    journey.check("berkas-404", visitor)
    for berkas in Berkas.objects.all():
        for view in ("pratinjau", "lihat", "gambar-kecil"):
            path = f"/berkas/{berkas.pk}/" + ("" if view == "pratinjau" else view)
            assert visitor.request.get(journey.url(path)).status == 404, path

    # 7. the PPID revokes the decree; the visitor sees it revoked and the DIK without them
    journey.step = 7
    page.goto(journey.url(f"/publikasi/keputusan/{keputusan.pk}/"))
    revoke = page.locator("form", has=page.get_by_role("button", name="Catat pencabutan"))
    revoke.get_by_label("Nomor Keputusan pencabutan").fill(REVOKING["number"])
    revoke.get_by_label("Tanggal Keputusan pencabutan").fill(REVOKING["date"])
    revoke.get_by_label("Tentang").fill(
        "Pencabutan Keputusan KPU Nomor 1187 Tahun 2026 tentang Penetapan Informasi yang "
        "Dikecualikan atas Dokumen Persyaratan Bakal Calon Bupati Pinrang"
    )
    revoke.get_by_label("PDF Keputusan pencabutan").set_input_files(
        {"name": "pencabutan.pdf", "mimeType": "application/pdf", "buffer": samples.pdf_bytes(1)}
    )
    revoke.get_by_label(re.compile("Saya menyatakan pencabutan")).check()
    journey.check("keputusan-cabut")
    revoke.get_by_role("button", name="Catat pencabutan").tap()
    journey.message("dicabut")
    journey.check("keputusan-dicabut")
    assert set(Entri.objects.values_list("state", flat=True)) == {State.TIDAK_BERLAKU}
    visitor.goto(journey.url(f"/keputusan/{keputusan.slug}/"))
    expect(visitor.locator(".badge.decree-dicabut").first).to_have_text("dicabut")
    journey.public(visitor)
    journey.check("keputusan-publik-dicabut", visitor)
    visitor.goto(journey.url("/"))
    opened = visitor.locator("section[aria-labelledby='dibuka']")
    for title in titles:
        # no longer in force: only among the information no longer exempted, with the reason
        expect(visitor.get_by_role("cell", name=title)).to_have_count(1)
        expect(opened.get_by_role("cell", name=title)).to_have_count(1)
    expect(opened).to_contain_text(REVOKING["number"])
    journey.check("dik-publik-akhir", visitor)

    for context in journey.contexts:
        context.close()
    assert journey.problems == {}
    invalid = html_conformance.errors(journey.html)
    assert invalid == [], f"{len(invalid)} HTML errors:\n" + "\n".join(invalid)
    for watch in journey.watches:
        assert watch.console_errors == []
        assert watch.foreign_requests == []
