"""The files section of the entry page: upload (XHR and plain), removal, access log per entry."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dokumen import berkas_views
from dokumen.berkas import berkas_add
from dokumen.models import AccessLog, Berkas, State
from dokumen.thumbnails import make_thumbnail
from ppid.models import SiteProfile
from tests import berkas_samples as samples
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def entri():
    return EntriFactory(classified=True, state=State.DIKLASIFIKASI)


def upload_url(entri):
    return reverse("meja:berkas_upload", args=[entri.pk])


def entry_page(client, entri) -> str:
    response = client.get(reverse("meja:entri_detail", args=[entri.pk]))
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- the form on the entry page


def test_entry_page_offers_upload_with_camera_capture_to_the_desk(client, entri, desk):
    client.force_login(desk)
    html = entry_page(client, entri)
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="application/pdf,image/*,.docx,.xlsx,.odt"' in html and " multiple" in html
    assert 'accept="image/*" capture="environment"' in html
    assert "<progress" in html
    assert "/static/js/upload.js" in html
    assert "Berkas ini adalah" in html
    assert 'value="softcopy" id="id_kind_0" required checked' in html
    assert "softcopy asli" in html and "pindaian hardcopy" in html
    assert "Belum ada berkas" in html


@pytest.mark.parametrize("state", [State.DIARSIPKAN, State.DITETAPKAN])
def test_no_upload_form_on_a_read_only_entry(client, desk, state):
    entri = EntriFactory(classified=True, state=state)
    client.force_login(desk)
    html = entry_page(client, entri)
    assert upload_url(entri) not in html


def test_approver_sees_the_files_but_no_upload_or_remove(client, entri, desk, pembina):
    berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="scan",
        files=[samples.upload("a.pdf", samples.pdf_bytes())],
    )
    client.force_login(pembina)
    html = entry_page(client, entri)
    assert "a.pdf" in html
    assert upload_url(entri) not in html
    assert "/hapus/" not in html
    assert "Log akses berkas-berkas ini" not in html


def test_files_section_lists_thumbnail_kind_size_pages_uploader_and_flags(
    client, entri, desk, ppid
):
    pdf, locked = berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="softcopy",
        files=[
            samples.upload("keputusan.pdf", samples.pdf_bytes(pages=3)),
            samples.upload("terkunci.pdf", samples.pdf_bytes(pages=1, password="x")),
        ],
    )
    make_thumbnail(pdf.pk)
    client.force_login(ppid)
    html = entry_page(client, entri)
    assert reverse("berkas:gambar_kecil", args=[pdf.pk]) in html
    assert reverse("berkas:pratinjau", args=[pdf.pk]) in html
    assert reverse("berkas:unduh", args=[locked.pk]) in html
    assert "3 halaman" in html
    assert "tidak dapat dipratinjau" in html and "PDF terenkripsi" in html
    assert desk.get_full_name() in html
    assert reverse("meja:berkas_remove", args=[pdf.pk]) in html
    assert reverse("meja:entri_access_log", args=[entri.pk]) in html
    # the page itself is no access to a file: only the thumbnail request would be
    assert not AccessLog.objects.exists()


def test_entry_page_queries_do_not_grow_with_files(client, entri, desk):
    client.force_login(desk)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            entry_page(client, entri)
        return len(ctx.captured_queries)

    berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="scan",
        files=[samples.upload("1.pdf", samples.pdf_bytes(1))],
    )
    count()  # the first page of a test also creates the letterhead row
    one = count()
    berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="scan",
        files=[samples.upload(f"{n}.pdf", samples.pdf_bytes(n)) for n in range(2, 7)],
    )
    assert count() == one


# ---------------------------------------------------------------- upload


def test_xhr_upload_answers_json_and_stores_every_file(
    client, entri, desk, django_capture_on_commit_callbacks
):
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload_url(entri),
            {
                "kind": "scan",
                "files": [
                    samples.upload("pindaian.pdf", samples.pdf_bytes(2)),
                    samples.upload("halaman.png", samples.image_bytes("PNG")),
                ],
                "photo": samples.upload("image.jpg", samples.phone_photo_bytes()),
            },
            **XHR,
        )
    assert response.status_code == 201
    data = response.json()
    assert data["ok"] is True
    assert data["message"] == "3 berkas ditambahkan ke entri."
    assert [f["name"] for f in data["files"]] == ["pindaian.pdf", "halaman.png", "image.jpg"]
    assert data["redirect"] == reverse("meja:entri_detail", args=[entri.pk]) + "#berkas"
    files = Berkas.objects.filter(entri=entri)
    assert files.count() == 3
    assert all(b.thumbnail for b in files)
    assert {b.kind for b in files} == {"scan"}


def test_a_large_upload_is_hashed_as_it_arrives_and_moved_not_read_again(
    client, entri, desk, tmp_path, monkeypatch
):
    """Past FILE_UPLOAD_MAX_MEMORY_SIZE the upload goes to a temporary file; its SHA-256 is
    computed while it is written, and local storage takes the file by a move."""
    from bench.measures import MB, make_pdf
    from dokumen import berkas

    path = tmp_path / "besar.pdf"
    make_pdf(path, 4 * MB)
    data = path.read_bytes()

    def no_second_read(*args, **kwargs):
        raise AssertionError("the upload was read again to hash or copy it")

    monkeypatch.setattr(berkas, "_HashingReader", no_second_read)
    client.force_login(desk)
    response = client.post(
        upload_url(entri), {"kind": "softcopy", "files": [samples.upload("besar.pdf", data)]}, **XHR
    )
    assert response.status_code == 201, response.content
    stored = Berkas.objects.get(entri=entri)
    assert stored.size == len(data) and stored.pages == 1
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    with stored.file.open("rb") as fh:
        assert fh.read() == data


def test_a_large_file_past_the_limit_is_cut_off_while_written_by_the_thread(
    client, entri, desk, settings, tmp_path
):
    from bench.measures import MB, make_pdf

    settings.DIK_MAX_UPLOAD_BYTES = 3 * MB
    small, large = tmp_path / "kecil.pdf", tmp_path / "besar.pdf"
    make_pdf(small, 3 * MB - 4096)  # past the memory limit, under the size limit
    make_pdf(large, 5 * MB)
    client.force_login(desk)
    response = client.post(
        upload_url(entri),
        {
            "kind": "softcopy",
            "files": [
                samples.upload("besar.pdf", large.read_bytes()),
                samples.upload("kecil.pdf", small.read_bytes()),
            ],
        },
        **XHR,
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["file"] == "besar.pdf"
    assert not Berkas.objects.exists()
    # the same small file alone goes through, hashed by the writer thread
    response = client.post(
        upload_url(entri),
        {"kind": "softcopy", "files": [samples.upload("kecil.pdf", small.read_bytes())]},
        **XHR,
    )
    assert response.status_code == 201
    stored = Berkas.objects.get()
    assert stored.sha256 == hashlib.sha256(small.read_bytes()).hexdigest()


def test_xhr_upload_errors_are_per_file_in_indonesian_and_nothing_stays(client, entri, desk):
    client.force_login(desk)
    before = samples.stored_names()
    response = client.post(
        upload_url(entri),
        {
            "kind": "softcopy",
            "files": [
                samples.upload("baik.pdf", samples.pdf_bytes()),
                samples.upload("palsu.pdf", samples.image_bytes("PNG")),
                samples.upload("catatan.txt", b"teks biasa"),
            ],
        },
        **XHR,
    )
    assert response.status_code == 400
    data = response.json()
    assert data["ok"] is False
    assert data["message"].startswith("Tidak ada berkas yang diunggah")
    assert data["errors"] == [
        {
            "file": "palsu.pdf",
            "message": "“palsu.pdf” tidak sesuai dengan namanya: nama berakhiran .pdf, tetapi isinya berkas PNG.",
        },
        {
            "file": "catatan.txt",
            "message": "“catatan.txt” bukan jenis berkas yang diizinkan. Yang diizinkan: PDF, JPEG, PNG, TIFF, DOCX, XLSX, ODT.",
        },
    ]
    assert not Berkas.objects.exists()
    assert samples.stored_names() == before


def test_plain_upload_redirects_with_a_message(client, entri, ppid):
    client.force_login(ppid)
    response = client.post(
        upload_url(entri),
        {"kind": "softcopy", "files": [samples.upload("nota.docx", samples.docx_bytes())]},
        follow=True,
    )
    assert response.redirect_chain == [
        (reverse("meja:entri_detail", args=[entri.pk]) + "#berkas", 302)
    ]
    html = response.content.decode()
    assert "1 berkas ditambahkan ke entri." in html
    assert "nota.docx" in html


def test_plain_upload_refusal_is_shown_as_messages(client, entri, desk):
    client.force_login(desk)
    response = client.post(
        upload_url(entri),
        {"kind": "scan", "files": [samples.upload("laporan.docx", samples.docx_bytes())]},
        follow=True,
    )
    html = response.content.decode()
    assert "Tidak ada berkas yang diunggah" in html
    assert "“laporan.docx” adalah dokumen DOCX: unggah sebagai softcopy" in html
    assert not Berkas.objects.exists()


def test_upload_without_a_file_is_refused(client, entri, desk):
    client.force_login(desk)
    response = client.post(upload_url(entri), {"kind": "scan"}, **XHR)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"file": "", "message": "Pilih setidaknya satu berkas."}]


def test_oversized_file_is_cut_off_while_it_arrives(client, entri, desk, settings, monkeypatch):
    settings.DIK_MAX_UPLOAD_BYTES = 2000
    called = []
    monkeypatch.setattr(berkas_views, "berkas_add", lambda **kw: called.append(kw))
    client.force_login(desk)
    data = samples.image_bytes("PNG")
    response = client.post(
        upload_url(entri),
        {
            "kind": "scan",
            "files": [
                samples.upload("kecil.pdf", samples.pdf_bytes(1)),
                samples.upload("besar.png", data),
            ],
        },
        **XHR,
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["file"] == "besar.png"
    assert "berkas terbesar yang diterima" in error["message"]
    assert called == []  # refused by the upload handler before any service work
    assert not Berkas.objects.exists()


@pytest.mark.parametrize(
    ("limit", "size", "shown"),
    [
        (100 * 1024, 2 * 1024 * 1024, "2,0\xa0MB"),  # kept in memory while it arrives
        (1536 * 1024, 7 * 1024 * 1024 // 2, "3,5\xa0MB"),  # written to a temporary file
    ],
)
def test_oversized_file_is_refused_with_its_real_size_not_the_limits(
    client, entri, desk, settings, limit, size, shown
):
    """Issue 13: a 2.1 GB upload was refused as “1,0 GB”, the size where it was cut off."""
    from pathlib import Path

    settings.DIK_MAX_UPLOAD_BYTES = limit
    temp_dir = Path(settings.FILE_UPLOAD_TEMP_DIR)
    before = set(temp_dir.iterdir())
    client.force_login(desk)
    response = client.post(
        upload_url(entri),
        {
            "kind": "softcopy",
            "files": [
                samples.upload("besar.pdf", b"%PDF-1.7\n" + bytes(size - 9)),
                samples.upload("kecil.pdf", samples.pdf_bytes(1)),
            ],
        },
        **XHR,
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    limit_shown = "100,0\xa0KB" if limit < 1024 * 1024 else "1,5\xa0MB"
    assert error == {
        "file": "besar.pdf",
        "message": f"“besar.pdf” berukuran {shown}; berkas terbesar yang diterima {limit_shown}.",
    }
    assert not Berkas.objects.exists()
    assert set(temp_dir.iterdir()) == before  # what was written of it is gone


@pytest.mark.parametrize("who", ["pembina", "no_role"])
def test_upload_needs_the_desk_or_the_ppid(client, entri, request, who):
    client.force_login(request.getfixturevalue(who))
    before = samples.stored_names()
    response = client.post(
        upload_url(entri), {"kind": "scan", "files": [samples.upload("a.pdf", samples.pdf_bytes())]}
    )
    assert response.status_code == 403
    assert not Berkas.objects.exists()
    assert samples.stored_names() == before


def test_upload_checks_the_csrf_token(entri, desk, client_class=None):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(desk)
    response = client.post(
        upload_url(entri), {"kind": "scan", "files": [samples.upload("a.pdf", samples.pdf_bytes())]}
    )
    assert response.status_code == 403
    assert not Berkas.objects.exists()


def test_upload_to_a_read_only_entry_is_refused(client, desk):
    entri = EntriFactory(classified=True, state=State.DITETAPKAN)
    client.force_login(desk)
    response = client.post(
        upload_url(entri),
        {"kind": "scan", "files": [samples.upload("a.pdf", samples.pdf_bytes())]},
        **XHR,
    )
    assert response.status_code == 400
    assert "hanya dapat dibaca" in response.json()["errors"][0]["message"]


def test_upload_url_answers_only_post(client, entri, desk):
    client.force_login(desk)
    assert client.get(upload_url(entri)).status_code == 405


def test_upload_to_a_missing_entry_is_404(client, desk):
    client.force_login(desk)
    response = client.post(reverse("meja:berkas_upload", args=[999_999]), {"kind": "scan"})
    assert response.status_code == 404


# ---------------------------------------------------------------- removal


def test_remove_button_removes_softly(client, entri, desk):
    [berkas] = berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="scan",
        files=[samples.upload("a.pdf", samples.pdf_bytes())],
    )
    client.force_login(desk)
    remove = reverse("meja:berkas_remove", args=[berkas.pk])
    assert client.get(remove).status_code == 405
    response = client.post(remove, follow=True)
    html = response.content.decode()
    assert "“a.pdf” dihapus dari entri" in html
    assert "Belum ada berkas" in html
    berkas.refresh_from_db()
    assert berkas.removed_by == desk
    assert berkas.file.storage.exists(berkas.file.name)
    # removed files are no longer visible: a second removal is a 404
    assert client.post(remove).status_code == 404


@pytest.mark.parametrize("who", ["pembina", "no_role"])
def test_remove_needs_the_desk_or_the_ppid(client, entri, desk, request, who):
    [berkas] = berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="scan",
        files=[samples.upload("a.pdf", samples.pdf_bytes())],
    )
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("meja:berkas_remove", args=[berkas.pk])).status_code == 403
    berkas.refresh_from_db()
    assert berkas.removed_at is None


def test_remove_on_a_read_only_entry_is_refused_with_a_message(client, entri, desk):
    [berkas] = berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="scan",
        files=[samples.upload("a.pdf", samples.pdf_bytes())],
    )
    type(entri).objects.filter(pk=entri.pk).update(state=State.DITETAPKAN)
    client.force_login(desk)
    response = client.post(reverse("meja:berkas_remove", args=[berkas.pk]), follow=True)
    assert "hanya dapat dibaca" in response.content.decode()
    berkas.refresh_from_db()
    assert berkas.removed_at is None


# ---------------------------------------------------------------- access log per entry


def _logged_entry(desk, n_rows: int):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    [berkas] = berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="scan",
        files=[samples.upload("a.pdf", samples.pdf_bytes())],
    )
    AccessLog.objects.bulk_create(
        AccessLog(berkas=berkas, user=desk, action=AccessLog.Action.DOWNLOAD, ip="10.0.0.9")
        for _ in range(n_rows)
    )
    return entri


def test_access_log_of_an_entry_is_for_the_ppid(client, desk, ppid, pembina):
    entri = _logged_entry(desk, 2)
    other = _logged_entry(desk, 1)
    log_url = reverse("meja:entri_access_log", args=[entri.pk])
    client.force_login(ppid)
    response = client.get(log_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<td data-label="Tindakan">unduh</td>') == 2
    assert "10.0.0.9" in html and desk.get_full_name() in html
    assert len(response.context["logs"]) == 2 and other.pk != entri.pk
    for user in (desk, pembina):
        client.force_login(user)
        assert client.get(log_url).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_access_log_page_queries_do_not_grow(client, desk, ppid, rows, django_assert_num_queries):
    entri = _logged_entry(desk, rows)
    SiteProfile.current()  # the letterhead row exists, as it does after the first page
    client.force_login(ppid)
    # session, user, roles, entry, count, rows (with user and file), site profile; no review
    # count in the navigation for the PPID, who never decides
    with django_assert_num_queries(7):
        response = client.get(reverse("meja:entri_access_log", args=[entri.pk]))
    assert len(response.context["logs"]) == rows
