"""The proposal chain in the browser, at phone width, as the three offices' PPIDs: Pinrang sends
an archived entry to its provinsi, Sulsel receives and forwards it to KPU RI, KPU RI records a
decree reaching Pinrang, settles the proposal with it and publishes it; Pinrang then sees the
proposal decided and its entry in force on behalf of the decree, and so does its public page.
Every staff page on the way passes the page checks (Indonesian only, labels, focus, axe)."""

import datetime
import io

import pytest
from playwright.sync_api import expect

from dokumen.models import Entri, State, TransitionLog
from ppid import demo as ppid_demo
from ppid.models import Kantor
from publikasi.models import Keputusan
from tests.archive_fixtures import pdf_bytes
from tests.browser import page_checks
from tests.persetujuan_setup import entry_in_state
from usulan.models import Status, Usulan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "Salinan rekam medis bakal calon Bupati Pinrang"
LETTER = "031/PP.01.2-SD/7315/2026"
DECREE = "1200 Tahun 2026"


def passwords() -> dict[str, str]:
    users = [(u, pw) for u, _n, _r, pw in ppid_demo.DEMO_USERS]
    users += [(u, pw) for u, _n, _r, pw, _office in ppid_demo.OTHER_OFFICE_USERS]
    return dict(users)


def signed_in(browser, base: str, username: str):
    context = browser.new_context(viewport=page_checks.PHONE, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)  # a busy machine: the first request warms the server
    page.goto(f"{base}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(passwords()[username])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    return page


def checked(page) -> None:
    assert page_checks.problems(page) == [], page.url


def test_the_proposal_chain_end_to_end(browser, live_server, tmp_path):
    ppid_demo.load(io.StringIO())
    base = live_server.url
    pinrang = Kantor.default()
    entri = entry_in_state(State.DIARSIPKAN, opener=ppid_demo_user("ppid"))
    Entri.objects.filter(pk=entri.pk).update(title=TITLE)

    # Pinrang's PPID sends the archived entry to KPU Provinsi Sulawesi Selatan
    page = signed_in(browser, base, "ppid")
    page.goto(f"{base}/usulan/baru/")
    page.get_by_label(TITLE).check()
    page.get_by_label("Nomor surat pengantar").fill(LETTER)
    page.get_by_label("Tanggal surat pengantar").fill("2026-01-12")
    page.get_by_label("Ditujukan kepada").fill("Ketua KPU Provinsi Sulawesi Selatan")
    checked(page)
    page.get_by_role("button", name="Kirim usulan").click()
    expect(page.locator("main")).to_contain_text("dikirim")
    usulan = Usulan.objects.get(nomor_surat=LETTER)
    proposal_url = f"{base}/usulan/{usulan.pk}/"
    page.context.close()

    # Sulsel receives it and forwards it to KPU RI with its note
    page = signed_in(browser, base, "ppid.sulsel")
    page.goto(f"{base}/usulan/")
    page.get_by_role("link", name=LETTER).first.click()
    page.get_by_role("button", name="Terima").click()
    expect(page.locator("main")).to_contain_text("diterima provinsi")
    page.get_by_label("Catatan KPU Provinsi").fill("Mohon uji konsekuensi oleh Tim Pertimbangan.")
    checked(page)
    page.get_by_role("button", name="Teruskan ke KPU RI").click()
    expect(page.locator("main")).to_contain_text("diteruskan ke KPU RI")
    page.context.close()

    # KPU RI records its decree, reaching Pinrang, settles the proposal and publishes it
    page = signed_in(browser, base, "ppid.ri")
    page.goto(f"{base}/publikasi/keputusan/baru/")
    page.locator("#id_number").fill(DECREE)
    page.get_by_label("Tanggal Keputusan").fill("2026-02-02")
    page.get_by_label("Tentang").fill("Penetapan hasil uji konsekuensi atas usulan KPU Pinrang")
    pdf = tmp_path / "keputusan.pdf"
    pdf.write_bytes(pdf_bytes())
    page.get_by_label("PDF Keputusan").set_input_files(pdf)
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator("h1")).to_contain_text(DECREE)
    page.get_by_label("Kantor yang dijangkau").select_option(label=str(pinrang))
    checked(page)
    page.get_by_role("button", name="Simpan jangkauan").click()
    expect(page.locator("#h-reach + p")).to_contain_text(str(pinrang))
    keputusan = Keputusan.objects.get(number=DECREE)
    decree_url = page.url.split("#")[0]

    page.goto(proposal_url)
    page.get_by_label("Keputusan yang memutuskannya").select_option(value=str(keputusan.pk))
    page.get_by_role("button", name="Putuskan").click()
    expect(page.locator("main")).to_contain_text("diputuskan")
    page.goto(decree_url)
    page.get_by_label("Saya menyatakan bahwa KPU RI").check()
    page.get_by_role("button", name="Terbitkan Keputusan").click()
    expect(page.locator(".messages")).to_contain_text("diterbitkan")
    page.context.close()

    # Pinrang sees its proposal decided and its entry in force, moved on behalf of the decree
    page = signed_in(browser, base, "ppid")
    page.goto(proposal_url)
    main = page.locator("main")
    expect(main).to_contain_text("diputuskan")
    expect(main).to_contain_text(f"Keputusan KPU Nomor {DECREE}")
    expect(main).to_contain_text(f"{TITLE} (ditetapkan)")
    page.goto(f"{base}/meja/entri/{entri.pk}/")
    expect(page.locator("main")).to_contain_text(
        f"sistem, atas nama Keputusan KPU Nomor {DECREE} (diterbitkan oleh"
    )
    checked(page)
    page.goto(f"{base}/kab-pinrang/")
    expect(page.locator("main")).to_contain_text(TITLE)
    page.context.close()

    usulan.refresh_from_db()
    entri.refresh_from_db()
    assert usulan.status == Status.DIPUTUSKAN and usulan.diputuskan_oleh == keputusan
    assert entri.state == State.DITETAPKAN
    log = TransitionLog.objects.get(entri=entri, action="tetapkan")
    assert (log.by, log.decree_publisher.username) == (None, "ppid.ri")
    assert keputusan.date == datetime.date(2026, 2, 2)


def ppid_demo_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_an_office_in_reach_links_its_entry_on_a_phone(browser, live_server, national):
    from tests.test_keputusan_nasional import archived_in

    ppid_demo.load(io.StringIO())
    keputusan, item = national
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    own = archived_in(sidrap, "Salinan KTP-el paslon arsip Sidrap")
    page = signed_in(browser, live_server.url, "ppid.sidrap")
    page.goto(f"{live_server.url}/publikasi/")
    page.get_by_role("link", name=keputusan.number).click()
    expect(page.locator("h1")).to_contain_text(keputusan.number)
    page.get_by_label("Entri kantor Anda").select_option(label=f"{own.title} — diarsipkan")
    checked(page)
    page.get_by_role("button", name="Tautkan entri").click()
    expect(page.locator(".messages")).to_contain_text("kini mengikuti")
    checked(page)
    assert own.decree_item_link.item == item
    page.context.close()
