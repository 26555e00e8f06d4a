"""The entry page uploads by tus: in pieces, and after a cut and a reload the same file goes
on from the server's offset instead of from the start."""

import hashlib

import pytest
from playwright.sync_api import expect

from bench.measures import make_pdf
from dokumen import berkas_views
from dokumen.models import Berkas, PartialUpload, State
from tests.browser.test_berkas_upload import login
from tests.factories import EntriFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PIECE = 64 * 1024


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(berkas_views, "TUS_CHUNK_BYTES", PIECE)
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")


def test_cut_upload_resumes_after_a_reload(page, live_server, desk, tmp_path, artifacts_dir):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    path = tmp_path / "arsip.pdf"
    make_pdf(path, 10 * PIECE + 999)
    login(page, live_server, "desk")
    page.goto(f"{live_server.url}/meja/entri/{entri.pk}/")

    patches = []
    link = {"cut_after": 4}

    def cut_after_four(route, request):
        if request.method == "PATCH":
            patches.append(int(request.headers["upload-offset"]))
            if link["cut_after"] is not None and len(patches) > link["cut_after"]:
                route.abort("connectionreset")
                return
        route.continue_()

    page.route("**/unggah/**", cut_after_four)
    page.get_by_label("Pilih berkas", exact=True).set_input_files(path)
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("[data-upload-status]")).to_contain_text("Koneksi terputus")
    assert PartialUpload.objects.get().offset == 4 * PIECE
    assert not Berkas.objects.exists()

    # the office closes the tab or reloads; later the same file is chosen again
    page.reload()
    patches.clear()
    link["cut_after"] = None
    page.get_by_label("Pilih berkas", exact=True).set_input_files(path)
    with page.expect_navigation():
        page.get_by_role("button", name="Unggah").click()

    assert patches[0] == 4 * PIECE  # went on where the server was, not from 0
    expect(page.locator(".messages")).to_contain_text("“arsip.pdf” ditambahkan ke entri.")
    expect(page.locator(".files li")).to_have_count(1)
    berkas = Berkas.objects.get()
    assert berkas.size == path.stat().st_size
    assert berkas.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert not PartialUpload.objects.exists()
    page.screenshot(path=artifacts_dir / "berkas-tus-resumed.png", full_page=True)
