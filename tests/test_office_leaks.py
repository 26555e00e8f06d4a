"""One deployment, many offices: a user of KPU Sidenreng Rappang, in every role, on every URL
of KPU Pinrang's rows (entries, files, thumbnails, binders, decrees, prints, exports, batch
actions) reads nothing and changes nothing — 404 (or 403 for a page of another role) exactly
as for an id that does not exist; and the same user sees their own office's rows."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from dokumen.models import Berkas, Entri, State, TempatSimpan
from impor.models import Impor
from ppid.models import Kantor
from ppid.roles import Role
from publikasi import services as publication
from tests.archive_fixtures import add_file, archived_entry, pdf_upload
from tests.factories import EntriFactory, UserFactory, make_ordner
from tests.persetujuan_setup import submitted_entry

pytestmark = pytest.mark.django_db

SKIP_NAMESPACES = {"admin"}


def iter_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIP_NAMESPACES:
                continue
            yield from iter_patterns(entry, route, ns)
        elif isinstance(entry, URLPattern):
            yield namespace, route, entry


def with_ids(route: str) -> bool:
    return bool(re.search(r"<int:\w+>", route))


PATTERNS = [(ns, route) for ns, route, _entry in iter_patterns() if with_ids(route)]


@pytest.fixture
def offices():
    pinrang = Kantor.default()
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    return pinrang, sidrap


@pytest.fixture
def pinrang_rows(offices):
    """One row of every kind in Pinrang, each the target of some URL's <int:pk>."""
    pinrang, _sidrap = offices
    ppid = UserFactory(roles=[Role.PPID])
    submitted = submitted_entry(ppid)
    berkas = add_file(submitted, Berkas.Kind.SCAN, content=b"\xff\xd8\xff\xe0 rahasia")
    archived = archived_entry()
    keputusan = publication.keputusan_create(
        by=ppid,
        data={"number": "731 Tahun 2025", "date": "2025-08-21", "title": "Penetapan"},
        pdf=pdf_upload(),
        entries=[archived],
    )
    item = publication.item_add(keputusan_id=keputusan.pk, by=ppid, data={"title": "Salinan KTP"})
    ordner = TempatSimpan.objects.filter(kantor=pinrang, level=TempatSimpan.Level.ORDNER).first()
    from usulan.services import usulan_send

    usulan = usulan_send(
        by=ppid,
        entri_ids=[archived.pk],
        data={
            "nomor_surat": "7/PP/2026",
            "tanggal_surat": archived.collected_on,
            "tujuan": "Sulsel",
        },
    )
    from dokumen.samaran import salinan_add
    from impor.services import impor_upload

    salinan = salinan_add(entri_id=archived.pk, by=ppid, upload=pdf_upload("samaran.pdf"))
    impor, _created = impor_upload(
        by=ppid,
        upload=SimpleUploadedFile("daftar.csv", f"Judul informasi\n{submitted.title}\n".encode()),
    )
    return {
        "impor": impor,
        "salinan": salinan,
        "usulan": usulan,
        "entri": submitted,
        "berkas": berkas,
        "keputusan": keputusan,
        "item": item,
        "ordner": ordner or make_ordner(),
    }


def url_for(route: str, rows) -> str:
    """The route with every <int:…> pointing at the Pinrang row of its kind."""
    target = rows["entri"].pk
    route = route.replace("<int:page>", "1")  # the first page of a file
    if "salinan-samaran/<int" in route:
        target = rows["salinan"].pk  # a redacted copy (of an archived entry: never public)
    elif route.startswith("berkas/") or "berkas/<int" in route:
        target = rows["berkas"].pk
    elif route.startswith("publikasi/informasi/"):
        target = rows["item"].pk  # a piece of information of Pinrang's decree
    elif route.startswith("publikasi/"):
        target = rows["keputusan"].pk
    elif route.startswith("usulan/"):
        target = rows["usulan"].pk
        route = re.sub(
            r"lampiran/<int:\w+>", f"lampiran/{rows['usulan'].lampiran.first().pk}", route
        )
        route = route.replace("<slug:aksi>", "teruskan")  # a step of the proposal
    elif route.startswith("meja/impor/"):
        target = rows["impor"].pk
    elif "ordner/" in route or "tempat/" in route:
        target = rows["ordner"].pk
    return "/" + re.sub(r"<int:\w+>", str(target), route)


@pytest.mark.parametrize("role", list(Role))
def test_a_user_of_another_office_reads_and_changes_nothing(client, offices, pinrang_rows, role):
    _pinrang, sidrap = offices
    visitor = UserFactory(roles=[role], roles__kantor=sidrap)
    client.force_login(visitor)
    before = (
        Entri.objects.get(pk=pinrang_rows["entri"].pk).state,
        pinrang_rows["entri"].transitions.count(),
        pinrang_rows["keputusan"].status,
        pinrang_rows["usulan"].langkah.count(),
        Impor.objects.get(pk=pinrang_rows["impor"].pk).status,
    )
    leaks = []
    for _ns, route in PATTERNS:
        url = url_for(route, pinrang_rows)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"state": State.DIAJUKAN, "confirm": "on"})
            if hasattr(response, "streaming_content"):
                response.close()
            if response.status_code not in (403, 404, 405, 302):
                leaks.append((method, url, response.status_code))
            elif response.status_code == 302 and "/akun/masuk/" in response.get("Location", ""):
                leaks.append((method, url, "login asked of a logged-in user"))
            body = getattr(response, "content", b"")
            if pinrang_rows["entri"].title.encode() in body:
                leaks.append((method, url, "title shown"))
    # batch paths name another office's ids: refused, nothing changes
    client.post(
        "/persetujuan/", {"entri": [pinrang_rows["entri"].pk], "role": role, "confirm": "on"}
    )
    client.post("/persetujuan/ajukan/", {"entri": [pinrang_rows["entri"].pk]})
    after = (
        Entri.objects.get(pk=pinrang_rows["entri"].pk).state,
        pinrang_rows["entri"].transitions.count(),
        pinrang_rows["keputusan"].status,
        pinrang_rows["usulan"].langkah.count(),
        Impor.objects.get(pk=pinrang_rows["impor"].pk).status,
    )
    assert leaks == []
    assert after == before


def test_each_office_sees_its_own_entries_and_numbers_its_own_archive(client, offices):
    pinrang, sidrap = offices
    own = EntriFactory(kantor=sidrap, title="Dokumen Sidrap yang dikecualikan")
    other = EntriFactory(kantor=pinrang, title="Dokumen Pinrang yang dikecualikan")
    desk = UserFactory(roles=[Role.DESK], roles__kantor=sidrap)
    client.force_login(desk)
    page = client.get("/meja/entri/").content.decode()
    assert own.title in page and other.title not in page
    assert client.get(f"/meja/entri/{other.pk}/").status_code == 404
    assert client.get(f"/meja/entri/{own.pk}/").status_code == 200
    # archive numbers run per office: each office's first binder placement is number 1
    from dokumen import services

    pinrang_desk = UserFactory(roles=[Role.DESK])
    first_sidrap = services.entri_place(
        entri_id=own.pk, by=desk, ordner_id=make_ordner(kantor=sidrap).pk
    )
    first_pinrang = services.entri_place(
        entri_id=other.pk, by=pinrang_desk, ordner_id=make_ordner().pk
    )
    assert first_sidrap.archive_number == first_pinrang.archive_number == 1
    # a binder of another office is refused like a missing one
    with pytest.raises(Exception, match="ordner"):
        services.entri_place(entri_id=own.pk, by=desk, ordner_id=make_ordner("Lain").pk)


def test_an_office_prints_on_its_own_letterhead(client, offices):
    import io

    from pypdf import PdfReader

    _pinrang, sidrap = offices
    entri = EntriFactory(kantor=sidrap, title="Dokumen Sidrap yang dikecualikan")
    client.force_login(UserFactory(roles=[Role.DESK], roles__kantor=sidrap))
    response = client.get(f"/meja/entri/{entri.pk}/formulir.pdf")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Sidenreng Rappang" in text and "Pinrang" not in text
