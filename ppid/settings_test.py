"""Test settings: the real settings with fast hashing, temporary storage and plain static files."""

import os
import tempfile
import uuid
from pathlib import Path

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("TASKS_LOG_LEVEL", "WARNING")

from ppid.settings import *  # noqa: E402,F403
from ppid.settings import DATABASES, STORAGES  # noqa: E402

_tmp = Path(tempfile.mkdtemp(prefix="dik-test-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
if os.environ.get("STORAGE_BACKEND", "local") == "local":
    for _name in ("default", "private", "public"):
        STORAGES[_name] = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": _tmp / ("public" if _name == "public" else "private")},
        }
FILE_UPLOAD_TEMP_DIR = str(_tmp / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir()
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# serve static files from the source folders; no collectstatic before tests
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# tasks run inline, inside the test; one test runs the real worker (tests/test_worker.py)
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PUBLIC_ROWS_BY_WORKER = True  # tasks run in the test's process, whose cache the pages read
# with REDIS_URL (as .ci/run sets it) the tests use Redis as production does, under a prefix of
# their own: runs in parallel never meet, and each cleans only its own keys (tests/conftest.py)
if os.environ.get("REDIS_URL"):
    CACHES["default"]["KEY_PREFIX"] = f"dik-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"  # noqa: F405
# the public pages' replica (ppid/db_router.py) is the test database itself, on a connection of
# its own; it sees only committed rows, so the router is on only where a test turns it on
# (tests/test_db_router.py), whatever DATABASE_REPLICA_URL says
DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})
DATABASE_ROUTERS = []
