"""Resumable uploads with a real tus client (tuspy) against the live server: cut at about half,
resumed from the server's offset, stored with the right size and SHA-256, downloadable."""

import hashlib
import os
import socket
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tusclient.client import TusClient
from tusclient.exceptions import TusCommunicationError

from bench.measures import MB, make_pdf
from dokumen.models import AccessLog, Berkas, PartialUpload, State
from tests.factories import EntriFactory
from tests.persetujuan_setup import reseed

pytestmark = pytest.mark.django_db(transaction=True)
CHUNK = MB


@pytest.fixture(autouse=True)
def seeded(transactional_db):
    reseed()


@pytest.fixture(autouse=True)
def temp_dir(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    return tmp_path / "tmp"


streams = []


@pytest.fixture(autouse=True)
def close_streams():
    yield
    while streams:
        streams.pop().close()


@pytest.fixture
def entri():
    return EntriFactory(classified=True, state=State.DIKLASIFIKASI)


@pytest.fixture
def big_pdf(tmp_path) -> Path:
    path = tmp_path / "arsip-besar.pdf"
    make_pdf(path, 6 * MB + 12_345)
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def session_of(live_server, user, entri) -> dict[str, str]:
    """The login of `user` as the browser has it: the session cookie, and the CSRF token the
    page's script sends as X-CSRFToken."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = requests.get(
        live_server.url + "/", cookies={settings.SESSION_COOKIE_NAME: session}, timeout=30
    )
    assert page.status_code == 200
    token = page.cookies[settings.CSRF_COOKIE_NAME]
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}",
        "X-CSRFToken": token,
    }


def tus_client(live_server, headers, entri) -> TusClient:
    return TusClient(live_server.url + reverse("meja:tus_create", args=[entri.pk]), headers=headers)


def uploader(client, path, **kwargs):
    # a stream, not file_path: tuspy leaves the files it opens itself unclosed
    stream = path.open("rb")
    streams.append(stream)
    return client.uploader(
        file_stream=stream,
        chunk_size=CHUNK,
        metadata={"filename": path.name, "kind": "softcopy"},
        **kwargs,
    )


def test_upload_stopped_at_half_resumes_from_the_servers_offset(live_server, desk, entri, big_pdf):
    headers = session_of(live_server, desk, entri)
    first = uploader(tus_client(live_server, headers, entri), big_pdf)
    half = 3 * CHUNK
    first.upload(stop_at=half)  # three chunks, then the client is gone (tab closed)
    assert PartialUpload.objects.get().offset == half
    assert not Berkas.objects.exists()

    # a new client that only knows the upload's URL (as tus-js-client keeps it) asks HEAD
    again = uploader(tus_client(live_server, headers, entri), big_pdf, url=first.url)
    assert again.offset == half
    again.upload()

    berkas = Berkas.objects.get()
    assert berkas.size == big_pdf.stat().st_size
    assert berkas.sha256 == sha256(big_pdf)
    assert (berkas.original_name, berkas.content_type) == ("arsip-besar.pdf", "application/pdf")
    assert not PartialUpload.objects.exists()


def test_connection_cut_in_the_middle_of_a_piece_keeps_what_arrived(
    live_server, desk, entri, big_pdf
):
    headers = session_of(live_server, desk, entri)
    client = tus_client(live_server, headers, entri)
    first = uploader(client, big_pdf)
    url = first.create_url()
    data = big_pdf.read_bytes()
    sent = len(data) // 2 + 777  # about half, not on a chunk's edge

    # one PATCH that announces the whole file and stops after `sent` bytes: the link drops
    target = urlsplit(url)
    with socket.create_connection((target.hostname, target.port), timeout=30) as sock:
        head = (
            f"PATCH {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\n"
            f"Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nContent-Length: {len(data)}\r\n"
            + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            + "\r\n"
        )
        sock.sendall(head.encode() + data[:sent])
        sock.shutdown(socket.SHUT_WR)

    offset = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        response = requests.head(url, headers={**headers, "Tus-Resumable": "1.0.0"}, timeout=30)
        offset = int(response.headers["Upload-Offset"])
        if offset == sent and PartialUpload.objects.get().offset == sent:
            break
        time.sleep(0.1)
    assert offset == sent

    resumed = uploader(client, big_pdf, url=url)
    assert resumed.offset == sent
    resumed.upload()
    berkas = Berkas.objects.get()
    assert (berkas.size, berkas.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_a_completed_tus_upload_is_a_berkas_whose_download_is_logged(
    live_server, desk, entri, big_pdf
):
    headers = session_of(live_server, desk, entri)
    uploader(tus_client(live_server, headers, entri), big_pdf).upload()
    berkas = Berkas.objects.get()
    assert berkas.uploaded_by == desk and berkas.entri == entri
    response = requests.get(
        live_server.url + reverse("berkas:unduh", args=[berkas.pk]), headers=headers, timeout=30
    )
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == sha256(big_pdf)
    [log] = AccessLog.objects.all()
    assert (log.berkas, log.user, log.action) == (berkas, desk, AccessLog.Action.DOWNLOAD)


@pytest.mark.parametrize("who", ["pembina", "no_role"])
def test_a_user_who_may_not_upload_gets_404_on_every_tus_url(
    live_server, desk, entri, big_pdf, request, who
):
    started = uploader(
        tus_client(live_server, session_of(live_server, desk, entri), entri), big_pdf
    )
    started.upload(stop_at=CHUNK)
    headers = {**session_of(live_server, request.getfixturevalue(who), entri)}
    with pytest.raises(TusCommunicationError) as refused:
        uploader(tus_client(live_server, headers, entri), big_pdf).upload()
    assert refused.value.status_code == 404
    tus = {**headers, "Tus-Resumable": "1.0.0"}
    for method in ("OPTIONS", "HEAD", "PATCH", "DELETE"):
        response = requests.request(
            method,
            started.url,
            headers={
                **tus,
                "Upload-Offset": str(CHUNK),
                "Content-Type": "application/offset+octet-stream",
            },
            data=b"x" * 10,
            timeout=30,
        )
        assert response.status_code == 404, method
    assert PartialUpload.objects.get().offset == CHUNK
    assert not Berkas.objects.exists()


def test_too_large_is_refused_with_its_real_size(live_server, desk, entri, big_pdf, settings):
    settings.DIK_MAX_UPLOAD_BYTES = 2 * MB
    headers = session_of(live_server, desk, entri)
    with pytest.raises(TusCommunicationError) as refused:
        uploader(tus_client(live_server, headers, entri), big_pdf).upload()
    assert refused.value.status_code == 413
    message = refused.value.response_content.decode()
    assert "berukuran 6,0\\u00a0MB" in message and "diterima 2,0\\u00a0MB" in message
    assert not PartialUpload.objects.exists()


def test_an_abandoned_upload_leaves_no_temporary_file_once_the_cleanup_ran(
    live_server, desk, entri, big_pdf, temp_dir
):
    headers = session_of(live_server, desk, entri)
    abandoned = uploader(tus_client(live_server, headers, entri), big_pdf)
    abandoned.upload(stop_at=2 * CHUNK)
    assert any(p.is_file() for p in temp_dir.rglob("*"))

    call_command("uploads_cleanup", verbosity=0)  # a day has not passed: kept
    assert PartialUpload.objects.get().offset == 2 * CHUNK

    day_ago = timezone.now() - timedelta(hours=25)
    PartialUpload.objects.update(updated_at=day_ago)
    for path in temp_dir.rglob("*"):
        os.utime(path, (day_ago.timestamp(), day_ago.timestamp()))
    call_command("uploads_cleanup", verbosity=0)

    assert not PartialUpload.objects.exists()
    assert not [p for p in temp_dir.rglob("*") if p.is_file()]
    response = requests.head(abandoned.url, headers={**headers, "Tus-Resumable": "1.0.0"})
    assert response.status_code == 404
