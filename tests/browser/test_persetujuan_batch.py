"""In the browser, with the demo users: a batch of 3 entries from submit to approved."""

import io

import pytest
from playwright.sync_api import expect

from dokumen.models import Entri, State
from persetujuan.models import Putaran
from ppid import demo as ppid_demo
from tests.factories import EntriFactory
from tests.persetujuan_setup import reseed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = [f"Dokumen persyaratan calon Bupati nomor {n}" for n in range(1, 4)]


@pytest.fixture(autouse=True)
def seeded(transactional_db):
    reseed()


def log_in(page, base, username, password):
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/?next=/persetujuan/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_batch_of_three_from_submit_to_approved(page, live_server, artifacts_dir):
    passwords = {u: pw for u, _n, _r, pw in ppid_demo.DEMO_USERS}
    ppid_demo.load(io.StringIO())
    entries = [EntriFactory(classified=True, state=State.DIKLASIFIKASI, title=t) for t in TITLES]
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 800})

    log_in(page, base, "ppid", passwords["ppid"])
    page.goto(f"{base}/persetujuan/ajukan/")
    for title in TITLES:
        page.get_by_label(f"Pilih “{title}”").check()
    no_horizontal_scroll(page)
    page.get_by_role("button", name="Ajukan yang dipilih untuk persetujuan").click()
    expect(page.locator(".messages")).to_contain_text("3 entri diajukan untuk persetujuan.")
    assert Putaran.objects.filter(status=Putaran.Status.OPEN).count() == 3

    for username in ("pembina", "tim1", "atasan"):
        log_in(page, base, username, passwords[username])
        expect(page.locator("h1")).to_have_text("Antrean persetujuan")
        expect(page.locator(".nav .count")).to_have_text("3")
        no_horizontal_scroll(page)
        if username == "pembina":
            page.screenshot(path=artifacts_dir / "persetujuan-antrean-360.png", full_page=True)
        for title in TITLES:
            page.get_by_label(f"Pilih “{title}”").check()
        page.get_by_label("Saya telah membaca setiap entri yang dipilih").check()
        page.get_by_role("button", name="Setujui yang dipilih").click()
        expect(page.locator(".messages")).to_contain_text("3 entri disetujui sebagai")
        expect(page.get_by_text("Tidak ada yang menunggu keputusan Anda.")).to_be_visible()

    assert set(
        Entri.objects.filter(pk__in=[e.pk for e in entries]).values_list("state", flat=True)
    ) == {State.DISETUJUI}
    # the approver opens an approved entry: every role's decision is on the page
    page.goto(f"{base}/meja/entri/{entries[0].pk}/")
    expect(page.locator("#persetujuan")).to_contain_text("Ir. Abdul Halim")
    expect(page.locator("#persetujuan")).to_contain_text("Hj. Sitti Aminah")
    no_horizontal_scroll(page)
    page.screenshot(path=artifacts_dir / "persetujuan-entri-360.png", full_page=True)


def test_return_with_a_reason_in_the_browser(page, live_server):
    passwords = {u: pw for u, _n, _r, pw in ppid_demo.DEMO_USERS}
    users = ppid_demo.load(io.StringIO())
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI, title=TITLES[0])
    from persetujuan import services

    services.entri_submit(entri_id=entri.pk, by=users["ppid"])
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, base, "tim2", passwords["tim2"])
    page.get_by_role("link", name=TITLES[0]).click()
    page.get_by_role("button", name="Kembalikan dengan alasan ini").click()
    expect(page.locator(".field.has-error")).to_contain_text("Tulis alasan pengembalian entri.")
    page.get_by_label("Alasan pengembalian").fill("Jangka waktu belum sesuai Pasal 20.")
    page.get_by_role("button", name="Kembalikan kepada PPID").click()
    expect(page.locator(".messages")).to_contain_text("Dikembalikan kepada PPID")
    log_in(page, base, "ppid", passwords["ppid"])
    page.goto(f"{base}/meja/entri/{entri.pk}/")
    expect(page.locator(".returned")).to_contain_text("Jangka waktu belum sesuai Pasal 20.")
    expect(page.locator(".returned")).to_contain_text("Rahmawati Said")
