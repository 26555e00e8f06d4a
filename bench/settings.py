"""Settings of the benchmark server: production settings plus the bare baseline view.

Only `bench/run.py` uses them (gunicorn and its own process); the production urlconf never
holds /bench/bare/. The environment is set by the runner: DEBUG=0, a bench database, VAR_DIR.
"""

from ppid.settings import *  # noqa: F403
from ppid.settings import STORAGES

ROOT_URLCONF = "bench.urls"
# plain HTTP on loopback, no collectstatic: the rest stays as in production
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
