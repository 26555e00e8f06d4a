"""S3 mode against a real S3 server (moto on 127.0.0.1): private objects stay private."""

import hashlib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile

from ppid.models import SiteProfile
from ppid.storage_config import file_storages

CONTENT = b"%PDF-1.4 surat rahasia pemilih\n" * 100


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_private_file_saved_opened_and_deleted_in_the_bucket(s3_storages):
    storage = s3_storages.private
    name = storage.save("berkas/2026/contoh.pdf", ContentFile(CONTENT))
    obj = s3_storages.client.get_object(Bucket=s3_storages.bucket, Key=f"private/{name}")
    assert obj["Body"].read() == CONTENT
    with storage.open(name, "rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == hashlib.sha256(CONTENT).hexdigest()
    assert storage.size(name) == len(CONTENT)
    # a second upload under the same name never replaces the first
    second = storage.save("berkas/2026/contoh.pdf", ContentFile(b"lain"))
    assert second != name
    storage.delete(name)
    assert not storage.exists(name)
    assert storage.exists(second)


def test_private_object_has_no_public_grant(s3_storages):
    name = s3_storages.private.save("berkas/acl.pdf", ContentFile(CONTENT))
    acl = s3_storages.client.get_object_acl(Bucket=s3_storages.bucket, Key=f"private/{name}")
    grantees = {g["Grantee"].get("URI") for g in acl["Grants"]}
    assert "http://acs.amazonaws.com/groups/global/AllUsers" not in grantees
    assert "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" not in grantees


def test_unsigned_request_is_refused_and_signed_url_works(s3_storages):
    name = s3_storages.private.save("berkas/unduh.pdf", ContentFile(CONTENT))
    signed = s3_storages.private.url(name)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    plain = signed.split("?", 1)[0]
    assert plain.endswith(f"/{s3_storages.bucket}/private/{name}")
    status, _body = http_get(plain)
    assert status == 403
    status, body = http_get(signed)
    assert status == 200
    assert body == CONTENT


def test_public_files_have_their_own_prefix(s3_storages):
    name = s3_storages.public.save("keputusan/kpt-1.pdf", ContentFile(b"%PDF keputusan"))
    keys = [
        o["Key"] for o in s3_storages.client.list_objects_v2(Bucket=s3_storages.bucket)["Contents"]
    ]
    assert keys == [f"public/{name}"]
    assert s3_storages.public.url(name).split("?")[0].endswith(f"/public/{name}")
    assert "X-Amz-Signature" not in s3_storages.public.url(name)


@pytest.mark.django_db
def test_model_file_fields_follow_the_switch(s3_storages):
    profile = SiteProfile.current()
    profile.logo.save("logo.png", ContentFile(b"\x89PNG logo"), save=True)
    key = f"public/{profile.logo.name}"
    head = s3_storages.client.head_object(Bucket=s3_storages.bucket, Key=key)
    assert head["ContentLength"] == len(b"\x89PNG logo")


def test_settings_refuse_a_public_acl_for_private_files():
    with pytest.raises(ImproperlyConfigured, match="terbuka untuk umum"):
        file_storages({"STORAGE_BACKEND": "s3", "AWS_DEFAULT_ACL": "public-read"}, Path("/x"))


def test_settings_refuse_overlapping_locations():
    with pytest.raises(ImproperlyConfigured, match="harus berbeda"):
        file_storages(
            {"STORAGE_BACKEND": "s3", "AWS_PRIVATE_LOCATION": "f", "AWS_PUBLIC_LOCATION": "f"},
            Path("/x"),
        )


def test_presigned_url_lifetime_comes_from_the_environment():
    storages = file_storages({"STORAGE_BACKEND": "s3", "PRESIGNED_URL_SECONDS": "30"}, Path("/x"))
    options = storages["private"]["OPTIONS"]
    assert options["querystring_expire"] == 30
    assert options["querystring_auth"] is True
    assert options["default_acl"] == "private"
    assert storages["default"] == storages["private"]
