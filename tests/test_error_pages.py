"""The error pages speak Indonesian like the rest of the site, and show the way back."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_404_is_indonesian_for_a_visitor(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert html.count("<h1>") == 1 and "<h1>Halaman tidak ditemukan</h1>" in html
    assert "Not Found" not in html
    assert reverse("login") in html


def test_403_is_indonesian_and_leads_to_the_users_work(client, no_role):
    client.force_login(no_role)
    response = client.get(reverse("meja:beranda"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Tidak diizinkan</h1>" in html and "Forbidden" not in html
    assert f'href="{reverse("home")}"' in html


def test_500_is_indonesian_without_the_database(settings):
    from django.template import loader

    with translation.override("id"):
        html = loader.get_template("500.html").render()
    assert '<html lang="id">' in html and "<h1>Terjadi kesalahan pada server</h1>" in html


def test_djangos_empty_choice_is_indonesian(client, ppid):
    """Django 6.1's “- Select an option -” has no Indonesian translation of its own."""
    from tests.factories import EntriFactory, make_ordner

    make_ordner()
    entri = EntriFactory()
    client.force_login(ppid)
    html = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert '<option value="" selected>— pilih —</option>' in html
    assert "Select an option" not in html


@pytest.mark.parametrize("url", ["/tidak-ada/", "/keputusan/tidak-ada/", "/berkas/999999/"])
def test_under_debug_a_missing_page_is_the_sites_own(client, settings, url):
    """`make run` runs with DEBUG on: a newcomer sees the site's page, not Django's technical one
    (a URL no pattern matches, and a view raising Http404)."""
    settings.DEBUG = True
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Halaman tidak ditemukan</h1>" in html
    assert "URLconf" not in html and "Page not found" not in html
    assert "Content-Security-Policy" in response.headers


def test_debug_technical_404_brings_back_djangos_page(client, settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = True
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


def test_without_debug_the_setting_changes_nothing(client, settings):
    settings.DEBUG_TECHNICAL_404 = True
    html = client.get("/tidak-ada/").content.decode()
    assert "<h1>Halaman tidak ditemukan</h1>" in html and "URLconf" not in html
