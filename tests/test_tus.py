"""Resumable uploads (tus 1.0) through Django's test client: each step of the protocol, and the
rules of the form upload on every tus URL (tests/test_tus_live.py runs a real tus client)."""

import base64
import hashlib
import os
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dokumen.models import Berkas, PartialUpload, State
from dokumen.tus import partial_dir
from tests import berkas_samples as samples
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


@pytest.fixture(autouse=True)
def temp_dir(settings, tmp_path):
    """A temporary upload folder of each test's own: rows roll back, files would not."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    return tmp_path / "tmp"


@pytest.fixture
def entri():
    return EntriFactory(classified=True, state=State.DIKLASIFIKASI)


def metadata(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def create(client, entri, *, length, name="pindaian.pdf", kind="scan", **headers):
    return client.post(
        reverse("meja:tus_create", args=[entri.pk]),
        data=b"",
        content_type="application/octet-stream",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=metadata(filename=name, kind=kind),
        **{**TUS, **headers},
    )


def patch(client, url, data: bytes, offset: int, **headers):
    return client.generic(
        "PATCH",
        url,
        data=data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        **{**TUS, **headers},
    )


def temp_files() -> set[Path]:
    return {p for p in partial_dir().iterdir() if p.is_file()}


def test_options_tells_version_extensions_and_the_size_limit(client, entri, desk, settings):
    settings.DIK_MAX_UPLOAD_BYTES = 5000
    client.force_login(desk)
    response = client.options(reverse("meja:tus_create", args=[entri.pk]))
    assert response.status_code == 204
    assert response["Tus-Resumable"] == response["Tus-Version"] == "1.0.0"
    assert response["Tus-Extension"] == "creation,termination"
    assert response["Tus-Max-Size"] == "5000"


def test_upload_in_pieces_becomes_a_berkas_with_the_whole_files_hash(client, entri, desk):
    data = samples.pdf_bytes(3)
    half = len(data) // 2
    client.force_login(desk)

    created = create(client, entri, length=len(data), name="keputusan.pdf", kind="softcopy")
    assert created.status_code == 201, created.content
    url = created["Location"]
    upload = PartialUpload.objects.get()
    assert url == reverse("meja:tus_upload", args=[entri.pk, upload.pk])
    assert (upload.entri, upload.kind, upload.length, upload.offset, upload.uploaded_by) == (
        entri,
        "softcopy",
        len(data),
        0,
        desk,
    )
    assert client.head(url, **TUS)["Upload-Offset"] == "0"

    first = patch(client, url, data[:half], 0)
    assert first.status_code == 204
    assert first["Upload-Offset"] == str(half)
    assert PartialUpload.objects.get().offset == half
    assert not Berkas.objects.exists()
    head = client.head(url, **TUS)
    assert (head["Upload-Offset"], head["Upload-Length"]) == (str(half), str(len(data)))
    assert head["Cache-Control"] == "no-store"

    last = patch(client, url, data[half:], half)
    assert last.status_code == 204
    assert last["Upload-Offset"] == str(len(data))
    berkas = Berkas.objects.get()
    assert (berkas.original_name, berkas.kind, berkas.size, berkas.pages) == (
        "keputusan.pdf",
        "softcopy",
        len(data),
        3,
    )
    assert berkas.content_type == "application/pdf"
    assert berkas.sha256 == hashlib.sha256(data).hexdigest()
    assert berkas.uploaded_by == desk and berkas.history.count() == 1
    with berkas.file.open("rb") as fh:
        assert fh.read() == data
    assert not PartialUpload.objects.exists() and not temp_files()
    # the page the script loads then says so
    page = client.get(reverse("meja:entri_detail", args=[entri.pk]))
    assert "“keputusan.pdf” ditambahkan ke entri." in page.content.decode()
    # the upload is over: its URL is gone
    assert client.head(url, **TUS).status_code == 404


def test_a_piece_at_the_wrong_offset_is_refused(client, entri, desk):
    data = samples.pdf_bytes()
    client.force_login(desk)
    url = create(client, entri, length=len(data))["Location"]
    assert patch(client, url, data[:100], 0).status_code == 204
    wrong = patch(client, url, data[50:], 50)
    assert wrong.status_code == 409
    assert wrong["Upload-Offset"] == "100"
    assert patch(client, url, data[100:] + b"x", 100).status_code == 400  # past the length
    assert client.head(url, **TUS)["Upload-Offset"] == "100"


def test_protocol_version_and_content_type_are_checked(client, entri, desk):
    client.force_login(desk)
    url = create(client, entri, length=10)["Location"]
    no_version = client.generic(
        "PATCH",
        url,
        data=b"0123456789",
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
    )
    assert no_version.status_code == 412
    assert no_version["Tus-Version"] == "1.0.0"
    assert patch(client, url, b"0123", 0, CONTENT_TYPE="text/plain").status_code == 415
    missing_length = client.post(
        reverse("meja:tus_create", args=[entri.pk]), data=b"", content_type="text/plain", **TUS
    )
    assert missing_length.status_code == 400
    assert PartialUpload.objects.get().offset == 0


def test_too_large_is_refused_at_creation_with_its_real_size(client, entri, desk, settings):
    settings.DIK_MAX_UPLOAD_BYTES = 1024**3
    client.force_login(desk)
    response = create(client, entri, length=2_254_857_830, name="besar.pdf")
    assert response.status_code == 413
    assert response["Tus-Resumable"] == "1.0.0"
    assert response.json()["errors"] == [
        {
            "file": "besar.pdf",
            "message": "“besar.pdf” berukuran 2,1\xa0GB; berkas terbesar yang diterima 1,0\xa0GB.",
        }
    ]
    assert not PartialUpload.objects.exists() and not temp_files()


def test_the_completed_file_goes_through_the_same_checks_as_the_form(client, entri, desk):
    """Type sniffed from the bytes: a PNG named .pdf is refused, and nothing stays."""
    data = samples.image_bytes("PNG")
    client.force_login(desk)
    url = create(client, entri, length=len(data), name="surat.pdf")["Location"]
    response = patch(client, url, data, 0)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "file": "surat.pdf",
            "message": "“surat.pdf” tidak sesuai dengan namanya: nama berakhiran .pdf, tetapi isinya berkas PNG.",
        }
    ]
    assert not Berkas.objects.exists()
    assert not PartialUpload.objects.exists() and not temp_files()


def test_an_empty_file_is_refused_by_the_ingest(client, entri, desk):
    client.force_login(desk)
    response = create(client, entri, length=0, name="kosong.pdf")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "“kosong.pdf” kosong."
    assert not PartialUpload.objects.exists() and not temp_files()


def test_the_same_content_twice_is_refused(client, entri, desk):
    data = samples.pdf_bytes()
    client.force_login(desk)
    for expected in (204, 400):
        url = create(client, entri, length=len(data), name="a.pdf")["Location"]
        assert patch(client, url, data, 0).status_code == expected
    assert Berkas.objects.count() == 1


def test_a_read_only_entry_is_refused_before_any_byte(client, desk):
    entri = EntriFactory(classified=True, state=State.DITETAPKAN)
    client.force_login(desk)
    response = create(client, entri, length=1000)
    assert response.status_code == 400
    assert "hanya dapat dibaca" in response.json()["errors"][0]["message"]
    assert not PartialUpload.objects.exists()


def test_kind_must_be_softcopy_or_scan(client, entri, desk):
    client.force_login(desk)
    assert create(client, entri, length=10, kind="lain").status_code == 400
    assert not PartialUpload.objects.exists()


def test_termination_removes_the_upload_and_its_bytes(client, entri, desk):
    client.force_login(desk)
    url = create(client, entri, length=1000)["Location"]
    patch(client, url, b"x" * 400, 0)
    assert temp_files()
    assert client.delete(url, **TUS).status_code == 204
    assert not PartialUpload.objects.exists() and not temp_files()
    assert client.head(url, **TUS).status_code == 404


def test_bytes_lost_on_this_server_answer_404_so_the_client_starts_again(client, entri, desk):
    client.force_login(desk)
    url = create(client, entri, length=1000)["Location"]
    for path in temp_files():
        path.unlink()
    assert client.head(url, **TUS).status_code == 404
    assert not PartialUpload.objects.exists()


def test_a_killed_worker_leaves_exactly_the_bytes_it_wrote(client, entri, desk):
    """The file is the offset: bytes written by a PATCH that never finished still count."""
    client.force_login(desk)
    url = create(client, entri, length=1000)["Location"]
    [path] = temp_files()
    path.write_bytes(b"y" * 300)  # what the killed worker had written
    assert client.head(url, **TUS)["Upload-Offset"] == "300"
    assert PartialUpload.objects.get().offset == 300
    assert patch(client, url, b"z" * 700, 300).status_code == 400  # not a PDF once complete


# ---------------------------------------------------------------- who may


def tus_requests(entri, url):
    """Every tus URL with every method it answers."""
    create_url = reverse("meja:tus_create", args=[entri.pk])
    return [
        ("OPTIONS", create_url, {}),
        ("POST", create_url, {"HTTP_UPLOAD_LENGTH": "10"}),
        ("OPTIONS", url, {}),
        ("HEAD", url, {}),
        ("PATCH", url, {"HTTP_UPLOAD_OFFSET": "0"}),
        ("DELETE", url, {}),
    ]


@pytest.mark.parametrize("who", ["pembina", "no_role", "other_desk"])
def test_every_tus_url_answers_404_to_whoever_may_not_upload_there(
    client, entri, desk, request, user_with, who
):
    """Approvers and users without a role never upload (the form answers them 403; tus answers
    404 like for a missing entry); another desk user does not reach someone else's upload."""
    client.force_login(desk)
    url = create(client, entri, length=10, name="a.pdf")["Location"]
    upload = PartialUpload.objects.get()
    user = (
        user_with("Petugas Desk Layanan Informasi", username="desk2")
        if who == "other_desk"
        else request.getfixturevalue(who)
    )
    other = Client()
    other.force_login(user)
    for method, target, headers in tus_requests(entri, url):
        if who == "other_desk" and target.endswith("/unggah/"):
            continue  # they may start uploads of their own to this entry
        response = other.generic(
            method,
            target,
            data=b"0123456789",
            content_type="application/offset+octet-stream",
            **{**TUS, **headers},
        )
        assert response.status_code == 404, (method, target)
    assert PartialUpload.objects.get() == upload and upload.offset == 0
    assert len(temp_files()) == 1


@pytest.mark.parametrize("make", ["missing", "hidden"])
def test_a_hidden_entry_answers_like_a_missing_one(client, pembina, make):
    """An approver does not see a collected entry: 404 as for an id that does not exist."""
    hidden = EntriFactory(state=State.DIKUMPULKAN)
    pk = hidden.pk if make == "hidden" else 999_999
    client.force_login(pembina)
    url = reverse("meja:tus_create", args=[pk])
    assert client.options(url).status_code == 404
    assert client.generic("POST", url, **TUS, HTTP_UPLOAD_LENGTH="10").status_code == 404


def test_another_entrys_upload_url_is_404(client, entri, desk):
    client.force_login(desk)
    create(client, entri, length=10)
    upload = PartialUpload.objects.get()
    other = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    url = reverse("meja:tus_upload", args=[other.pk, upload.pk])
    assert client.head(url, **TUS).status_code == 404
    random = reverse("meja:tus_upload", args=[entri.pk, uuid.uuid4()])
    assert client.head(random, **TUS).status_code == 404


def test_csrf_is_checked_on_every_change(entri, desk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk)
    page = client.get(reverse("meja:entri_detail", args=[entri.pk]))
    token = page.cookies["csrftoken"].value
    refused = create(client, entri, length=10)
    assert refused.status_code == 403
    assert not PartialUpload.objects.exists()
    url = create(client, entri, length=10, HTTP_X_CSRFTOKEN=token)["Location"]
    assert patch(client, url, b"0123", 0).status_code == 403
    assert client.delete(url, **TUS).status_code == 403
    assert client.head(url, **TUS)["Upload-Offset"] == "0"  # reading needs no token
    assert patch(client, url, b"0123", 0, HTTP_X_CSRFTOKEN=token).status_code == 204


# ---------------------------------------------------------------- cleanup


def age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_cleanup_removes_abandoned_uploads_and_stale_temporary_files(client, entri, desk, settings):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(desk)
    abandoned = create(client, entri, length=1000, name="lama.pdf")["Location"]
    patch(client, abandoned, b"x" * 500, 0)
    fresh = create(client, entri, length=1000, name="baru.pdf")["Location"]
    patch(client, fresh, b"x" * 100, 0)
    old_row = PartialUpload.objects.get(original_name="lama.pdf")
    PartialUpload.objects.filter(pk=old_row.pk).update(
        updated_at=timezone.now() - timedelta(hours=25)
    )
    age(partial_dir() / f"{old_row.pk}.part", 25)

    temp = Path(settings.FILE_UPLOAD_TEMP_DIR)
    killed = temp / "tmpa1b2c3.upload.pdf"  # what a killed server left of a form upload
    killed.write_bytes(b"z" * 1000)
    age(killed, 30)
    orphan = partial_dir() / f"{uuid.uuid4()}.part"  # bytes whose row is gone
    orphan.write_bytes(b"z")
    age(orphan, 30)
    in_progress = temp / "tmpd4e5f6.upload.pdf"
    in_progress.write_bytes(b"z")

    call_command("uploads_cleanup", verbosity=0)

    assert list(PartialUpload.objects.values_list("original_name", flat=True)) == ["baru.pdf"]
    assert not killed.exists() and not orphan.exists()
    assert in_progress.exists()
    assert [p.name for p in temp_files()] == [f"{PartialUpload.objects.get().pk}.part"]
    assert client.head(abandoned, **TUS).status_code == 404
    assert client.head(fresh, **TUS)["Upload-Offset"] == "100"
