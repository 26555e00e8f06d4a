"""The public pages of each office (`/<office>/`: its DIK in force, its decrees, its open data
and its letterhead) and the national page (`/nasional/`). Anonymous; every read goes through
publikasi.selectors, and nothing here shows a file, a place, an archive number or a name."""

import csv
import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from ppid.models import Kantor, SiteProfile
from ppid.xlsx import xlsx_response
from publikasi import open_data
from publikasi.public_rows import PAGE_SIZE, _kept, kept, kept_rows, list_page
from publikasi.selectors import (
    dik_facets,
    in_force_of,
    keep_national_count,
    national_count,
    national_decree_list,
    national_dik,
    opened_items_of,
    opened_records_of,
    public_decree_list,
    public_items_of,
    published_dik_of,
    published_dik_version,
    published_entries,
    with_dik_version,
)
from publikasi.views import (
    KeputusanFeed,
    serve_public_dik,
)


class KantorConverter:
    """An office's address: `ri`, `prov-…`, `kab-…` or `kota-…` (never a page of the site)."""

    regex = r"(?:ri|(?:prov|kab|kota)-[a-z0-9-]+)"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return getattr(value, "slug", value)


def _office(slug: str) -> Kantor:
    return get_object_or_404(Kantor.objects.select_related("induk"), slug=slug)


def _office_with_versions(slug: str) -> Kantor:
    """_office with both versions of the DIK (with_dik_version), in the same query."""
    return get_object_or_404(with_dik_version(Kantor.objects.select_related("induk")), slug=slug)


@login_not_required
def kantor_dik(request, kantor: str):
    """An office's PPID page: the information decrees reaching it designate, and its own
    entries in force, under its letterhead."""
    office = _office_with_versions(kantor)
    version, kantor_version = office.whole_dik_version, office.dik_version
    facets = dik_facets(office, kantor_version)
    return render(
        request,
        "publikasi/kantor_dik.html",
        {
            "office": office,
            "site_profile": SiteProfile.for_office(office),
            **list_page(
                in_force_of(office).order_by("title", "pk"),  # index
                kantor=office,
                version=version,
                kantor_version=kantor_version,
                facets=facets,
                count=facets["in_force"],  # counted once per version of the DIK, not per visit
                request=request,
            ),
        },
    )


@login_not_required
def kantor_keputusan(request, kantor: str):
    office = _office(kantor)
    decrees = public_decree_list(office).select_related("kantor")
    return render(
        request,
        "publikasi/kantor_keputusan.html",
        {"office": office, "site_profile": SiteProfile.for_office(office), "decrees": decrees},
    )


def _item_record(item) -> dict:
    """A decree's item as a row of the office's open data (same fields; `id` is empty: the
    item is not an entry of this register, its decree identifies it)."""
    keputusan = item.keputusan
    grounds = list(item.legal_grounds.all())
    return {
        "id": None,
        "judul": item.title,
        "jenis_dokumen": item.document_type.name if item.document_type else None,
        "jenis_dokumen_kode": item.document_type.code if item.document_type else None,
        "dasar_hukum": [g.citation for g in grounds],
        "dasar_hukum_kode": [g.code for g in grounds],
        "dasar_hukum_lain": None,
        "konsekuensi": item.description,
        "kesimpulan": "dikecualikan",
        "jangka_waktu_jenis": None,
        "jangka_waktu": item.period_wording,
        "jangka_waktu_tahun": None,
        "mulai": None,
        "berakhir": None,
        "keputusan_nomor": [keputusan.number],
        "keputusan_tanggal": [keputusan.date.isoformat()],
        "keputusan_url": [
            reverse("publikasi:keputusan_detail", args=[keputusan.slug]),
        ],
        "status": open_data.IN_FORCE,
        "tidak_dikecualikan_sejak": None,
        "alasan_dibuka": None,
        "keputusan_pencabut_nomor": None,
        "pengumuman_url": None,
    }


def _opened_item_record(item) -> dict:
    """An item of a revoked decree: open since the revocation."""
    keputusan = item.keputusan
    return {
        **_item_record(item),
        "status": open_data.OPENED,
        "tidak_dikecualikan_sejak": timezone.localtime(keputusan.revoked_at).date().isoformat(),
        "alasan_dibuka": "dicabut",
        "keputusan_pencabut_nomor": keputusan.revoked_by.number,
    }


def _office_records(request, office: Kantor) -> list[dict]:
    items = [_item_record(i) for i in public_items_of(office)]
    items += [
        _opened_item_record(i) for i in opened_items_of(office).prefetch_related("legal_grounds")
    ]
    for row in items:
        row["keputusan_url"] = [request.build_absolute_uri(u) for u in row["keputusan_url"]]
    own = [open_data.record(e, request.build_absolute_uri) for e in published_dik_of(office)]
    opened = [
        open_data.opened_record(o, request.build_absolute_uri) for o in opened_records_of(office)
    ]
    return items + own + opened


@login_not_required
def kantor_csv(request, kantor: str):
    office = _office(kantor)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dik-{office.slug}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(open_data.FIELD_NAMES)
    for row in _office_records(request, office):
        writer.writerow(open_data.csv_row(row))
    return response


@login_not_required
def kantor_json(request, kantor: str):
    office = _office(kantor)
    records = _office_records(request, office)
    payload = {
        "judul": "Daftar Informasi Publik yang Dikecualikan",
        "penerbit": SiteProfile.for_office(office).office_name,
        "kantor": office.slug,
        "dihasilkan": timezone.localtime().isoformat(timespec="seconds"),
        "dokumentasi": request.build_absolute_uri(reverse("publikasi:data")),
        "jumlah": len(records),
        "data": records,
    }
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )


@login_not_required
def kantor_xlsx(request, kantor: str):
    """The office's open data for Excel: the same rows as its CSV."""
    office = _office(kantor)
    rows = (open_data.xlsx_row(record) for record in _office_records(request, office))
    return xlsx_response(
        filename=f"dik-{office.slug}.xlsx",
        title="DIK",
        headings=open_data.xlsx_headings(),
        rows=rows,
        widths=open_data.xlsx_widths(),
    )


@login_not_required
def kantor_dik_pdf(request, kantor: str):
    """The office's DIK in force as a PDF on its letterhead, rendered by the worker."""
    return serve_public_dik(request, _office(kantor))


@login_not_required
def kantor_logo(request, kantor: str):
    """The office's logo (public: it is on its pages and its letterhead)."""
    profile = SiteProfile.objects.filter(kantor=_office(kantor)).first()
    if profile is None or not profile.logo:
        raise Http404
    try:
        return FileResponse(profile.logo.open("rb"), content_type="image/png")
    except FileNotFoundError as exc:
        raise Http404 from exc


class KantorFeed(KeputusanFeed):
    """The decrees reaching one office."""

    def office(self, kantor: str) -> Kantor:
        return _office_with_versions(kantor)

    def title(self, obj):
        return super().title(obj) + f" ({obj.singkatan})"

    def link(self, obj):
        return reverse("kantor_keputusan", args=[obj.slug])


kantor_feed = login_not_required(KantorFeed())


@login_not_required
def nasional(request):
    """Everything in force in every office, with filters by provinsi and kab/kota.

    What the page shows besides the page's ids is kept per version of the DIK in force and
    language (publikasi.public_rows): each entry's row, the choices, the decrees, the counts."""
    version = published_dik_version()
    language = get_language()
    provinsi = request.GET.get("provinsi", "").strip()
    kabkota = request.GET.get("kabkota", "").strip()
    provinces = kept(f"publikasi:nasional:provinces:{version}", _provinces)
    entries = published_entries()
    offices = []
    if provinsi:
        chosen = next((p for p in provinces if p["slug"] == provinsi), None)
        if chosen is None:
            raise Http404
        offices = kept(
            f"publikasi:nasional:kabkota:{version}:{chosen['pk']}",
            lambda: _offices_under(chosen["pk"]),
        )
        # the province and its kab/kota by their ids: the index reads only their entries
        entries = entries.filter(kantor_id__in=[chosen["pk"], *(o["pk"] for o in offices)])
    if kabkota:
        entries = entries.filter(kantor__slug=kabkota, kantor__tingkat=Kantor.Tingkat.KABKOTA)
    # offices in the reference table's order (KPU RI, the provinsi, the kab/kota), then by title:
    # the index entri_in_force_order serves it, however deep the page
    entries = entries.order_by("kantor_id", "title", "pk")
    paginator = Paginator(entries.values_list("pk", flat=True), PAGE_SIZE)
    counted = national_count(version, provinsi=provinsi, kabkota=kabkota)
    if counted is None:
        counted = paginator.count
        keep_national_count(version, counted, provinsi=provinsi, kabkota=kabkota)
    paginator.count = counted  # counted once per version of the DIK, not per visit
    page = paginator.get_page(request.GET.get("halaman"))
    rows = kept_rows(
        {pk: f"publikasi:nasional:row:{version}:{language}:{pk}" for pk in page.object_list},
        national_dik(),
        "publikasi/_nasional_row.html",
        {},
    )
    # a choice that is no option selects nothing, and makes no key of its own
    kabkota_shown = kabkota if any(o["slug"] == kabkota for o in offices) else ""
    sections = _kept(
        {
            "filters": (
                f"publikasi:nasional:filters:{version}:{language}:{provinsi}:{kabkota_shown}",
                lambda: render_to_string(
                    "publikasi/_nasional_filters.html",
                    {
                        "provinces": provinces,
                        "provinsi": provinsi,
                        "offices": offices,
                        "kabkota": kabkota_shown,
                    },
                ),
            ),
            "decrees": (
                f"publikasi:nasional:decrees:{version}:{language}",
                lambda: render_to_string(
                    "publikasi/_nasional_decrees.html", {"decrees": national_decree_list()}
                ),
            ),
        }
    )
    return render(
        request,
        "publikasi/nasional.html",
        {
            **sections,
            "page": page,
            "rows": rows,
            "query": urlencode(
                {k: v for k, v in (("provinsi", provinsi), ("kabkota", kabkota)) if v}
            ),
        },
    )


def _provinces() -> list[dict]:
    provinces = Kantor.objects.filter(tingkat=Kantor.Tingkat.PROVINSI).order_by("kode")
    return list(provinces.values("pk", "slug", "nama_wilayah"))


def _offices_under(province_pk: int) -> list[dict]:
    return list(
        Kantor.objects.filter(induk_id=province_pk)
        .order_by("kode")
        .values("pk", "slug", "nama_wilayah")
    )
