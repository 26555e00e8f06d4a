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
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dokumen.file_text import read_text
from dokumen.models import Entri, State, TeksBerkas
from publikasi.models import Keputusan
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
    # a decree's information and reach (KPU RI's draft), linking entries to it (a kabupaten)
    "ppid.ri": ["/publikasi/"],
    "ppid.sidrap": ["/publikasi/"],
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


def html_of(response, status: int = 200) -> str:
    assert response.status_code == status, (response.status_code, response.get("Location"))
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


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
            pages[f"ppid {url} ({state})"] = html_of(ppid.get(url))
    # search inside documents: the files of one entry read as the worker reads them, the
    # others still waiting; the list searched by words only its scan holds, the file's text
    read = Entri.objects.filter(files__isnull=False, state=State.DIKLASIFIKASI).first()
    for teks in TeksBerkas.objects.filter(berkas__entri=read):
        assert read_text(teks.pk) == "read"
    url = reverse("meja:entri_list") + "?q=serah+terima"
    pages[f"ppid {url}"] = body = html_of(ppid.get(url))
    assert "<mark>" in body
    url = reverse("meja:entri_detail", args=[read.pk])
    pages[f"ppid {url} (teks terbaca)"] = html_of(ppid.get(url))
    scan = TeksBerkas.objects.get(berkas__entri=read, berkas__kind="scan").berkas
    url = reverse("berkas:pratinjau", args=[scan.pk])
    pages[f"ppid {url} (teks)"] = html_of(ppid.get(url))
    collected = Entri.objects.filter(state=State.DIKUMPULKAN).first()
    url = reverse("meja:entri_classify", args=[collected.pk])
    pages[f"ppid {url}"] = html_of(ppid.get(url))
    # an approver's decision pages, for an entry waiting on Tim Pertimbangan
    tim = Client()
    tim.force_login(get_user_model().objects.get(username="tim1"))
    waiting = Entri.objects.filter(state=State.DIAJUKAN).first()
    for name in ("setujui", "kembalikan"):
        url = reverse(f"persetujuan:{name}", args=[waiting.pk])
        pages[f"tim1 {url}"] = html_of(tim.get(url))
    url = reverse("persetujuan:kembalikan", args=[waiting.pk])
    pages["kembalikan tanpa alasan"] = html_of(tim.post(url, {"reason": " "}), 400)
    # the account pages no link leads to
    anonymous = Client()
    for name in ("password_reset_done", "password_reset_complete"):
        pages[name] = html_of(anonymous.get(reverse(name)))
    pages["password_change_done"] = html_of(clients["tamu"].get(reverse("password_change_done")))
    bad_link = reverse("password_reset_confirm", args=["MQ", "salah-token"])
    pages["tautan sandi kedaluwarsa"] = html_of(anonymous.get(bad_link))
    # error pages and forms sent back with their errors
    pages["404"] = html_of(anonymous.get("/tidak-ada/"), 404)
    pages["403 tamu"] = html_of(clients["tamu"].get(reverse("meja:beranda")), 403)
    wrong = {"username": "desk", "password": "salah"}
    pages["masuk salah"] = html_of(anonymous.post(reverse("login"), wrong, REMOTE_ADDR="10.9.9.9"))
    for name, url in (
        ("entri baru kosong", reverse("meja:entri_create")),
        ("klasifikasi kosong", reverse("meja:entri_classify", args=[collected.pk])),
        ("keputusan baru kosong", reverse("publikasi_staf:create")),
    ):
        response = ppid.post(url, {})
        pages[name] = html_of(response, response.status_code)
        assert response.status_code in (200, 400), name
    draft = Keputusan.objects.get(number="1150 Tahun 2026")
    item = draft.items.first()
    for name, client, url in (
        (
            "informasi kosong",
            clients["ppid.ri"],
            reverse("publikasi_staf:item_add", args=[draft.pk]),
        ),
        ("jangkauan kosong", clients["ppid.ri"], reverse("publikasi_staf:reach", args=[draft.pk])),
        (
            "tautan kosong",
            clients["ppid.sidrap"],
            reverse("publikasi_staf:item_link", args=[item.pk]),
        ),
    ):
        response = client.post(url, {})
        pages[name] = html_of(response, response.status_code)
        assert response.status_code in (200, 400), name
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        locked = anonymous.post(reverse("login"), wrong, REMOTE_ADDR="10.9.9.8")
    pages["masuk terkunci"] = html_of(locked, 429)
    assert len(pages) > 30, sorted(pages)

    found = html_conformance.errors(pages)
    assert found == [], f"{len(found)} HTML errors:\n" + "\n".join(found)
