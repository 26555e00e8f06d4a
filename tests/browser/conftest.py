import pytest
from django.core.servers.basehttp import WSGIServer


class OneRequestAtATime(WSGIServer):
    """The live server without threads: it serves one request after the other."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time():
    """On SQLite the test database lives in memory and the live server shares its one
    connection; a page loading several thumbnails at once would use it from several threads
    (“bad parameter or other API misuse”). PostgreSQL gives each thread its own connection."""
    from django.db import connection
    from django.test.testcases import LiveServerThread

    original = LiveServerThread.server_class
    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneRequestAtATime
    yield
    LiveServerThread.server_class = original


def pytest_collection_modifyitems(items):
    """A browser test runs in real transactions and the database is emptied after it; with a
    serialized rollback the roles and reference data seeded by migrations come back before
    the next one, whichever order the browser tests run in."""
    for item in items:
        if "browser" not in item.keywords:
            continue
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True),
                append=False,
            )


@pytest.fixture(scope="session", autouse=True)
def _serialized_data_in_every_context(django_db_setup, django_db_blocker):
    """Once Playwright's sync API runs, test code sees a new context, where Django makes a new
    connection object to the same test database. The snapshot a serialized rollback restores
    is an attribute of the first connection object only, so it would silently restore
    nothing; kept on the class, every connection object finds it."""
    from django.db import connections

    patched = []
    for conn in connections.all():
        contents = getattr(conn, "_test_serialized_contents", None)
        if contents is not None and not hasattr(type(conn), "_test_serialized_contents"):
            type(conn)._test_serialized_contents = contents
            patched.append(type(conn))
    yield
    for cls in patched:
        del cls._test_serialized_contents
