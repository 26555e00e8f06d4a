"""The one way a private file leaves the system: log the access, then stream it or sign a URL.

Callers have already fetched what the file belongs to through its selector (files_visible_to,
decrees_visible_to: 404 otherwise), so every response built by `private_file_response` follows
a permission check and writes exactly one access-log row: the file of an entry (`file_response`)
or any other private file (a decree's PDF as recorded), named by its storage name and a label.
"""

import ipaddress
import posixpath
import unicodedata

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage

from dokumen.models import AccessLog, Berkas, default_office_id

FILE_CSP = (
    "default-src 'none'; img-src 'self'; object-src 'self'; "
    "style-src 'unsafe-inline'; frame-ancestors 'self'"
)


def safe_filename(name: str, *, max_length: int = 150, fallback: str = "berkas") -> str:
    """The last path part of `name`, without control characters, never empty or hidden; a name
    too long is shortened before its extension. Used for the name kept at upload and again for
    the name offered on download."""
    name = posixpath.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        keep_ext = dot and len(ext) < 20
        name = stem[: max_length - len(ext) - 1] + dot + ext if keep_ext else name[:max_length]
    return name or fallback


def client_ip(request) -> str | None:
    value = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def log_access(
    request,
    berkas: Berkas | None,
    action: str,
    *,
    file_name: str = "",
    label: str = "",
    kantor_id: int | None = None,
) -> AccessLog:
    return AccessLog.objects.create(
        berkas=berkas,
        kantor_id=kantor_id or (berkas.entri.kantor_id if berkas else default_office_id()),
        file_name=file_name or (berkas.file.name if berkas else ""),
        label=(label or (berkas.original_name if berkas else ""))[:200],
        user=request.user,
        action=action,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", "")[:300],
    )


def private_file_response(
    request,
    storage,
    name: str,
    *,
    action: str,
    berkas: Berkas | None = None,
    label: str = "",
    kantor_id: int | None = None,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
    signed_url: bool = True,
):
    """The stored file: streamed from disk, or (S3) a redirect to a short-lived signed URL that
    makes S3 send the same Content-Disposition and Content-Type. 404 when the blob is gone.

    signed_url=False streams from S3 too: for what our own pages embed (thumbnails), which
    their CSP (img-src 'self') would refuse to load from the bucket's host."""
    if not name or not storage.exists(name):
        raise Http404  # the row is there but the blob is not: the fixity run reports it
    filename = safe_filename(filename)
    if signed_url and isinstance(storage, S3Storage):
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=settings.PRESIGNED_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    # private: never kept by a shared cache; the signed URL must not outlive its purpose
    response["Cache-Control"] = "private, no-store"
    # the file is shown as what it is, with nothing else; Chrome's PDF viewer needs object-src
    response["Content-Security-Policy"] = FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    log_access(
        request, berkas, action, file_name=name, label=label or filename, kantor_id=kantor_id
    )
    return response


def file_response(
    request,
    berkas: Berkas,
    fieldfile,
    action: str,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
    signed_url: bool = True,
):
    """Log, then answer with the file of a Berkas (its original or its thumbnail)."""
    return private_file_response(
        request,
        fieldfile.storage,
        fieldfile.name,
        action=action,
        berkas=berkas,
        label=berkas.original_name,
        filename=filename,
        content_type=content_type,
        as_attachment=as_attachment,
        signed_url=signed_url,
    )
