"""Nothing private reaches the public: crawl every public URL reachable from / as anonymous.

Never on a public page, file or in the open data: a file of an entry (name or storage URL), a
hardcopy place, an archive number, a staff member's name, an entry that is not `ditetapkan`, a
draft Keputusan."""

import datetime
import html
import io
import re
from collections import deque
from urllib.parse import urldefrag, urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from dokumen import services as dokumen_services
from dokumen.archive import entri_archive
from dokumen.models import Berkas, Entri, SalinanSamaran, State, TempatSimpan
from ppid.models import Kantor, SiteProfile
from publikasi import services
from publikasi.models import InformasiDibuka, Keputusan
from tests.archive_fixtures import add_file, archived_entry, pdf_upload, place, ready_entry
from tests.factories import EntriFactory, UserFactory

LINK = re.compile(r"""(?:href|src)=["']([^"']+)["']""")
OPTION = re.compile(r"""<select[^>]*name="(jenis|dasar)"[^>]*>(.*?)</select>""", re.S)
VALUE = re.compile(r"""<option value="([^"]+)\"""")
MAX_PAGES = 400
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(content))
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    if response.get("Content-Type", "").startswith(XLSX):
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        return "\n".join(
            " ".join("" if v is None else str(v) for v in row)
            for row in sheet.iter_rows(values_only=True)
        )
    return content.decode("utf-8")


def crawl(client: Client, starts=("/",)) -> dict[str, str]:
    """Every same-host URL reachable from / (and `starts`: pages nothing links to now, such as
    an office page whose DIK in force is empty) by links and the filter choices of the DIK
    form."""
    seen, pages, queue = set(starts), {}, deque(starts)
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        being_prepared = url.endswith("/dik.pdf") or url.startswith("/pengumuman/")
        if being_prepared and response.status_code == 503:  # being prepared: the render
            response = client.get(url)  # was queued, and tasks run inline in the tests
        assert response.status_code == 200, url
        body = text_of(response)
        pages[url] = body
        if "html" not in response.get("Content-Type", ""):
            continue
        found = [html.unescape(link) for link in LINK.findall(body)]
        for name, options in OPTION.findall(body):
            found += [f"/?{urlencode({name: value})}" for value in VALUE.findall(options)]
        for link in found:
            link = urldefrag(link)[0]
            if not link.startswith("/") or link.startswith("//") or link.startswith("/static/"):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert len(pages) < MAX_PAGES, "the crawl did not end: links multiply"
    return pages


def forbidden_strings() -> dict[str, str]:
    """What must never be public, computed from the database (so it covers the demo too)."""
    forbidden = {}
    # in force, or opened (publikasi.models.InformasiDibuka: no longer exempted, public by law)
    for entri in Entri.objects.exclude(state=State.DITETAPKAN).filter(opening__isnull=True):
        forbidden[entri.title] = f"entry {entri.pk} in state {entri.state}"
    for entri in Entri.objects.filter(archive_number__isnull=False):
        forbidden[entri.archive_code] = f"archive number of entry {entri.pk}"
    for berkas in Berkas.objects.all():
        forbidden[berkas.original_name] = "file name of an entry"
        forbidden[berkas.file.name] = "storage name of an entry's file"
        forbidden[berkas.file.name.rsplit("/", 1)[-1]] = "storage key of an entry's file"
    for tempat in TempatSimpan.objects.all():
        forbidden[tempat.name] = "hardcopy place"
    for decree in Keputusan.objects.filter(status=Keputusan.Status.DRAFT):
        forbidden[decree.title] = "draft decree"
        forbidden[f"Nomor {decree.number}"] = "draft decree"
        forbidden[decree.slug] = "draft decree address"
    for user in get_user_model().objects.all():
        if user.get_full_name():
            forbidden[user.get_full_name()] = "staff name"
    forbidden["/berkas/"] = "file download URL"
    forbidden["/meja/"] = "staff desk URL"
    return forbidden


def assert_nothing_private(pages: dict[str, str]) -> None:
    forbidden = forbidden_strings()
    leaks = [
        f"{url}: {what} ({text!r})"
        for url, body in pages.items()
        for text, what in forbidden.items()
        if text and text in body
    ]
    assert leaks == []


def published_content(pages) -> str:
    return "\n".join(pages.values())


def build_office():
    """An office in full swing, with names that cannot occur by chance."""
    # through the model (an explicit primary key would leave the sequence behind the row, and
    # the next office's profile would collide with it)
    SiteProfile.objects.filter(pk=SiteProfile.current().pk).update(
        ppid_officer="Zulkarnain Pettalolo"
    )
    desk = UserFactory(
        username="meja",
        first_name="Sitti",
        last_name="Wahyuningrum",
        roles=["Petugas Desk Layanan Informasi"],
    )
    ppid = UserFactory(
        username="pejabat", first_name="Zulkarnain", last_name="Pettalolo", roles=["PPID"]
    )
    room = TempatSimpan.objects.create(level=1, name="Ruang Brankas Lantai Dua")
    cabinet = TempatSimpan.objects.create(level=2, parent=room, name="Lemari Besi Q7")
    shelf = TempatSimpan.objects.create(level=3, parent=cabinet, name="Rak Timur R3")
    box = TempatSimpan.objects.create(level=4, parent=shelf, name="Boks Kuning B9")
    binder = TempatSimpan.objects.create(level=5, parent=box, name="Ordner Pilkada Z4")

    def entry(title, state, **kwargs):
        entri = EntriFactory(
            classified=state != State.DIKUMPULKAN, state=state, title=title, collected_by=desk
        )
        add_file(entri, "softcopy", original_name=f"asli-{entri.pk}-andi-baso.pdf", by=desk)
        add_file(
            entri, "scan", b"\xff\xd8 foto", original_name=f"foto-ponsel-{entri.pk}.jpg", by=desk
        )
        return entri

    entry("Entri dikumpulkan Xerxes", State.DIKUMPULKAN)
    entry("Entri diklasifikasi Yolanda", State.DIKLASIFIKASI)
    place(entry("Entri diajukan Wibisono", State.DIAJUKAN), binder)
    place(entry("Entri disetujui Kumalasari", State.DISETUJUI), binder)

    public_a = archived_entry(binder, title="KTP-el bakal calon bupati (berlaku)")
    public_b = archived_entry(binder, title="Surat keterangan kesehatan calon (berlaku)")
    opened = archived_entry(binder, title="Ijazah calon yang kini terbuka Quintessa")
    waiting = archived_entry(binder, title="Entri diarsipkan menunggu Keputusan Ulfah")
    data = {"date": datetime.date(2025, 8, 21), "title": "Penetapan dokumen persyaratan calon"}
    first = services.keputusan_create(
        by=ppid,
        data={**data, "number": "731 Tahun 2025"},
        pdf=pdf_upload(),
        entries=[public_a, public_b],
    )
    services.keputusan_publish(keputusan_id=first.pk, by=ppid)
    services.channel_add(
        keputusan_id=first.pk,
        by=ppid,
        data={
            "channel": "media_sosial",
            "date": datetime.date(2025, 8, 22),
            "link": "https://example.org/p/1",
            "note": "",
        },
    )
    second = services.keputusan_create(
        by=ppid,
        data={**data, "number": "760 Tahun 2025"},
        pdf=pdf_upload(),
        entries=[opened, public_b],
    )
    services.keputusan_publish(keputusan_id=second.pk, by=ppid)
    services.keputusan_revoke(
        keputusan_id=second.pk,
        by=ppid,
        pdf=pdf_upload(),
        data={
            "number": "805 Tahun 2025",
            "date": datetime.date(2025, 9, 16),
            "title": "Pencabutan Keputusan KPU Nomor 760 Tahun 2025",
        },
    )
    services.keputusan_create(
        by=ppid,
        data={
            "number": "999 Tahun 2026",
            "date": datetime.date(2026, 1, 5),
            "title": "Rancangan Keputusan rahasia Vanadium",
        },
        pdf=pdf_upload(),
        entries=[waiting],
    )
    expired = archived_entry(binder, title="Entri yang masa berlakunya habis Hortensia")
    third = services.keputusan_create(
        by=ppid,
        data={**data, "number": "12 Tahun 2019", "date": datetime.date(2019, 1, 2)},
        pdf=pdf_upload(),
        entries=[expired],
    )
    services.keputusan_publish(keputusan_id=third.pk, by=ppid)
    Entri.objects.filter(pk=expired.pk).update(period_end=datetime.date(2020, 1, 1))
    call_command("dik_kedaluwarsa", stdout=io.StringIO())
    return {
        "public": [public_a, public_b],
        "opened": opened,
        "ready": ready_entry,
        "entri_archive": entri_archive,
    }


@pytest.mark.django_db
def test_public_crawl_leaks_nothing(client):
    office = build_office()
    assert set(Entri.objects.values_list("state", flat=True)) == {s.value for s in State}
    pages = crawl(client)
    for url in (
        "/",
        "/keputusan/",
        "/dasar-hukum/",
        "/data/",
        "/data/dik.csv",
        "/data/dik.json",
        "/feed/",
        "/dik.pdf",
    ):
        assert url in pages, url
    for decree in Keputusan.objects.exclude(status=Keputusan.Status.DRAFT):
        assert f"/keputusan/{decree.slug}/" in pages
        assert f"/keputusan/{decree.slug}/naskah.pdf" in pages
    assert any(url.startswith("/?jenis=") for url in pages)
    # what must be public is there: the crawl saw the real content
    everything = published_content(pages)
    for entri in office["public"]:
        assert everything.count(entri.title) >= 5  # page, decree page, CSV, JSON, PDF
    assert "805 Tahun 2025" in pages["/feed/"]
    assert_nothing_private(pages)


@pytest.mark.django_db
def test_public_crawl_of_the_demo_leaks_nothing(client):
    call_command("demo", stdout=io.StringIO())
    pages = crawl(client, starts=("/", "/kab-pinrang/", "/kab-sidenreng-rappang/"))
    assert Entri.objects.filter(state=State.DITETAPKAN).exists()
    assert Keputusan.objects.filter(status=Keputusan.Status.REVOKED).exists()
    assert Keputusan.objects.filter(status=Keputusan.Status.DRAFT).exists()
    for entri in Entri.objects.filter(state=State.DITETAPKAN).select_related("kantor"):
        home = "/" if entri.kantor == Kantor.default() else f"/{entri.kantor.slug}/"
        assert entri.title in pages[home]
    for slug in ("kab-pinrang", "kab-sidenreng-rappang"):
        assert "805 Tahun 2025" in pages[f"/{slug}/keputusan/"]
    # Pinrang's approved redacted copy is beside its entry, as a PDF with no text; the one
    # waiting for approval is not public
    approved = SalinanSamaran.objects.get(approved_at__isnull=False)
    waiting = SalinanSamaran.objects.get(approved_at=None)
    assert approved.entri.kantor == Kantor.default()
    assert f"/salinan-samaran/{approved.pk}.pdf" in pages["/"]
    assert pages[f"/salinan-samaran/{approved.pk}.pdf"].strip() == ""
    assert not any(f"/salinan-samaran/{waiting.pk}.pdf" in page for page in pages.values())
    # what the revocations opened is listed on its office's page, with its announcement
    opened = InformasiDibuka.objects.select_related("entri", "kantor", "pengumuman")
    # by revocations (both offices) and by the end of a period (Pinrang's decree of 2019)
    assert {o.pengumuman.reason for o in opened} == {"dicabut", "berakhir"}
    assert {o.kantor.slug for o in opened} >= {"kab-pinrang", "kab-sidenreng-rappang"}
    for opening in opened:
        home = "/" if opening.kantor == Kantor.default() else f"/{opening.kantor.slug}/"
        assert opening.entri.title in pages[home]
        assert opening.entri.title in pages[f"/pengumuman/{opening.pengumuman.slug}.pdf"]
    assert_nothing_private(pages)


@pytest.mark.django_db
def test_public_crawl_of_office_pages_leaks_nothing(client):
    """A national decree reaching every office, with Sidrap's own entry linked to its item:
    the office pages, their open data and the national page are crawled too."""
    build_office()
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    ri_ppid = UserFactory(
        username="pusat",
        first_name="Nur",
        last_name="Aisyah Pusat",
        roles=["PPID"],
        roles__kantor=Kantor.objects.get(slug="ri"),
    )
    sidrap_ppid = UserFactory(
        username="sidrap",
        first_name="Hasnawati",
        last_name="Sidrap Rahasia",
        roles=["PPID"],
        roles__kantor=sidrap,
    )
    sidrap_desk = UserFactory(
        username="sidrap-meja", roles=["Petugas Desk Layanan Informasi"], roles__kantor=sidrap
    )
    entri = EntriFactory(
        kantor=sidrap, classified=True, state=State.DISETUJUI, title="Arsip paslon Sidrap"
    )
    add_file(entri, "softcopy", original_name="asli-sidrap-rahasia.pdf", by=sidrap_desk)
    add_file(entri, "scan", b"\xff\xd8 foto", original_name="foto-sidrap.jpg", by=sidrap_desk)
    binder = TempatSimpan.objects.create(level=1, name="Gudang Sidrap Omega", kantor=sidrap)
    for level, name in enumerate(["Lemari S", "Rak S", "Boks S", "Ordner Sidrap Psi"], start=2):
        binder = TempatSimpan.objects.create(level=level, parent=binder, name=name, kantor=sidrap)
    dokumen_services.entri_place(entri_id=entri.pk, by=sidrap_desk, ordner_id=binder.pk)
    entri_archive(entri_id=entri.pk, by=sidrap_ppid)
    national = services.keputusan_create(
        by=ri_ppid,
        data={
            "number": "800 Tahun 2025",
            "date": datetime.date(2025, 8, 21),
            "title": "Dokumen persyaratan paslon Presiden",
        },
        pdf=pdf_upload(),
    )
    services.keputusan_set_reach(keputusan_id=national.pk, by=ri_ppid, all_below=True)
    item = services.item_add(
        keputusan_id=national.pk, by=ri_ppid, data={"title": "Fotokopi KTP-el paslon nasional"}
    )
    services.entri_link_to_item(entri_id=entri.pk, item_id=item.pk, by=sidrap_ppid)
    services.keputusan_publish(keputusan_id=national.pk, by=ri_ppid)
    pages = crawl(client)
    for url in (
        "/nasional/",
        "/kab-sidenreng-rappang/",
        "/kab-sidenreng-rappang/keputusan/",
        "/kab-sidenreng-rappang/data/dik.csv",
        "/kab-sidenreng-rappang/data/dik.json",
        "/kab-sidenreng-rappang/feed/",
    ):
        assert url in pages, url
    assert "Arsip paslon Sidrap" in pages["/kab-sidenreng-rappang/"]
    assert "Fotokopi KTP-el paslon nasional" in pages["/kab-sidenreng-rappang/"]
    assert "Fotokopi KTP-el paslon nasional" in pages["/"]
    assert "Arsip paslon Sidrap" in pages["/kab-sidenreng-rappang/data/dik.json"]
    assert_nothing_private(pages)
