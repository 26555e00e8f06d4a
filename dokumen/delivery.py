"""The one way a private file leaves the system: log the access, then stream it or sign a URL.

Callers have already fetched the Berkas through files_visible_to (404 otherwise), so every
response built here follows a permission check, and every one writes exactly one log row.
"""

import ipaddress

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from dokumen.models import AccessLog, Berkas

FILE_CSP = (
    "default-src 'none'; img-src 'self'; object-src 'self'; "
    "style-src 'unsafe-inline'; frame-ancestors 'self'"
)


def client_ip(request) -> str | None:
    value = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def log_access(request, berkas: Berkas, action: str) -> AccessLog:
    return AccessLog.objects.create(
        berkas=berkas,
        user=request.user,
        action=action,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", "")[:300],
    )


def file_response(
    request,
    berkas: Berkas,
    fieldfile,
    action: str,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
):
    """Log, then answer with the file: streamed from storage, or (S3) a short-lived signed URL."""
    log_access(request, berkas, action)
    storage = fieldfile.storage
    if getattr(settings, "STORAGE_BACKEND", "local") == "s3":
        url = storage.url(
            fieldfile.name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=int(getattr(settings, "PRESIGNED_URL_SECONDS", 60)),
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(
            storage.open(fieldfile.name, "rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    # private: never kept by a shared cache; the signed URL must not outlive its purpose
    response["Cache-Control"] = "private, no-store"
    # the file is shown as what it is, with nothing else; Chrome's PDF viewer needs object-src
    response["Content-Security-Policy"] = FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
