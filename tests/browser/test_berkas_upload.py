"""The desk uploads a scan and a phone photo at 360 px: progress to 100 %, then the thumbnails."""

import pytest
from playwright.sync_api import expect

from dokumen.models import AccessLog, Berkas, State
from tests import berkas_samples as samples
from tests.factories import PASSWORD, EntriFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/meja/")


def test_upload_with_progress_then_thumbnails(page, live_server, desk, artifacts_dir):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    page.set_viewport_size({"width": 360, "height": 780})
    login(page, live_server, "desk")
    page.goto(f"{live_server.url}/meja/entri/{entri.pk}/")

    page.get_by_label("pindaian hardcopy").check()
    page.get_by_label("Pilih berkas", exact=True).set_input_files(
        [
            {"name": "pindaian.pdf", "mimeType": "application/pdf", "buffer": samples.pdf_bytes(2)},
            {"name": "halaman.png", "mimeType": "image/png", "buffer": samples.image_bytes("PNG")},
        ]
    )
    page.get_by_label("Atau foto dokumen kertasnya (ponsel)").set_input_files(
        {"name": "image.jpg", "mimeType": "image/jpeg", "buffer": samples.phone_photo_bytes()}
    )
    # the script reports 100 % before it reloads; keep what it wrote
    page.evaluate(
        """() => { const bar = document.querySelector('progress');
        new MutationObserver(() => { if (bar.value >= 100) window.sessionStorage.setItem('full', '1'); })
          .observe(bar, {attributes: true, childList: true, subtree: true, characterData: true}); }"""
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Unggah").click()

    expect(page.locator(".files li")).to_have_count(3)
    assert page.evaluate("() => window.sessionStorage.getItem('full')") == "1"
    thumbs = page.locator(".files img")
    expect(thumbs).to_have_count(3)
    for index in range(3):
        thumbs.nth(index).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=thumbs.nth(index).element_handle()
        )
    assert Berkas.objects.filter(entri=entri, kind="scan").count() == 3
    assert AccessLog.objects.filter(action=AccessLog.Action.THUMBNAIL).count() == 3
    # nothing wider than the phone screen
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.screenshot(path=artifacts_dir / "berkas-upload-360.png", full_page=True)
    page.wait_for_load_state("networkidle")


def test_forged_file_is_refused_on_the_page(page, live_server, desk):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    login(page, live_server, "desk")
    page.goto(f"{live_server.url}/meja/entri/{entri.pk}/")
    page.get_by_label("Pilih berkas", exact=True).set_input_files(
        {"name": "surat.pdf", "mimeType": "application/pdf", "buffer": samples.image_bytes("PNG")}
    )
    page.get_by_role("button", name="Unggah").click()
    errors = page.locator("[data-upload-errors]")
    expect(errors).to_contain_text(
        "“surat.pdf” tidak sesuai dengan namanya: nama berakhiran .pdf, tetapi isinya berkas PNG."
    )
    expect(errors).to_contain_text("Tidak ada berkas yang diunggah")
    assert not Berkas.objects.exists()
