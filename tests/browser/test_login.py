import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_shows_office_name_and_role_navigation(page, live_server, desk, artifacts_dir):
    page.goto(f"{live_server.url}/akun/masuk/")
    expect(page.locator("h1")).to_have_text("Masuk petugas")
    page.get_by_label("Nama pengguna").fill("desk")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/meja/")
    expect(page.locator("footer")).to_contain_text("Komisi Pemilihan Umum Kabupaten Pinrang")
    expect(page.get_by_role("link", name="Meja Layanan")).to_be_visible()
    page.screenshot(path=artifacts_dir / "login-desk.png", full_page=True)
