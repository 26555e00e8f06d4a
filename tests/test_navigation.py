"""Each demo role lands on its own work after login, and no link it is shown answers 403."""

import io
import re

import pytest
from django.urls import reverse

from dokumen.models import Berkas
from ppid import demo as ppid_demo
from tests.archive_fixtures import add_file
from tests.persetujuan_setup import submitted_entry

pytestmark = pytest.mark.django_db

HEADER = re.compile(r'<header class="site-header">(.*?)</header>', re.S)
MAIN = re.compile(r'<main id="isi">(.*?)</main>', re.S)
HREF = re.compile(r'href="(/[^"#]*)"')
USERNAMES = [username for username, *_ in ppid_demo.DEMO_USERS] + [ppid_demo.ADMIN[0]]
LANDING = {
    "desk": "/meja/",
    "ppid": "/meja/",
    "pembina": "/persetujuan/",
    "tim1": "/persetujuan/",
    "tim2": "/persetujuan/",
    "atasan": "/persetujuan/",
    "tamu": "/",
    "admin": "/admin/",
}


@pytest.fixture
def demo_users():
    return ppid_demo.load(io.StringIO())


def links(html: str, part: re.Pattern) -> list[str]:
    return sorted(set(HREF.findall(part.search(html).group(1))))


def test_every_demo_user_has_a_landing():
    assert set(LANDING) == set(USERNAMES)


@pytest.mark.parametrize("username", USERNAMES)
def test_login_lands_on_the_users_own_work(client, demo_users, username):
    password = {u: pw for u, _n, _r, pw in ppid_demo.DEMO_USERS} | {"admin": ppid_demo.ADMIN[2]}
    response = client.post(
        reverse("login"),
        {"username": username, "password": password[username]},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    landing = client.get(response["Location"])
    assert landing.status_code == 302 and landing["Location"] == LANDING[username]
    assert client.get(LANDING[username]).status_code == 200


@pytest.mark.parametrize("username", USERNAMES)
def test_no_navigation_link_of_a_role_answers_403(client, demo_users, username):
    client.force_login(demo_users[username])
    # the header is the same on every page of the site (the admin's own pages have their own)
    page = client.get(reverse("publikasi:dik"))
    nav = links(page.content.decode(), HEADER)
    assert reverse("publikasi:dik") in nav and reverse("password_change") in nav
    for href in nav:
        assert client.get(href).status_code == 200, (username, href)


@pytest.mark.parametrize("username", ["pembina", "tim1", "atasan"])
def test_an_approver_opens_every_link_from_the_queue(client, demo_users, username):
    """From the queue to the entry and its file, two links deep: no page an approver is led to
    answers 403 (the entry page leads back to the queue, not to the desk)."""
    entri = submitted_entry(demo_users["ppid"])
    add_file(entri, Berkas.Kind.SOFTCOPY)
    client.force_login(demo_users[username])
    entry_page = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert reverse("persetujuan:antrean") in links(entry_page, MAIN)
    assert reverse("meja:beranda") not in links(entry_page, MAIN)
    seen, level = set(), [reverse("persetujuan:antrean")]
    for _depth in range(3):
        following = []
        for href in level:
            seen.add(href)
            response = client.get(href)
            assert response.status_code == 200, (username, href)
            if response.streaming:  # read it, not close(): that would end the test's connection
                b"".join(response.streaming_content)
            elif response["Content-Type"].startswith("text/html"):
                following += links(response.content.decode(), MAIN)
        level = sorted(set(following) - seen)
    assert reverse("berkas:pratinjau", args=[entri.files.get().pk]) in seen
