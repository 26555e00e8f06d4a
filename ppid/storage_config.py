"""Where files live, from the environment: local disk (default) or an S3-compatible bucket.

Imported by the settings (and by the S3 tests, so they run the very configuration production
uses). Two storages: "private" for the files of entries (never a public object; only the guarded
download view reaches them, in S3 mode through a short-lived signed URL) and "public" for what
the public may read (the Keputusan PDFs, the office logo), each in a location of its own.
"""

from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
# canned ACLs that keep an object private; "" sends none (buckets with ACLs disabled)
PRIVATE_ACLS = {"private", "bucket-owner-full-control", ""}


def presigned_url_seconds(environ: Mapping[str, str]) -> int:
    return int(environ.get("PRESIGNED_URL_SECONDS") or "60")


def file_storages(environ: Mapping[str, str], var_dir: Path) -> dict[str, dict]:
    """The "default", "private" and "public" entries of STORAGES."""
    backend = environ.get("STORAGE_BACKEND") or "local"
    if backend == "local":
        private = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": var_dir / "private", "base_url": None},
        }
        public = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": var_dir / "public", "base_url": None},
        }
    elif backend == "s3":
        private, public = _s3_storages(environ)
    else:
        raise ImproperlyConfigured(
            f"STORAGE_BACKEND={backend!r} tidak dikenal: gunakan 'local' atau 's3'."
        )
    return {"default": private, "private": private, "public": public}


def _s3_storages(environ: Mapping[str, str]) -> tuple[dict, dict]:
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME") or "dik"
    common = {
        "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("AWS_S3_REGION_NAME") or "us-east-1",
        "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or "path",
        "signature_version": "s3v4",
        # a second upload under the same name never replaces the first
        "file_overwrite": False,
    }
    acl = environ.get("AWS_DEFAULT_ACL", "private")
    if acl not in PRIVATE_ACLS:
        raise ImproperlyConfigured(
            f"AWS_DEFAULT_ACL={acl!r} akan membuat berkas privat terbuka untuk umum: "
            "gunakan 'private' (bawaan), 'bucket-owner-full-control', atau kosong."
        )
    private = {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            **common,
            "bucket_name": bucket,
            "location": environ.get("AWS_PRIVATE_LOCATION") or "private",
            "default_acl": acl or None,
            "querystring_auth": True,
            "querystring_expire": presigned_url_seconds(environ),
        },
    }
    public = {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            **common,
            "bucket_name": environ.get("AWS_PUBLIC_BUCKET_NAME") or bucket,
            "location": environ.get("AWS_PUBLIC_LOCATION") or "public",
            # readable by the public through the bucket policy on this prefix only (README)
            "default_acl": None,
            "querystring_auth": False,
        },
    }
    same_bucket = private["OPTIONS"]["bucket_name"] == public["OPTIONS"]["bucket_name"]
    private_prefix = private["OPTIONS"]["location"].strip("/") + "/"
    public_prefix = public["OPTIONS"]["location"].strip("/") + "/"
    if same_bucket and (
        private_prefix.startswith(public_prefix) or public_prefix.startswith(private_prefix)
    ):
        raise ImproperlyConfigured(
            "AWS_PRIVATE_LOCATION dan AWS_PUBLIC_LOCATION harus berbeda dan tidak bertumpuk "
            "dalam bucket yang sama."
        )
    return private, public
