"""How a stored private file leaves the system: as an attachment with a safe filename.

Call `attachment_response` only after the permission check and the access-log row. On local
disk Django streams the file; in S3 mode the answer is a redirect to a signed URL valid
PRESIGNED_URL_SECONDS, which asks S3 to send the same Content-Disposition and Content-Type.
"""

import posixpath
import unicodedata

from django.http import FileResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage


def safe_filename(name: str, fallback: str = "berkas") -> str:
    """The last path part of `name`, without control characters; never empty or hidden."""
    name = posixpath.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:150] or fallback


def attachment_response(
    storage, name: str, *, filename: str, content_type: str = "application/octet-stream"
):
    filename = safe_filename(filename)
    if isinstance(storage, S3Storage):
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(True, filename),
                "ResponseContentType": content_type,
            },
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=True,
            filename=filename,
            content_type=content_type,
        )
    # a file of an exempted document: never kept by a shared cache
    response["Cache-Control"] = "private, no-store"
    return response
