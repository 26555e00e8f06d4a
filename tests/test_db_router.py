"""The read replica of the public pages (ppid/db_router.py): an anonymous GET of a public page
reads `replica`; every write, every staff page, every request of someone logged in, every POST
reads and writes `default`, and so does what a public page reads back inside a transaction.

In tests `replica` is the test database on a connection of its own (ppid/settings_test.py); it
sees only committed rows, so the pages are requested in transactional tests."""

from contextlib import contextmanager

import pytest
from django.core.files.storage import storages
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dokumen.models import State
from ppid import db_router
from ppid.db_router import PUBLIC_READS, PublicReadsRouter
from ppid.models import Kantor, SiteProfile
from publikasi.dik_pdf import stored_dik_name
from tests.factories import EntriFactory

SIDRAP = "kab-sidenreng-rappang"
BOTH = ["default", "replica"]


# ------------------------------------------------------------------ the router's decisions


@contextmanager
def serving_public_read():
    """What PublicReadsMiddleware does around an anonymous GET of a public page."""
    db_router._public_read.set(db_router._open_atomic_blocks())
    try:
        yield
    finally:
        db_router._public_read.set(None)


def test_outside_a_public_read_everything_reads_default():
    assert PublicReadsRouter().db_for_read(Kantor) == "default"


def test_a_public_read_reads_the_replica_and_writes_default():
    with serving_public_read():
        assert PublicReadsRouter().db_for_read(Kantor) == "replica"
        assert PublicReadsRouter().db_for_write(Kantor) == "default"
    assert PublicReadsRouter().db_for_read(Kantor) == "default"


@pytest.mark.django_db
def test_inside_a_transaction_a_public_read_reads_default():
    """Reading back what it writes (get_or_create, select_for_update) never meets the lag."""
    with serving_public_read():
        with transaction.atomic():
            assert PublicReadsRouter().db_for_read(Kantor) == "default"
        assert PublicReadsRouter().db_for_read(Kantor) == "replica"


def test_migrations_run_on_default_only_and_relations_are_allowed():
    rules = PublicReadsRouter()
    assert rules.allow_migrate("default", "ppid") is True
    assert rules.allow_migrate("replica", "ppid") is False
    assert rules.allow_relation(Kantor(), SiteProfile()) is True


# ------------------------------------------------------------------ which pages are public reads


def _named_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern.callback


def test_public_reads_are_exactly_the_public_pages_of_publikasi():
    """Each one is a page without login (a staff page there would read a lagging copy), and
    no public page of publikasi is left reading `default` by oversight."""
    views = dict(_named_patterns())
    public = {
        name
        for name, view in views.items()
        if view.__module__ in ("publikasi.views", "publikasi.office_views")
        and not getattr(view, "login_required", True)
    }
    assert public == PUBLIC_READS
    assert all(views[name].login_required is False for name in PUBLIC_READS)


# ------------------------------------------------------------------ pages, through the client


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = ["ppid.db_router.PublicReadsRouter"]


@pytest.fixture
def published(routed):
    pinrang, sidrap = Kantor.default(), Kantor.objects.get(slug=SIDRAP)
    for office in (pinrang, sidrap):
        SiteProfile.for_office(office)  # (a missing one is created: see the test below)
        EntriFactory(kantor=office, classified=True, state=State.DITETAPKAN)
    return pinrang, sidrap


@contextmanager
def queries_by_alias():
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        yield on_default, on_replica


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    if response.streaming:
        b"".join(response.streaming_content)  # an export reads its rows as it is sent
    return response


def _selects(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip("( ").upper().startswith("SELECT")]


def _writes(queries) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


PUBLIC_PAGES = [
    reverse("publikasi:dik"),
    reverse("kantor_dik", args=[SIDRAP]),
    reverse("nasional"),
    reverse("publikasi:keputusan_list"),
    reverse("kantor_keputusan", args=[SIDRAP]),
    reverse("publikasi:dik_csv"),
    reverse("publikasi:dik_json"),
    reverse("publikasi:dik_xlsx"),
    reverse("kantor_csv", args=[SIDRAP]),
    reverse("kantor_json", args=[SIDRAP]),
    reverse("kantor_xlsx", args=[SIDRAP]),
    reverse("publikasi:feed"),
    reverse("kantor_feed", args=[SIDRAP]),
]


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_an_anonymous_public_page_reads_the_replica(client, published, url):
    with queries_by_alias() as (on_default, on_replica):
        assert _get(client, url).status_code == 200
    assert _selects(on_replica)
    assert _selects(on_default) == []
    # the next thing this thread does is not a public read (the mark ends with the response)
    assert router.db_for_read(Kantor) == "default"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_head_of_a_public_page_reads_the_replica(client, published):
    with queries_by_alias() as (on_default, on_replica):
        assert client.head(reverse("kantor_dik", args=[SIDRAP])).status_code == 200
    assert _selects(on_replica) and not _selects(on_default)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_what_a_public_page_creates_it_reads_back_from_default(client, published):
    """An office without a profile yet: its page creates it (get_or_create, in a transaction)."""
    pinrang, sidrap = published
    SiteProfile.objects.filter(kantor=sidrap).delete()
    with queries_by_alias() as (on_default, on_replica):
        assert _get(client, reverse("kantor_dik", args=[SIDRAP])).status_code == 200
    assert SiteProfile.objects.filter(kantor=sidrap).exists()
    assert any("ppid_siteprofile" in sql for sql in _writes(on_default))
    assert any("ppid_siteprofile" in sql for sql in _selects(on_default))  # get_or_create's get
    assert _writes(on_replica) == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_public_pdf_being_prepared_queues_its_render_on_default(client, published, settings):
    pinrang, sidrap = published
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    storages["public"].delete(stored_dik_name(sidrap))
    with queries_by_alias() as (on_default, on_replica):
        assert _get(client, reverse("kantor_dik_pdf", args=[SIDRAP])).status_code == 503
    assert any("dbtaskresult" in sql for sql in _writes(on_default))
    assert _selects(on_replica)  # the office and the version of its DIK
    assert _writes(on_replica) == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_someone_logged_in_reads_default_even_on_public_pages(client, published, desk):
    client.force_login(desk)
    with queries_by_alias() as (on_default, on_replica):
        assert _get(client, reverse("meja:entri_list")).status_code == 200
        assert _get(client, reverse("kantor_dik", args=[SIDRAP])).status_code == 200
        assert _get(client, reverse("publikasi:dik_csv")).status_code == 200
    assert _selects(on_default)
    assert on_replica.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_post_reads_and_writes_default(client, published):
    with queries_by_alias() as (on_default, on_replica):
        client.post(reverse("publikasi:dik"))  # a public page, but not a read
        client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert _selects(on_default)
    assert on_replica.captured_queries == []
