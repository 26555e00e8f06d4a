"""In the browser, the bug that made the lifecycle one table: the PPID has the classification
form open in one tab, classifies and submits the entry in another, then presses
“Klasifikasikan” in the first. The entry stays submitted with its round open, the page says
why and what can be done, and withdrawing still works."""

import io

import pytest
from playwright.sync_api import expect

from dokumen.models import State
from persetujuan.models import Putaran
from ppid import demo as ppid_demo
from tests.factories import EntriFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stale_classification_tab_changes_nothing(page, live_server):
    ppid_demo.load(io.StringIO())
    password = {u: pw for u, _n, _r, pw in ppid_demo.DEMO_USERS}["ppid"]
    entri = EntriFactory(classified=True, state=State.DIKUMPULKAN, title="Salinan KTP calon")
    base = live_server.url
    page.set_default_timeout(30_000)  # a busy machine: the first request warms the server
    page.goto(f"{base}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("ppid")
    page.get_by_label("sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()

    first = page
    first.goto(f"{base}/meja/entri/{entri.pk}/klasifikasi/")
    expect(first.locator("h1")).to_have_text("Klasifikasi entri")

    second = page.context.new_page()
    second.set_default_timeout(30_000)
    second.goto(f"{base}/meja/entri/{entri.pk}/klasifikasi/")
    second.get_by_role("button", name="Klasifikasikan").click()
    expect(second.locator(".messages")).to_contain_text("Entri telah diklasifikasi.")
    second.get_by_role("button", name="Ajukan untuk persetujuan").click()
    expect(second.locator(".messages")).to_contain_text("Diajukan untuk persetujuan")

    first.get_by_role("button", name="Klasifikasikan").click()  # the stale tab
    expect(first.locator(".messages")).to_contain_text("sekarang “diajukan”")
    expect(first.locator(".messages")).to_contain_text("tarik dari persetujuan")
    entri.refresh_from_db()
    assert entri.state == State.DIAJUKAN
    assert Putaran.objects.filter(entri=entri, status=Putaran.Status.OPEN).count() == 1

    first.get_by_text("Tarik dari persetujuan", exact=True).click()
    first.get_by_role("button", name="Tarik", exact=True).click()
    expect(first.locator(".messages")).to_contain_text("Ditarik")
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    assert not Putaran.objects.filter(entri=entri, status=Putaran.Status.OPEN).exists()
