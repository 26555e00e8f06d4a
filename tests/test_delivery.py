"""A stored private file leaves with a safe name: streamed from disk, a short signed URL on S3."""

import urllib.parse
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import Http404

from dokumen.delivery import private_file_response, safe_filename
from dokumen.models import AccessLog
from tests.factories import UserFactory

CONTENT = b"%PDF-1.4 isi berkas\n" * 50


def viewer():
    """A request of a logged-in member of staff (the access log names who read the file)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7")
    request.user = UserFactory()
    return request


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Surat Keputusan.pdf", "Surat Keputusan.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ppid\\scan 01.pdf", "scan 01.pdf"),
        ("nama\r\nSet-Cookie: x=1.pdf", "namaSet-Cookie: x=1.pdf"),
        ("..", "berkas"),
        (".htaccess", "htaccess"),
    ],
)
def test_safe_filename(given, expected):
    assert safe_filename(given) == expected


def test_a_long_name_is_shortened_before_its_extension():
    name = "Daftar pemilih " * 10 + ".pdf"  # 154 characters
    shortened = safe_filename(name)
    assert len(shortened) == 150 and shortened.endswith(".pdf")
    assert safe_filename(name, max_length=255) == name.strip()
    assert safe_filename("x" * 300) == "x" * 150


@pytest.mark.django_db
def test_every_private_file_response_writes_one_access_log_row():
    storage = storages["private"]
    name = storage.save("keputusan/uji.pdf", ContentFile(CONTENT))
    request = viewer()
    response = private_file_response(
        request, storage, name, filename="k.pdf", content_type="application/pdf", action="lihat"
    )
    log = AccessLog.objects.get()
    assert (log.user, log.berkas, log.file_name, log.ip) == (request.user, None, name, "10.0.0.7")
    response.file_to_stream.close()


@pytest.mark.django_db
def test_local_file_is_streamed_as_attachment_with_a_safe_name():
    storage = storages["private"]
    name = storage.save("berkas/unduh.pdf", ContentFile(CONTENT))
    response = private_file_response(
        viewer(),
        storage,
        name,
        filename="../Daftar Pemilih.pdf",
        content_type="application/pdf",
        action="unduh",
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Daftar Pemilih.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == CONTENT
    response.file_to_stream.close()  # response.close() would signal request_finished


@pytest.mark.django_db
def test_non_ascii_filename_is_encoded():
    storage = storages["private"]
    name = storage.save("berkas/unduh.pdf", ContentFile(CONTENT))
    response = private_file_response(
        viewer(),
        storage,
        name,
        filename="Berita Acara – Rapat.pdf",
        content_type="application/pdf",
        action="unduh",
    )
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Berita%20Acara%20%E2%80%93%20Rapat.pdf"
    )
    response.file_to_stream.close()  # response.close() would signal request_finished


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "berkas/tidak-ada.pdf"])
def test_missing_blob_is_404(name):
    with pytest.raises(Http404):
        private_file_response(
            viewer(),
            storages["private"],
            name,
            filename="a.pdf",
            content_type="application/pdf",
            action="unduh",
        )


@pytest.mark.django_db
def test_s3_file_is_a_redirect_to_a_signed_url_living_presigned_url_seconds(s3_storages, settings):
    settings.PRESIGNED_URL_SECONDS = 45
    name = s3_storages.private.save("berkas/unduh.pdf", ContentFile(CONTENT))
    response = private_file_response(
        viewer(),
        s3_storages.private,
        name,
        filename="../Daftar Pemilih.pdf",
        content_type="application/pdf",
        as_attachment=False,
        action="lihat",
    )
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["45"]
    assert query["response-content-disposition"] == ['inline; filename="Daftar Pemilih.pdf"']
    with urllib.request.urlopen(response["Location"], timeout=10) as s3:  # noqa: S310
        assert s3.read() == CONTENT
        assert s3.headers["Content-Disposition"] == 'inline; filename="Daftar Pemilih.pdf"'
        assert s3.headers["Content-Type"] == "application/pdf"
        assert s3.headers["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_s3_missing_object_is_404_and_no_url(s3_storages):
    with pytest.raises(Http404):
        private_file_response(
            viewer(),
            s3_storages.private,
            "berkas/hilang.pdf",
            filename="a",
            content_type="application/pdf",
            action="unduh",
        )
