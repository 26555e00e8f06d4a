import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow the ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import UserFactory  # noqa: E402

# the S3 server and the switch of the storages to it (tests/s3.py)
pytest_plugins = ["tests.s3"]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser; no network beyond the live server."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the public DIK list is cached). On Redis only
    this run's keys go (its own KEY_PREFIX, ppid/settings_test.py): other runs keep theirs."""
    from ppid.cache_keys import clear_own_keys

    clear_own_keys()


@pytest.fixture(autouse=True, scope="session")
def no_keys_left_behind():
    yield
    from ppid.cache_keys import clear_own_keys

    clear_own_keys()


def _open_round_iff_submitted(sender, entri, **kwargs):
    """After every move, on every path: an open approval round exists exactly while the entry
    is “diajukan” (persetujuan keeps them together; any path around it fails here)."""
    from persetujuan.models import Putaran

    open_rounds = Putaran.objects.filter(entri_id=entri.pk, status=Putaran.Status.OPEN).count()
    expected = 1 if entri.state == "diajukan" else 0
    assert open_rounds == expected, (
        f"entry {entri.pk} is “{entri.state}” with {open_rounds} open approval round(s)"
    )


@pytest.fixture(autouse=True)
def offices_after_a_flush(request):
    """A transactional test empties the database after it, the offices seeded by migrations
    included; every row belongs to an office, so the next such test puts them back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        from tests.persetujuan_setup import reseed

        request.getfixturevalue("transactional_db")
        reseed()


@pytest.fixture(autouse=True)
def open_round_invariant():
    from dokumen.lifecycle import moved

    moved.connect(_open_round_iff_submitted, dispatch_uid="test-open-round-invariant")
    yield
    moved.disconnect(dispatch_uid="test-open-round-invariant")


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def user_with(db):
    """user_with("PPID") → a user holding that role (or several)."""

    def make(*roles, **kwargs):
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def desk(user_with):
    return user_with("Petugas Desk Layanan Informasi", username="desk")


@pytest.fixture
def ppid(user_with):
    return user_with("PPID", username="ppid")


@pytest.fixture
def pembina(user_with):
    return user_with("Pembina PPID", username="pembina")


@pytest.fixture
def tim(user_with):
    return user_with("Tim Pertimbangan", username="tim1")


@pytest.fixture
def atasan(user_with):
    return user_with("Atasan PPID", username="atasan")


@pytest.fixture
def no_role(user_with):
    return user_with(username="tamu")


@pytest.fixture
def page(page):
    """Fail in seconds, not the default 30: the live server is local."""
    page.set_default_timeout(10_000)
    return page


NATIONAL_ITEM = "Fotokopi KTP-el bakal pasangan calon Presiden dan Wakil Presiden"


@pytest.fixture
def ri_ppid():
    from ppid.models import Kantor
    from ppid.roles import Role

    return UserFactory(
        username="ppid-ri-uji", roles=[Role.PPID], roles__kantor=Kantor.objects.get(slug="ri")
    )


@pytest.fixture
def national(ri_ppid):
    """Keputusan 731/2025 recorded by KPU RI, reaching every office, with one item."""
    import datetime

    from publikasi import services
    from tests.archive_fixtures import pdf_upload

    keputusan = services.keputusan_create(
        by=ri_ppid,
        data={
            "number": "731 Tahun 2025",
            "date": datetime.date(2025, 8, 21),
            "title": "Penetapan dokumen persyaratan pasangan calon Presiden dan Wakil Presiden "
            "sebagai informasi publik yang dikecualikan",
        },
        pdf=pdf_upload(),
    )
    services.keputusan_set_reach(keputusan_id=keputusan.pk, by=ri_ppid, all_below=True)
    item = services.item_add(
        keputusan_id=keputusan.pk,
        by=ri_ppid,
        data={"title": NATIONAL_ITEM, "period_wording": "5 (lima) tahun"},
    )
    return keputusan, item
