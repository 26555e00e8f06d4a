"""Printed documents: HTML templates with the office letterhead, rendered by WeasyPrint (A4)."""

import base64
import mimetypes

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from ppid.models import SiteProfile


def _letterhead_logo(profile: SiteProfile) -> str:
    """The logo as a data URI: WeasyPrint then needs no URL fetcher for it."""
    if profile.logo:
        try:
            with profile.logo.open("rb") as fh:
                data = fh.read()
            mime = mimetypes.guess_type(profile.logo.name)[0] or "image/png"
            return f"data:{mime};base64,{base64.b64encode(data).decode()}"
        except OSError:
            pass
    with open(finders.find("img/logo.svg"), "rb") as fh:
        return "data:image/svg+xml;base64," + base64.b64encode(fh.read()).decode()


def render_pdf_bytes(template: str, context: dict, request=None, kantor=None) -> bytes:
    """The document on the letterhead of `kantor` (the default office without one)."""
    profile = SiteProfile.for_office(kantor) if kantor is not None else SiteProfile.current()
    html = render_to_string(
        template,
        {
            "site_profile": profile,
            "letterhead_logo": _letterhead_logo(profile),
            "printed_at": timezone.localtime(),
            **context,
        },
        request=request,
    )
    return HTML(string=html, base_url=None).write_pdf()


def pdf_response(
    template: str, context: dict, filename: str, request=None, kantor=None
) -> HttpResponse:
    response = HttpResponse(
        render_pdf_bytes(template, context, request, kantor), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
