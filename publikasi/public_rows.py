"""The rows of the public DIK lists (`/` and `/<office>/`): each entry's row is rendered once
per version of its office's DIK in force (office_dik_version) and language, and kept in the
shared cache, so a page, search or filter not seen yet reads its ids and finds its rows
rendered. After every change of an office's DIK the worker renders its rows under the new
version (warm_public_rows, queued by publikasi.dik_pdf.public_dik_changed); a visitor who comes
first renders only the rows still missing. A change in one office leaves every other office's
rows kept. The sections around them that do not depend on the search (the information decrees
designate, the information no longer exempted) are kept per version of the whole DIK.

Every change of what they show bumps the versions (publikasi.dik_pdf.public_dik_changed): an
entry established or ended, a decree published or revoked, a redacted copy approved, a type or
a provision edited. Nothing here may depend on the request (no CSRF token, no CSP nonce)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.tasks import task
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ppid.models import Kantor
from publikasi.selectors import (
    FACETS_SECONDS,
    dik_facets,
    in_force_of,
    office_dik_version,
    opened_information_of,
    opened_items_of,
    public_items_of,
    published_dik_of,
    published_entries,
    with_public_copies,
)

ROW_SECONDS = FACETS_SECONDS  # a version's rows never change; old versions age out
WARM_CHUNK = 500  # rows read and rendered at once by the worker: its memory stays bounded
logger = logging.getLogger(__name__)


PAGE_SIZE = 20  # rows of a list page (the DIK, the information no longer exempted)


def list_page(
    entries,
    *,
    kantor: Kantor,
    version: int,
    kantor_version: int,
    facets: dict,
    count,
    request,
    options: dict | None = None,
) -> dict:
    """What an office's public list page shows of its register: the page of `entries` (in
    their order) asked for (`halaman`), its rows (kept per `kantor_version`, the office's own),
    the information decrees designate and the information no longer exempted (`dibuka`), kept
    per `version` of the whole DIK, and the filters' `options` (filter_options), read from the
    cache with the sections. `count`: the number of `entries` when the version's facets know
    it (no COUNT per miss), else None."""
    paginator = Paginator(entries.values_list("pk", flat=True), PAGE_SIZE)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("halaman"))
    sections = _kept(
        {
            "items": _designated_items(kantor, version),
            "opened": _opened_section(kantor, version, facets, request.GET.get("dibuka")),
            **(options or {}),
        }
    )
    return {
        "page": page,
        "rows": public_rows(page.object_list, kantor=kantor, version=kantor_version),
        "items": sections["items"],
        "opened": sections["opened"],
        "options": {name: sections[name] for name in options or {}},
    }


def row_key(version: int, kantor_id: int, language: str, entry_id: int) -> str:
    return f"publikasi:row:{version}:{kantor_id}:{language}:{entry_id}"


def public_rows(entry_ids, *, kantor: Kantor, version: int) -> list[SafeString]:
    """The rows of these entries of the office in force, in their order, under the office's
    `version` (office_dik_version): from the cache, the missing ones read (with their grounds,
    decrees and approved redacted copies) and rendered. An id no longer in force (changed
    since the page read it) has no row."""
    language = get_language()
    keys = {pk: row_key(version, kantor.pk, language, pk) for pk in entry_ids}
    return kept_rows(
        keys,
        with_public_copies(published_dik_of(kantor)),
        "publikasi/_dik_row.html",
        {"grounds_url": reverse("publikasi:dasar_hukum")},
    )


def kept_rows(keys: dict, entries, template_name: str, context: dict) -> list[SafeString]:
    """The rows of a public list, in the order of `keys` (pk -> its cache key, which names the
    version of the DIK): from the shared cache in one read; the missing ones read from
    `entries` in one query (and its prefetches), rendered with `template_name` (the entry as
    `e`, plus `context`) and kept. A pk `entries` no longer holds has no row."""
    rows = cache.get_many(list(keys.values())) if keys else {}
    missing = [pk for pk, key in keys.items() if key not in rows]
    if missing:
        template = get_template(template_name)
        rendered = {
            keys[entri.pk]: template.render({"e": entri, **context})
            for entri in entries.filter(pk__in=missing)
        }
        cache.set_many(rendered, ROW_SECONDS)
        rows.update(rendered)
    return [mark_safe(rows[key]) for key in keys.values() if key in rows]


@task(priority=-5)
def warm_public_rows(kantor_ids: list[int]) -> int:
    """The worker's part of a change of these offices' DIK: every row of their DIK in force
    rendered in every language under the office's new version (the counts of the filters
    too), WARM_CHUNK at a time; what is kept already is not rendered again (a second task of
    the same change costs a read of the cache). Returns the rows rendered."""
    rendered = 0
    offices = Kantor.objects.filter(pk__in=kantor_ids).filter(
        pk__in=published_entries().values("kantor_id")
    )
    for kantor in offices.order_by("pk").iterator():
        version = office_dik_version(kantor)
        ids = list(in_force_of(kantor).order_by("pk").values_list("pk", flat=True))
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                dik_facets(kantor, version)
                for start in range(0, len(ids), WARM_CHUNK):
                    chunk = ids[start : start + WARM_CHUNK]
                    keys = [row_key(version, kantor.pk, language, pk) for pk in chunk]
                    missing = len(chunk) - len(cache.get_many(keys))
                    if missing:
                        public_rows(chunk, kantor=kantor, version=version)
                        rendered += missing
    logger.info("Public rows of %d offices rendered: %d", len(kantor_ids), rendered)
    return rendered


def filter_options(kantor: Kantor, version: int, facets: dict, *, jenis: str, dasar: str):
    """The options of the search form's two filters (type, ground), each with its count of the
    office's `version` and the visitor's choice selected, for list_page: rendered once per
    version, office, language and choice. A choice that is no option selects nothing (and
    makes no key of its own)."""
    language = get_language()
    kinds = {
        "jenis": ([(t["code"], t["name"], t["n"]) for t in facets["types"]], jenis),
        "dasar": ([(g["code"], g["citation"], g["n"]) for g in facets["grounds"]], dasar),
    }
    options = {}
    for kind, (choices, chosen) in kinds.items():
        chosen = chosen if any(code == chosen for code, _text, _n in choices) else ""
        context = {"choices": choices, "chosen": chosen}
        options[kind] = (
            f"publikasi:options:{version}:{kantor.pk}:{language}:{kind}:{chosen}",
            lambda context=context: render_to_string("publikasi/_filter_options.html", context),
        )
    return options


def kept_many(sections: dict, seconds: int = ROW_SECONDS) -> dict:
    """name → (cache key, make) to name → what make() returns (anything but None): one read
    of the shared cache for them all, the missing ones made and kept in one write. A key names
    the version of the DIK it shows; `seconds` bounds how late what no version counts (an
    office's profile) shows."""
    found = cache.get_many([key for key, _make in sections.values()])
    new = {key: make() for key, make in sections.values() if key not in found}
    if new:
        cache.set_many(new, seconds)
    found |= new
    return {name: found[key] for name, (key, _make) in sections.items()}


def kept(key: str, make, seconds: int = ROW_SECONDS):
    """One value kept as kept_many keeps several."""
    return kept_many({key: (key, make)}, seconds)[key]


def _kept(sections: dict) -> dict[str, SafeString]:
    """kept_many of HTML sections, marked safe."""
    return {name: mark_safe(html) for name, html in kept_many(sections).items()}


def _designated_items(kantor: Kantor, version: int):
    """The information in force by the decrees reaching the office ("" without any)."""

    def render():
        items = list(public_items_of(kantor))
        if not items:
            return ""
        context = {"items": items, "with_decree": True}
        return render_to_string("publikasi/_item_rows.html", context)

    return f"publikasi:items:{version}:{kantor.pk}:{get_language()}", render


def _opened_section(kantor: Kantor, version: int, facets: dict, page_number):
    """The section “Informasi yang sudah tidak dikecualikan” of an office's public page at
    page `page_number` (the `dibuka` parameter), its count from the office's facets."""
    paginator = Paginator(opened_information_of(kantor), PAGE_SIZE)
    paginator.count = facets["opened"]
    number = _page_number(paginator, page_number)

    def render():
        context = {
            "opened_page": paginator.page(number),
            "opened_items": opened_items_of(kantor),
        }
        return render_to_string("publikasi/_dibuka.html", context)

    return f"publikasi:opened:{version}:{kantor.pk}:{get_language()}:{number}", render


def _page_number(paginator: Paginator, raw) -> int:
    """Paginator.get_page's reading of a page number, without reading the page."""
    try:
        return paginator.validate_number(raw)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages
