"""The same pages at a small and at a large register, side by side in one run (issue 16);
the staff list searched in file texts with the same number of texts at both sizes (issue 19).

For each page, as its user:
- p50 of REQUESTS requests as a visitor gets them, in this process (Django's test client; the
  public pages from the cache, as the cache has them after the first visit);
- the SQL queries of a view with an empty cache;
- for the public pages, kept in the cache: p50 of a cache miss as issue 16 measured it, under
  gunicorn against its bare view (bench/urls.py) in the same run: each request under a key not
  yet cached (a new search, filter or page is; what is kept per version of the DIK, the filter
  counts and the rows the worker rendered, stays kept). The staff pages are never cached: every
  view is their p50.
Compared: p50 large / p50 small (≤ 1.5×), miss at large / the bare view (≤ 10×), the queries
(equal).
"""

import statistics
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dokumen.models import DasarHukum, Entri, JenisDokumen, State
from ppid.cache_keys import clear_own_keys
from ppid.models import Kantor

P50_RATIO = 1.5
MISS_RATIO = 10
SEARCH = "persyaratan"  # in every generated title: the search that matches most
# in the text of the searching office's files (bench/measures.py make_file_texts)
RARE_WORD = "zirkonia"  # in one text of every 1,000
COMMON_WORD = "pemilih"  # in every second text (and in every generated summary)


@dataclass
class PageTimes:
    p50_ms: float
    miss_ms: float | None  # public pages only (kept in the cache), under gunicorn
    queries: int


def pages() -> list[tuple[str, str, str | None]]:
    """(label, url, username): the pages of issue 16's table, as their users."""
    office = Kantor.default()
    jenis = JenisDokumen.objects.order_by("pk").values_list("code", flat=True).first()
    dasar = (
        DasarHukum.objects.filter(is_ground=True).order_by("pk").values_list("code", flat=True)
    ).first()
    entry = Entri.objects.filter(kantor=office, state=State.DITETAPKAN).order_by("pk").first().pk
    dik = reverse("publikasi:dik")
    staff = reverse("meja:entri_list")
    return [
        ("public DIK, first page", dik, None),
        (f"public DIK, search '{SEARCH}'", f"{dik}?q={SEARCH}", None),
        ("public DIK, filter by type", f"{dik}?jenis={jenis}", None),
        ("public DIK, filter by ground", f"{dik}?dasar={dasar}", None),
        ("public DIK, page 50", f"{dik}?halaman=50", None),
        ("national page", reverse("nasional"), None),
        ("national page, page 50", reverse("nasional") + "?halaman=50", None),
        ("feed", reverse("publikasi:feed"), None),
        ("staff list", staff, "bench-ppid"),
        (f"staff list, search '{SEARCH}'", f"{staff}?q={SEARCH}", "bench-ppid"),
        (
            f"staff list, search in file texts, rare word '{RARE_WORD}'",
            f"{staff}?q={RARE_WORD}",
            "bench-ppid",
        ),
        (
            f"staff list, search in file texts, common word '{COMMON_WORD}'",
            f"{staff}?q={COMMON_WORD}",
            "bench-ppid",
        ),
        ("review queue", reverse("persetujuan:antrean"), "bench-pembina"),
        ("entry page", reverse("meja:entri_detail", args=[entry]), "bench-ppid"),
    ]


def _missed(url: str, n: int) -> str:
    """The same page under a key the cache has not seen: the public DIK keys its lists by the
    page number as written ("7", "07", "007" are one page, three keys), as a new search or
    filter would be a new key; what is kept per version of the DIK (the filter counts) stays
    kept, as it does for a visitor. The national page is keyed the same way; other pages: the
    URL as it is."""
    path = urlsplit(url).path
    if path not in (reverse("publikasi:dik"), reverse("nasional")):
        return url
    query = dict(parse_qsl(urlsplit(url).query))
    query["halaman"] = "0" * n + query.get("halaman", "1")
    return f"{path}?{urlencode(query)}"


def _client(username):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _get(client, url) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed * 1000


def measure(requests: int) -> tuple[float, dict[str, PageTimes]]:
    """The bare view's p50 under gunicorn and each page's times, at the register's present
    size."""
    results = {}
    for label, url, username in pages():
        client = _client(username)
        client.get(url)  # the first request of a process sets up what is missing
        clear_own_keys()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)  # now: each request empties the connection's query log
        client.get(url)
        hits = [_get(client, url) for _ in range(requests)]
        results[label] = PageTimes(statistics.median(hits), None, queries)
    bare, misses = _served_misses(requests)
    for label, miss_ms in misses.items():
        results[label].miss_ms = miss_ms
    return bare, results


def _served_misses(requests: int) -> tuple[float, dict[str, float]]:
    """The bare view's p50 and each public page's p50 on a cache miss, under gunicorn (one
    client, a connection per request, as bench/measures.latency)."""
    import tempfile
    from pathlib import Path

    from bench.server import Gunicorn, load

    with (
        tempfile.TemporaryDirectory() as tmp,
        Gunicorn(workers=2, log_path=Path(tmp) / "gunicorn.log") as server,
    ):

        def one(path: str) -> float:
            return load(server.port, path, requests=1, concurrency=1)[0] * 1000

        one("/bench/bare/")
        bare = statistics.median(one("/bench/bare/") for _ in range(requests))
        misses = {}
        for label, url, username in pages():
            if username is None:
                one(url)  # what is kept per version of the DIK (counts, rows) is kept
                times = []
                for n in range(1, requests + 1):
                    if url == reverse("publikasi:feed"):  # kept whole per version: a new one
                        clear_own_keys()
                    times.append(one(_missed(url, n)))
                misses[label] = statistics.median(times)
    return bare, misses


def rows(row_class, small_n, small, large_n, large) -> list:
    bare_small, times_small = small
    bare_large, times_large = large
    out = []
    for label, s in times_small.items():
        big = times_large[label]
        ratio = big.p50_ms / s.p50_ms
        out.append(
            row_class(
                f"{label}: p50 at {large_n:,} entries",
                f"{s.p50_ms:.1f} ms at {small_n:,}",
                f"{big.p50_ms:.1f} ms",
                ratio,
                f"≤ {P50_RATIO:g}×",
                ratio <= P50_RATIO,
            )
        )
        queries_ok = big.queries == s.queries
        if big.miss_ms is None:
            out.append(
                row_class(
                    f"{label}: SQL queries at {large_n:,} (never cached: every view is the p50)",
                    f"{s.queries} queries at {small_n:,}",
                    f"{big.queries} queries",
                    None,
                    "queries equal",
                    queries_ok,
                )
            )
            continue
        miss_ratio = big.miss_ms / bare_large
        out.append(
            row_class(
                f"{label}: cache miss under gunicorn at {large_n:,}; SQL queries",
                f"{bare_large:.2f} ms bare view; at {small_n:,}: miss {s.miss_ms:.1f} ms, "
                f"{s.queries} queries",
                f"{big.miss_ms:.1f} ms; {big.queries} queries",
                miss_ratio,
                f"≤ {MISS_RATIO}× bare, queries equal",
                miss_ratio <= MISS_RATIO and queries_ok,
            )
        )
    return out
