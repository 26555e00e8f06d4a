"""Every path that serves a file: one selector, one log row per served file, one 404 otherwise."""

import hashlib

import pytest
from django.urls import URLPattern, reverse

from dokumen import berkas_urls
from dokumen.berkas import berkas_add, berkas_remove
from dokumen.models import AccessLog, Berkas, State
from dokumen.selectors import files_visible_to
from dokumen.thumbnails import make_thumbnail
from tests import berkas_samples as samples
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db

# every pattern under /berkas/, read from the URLconf: a new one is tested without listing it
# (the redacted copy's own view serves a copy, not an entry's file: tested below by its own)
COPY_URLS = ["salinan_lihat"]
FILE_URLS = [
    p.name for p in berkas_urls.urlpatterns if isinstance(p, URLPattern) and p.name not in COPY_URLS
]
ACTIONS = {
    "pratinjau": AccessLog.Action.PREVIEW,
    "unduh": AccessLog.Action.DOWNLOAD,
    "lihat": AccessLog.Action.VIEW,
    "gambar_kecil": AccessLog.Action.THUMBNAIL,
    "halaman": AccessLog.Action.PREVIEW,  # a page as an image, for the redaction editor
}
PDF = samples.pdf_bytes(pages=2)


def test_every_file_url_is_known_here():
    assert set(FILE_URLS) == set(ACTIONS)


@pytest.fixture
def berkas(desk):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    [berkas] = berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="softcopy",
        files=[samples.upload("Surat “rahasia” Bupati.pdf", PDF)],
    )
    assert make_thumbnail(berkas.pk)
    berkas.refresh_from_db()
    return berkas


def fetch(client, path, **extra):
    """GET and read the whole answer: the test client closes a streamed file once it is read.

    (No response.close() here: it would send request_finished, which closes the test's
    database connection on PostgreSQL.)"""
    response = client.get(path, **extra)
    response.body = b"".join(response.streaming_content) if response.streaming else None
    return response


def url(name, berkas_or_pk):
    args = [getattr(berkas_or_pk, "pk", berkas_or_pk)] + ([1] if name == "halaman" else [])
    return reverse(f"berkas:{name}", args=args)


@pytest.fixture
def salinan(ppid):
    from dokumen.samaran import salinan_add

    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    return salinan_add(entri_id=entri.pk, by=ppid, upload=samples.upload("samaran.pdf", PDF))


@pytest.mark.parametrize("who", [None, "no_role"])
def test_a_redacted_copy_is_404_to_the_public_and_to_no_role_and_nothing_is_logged(
    client, salinan, request, who
):
    if who:
        client.force_login(request.getfixturevalue(who))
    before = AccessLog.objects.count()
    for pk in (salinan.pk, salinan.pk + 1000):
        assert fetch(client, reverse("berkas:salinan_lihat", args=[pk])).status_code == 404
    assert AccessLog.objects.count() == before


@pytest.mark.parametrize("who", ["desk", "ppid"])
def test_the_staff_see_a_redacted_copy_and_exactly_one_log_row(client, salinan, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    before = AccessLog.objects.count()
    response = fetch(client, reverse("berkas:salinan_lihat", args=[salinan.pk]))
    assert response.status_code == 200 and response.body.startswith(b"%PDF")
    assert AccessLog.objects.count() == before + 1
    log = AccessLog.objects.latest("pk")
    assert (log.user, log.action) == (user, AccessLog.Action.VIEW)
    assert (
        fetch(client, reverse("berkas:salinan_lihat", args=[salinan.pk + 1000])).status_code == 404
    )


@pytest.mark.parametrize("name", FILE_URLS)
def test_anonymous_gets_404_and_nothing_is_logged(client, berkas, name):
    """A link copied from a staff page, opened logged out: the same 404 as a file that does
    not exist, not a login page that would confirm there is something behind it."""
    response = fetch(client, url(name, berkas))
    assert response.status_code == 404
    assert fetch(client, url(name, berkas.pk + 1000)).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("name", FILE_URLS)
def test_user_without_role_gets_404_and_nothing_is_logged(client, berkas, no_role, name):
    client.force_login(no_role)
    assert fetch(client, url(name, berkas)).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("name", FILE_URLS)
def test_approver_sees_no_file_of_an_entry_still_being_collected(client, desk, pembina, name):
    entri = EntriFactory()  # dikumpulkan: not yet for the approvers
    [berkas] = berkas_add(
        entri_id=entri.pk, by=desk, kind="scan", files=[samples.upload("a.pdf", PDF)]
    )
    make_thumbnail(berkas.pk)
    client.force_login(pembina)
    assert fetch(client, url(name, berkas)).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("name", FILE_URLS)
@pytest.mark.parametrize("who", ["desk", "ppid", "pembina"])
def test_staff_get_the_file_and_exactly_one_log_row(client, berkas, request, who, name):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = fetch(client, url(name, berkas), REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Uji/1.0")
    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert (log.berkas, log.user, log.action) == (berkas, user, ACTIONS[name])
    assert (log.ip, log.user_agent) == ("10.1.2.3", "Uji/1.0")


@pytest.mark.parametrize("name", FILE_URLS)
def test_missing_file_is_404_and_nothing_is_logged(client, berkas, desk, name):
    client.force_login(desk)
    assert fetch(client, url(name, berkas.pk + 1000)).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("name", FILE_URLS)
def test_removed_file_is_no_longer_served(client, berkas, desk, ppid, name):
    berkas_remove(berkas_id=berkas.pk, by=ppid)
    client.force_login(ppid)
    assert fetch(client, url(name, berkas)).status_code == 404
    assert not AccessLog.objects.exists()


def test_download_streams_the_stored_bytes_as_an_attachment(client, berkas, desk):
    client.force_login(desk)
    response = fetch(client, url("unduh", berkas))
    assert response.body == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # a name with quotes and non-ASCII letters goes out RFC 6266-encoded, never raw
    assert "filename*=utf-8''Surat%20%E2%80%9Crahasia%E2%80%9D%20Bupati.pdf" in disposition
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_view_is_inline_for_pdf_and_a_download_for_office_documents(client, desk):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    pdf, docx = berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="softcopy",
        files=[
            samples.upload("a.pdf", PDF),
            samples.upload("b.docx", samples.docx_bytes()),
        ],
    )
    client.force_login(desk)
    response = fetch(client, url("lihat", pdf))
    assert response["Content-Disposition"] == 'inline; filename="a.pdf"'
    assert "default-src 'none'" in response["Content-Security-Policy"]
    response = fetch(client, url("lihat", docx))
    assert response["Content-Disposition"] == 'attachment; filename="b.docx"'
    assert response["Content-Type"] == docx.content_type


def test_thumbnail_is_a_png_and_a_file_without_one_answers_404(client, berkas, desk):
    client.force_login(desk)
    response = fetch(client, url("gambar_kecil", berkas))
    assert response["Content-Type"] == "image/png"
    assert response.body.startswith(b"\x89PNG")
    Berkas.objects.filter(pk=berkas.pk).update(thumbnail="")
    AccessLog.objects.all().delete()
    assert fetch(client, url("gambar_kecil", berkas)).status_code == 404
    assert not AccessLog.objects.exists()


def test_preview_page_shows_facts_and_the_ppid_sees_the_log(client, berkas, desk, ppid):
    client.force_login(desk)
    html = fetch(client, url("pratinjau", berkas)).content.decode()
    assert berkas.sha256 in html
    assert url("unduh", berkas) in html and url("gambar_kecil", berkas) in html
    assert "Log akses berkas ini" not in html
    client.force_login(ppid)
    html = fetch(client, url("pratinjau", berkas)).content.decode()
    assert "Log akses berkas ini" in html
    # the desk's earlier visit, as the PPID reads it (the PPID's own visit is logged first)
    assert '<td data-label="Tindakan">pratinjau</td>' in html
    assert desk.get_full_name() in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("guess", ["/media/{name}", "/berkas/{name}", "/{name}", "/private/{name}"])
def test_a_guessed_storage_path_answers_404(client, berkas, desk, guess):
    client.force_login(desk)
    for name in (berkas.file.name, berkas.thumbnail.name):
        assert fetch(client, guess.format(name=name)).status_code == 404
    assert not AccessLog.objects.exists()


def test_entry_page_lists_what_the_selector_serves(client, desk, ppid, pembina, no_role):
    """For each user the files listed on the entry page are exactly the files served."""
    classified = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    collected = EntriFactory()
    files = []
    for entri in (classified, collected):
        files += berkas_add(
            entri_id=entri.pk,
            by=desk,
            kind="scan",
            files=[
                samples.upload(f"aktif-{entri.pk}.pdf", samples.pdf_bytes(pages=1)),
                samples.upload(f"dihapus-{entri.pk}.png", samples.image_bytes("PNG")),
            ],
        )
    for berkas in files:
        if berkas.original_name.startswith("dihapus"):
            berkas_remove(berkas_id=berkas.pk, by=desk)

    for user in (desk, ppid, pembina, no_role):
        client.force_login(user)
        listed = set()
        for entri in (classified, collected):
            page = fetch(client, reverse("meja:entri_detail", args=[entri.pk]))
            if page.status_code == 200:
                listed |= {b.pk for b in page.context["files"]}
        served = {b.pk for b in files if fetch(client, url("unduh", b)).status_code == 200}
        assert listed == served == set(files_visible_to(user).values_list("pk", flat=True))
        names = {b.original_name for b in files if b.pk in served}
        expected = {f"aktif-{classified.pk}.pdf"}
        if user in (desk, ppid):
            expected.add(f"aktif-{collected.pk}.pdf")
        if user == no_role:
            expected = set()
        assert names == expected


def test_blob_missing_from_storage_is_404_without_a_log_row(client, berkas, desk):
    berkas.file.storage.delete(berkas.file.name)
    client.force_login(desk)
    assert fetch(client, url("unduh", berkas)).status_code == 404
    assert not AccessLog.objects.exists()


def test_checksum_of_what_is_served_matches_the_record(client, berkas, ppid):
    client.force_login(ppid)
    body = fetch(client, url("unduh", berkas)).body
    assert hashlib.sha256(body).hexdigest() == berkas.sha256
