"""`make serve`'s server: gunicorn with several workers, DEBUG off, whitenoise static files.

Runs the same pieces as the Makefile target (collectstatic, gunicorn with ppid/gunicorn_conf.py)
with the production environment, against the test database (PostgreSQL) or a migrated SQLite
file, and talks HTTP to it as the reverse proxy would.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.test_security import PRODUCTION_ENV
from tests.test_worker import database_url

ROOT = Path(__file__).resolve().parent.parent
HOST = PRODUCTION_ENV["ALLOWED_HOSTS"]
# on PostgreSQL the server process uses the test database: it must see committed rows
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, **headers) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": HOST, **headers})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


@pytest.fixture
def production_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(PRODUCTION_ENV)
    env.update(
        DJANGO_SETTINGS_MODULE="ppid.settings",
        STATIC_ROOT=str(tmp_path / "static"),
        VAR_DIR=str(tmp_path / "var"),
        WEB_CONCURRENCY="2",
    )

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = database_url()
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
        manage("migrate", "--no-input", "--verbosity", "0")
    manage("collectstatic", "--no-input", "--verbosity", "0")

    port = free_port()
    env["BIND"] = f"127.0.0.1:{port}"
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "ppid/gunicorn_conf.py", "ppid.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{log_path.read_text()}")
                time.sleep(0.2)
        yield port, log_path
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_production_server_serves_pages_and_compressed_hashed_static(production_server):
    port, log_path = production_server
    page = get(port, "/", **{"X-Forwarded-Proto": "https"})
    assert page.status == 200, page.body[:2000]
    html = page.body.decode()
    assert "Daftar Informasi yang Dikecualikan" in html
    assert page.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "script-src 'self'" in page.getheader("Content-Security-Policy")
    # DEBUG is off: an unknown page is the plain 404, not Django's debug page
    missing = get(port, "/tidak-ada/", **{"X-Forwarded-Proto": "https"})
    assert missing.status == 404
    assert b"URLconf" not in missing.body

    # whitenoise: hashed names in the page, compressed and cached for ever
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert css, html[:1000]
    static = get(port, css.group(1), **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"})
    assert static.status == 200
    assert static.getheader("Content-Encoding") == "gzip"
    assert "immutable" in static.getheader("Cache-Control")

    # plain http is sent to https
    plain = get(port, "/")
    assert plain.status == 301
    assert plain.getheader("Location") == f"https://{HOST}/"

    # a host not in ALLOWED_HOSTS is refused
    forged = get(port, "/", Host="penyerang.example", **{"X-Forwarded-Proto": "https"})
    assert forged.status == 400

    # several workers answer
    booted = re.findall(r"Booting worker with pid", log_path.read_text())
    assert len(booted) == 2, log_path.read_text()
