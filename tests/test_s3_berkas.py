"""The files of an entry in S3 mode, through the real views, against a real S3 server (moto).

Upload, checksum, thumbnail, guarded delivery by signed URL, refusal of an unsigned request and
the fixity run: the same paths as on local disk, with the bucket checked directly by boto3.
"""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from dokumen.models import AccessLog, Berkas, State
from tests import berkas_samples as samples
from tests.factories import EntriFactory
from tests.test_s3_storage import http_get

pytestmark = pytest.mark.django_db

PDF = samples.pdf_bytes(pages=2)
PNG = samples.image_bytes("PNG")
PHOTO = samples.phone_photo_bytes()


def key(name: str) -> str:
    return f"private/{name}"


def get_object(setup, name: str) -> dict:
    return setup.client.get_object(Bucket=setup.bucket, Key=key(name))


@pytest.fixture
def uploaded(s3_storages, client, desk, django_capture_on_commit_callbacks):
    """Three files uploaded through the upload view of a classified entry, in S3 mode."""
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meja:berkas_upload", args=[entri.pk]),
            {
                "kind": "scan",
                "files": [samples.upload("pindaian.pdf", PDF), samples.upload("hal.png", PNG)],
                "photo": samples.upload("image.jpg", PHOTO),
            },
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        )
    assert response.status_code == 201, response.content
    client.logout()
    files = {b.original_name: b for b in Berkas.objects.filter(entri=entri)}
    assert set(files) == {"pindaian.pdf", "hal.png", "image.jpg"}
    return files


def test_upload_stores_each_file_in_the_bucket_with_its_checksum_and_size(s3_storages, uploaded):
    sent = {"pindaian.pdf": PDF, "hal.png": PNG, "image.jpg": PHOTO}
    for name, berkas in uploaded.items():
        obj = get_object(s3_storages, berkas.file.name)
        body = obj["Body"].read()
        assert body == sent[name]
        assert berkas.size == obj["ContentLength"] == len(sent[name])
        assert berkas.sha256 == hashlib.sha256(body).hexdigest()
        assert obj["ContentType"] == berkas.content_type
        # the storage name tells nothing of the original name
        assert name.split(".")[0] not in berkas.file.name


def test_thumbnails_are_made_and_stored_in_the_bucket(s3_storages, uploaded):
    for berkas in uploaded.values():
        assert berkas.thumbnail, berkas.original_name
        assert berkas.preview_problem == ""
        body = get_object(s3_storages, berkas.thumbnail.name)["Body"].read()
        assert body.startswith(b"\x89PNG")
    listed = s3_storages.client.list_objects_v2(Bucket=s3_storages.bucket)["Contents"]
    assert all(o["Key"].startswith("private/berkas/") for o in listed)
    assert len(listed) == 6  # three files, three thumbnails, nothing public


@pytest.mark.parametrize(
    ("view", "action", "disposition"),
    [
        ("unduh", AccessLog.Action.DOWNLOAD, "attachment"),
        ("lihat", AccessLog.Action.VIEW, "inline"),
    ],
)
def test_guarded_delivery_redirects_to_a_signed_url_that_returns_the_bytes(
    s3_storages, uploaded, client, ppid, settings, view, action, disposition
):
    settings.PRESIGNED_URL_SECONDS = 60
    berkas = uploaded["pindaian.pdf"]
    client.force_login(ppid)
    response = client.get(reverse(f"berkas:{view}", args=[berkas.pk]), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert f"/{s3_storages.bucket}/private/{berkas.file.name}?" in location
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=60" in location
    status, body = http_get(location)
    assert status == 200
    assert hashlib.sha256(body).hexdigest() == berkas.sha256
    log = AccessLog.objects.get()
    assert (log.berkas, log.user, log.action, log.ip) == (berkas, ppid, action, "10.0.0.9")
    # what the signed URL asks S3 to send
    assert f"response-content-disposition={disposition}" in location


def test_thumbnail_is_streamed_from_the_bucket_not_redirected(s3_storages, uploaded, client, desk):
    """The entry page shows it as an <img>; its CSP (img-src 'self') would refuse the bucket."""
    berkas = uploaded["hal.png"]
    client.force_login(desk)
    page = client.get(reverse("meja:entri_detail", args=[berkas.entri_id]))
    assert "img-src 'self' data:;" in page["Content-Security-Policy"]
    response = client.get(reverse("berkas:gambar_kecil", args=[berkas.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == get_object(s3_storages, berkas.thumbnail.name)["Body"].read()
    assert body.startswith(b"\x89PNG") and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert AccessLog.objects.get().action == AccessLog.Action.THUMBNAIL


@pytest.mark.parametrize("view", ["unduh", "lihat", "gambar_kecil"])
def test_anonymous_and_a_user_without_role_get_no_url(s3_storages, uploaded, client, no_role, view):
    berkas = uploaded["pindaian.pdf"]
    path = reverse(f"berkas:{view}", args=[berkas.pk])
    for user in (None, no_role):
        if user:
            client.force_login(user)
        response = client.get(path)
        assert response.status_code == 404
        assert "Location" not in response
        assert s3_storages.server.endpoint.encode() not in response.content
    assert not AccessLog.objects.exists()


def test_an_unsigned_request_to_the_object_is_refused(s3_storages, uploaded):
    for berkas in uploaded.values():
        for name in (berkas.file.name, berkas.thumbnail.name):
            status, body = http_get(
                f"{s3_storages.server.endpoint}/{s3_storages.bucket}/private/{name}"
            )
            assert status == 403
            assert PDF not in body


def test_object_missing_from_the_bucket_is_404_without_a_log_row(
    s3_storages, uploaded, client, desk
):
    berkas = uploaded["pindaian.pdf"]
    s3_storages.client.delete_object(Bucket=s3_storages.bucket, Key=key(berkas.file.name))
    client.force_login(desk)
    assert client.get(reverse("berkas:unduh", args=[berkas.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_fixity_over_the_bucket_passes_then_reports_a_changed_object(s3_storages, uploaded):
    out = io.StringIO()
    call_command("fixity", stdout=out, stderr=out)
    assert "3 berkas diperiksa: semua utuh." in out.getvalue()
    assert all(b.fixity_problem == "" for b in Berkas.objects.all())

    berkas = uploaded["hal.png"]
    changed = bytearray(PNG)
    changed[-20] ^= 0xFF  # same size, one byte different
    s3_storages.client.put_object(
        Bucket=s3_storages.bucket, Key=key(berkas.file.name), Body=bytes(changed)
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 dari 3 berkas"):
        call_command("fixity", stdout=out, stderr=out)
    assert "hal.png" in out.getvalue()
    berkas.refresh_from_db()
    assert berkas.fixity_problem.startswith("Isi berubah")
    others = Berkas.objects.exclude(pk=berkas.pk)
    assert all(b.fixity_problem == "" and b.last_verified_at for b in others)


def test_fixity_reports_an_object_missing_from_the_bucket(s3_storages, uploaded):
    berkas = uploaded["image.jpg"]
    s3_storages.client.delete_object(Bucket=s3_storages.bucket, Key=key(berkas.file.name))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("fixity", stdout=out, stderr=out)
    berkas.refresh_from_db()
    assert berkas.fixity_problem == "Berkas tidak ada di penyimpanan"
