"""A real S3 server for the tests: moto's standalone server on 127.0.0.1, started by the suite.

Fixtures (registered in conftest.py):
- `s3_server` (session): starts `moto_server`, waits until it answers, yields an `S3Server`.
  Without it the S3 tests are skipped locally; under CI (CI=true) they fail instead.
- `s3_storages`: for one test, a fresh bucket and the production S3 configuration
  (ppid/storage_config.py) for the "default", "private" and "public" storages, including every
  model FileField bound to them; everything is put back afterwards. Yields an `S3Setup` with
  the bucket, a boto3 client and the two storages.

moto does not check signatures or their expiry: test "unsigned request is refused", not expiry.
"""

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from django.apps import apps
from django.core.files.storage import storages
from django.db.models import FileField

from ppid.storage_config import file_storages
from tests.services import unavailable

ACCESS_KEY = "dik-test"
SECRET_KEY = "dik-test-secret"  # noqa: S105 - moto accepts any key
REGION = "us-east-1"


@dataclass
class S3Server:
    endpoint: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def environ(self, bucket: str) -> dict[str, str]:
        """The environment a production instance would get to use this bucket."""
        return {
            "STORAGE_BACKEND": "s3",
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }


@dataclass
class S3Setup:
    server: S3Server
    bucket: str
    client: object
    private: object
    public: object


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _moto_server_command() -> str | None:
    beside_python = Path(sys.executable).with_name("moto_server")
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("moto_server")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    command = _moto_server_command()
    if command is None:
        unavailable(
            "S3 test server unavailable: moto_server not installed (pip install 'moto[server]')"
        )
    port = _free_port()
    log_path = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [command, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
        )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint, timeout=1).close()  # noqa: S310 - local test server
            break
        except urllib.error.HTTPError:
            break  # it answered
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                unavailable(
                    f"S3 test server unavailable: moto_server did not answer: {log_path.read_text()[-2000:]}"
                )
            time.sleep(0.1)
    try:
        yield S3Server(endpoint=endpoint)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _storage_bound_file_fields():
    """Every model FileField whose storage came from a callable (private_storage(), ...)."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and hasattr(field, "_storage_callable"):
                yield field


@contextmanager
def storages_switched(settings, configured: dict):
    """The "default", "private" and "public" storages as `configured`, for one test."""
    # setting STORAGES resets django.core.files.storage.storages (Django's setting_changed)
    settings.STORAGES = {**settings.STORAGES, **configured}
    # model fields took their storage when the models were imported: rebind them
    fields = list(_storage_bound_file_fields())
    before = [field.storage for field in fields]
    for field in fields:
        field.storage = field._storage_callable()
    try:
        yield
    finally:
        for field, storage in zip(fields, before, strict=True):
            field.storage = storage


@pytest.fixture
def s3_storages(s3_server, settings):
    bucket = f"dik-{uuid.uuid4().hex[:12]}"
    client = s3_server.client()
    client.create_bucket(Bucket=bucket)
    configured = file_storages(s3_server.environ(bucket), var_dir=Path("/nonexistent"))
    for entry in configured.values():
        # production reads the keys from the environment; the test passes them, not touching it
        entry["OPTIONS"] = {**entry["OPTIONS"], "access_key": ACCESS_KEY, "secret_key": SECRET_KEY}
    with storages_switched(settings, configured):
        yield S3Setup(
            server=s3_server,
            bucket=bucket,
            client=client,
            private=storages["private"],
            public=storages["public"],
        )


@pytest.fixture
def empty_local_storages(settings, tmp_path):
    """Local storages of the production configuration in an empty folder of this test's own
    (the test settings share one folder across the run): for tests that list what is stored."""
    with storages_switched(settings, file_storages({}, var_dir=tmp_path)):
        yield tmp_path
