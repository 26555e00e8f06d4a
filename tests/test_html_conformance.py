"""Every kind of page is valid HTML5 (Nu Html Checker, offline), without a browser.

With the demo data, each demo role crawls the pages its links lead to (two pages of each URL
shape, so forty entries cost two), plus the error pages and forms sent back with errors; all
pages go to the checker in one batch. The browser journey checks the pages it visits the same
way (tests/browser/test_journey.py).
"""

import html
import io
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dokumen.models import Entri, State
from tests import html_conformance

pytestmark = pytest.mark.django_db

LINK = re.compile(r"""href=["']([^"']+)["']""")
# prints, data files, feeds and files are not HTML (a file's preview page is); the admin is Django's
NOT_PAGES = re.compile(
    r"\.pdf|/pdf/|\.csv|\.json|\.xlsx|/feed/|^/berkas/\d+/.|^/admin/|^/static/|^/logo"
)
PER_SHAPE = 2
STARTS = {
    None: ["/", "/akun/masuk/", "/akun/sandi/lupa/"],
    "tamu": ["/"],
    "desk": ["/meja/"],
    "ppid": ["/meja/", "/meja/arsip/", "/publikasi/", "/persetujuan/ajukan/"],
    "pembina": ["/persetujuan/"],
}


def shape(url: str) -> str:
    """/meja/entri/12/?q=x → /meja/entri/N/?q: one shape for every entry."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def crawl(client: Client, starts: list[str], label: str, pages: dict) -> None:
    seen, per_shape, queue = set(starts), {}, deque(starts)
    while queue:
        url = queue.popleft()
        key = shape(url)
        if per_shape.get(key, 0) >= PER_SHAPE:
            continue
        response = client.get(url)
        if response.streaming:  # a file: read it, as closing would end the test's connection
            b"".join(response.streaming_content)
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        per_shape[key] = per_shape.get(key, 0) + 1
        body = response.content.decode()
        pages[f"{label} {url}"] = body
        for link in LINK.findall(body):
            link = urldefrag(html.unescape(link))[0]
            if not link.startswith("/") or link.startswith("//") or NOT_PAGES.search(link):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)


def test_every_kind_of_page_is_valid_html5():
    html_conformance.require_checker()
    call_command("demo", stdout=io.StringIO())
    pages: dict[str, str] = {}
    clients = {}
    for username, starts in STARTS.items():
        client = clients[username] = Client()
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        crawl(client, starts, username or "anonim", pages)
    # an entry in every step, as the PPID sees it
    ppid = clients["ppid"]
    for state in State:
        if entri := Entri.objects.filter(state=state).first():
            url = reverse("meja:entri_detail", args=[entri.pk])
            pages[f"ppid {url} ({state})"] = ppid.get(url).content.decode()
    collected = Entri.objects.filter(state=State.DIKUMPULKAN).first()
    url = reverse("meja:entri_classify", args=[collected.pk])
    pages[f"ppid {url}"] = ppid.get(url).content.decode()
    # error pages and forms sent back with their errors
    anonymous = Client()
    pages["404"] = anonymous.get("/tidak-ada/").content.decode()
    pages["403 tamu"] = clients["tamu"].get(reverse("meja:beranda")).content.decode()
    pages["masuk salah"] = anonymous.post(
        reverse("login"), {"username": "desk", "password": "salah"}, REMOTE_ADDR="10.9.9.9"
    ).content.decode()
    pages["entri baru kosong"] = ppid.post(reverse("meja:entri_create"), {}).content.decode()
    pages["klasifikasi kosong"] = ppid.post(
        reverse("meja:entri_classify", args=[collected.pk]), {}
    ).content.decode()
    pages["keputusan baru kosong"] = ppid.post(
        reverse("publikasi_staf:create"), {}
    ).content.decode()
    assert len(pages) > 30, sorted(pages)

    found = html_conformance.errors(pages)
    assert found == [], f"{len(found)} HTML errors:\n" + "\n".join(found)
