"""Every URL pattern: anonymous access is either public by design or sent to the login page."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_ARGS = {
    "int": "1",
    "str": "contoh",
    "slug": "contoh",
    "kantor": "kab-pinrang",  # an office's public address
    "path": "contoh",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def iter_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue  # the admin guards itself (staff login); tested below
            yield from iter_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def sample_url(route: str) -> str:
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGS[m.group(1) or "str"], route)
    return "/" + url.lstrip("^").rstrip("$").replace("\\Z", "")


PATTERNS = list(iter_patterns())


def test_patterns_were_found():
    assert len(PATTERNS) > 5


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "callback"), PATTERNS, ids=[r for r, _ in PATTERNS])
def test_anonymous_access(client, route, callback):
    url = sample_url(route)
    response = client.get(url)
    response.close()  # a streamed file (public PDFs) is not read here: release it
    is_public = getattr(callback, "login_required", True) is False
    if is_public:
        # public by design: answers (or 404s for a sample that does not exist), never a login page
        # (the DIK PDF: 503 "being prepared" until the worker has stored it)
        answers = (200, 404, 405, 503) if url == "/dik.pdf" else (200, 404, 405)
        assert response.status_code in answers, url
        if response.status_code == 302:
            assert "/akun/masuk/" not in response["Location"]
    else:
        assert response.status_code == 302, url
        assert response["Location"].startswith("/akun/masuk/?next="), url


@pytest.mark.django_db
def test_admin_needs_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
