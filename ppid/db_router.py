"""The read replica of the public pages (DATABASE_REPLICA_URL, README "Plan for 5.5M entries").

Reads go to `replica` only while an anonymous visitor's GET or HEAD of a public page is served
(PUBLIC_READS: the one list of those pages); every write, every staff page, every request of
someone logged in, every management command and every task of the worker use `default`.
A replica lags by milliseconds: what a request has just written it reads back from `default`
(inside a transaction every read goes there).
"""

from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# the public pages whose reads the replica may serve (URL names): a page left out reads
# `default`, the safe side; tests/test_db_router.py checks each is public (login_not_required)
PUBLIC_READS = frozenset(
    {
        "publikasi:dik",
        "publikasi:dasar_hukum",
        "publikasi:salinan_pdf",
        "publikasi:keputusan_list",
        "publikasi:keputusan_detail",
        "publikasi:keputusan_pdf",
        "publikasi:pengumuman_pdf",
        "publikasi:data",
        "publikasi:dik_csv",
        "publikasi:dik_json",
        "publikasi:dik_xlsx",
        "publikasi:feed",
        "publikasi:dik_pdf",
        "nasional",
        "kantor_dik",
        "kantor_keputusan",
        "kantor_csv",
        "kantor_json",
        "kantor_xlsx",
        "kantor_dik_pdf",
        "kantor_logo",
        "kantor_feed",
    }
)

# while a public read is served: the number of atomic blocks open on `default` when it began
# (a test runs inside one); None otherwise
_public_read: ContextVar[int | None] = ContextVar("public_read", default=None)


def _open_atomic_blocks() -> int:
    return len(connections[DEFAULT_DB_ALIAS].atomic_blocks)


def is_public_read(request) -> bool:
    match = request.resolver_match
    return (
        request.method in ("GET", "HEAD")
        and match is not None
        and match.view_name in PUBLIC_READS
        and not request.user.is_authenticated  # (reads the session from `default`, first)
    )


class PublicReadsRouter:
    def db_for_read(self, model, **hints):
        begun_at = _public_read.get()
        if begun_at is None or _open_atomic_blocks() > begun_at:
            return DEFAULT_DB_ALIAS  # not a public read, or reading back what it writes
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _reading_public(chunks):
    """A streamed export reads its rows as it is sent, after the view has returned."""
    _public_read.set(_open_atomic_blocks())
    try:
        yield from chunks
    finally:
        _public_read.set(None)


class PublicReadsMiddleware:
    """Marks the anonymous reads of the public pages for PublicReadsRouter (without the router,
    DATABASE_REPLICA_URL unset, the mark changes nothing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            public = _public_read.get() is not None
            _public_read.set(None)  # the thread serves the next request too
        # (a file is sent as it is, by the server: no rows to read)
        if public and response.streaming and getattr(response, "file_to_stream", None) is None:
            response.streaming_content = _reading_public(response.streaming_content)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_public_read(request):
            _public_read.set(_open_atomic_blocks())
