"""A stored file leaves as an attachment with a safe name: streamed from disk, signed URL on S3."""

import urllib.parse
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from ppid.downloads import attachment_response, safe_filename

CONTENT = b"%PDF-1.4 isi berkas\n" * 50


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


def test_local_file_is_streamed_as_attachment():
    storage = storages["private"]
    name = storage.save("berkas/unduh.pdf", ContentFile(CONTENT))
    response = attachment_response(
        storage, name, filename="../Daftar Pemilih.pdf", content_type="application/pdf"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Daftar Pemilih.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == CONTENT
    response.file_to_stream.close()  # response.close() would signal request_finished


def test_non_ascii_filename_is_encoded():
    storage = storages["private"]
    name = storage.save("berkas/unduh.pdf", ContentFile(CONTENT))
    response = attachment_response(storage, name, filename="Berita Acara – Rapat.pdf")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Berita%20Acara%20%E2%80%93%20Rapat.pdf"
    )
    response.file_to_stream.close()  # response.close() would signal request_finished


def test_s3_file_is_a_redirect_to_a_short_signed_url(s3_storages):
    name = s3_storages.private.save("berkas/unduh.pdf", ContentFile(CONTENT))
    response = attachment_response(
        s3_storages.private, name, filename="Daftar Pemilih.pdf", content_type="application/pdf"
    )
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert query["response-content-disposition"] == ['attachment; filename="Daftar Pemilih.pdf"']
    with urllib.request.urlopen(response["Location"], timeout=10) as s3:  # noqa: S310
        assert s3.read() == CONTENT
        assert s3.headers["Content-Disposition"] == 'attachment; filename="Daftar Pemilih.pdf"'
        assert s3.headers["Content-Type"] == "application/pdf"
