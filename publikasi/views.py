"""The public PPID pages (anonymous): the DIK in force, the legal provisions, the KPU decrees,
open data, the feed and the DIK as PDF. Every read goes through publikasi.selectors."""

import csv
import hashlib
import io
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from dokumen.models import DasarHukum
from dokumen.search import PUBLIC, ranked, search_entries
from ppid.models import Kantor, SiteProfile
from ppid.xlsx import xlsx_response
from publikasi import open_data
from publikasi.dik_pdf import queue_refresh, stored_dik_name, stored_version
from publikasi.models import Keputusan, Pengumuman
from publikasi.pengumuman import queue_announcement
from publikasi.public_rows import filter_options, kept, list_page
from publikasi.selectors import (
    FACETS_SECONDS,
    dik_facets,
    in_force_of,
    office_dik_version,
    opened_by_decree,
    opened_records_of,
    public_announcement,
    public_announcements_of,
    public_decree_list,
    public_decrees,
    public_decrees_of,
    public_entries_of,
    public_items_of_decree,
    public_redacted_copies,
    published_dik_of,
    with_dik_version,
)

DIK_CACHE_SECONDS = 60  # bounds how long an edit of the office profile shows late


def _default_office() -> Kantor:
    """The office of `/` and its current URLs (settings.DIK_DEFAULT_OFFICE)."""
    return Kantor.default()


def _default_office_with_versions() -> Kantor:
    """The default office with both versions of the DIK (with_dik_version): one query."""
    return with_dik_version(Kantor.objects).get(slug=settings.DIK_DEFAULT_OFFICE)


def _dik_list(request, office: Kantor, q: str, jenis: str, dasar: str, count_key, kept_count):
    """The list of the office's DIK in force asked for; `office` with its versions
    (with_dik_version); `count_key` and `kept_count`: the key of the list's count when the
    facets do not count it (_count_key) and what the cache kept under it (or None)."""
    kantor_version = office.dik_version
    facets = dik_facets(office, kantor_version)
    entries = in_force_of(office).order_by("title", "pk")  # index
    if q:
        entries = ranked(search_entries(entries, q, scope=PUBLIC))
    if jenis:
        entries = entries.filter(document_type__code=jenis)
    if dasar:
        entries = entries.filter(legal_grounds__code=dasar)
    # the pagination links keep the search and the filters, and nothing else of the request:
    # the list is cached for every visitor of the same search
    query = urlencode({k: v for k, v in (("q", q), ("jenis", jenis), ("dasar", dasar)) if v})
    return render_to_string(
        "publikasi/_dik_list.html",
        {
            **list_page(
                entries,
                kantor=office,
                version=office.whole_dik_version,
                kantor_version=kantor_version,
                facets=facets,
                count=_count(entries, facets, jenis, dasar, count_key, kept_count),
                request=request,
                options=filter_options(office, kantor_version, facets, jenis=jenis, dasar=dasar),
            ),
            "q": q,
            "jenis": jenis,
            "dasar": dasar,
            "filtered": bool(q or jenis or dasar),
            "query": query,
        },
    )


def _count_key(office: Kantor, q: str, jenis: str, dasar: str) -> str | None:
    """The cache key of the count of a list the facets do not count (a search, or both
    filters): kept per version of the office's DIK. None for the others."""
    if not q and not (jenis and dasar):
        return None
    search = hashlib.sha256(json.dumps([q, jenis, dasar]).encode()).hexdigest()
    return f"publikasi:count:{office.dik_version}:{office.pk}:{search}"


def _count(entries, facets: dict, jenis: str, dasar: str, key: str | None, kept_count):
    """The number of rows of the list: without a `key` (no search, at most one filter), from
    the facets of the office's version; otherwise the count kept (`kept_count`), or counted
    now and kept under `key`, once per version (the pages of one search after its first count
    nothing); an unknown code: None, the list counts itself."""
    if key is None:
        if jenis:
            return next((t["n"] for t in facets["types"] if t["code"] == jenis), None)
        if dasar:
            return next((g["n"] for g in facets["grounds"] if g["code"] == dasar), None)
        return facets["in_force"]
    if kept_count is None:
        kept_count = entries.count()
        cache.set(key, kept_count, FACETS_SECONDS)
    return kept_count


@login_not_required
def dik(request):
    """The published DIK: search, filter by document type and legal ground, paginated.

    The list is the same for every visitor: it is rendered once per version of the DIK in
    force (read with the office in one query, with_dik_version) and kept in the cache. A
    request without any cookie (no session, no messages) gets the whole page from the cache;
    others get the list from it inside their own page (their navigation)."""
    q = request.GET.get("q", "").strip()[:200]
    jenis = request.GET.get("jenis", "").strip()
    dasar = request.GET.get("dasar", "").strip()
    # the office of `/` with both versions, in the one query of a visit from the cache
    office = _default_office_with_versions()
    version = office.whole_dik_version
    params = json.dumps(
        [
            q,
            jenis,
            dasar,
            request.GET.get("halaman", ""),
            request.GET.get("dibuka", ""),
            get_language(),
            version,
        ]
    )
    key = "publikasi:dik:" + hashlib.sha256(params.encode()).hexdigest()
    # the page around the list, for a visitor without cookies: the same for every list
    shell_key = f"publikasi:dik:shell:{version}:{get_language()}"
    anonymous = not request.COOKIES and not request.user.is_authenticated
    count_key = _count_key(office, q, jenis, dasar)
    keys = [key + ":page", key, shell_key] if anonymous else [key]
    kept = cache.get_many(keys + [count_key] if count_key else keys)
    if (page := kept.get(key + ":page")) is not None:
        return HttpResponse(page)
    new = {}  # written to the cache at once
    dik_list = kept.get(key)
    if dik_list is None:
        dik_list = new[key] = _dik_list(
            request, office, q, jenis, dasar, count_key, kept.get(count_key)
        )
    if (shell := kept.get(shell_key)) is not None:
        page = new[key + ":page"] = shell[0] + dik_list.encode() + shell[1]
        cache.set_many(new, DIK_CACHE_SECONDS)
        return HttpResponse(page)
    response = render(request, "publikasi/dik.html", {"dik_list": mark_safe(LIST_MARK)})
    before, after = response.content.split(LIST_MARK.encode())
    response.content = before + dik_list.encode() + after
    # kept only when nothing in it belongs to this request: no CSRF token, no CSP nonce
    personal = "CSRF_COOKIE" in request.META or get_nonce(request)
    if anonymous and not personal:
        new |= {key + ":page": response.content, shell_key: (before, after)}
    if new:
        cache.set_many(new, DIK_CACHE_SECONDS)
    return response


LIST_MARK = "<!-- the list -->"  # where the list goes in the page rendered around it


@login_not_required
def dasar_hukum(request):
    """The text of the provisions the DIK cites; each has an anchor (#code) the DIK links to."""
    provisions = (
        DasarHukum.objects.filter(active=True)
        .select_related("regulation")
        .order_by("regulation__short_name", "order", "code")
    )
    return render(request, "publikasi/dasar_hukum.html", {"provisions": provisions})


@login_not_required
def keputusan_list(request):
    decrees = public_decree_list(_default_office())
    return render(request, "publikasi/keputusan_list.html", {"decrees": decrees})


@login_not_required
def keputusan_detail(request, slug: str):
    keputusan = get_object_or_404(public_decrees().select_related("revoked_by"), slug=slug)
    return render(
        request,
        "publikasi/keputusan_detail.html",
        {
            "keputusan": keputusan,
            "entries": public_entries_of(keputusan),
            "revokes": public_decrees().filter(revoked_by=keputusan),
            "items": public_items_of_decree(keputusan),
            "reach_all": keputusan.reaches_all_below,
            "opened": opened_by_decree(keputusan),
            "announcements": keputusan.pengumuman.select_related("kantor").order_by("kantor__kode"),
        },
    )


@login_not_required
def pengumuman_pdf(request, slug: str):
    """An office's announcement of opened information, from public storage; before the worker
    has rendered it, "being prepared" (503, Retry-After) and one render queued."""
    pengumuman = public_announcement(slug)
    if pengumuman is None:
        raise Http404
    if pengumuman.pdf:
        try:
            handle = storages["public"].open(pengumuman.pdf.name, "rb")
        except FileNotFoundError:
            pass
        else:
            return FileResponse(
                handle, content_type="application/pdf", filename=f"pengumuman-{slug}.pdf"
            )
    queue_announcement(pengumuman.pk)
    response = render(
        request,
        "publikasi/pengumuman_disiapkan.html",
        {"retry_seconds": PDF_RETRY_SECONDS, "pengumuman": pengumuman},
        status=503,
    )
    response["Retry-After"] = str(PDF_RETRY_SECONDS)
    add_never_cache_headers(response)
    response._has_been_logged = True
    return response


@login_not_required
def keputusan_pdf(request, slug: str):
    """The decree PDF of a published or revoked decree, streamed from public storage (a draft's
    PDF is never there: it is copied when the decree is published)."""
    keputusan = get_object_or_404(public_decrees(), slug=slug)
    if not keputusan.public_pdf:
        raise Http404
    try:
        handle = storages["public"].open(keputusan.public_pdf.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        content_type="application/pdf",
        filename=f"keputusan-kpu-{keputusan.slug}.pdf",
    )


@login_not_required
def salinan_pdf(request, pk: int):
    """An approved redacted copy of an entry in force (public_redacted_copies), as a PDF."""
    salinan = get_object_or_404(public_redacted_copies(), pk=pk)
    try:
        handle = salinan.file.storage.open(salinan.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        content_type="application/pdf",
        filename=f"salinan-disamarkan-{salinan.entri_id}-{salinan.pk}.pdf",
    )


@login_not_required
def data(request):
    return render(request, "publikasi/data.html", {"fields": open_data.FIELDS})


# rows read per query (and per prefetch of their grounds and decrees): memory and the number
# of queries grow with one chunk, not with the register
EXPORT_CHUNK = 2000
CSV_ROWS_PER_WRITE = 200  # rows per piece sent: not one tiny write per row


def _records(request, office: Kantor | None = None):
    """The open-data records of the DIK in force, read in chunks as they are sent, then the
    information no longer exempted (status "tidak_dikecualikan")."""
    office = office or _default_office()
    for entri in published_dik_of(office).iterator(chunk_size=EXPORT_CHUNK):
        yield open_data.record(entri, request.build_absolute_uri)
    for opening in opened_records_of(office).iterator(chunk_size=EXPORT_CHUNK):
        yield open_data.opened_record(opening, request.build_absolute_uri)


def _csv_pieces(request):
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF line ends, quotes doubled
    buffer.write("\ufeff")  # a spreadsheet then reads the UTF-8 correctly
    writer.writerow(open_data.FIELD_NAMES)
    yield buffer.getvalue()  # the heading at once, before the first chunk of rows is read
    buffer.seek(0)
    buffer.truncate()
    for n, row in enumerate(_records(request), start=1):
        writer.writerow(open_data.csv_row(row))
        if n % CSV_ROWS_PER_WRITE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@login_not_required
def dik_csv(request):
    response = StreamingHttpResponse(_csv_pieces(request), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dik.csv"'
    return response


@login_not_required
def dik_xlsx(request):
    """The CSV's rows for Excel (ppid/xlsx.py), streamed from the database in chunks."""
    rows = (open_data.xlsx_row(record) for record in _records(request))
    return xlsx_response(
        filename="dik.xlsx",
        title="DIK",
        headings=open_data.xlsx_headings(),
        rows=rows,
        widths=open_data.xlsx_widths(),
    )


def _json_pieces(request):
    """json.dumps(payload, ensure_ascii=False, indent=2) of the whole register, byte for byte,
    written record by record: the head up to `"data": `, each record indented as inside the
    array, then the end."""
    profile = SiteProfile.current()
    office = _default_office()
    head = json.dumps(
        {
            "judul": "Daftar Informasi Publik yang Dikecualikan",
            "penerbit": profile.office_name,
            "dihasilkan": timezone.localtime().isoformat(timespec="seconds"),
            "dokumentasi": request.build_absolute_uri(reverse("publikasi:data")),
            "jumlah": published_dik_of(office).count() + opened_records_of(office).count(),
            "data": [],
        },
        ensure_ascii=False,
        indent=2,
    )
    yield head.removesuffix("[]\n}") + "["
    separator = "\n"
    for record in _records(request, office):
        text = json.dumps(record, ensure_ascii=False, indent=2)
        yield separator + "    " + text.replace("\n", "\n    ")
        separator = ",\n"
    yield "]\n}" if separator == "\n" else "\n  ]\n}"


@login_not_required
def dik_json(request):
    return StreamingHttpResponse(
        _json_pieces(request), content_type="application/json; charset=utf-8"
    )


PDF_RETRY_SECONDS = 30


@login_not_required
def dik_pdf(request):
    """The stored rendering of the DIK in force. A request never renders it (a long DIK takes
    minutes): while the file is missing or shows an older version, the visitor gets the
    "being prepared" page and one render is queued for the worker.

    503 with Retry-After, not 202: a download manager, a crawler or a cache would take a 2xx
    for the document itself and keep this page as "the PDF"; 503 says the document is not
    there yet and when to ask again, and is never cached or indexed."""
    return serve_public_dik(request)


def serve_public_dik(request, kantor=None):
    """The stored DIK PDF of `kantor` (the default office without one), or "being prepared"."""
    version = office_dik_version(kantor)  # its own: a change in another office leaves it fresh
    if stored_version(kantor) == version:
        try:
            handle = storages["public"].open(stored_dik_name(kantor), "rb")
        except FileNotFoundError:  # removed by a change committed a moment ago
            pass
        else:
            return FileResponse(
                handle,
                content_type="application/pdf",
                filename="daftar-informasi-dikecualikan.pdf",
            )
    queue_refresh(version, kantor)
    response = render(
        request,
        "publikasi/dik_pdf_disiapkan.html",
        {"retry_seconds": PDF_RETRY_SECONDS, "office": kantor},
        status=503,
    )
    response["Retry-After"] = str(PDF_RETRY_SECONDS)
    add_never_cache_headers(response)
    # expected while the worker renders: not an error line per visitor in the server's log
    response._has_been_logged = True
    return response


FEED_SIZE = 50


def with_openings(decrees, office: Kantor) -> list:
    """The feed's entries: the decrees, and an entry for each announcement of information that
    opened (publikasi.models.Pengumuman), newest first."""
    announcements = public_announcements_of(office)
    merged = [*decrees, *announcements.order_by("-created_at", "-pk")[:FEED_SIZE]]

    def when(item):
        if isinstance(item, Pengumuman):
            return item.created_at
        return item.revoked_at or item.published_at

    return sorted(merged, key=when, reverse=True)[:FEED_SIZE]


def opening_description(pengumuman: Pengumuman) -> str:
    if pengumuman.reason == Pengumuman.Reason.REVOKED:
        why = _("%(old)s was revoked by %(new)s.") % {
            "old": pengumuman.keputusan,
            "new": pengumuman.revoking,
        }
    else:
        why = _("The exemption period ended.")
    titles = "; ".join(o.entri.title for o in pengumuman.informasi.all())
    return why + (" " + _("Open now: %(titles)s.") % {"titles": titles} if titles else "")


class KeputusanFeed(Feed):
    """Atom feed of the published and the revoked decrees (drafts never)."""

    feed_type = Atom1Feed
    link = reverse_lazy("publikasi:keputusan_list")
    subtitle = gettext_lazy("KPU RI decrees on exempted public information")

    def __call__(self, request, *args, **kwargs):
        """The feed rendered once per version of the DIK in force (a decree published or
        revoked, information opened: each bumps it), language and address (its links are
        absolute), kept in the shared cache; the profile's name in its title at most
        DIK_CACHE_SECONDS late. An unknown office is never kept: 404 each time."""
        render = super().__call__
        office = request.feed_office = self.office(**kwargs)  # get_object's, without a query
        address = hashlib.sha256(request.build_absolute_uri(request.path).encode()).hexdigest()
        key = f"publikasi:feed:{office.whole_dik_version}:{get_language()}:{address}"

        def make():
            response = render(request, *args, **kwargs)
            return response.content, response["Content-Type"], response.get("Last-Modified")

        content, content_type, last_modified = kept(key, make, DIK_CACHE_SECONDS)
        response = HttpResponse(content, content_type=content_type)
        if last_modified:
            response["Last-Modified"] = last_modified
        return response

    def office(self) -> Kantor:
        """The office whose decrees the feed lists, with the DIK's versions: one query."""
        return _default_office_with_versions()

    def get_object(self, request, *args, **kwargs):
        return request.feed_office

    def title(self, obj):
        return _("KPU decrees on exempted information — %(office)s") % {
            "office": SiteProfile.current().short_name
        }

    def items(self, obj):
        decrees = public_decrees_of(obj).select_related("revoked_by")
        return with_openings(decrees.order_by("-published_at", "-pk")[:FEED_SIZE], obj)

    def item_title(self, item) -> str:
        if isinstance(item, Pengumuman):
            return _("Information no longer exempted since %(date)s") % {
                "date": date_format(item.date)
            }
        if item.status == Keputusan.Status.REVOKED:
            return _("%(decree)s (revoked)") % {"decree": item}
        return str(item)

    def item_description(self, item) -> str:
        if isinstance(item, Pengumuman):
            return opening_description(item)
        text = _("About: %(title)s. Date: %(date)s.") % {
            "title": item.title,
            "date": date_format(item.date),  # 14 Maret 2022, as the office writes dates
        }
        if item.revoked_by:
            text += " " + _("Revoked by %(decree)s.") % {"decree": item.revoked_by}
        return text

    def item_link(self, item) -> str:
        if isinstance(item, Pengumuman):
            return reverse("publikasi:pengumuman_pdf", args=[item.slug])
        return reverse("publikasi:keputusan_detail", args=[item.slug])

    def item_pubdate(self, item):
        if isinstance(item, Pengumuman):
            return item.created_at
        return item.published_at

    def item_updateddate(self, item):
        if isinstance(item, Pengumuman):
            return item.created_at
        return item.revoked_at or item.published_at


feed = login_not_required(KeputusanFeed())
