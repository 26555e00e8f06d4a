"""The public cache in production is Redis (REDIS_URL): every worker and server sees what one
of them cached. Tests use their own key prefix, and clean only their own keys."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from dokumen.models import Entri, State
from ppid.cache_keys import clear_own_keys
from ppid.models import SiteProfile
from tests.factories import EntriFactory
from tests.services import unavailable

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache():
    if not os.environ.get("REDIS_URL"):
        unavailable("needs Redis: REDIS_URL=redis://127.0.0.1:6379/15 (as .ci/run sets it)")
    assert isinstance(caches["default"], RedisCache)
    return caches["default"]


def a_worker() -> RedisCache:
    """A cache client of its own, as another gunicorn worker or server builds from the same
    settings: nothing shared with this process's client but the Redis server."""
    return caches.create_connection("default")


def test_settings_use_redis_when_redis_url_is_set(redis_cache):
    backend = settings.CACHES["default"]
    assert backend["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert backend["LOCATION"] == os.environ["REDIS_URL"]
    assert backend["KEY_PREFIX"].startswith("dik-test-")  # this run's own keys


def test_two_workers_see_the_same_cached_public_page(client, redis_cache, monkeypatch):
    SiteProfile.current()
    entri = EntriFactory(classified=True, state=State.DITETAPKAN, title="Versi yang di-cache")
    first, second = a_worker(), a_worker()
    assert first is not second and first._cache is not second._cache

    from publikasi import views

    monkeypatch.setattr(views, "cache", first)
    assert "Versi yang di-cache" in client.get(reverse("publikasi:dik")).content.decode()
    # a change the DIK's version does not know of: a worker that renders would show it
    Entri.objects.filter(pk=entri.pk).update(title="Judul baru yang belum di-cache")

    monkeypatch.setattr(views, "cache", second)
    html = client.get(reverse("publikasi:dik")).content.decode()
    assert "Versi yang di-cache" in html and "Judul baru" not in html


def test_clearing_removes_this_runs_keys_only(redis_cache):
    other_run = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "dik-test-another-run"})
    other_run.set("halaman", "milik proses lain", 60)
    redis_cache.set("halaman", "milik kami", 60)
    redis_cache.set("lain", "juga milik kami", 60, version=3)
    try:
        assert clear_own_keys(redis_cache) == 2
        assert redis_cache.get("halaman") is None and redis_cache.get("lain", version=3) is None
        assert other_run.get("halaman") == "milik proses lain"
    finally:
        other_run.delete("halaman")


@pytest.mark.parametrize("redis_url", ["", "redis://cache.internal:6379/0"])
def test_the_cache_follows_redis_url(redis_url):
    """Production settings, read in a process of their own with and without REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    if redis_url:
        env["REDIS_URL"] = redis_url
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ppid.settings'; "
            "django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION', ''))",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    backend, _, location = result.stdout.strip().partition(" ")
    if redis_url:
        assert backend == "django.core.cache.backends.redis.RedisCache" and location == redis_url
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
