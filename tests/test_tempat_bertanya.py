"""Where to ask: every public page tells a citizen how to request information or object
(keberatan) at the office whose page it is — links and contact from the office's profile (the
national e-PPID, its desk) and its Daftar Informasi Publik; the profile is edited in the admin."""

import pytest
from django.urls import reverse

from ppid.models import DEFAULT_EPPID_URL, Kantor, SiteProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/keputusan/",
    "/dasar-hukum/",
    "/data/",
    "/nasional/",
    "/kab-pinrang/",
    "/kab-pinrang/keputusan/",
    "/akun/masuk/",
]


@pytest.fixture
def pinrang():
    profile = SiteProfile.current()
    profile.request_url = "https://kab-pinrang.kpu.example/ppid/permohonan"
    profile.objection_url = "https://kab-pinrang.kpu.example/ppid/keberatan"
    profile.dip_url = "https://kab-pinrang.kpu.example/ppid/dip"
    profile.desk_phone = "0812 4200 1921"
    profile.desk_email = "meja@kpu-pinrang.example"
    profile.desk_hours = "Senin–Jumat 08.00–16.00 WITA"
    profile.save()
    return profile


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_says_where_to_ask(client, pinrang, url):
    html = client.get(url).content.decode()
    assert "Cara meminta informasi atau mengajukan keberatan" in html
    assert 'href="https://kab-pinrang.kpu.example/ppid/permohonan"' in html
    assert 'href="https://kab-pinrang.kpu.example/ppid/keberatan"' in html
    assert 'href="https://kab-pinrang.kpu.example/ppid/dip"' in html
    assert "Daftar Informasi Publik KPU Kabupaten Pinrang" in html
    assert f'href="{DEFAULT_EPPID_URL}"' in html  # the national e-PPID
    assert 'href="tel:081242001921"' in html and "meja@kpu-pinrang.example" in html
    assert "Senin–Jumat 08.00–16.00 WITA" in html


def test_an_office_page_gives_that_offices_desk(client, pinrang):
    sidrap = SiteProfile.for_office(Kantor.objects.get(slug="kab-sidenreng-rappang"))
    sidrap.desk_email = "meja@kpu-sidrap.example"
    sidrap.save()
    html = client.get("/kab-sidenreng-rappang/").content.decode()
    assert "meja@kpu-sidrap.example" in html
    assert "meja@kpu-pinrang.example" not in html
    # without forms of its own, requests and objections go to the national e-PPID
    assert "Ajukan permohonan informasi" in html and "Ajukan keberatan" in html
    assert "kab-pinrang.kpu.example" not in html
    assert html.count(f'href="{DEFAULT_EPPID_URL}"') == 3


def test_the_profile_is_edited_in_the_admin(client, pinrang):
    admin = UserFactory(username="admin-profil", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:ppid_siteprofile_change", args=[pinrang.pk])
    form = client.get(url).content.decode()
    for field in ("eppid_url", "request_url", "objection_url", "dip_url", "desk_phone"):
        assert f'name="{field}"' in form
    data = {
        "kantor": pinrang.kantor_id,
        "office_name": pinrang.office_name,
        "short_name": pinrang.short_name,
        "address": pinrang.address,
        "city": pinrang.city,
        "eppid_url": "https://e-ppid.kpu.example/",
        "request_url": "",
        "objection_url": "",
        "dip_url": "https://kab-pinrang.kpu.example/dip-2026",
        "desk_phone": "",
        "desk_email": "",
        "desk_hours": "",
    }
    assert client.post(url, data).status_code == 302
    client.logout()
    html = client.get("/kab-pinrang/").content.decode()
    assert 'href="https://kab-pinrang.kpu.example/dip-2026"' in html
    assert html.count('href="https://e-ppid.kpu.example/"') == 3
