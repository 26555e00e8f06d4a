"""Resumable uploads by the tus 1.0 protocol (creation and termination extensions).

A large file on a slow link comes in pieces, one PATCH each, so no request outlives the app
server's timeout and a cut link loses only the piece in flight: the client asks (HEAD) how
far the server got and goes on from there. The rules are those of the form upload, by the
same functions: `entry_for_upload` for who may upload to which entry (a forbidden entry is a
404, like a missing one), `require_may_add_files` for the entry's state, the size limit at
creation from the declared Upload-Length, and once the last byte is in, `berkas_add` — type
sniffing, Pillow checks, SHA-256, history, thumbnail — on the completed file.

The bytes so far live in FILE_UPLOAD_TEMP_DIR/tus/<id>.part on the app server that received
them: appending is what a local file does well and an S3 object cannot do, and local storage
then moves the completed file into place instead of copying it. With several app servers,
route the tus URLs of one upload to one server, or put FILE_UPLOAD_TEMP_DIR on a shared
filesystem (README, Web server). The file's size is the offset: a worker killed in the middle
of a PATCH leaves exactly the bytes it wrote, and the next HEAD reports them.
"""

import base64
import binascii
import contextlib
import fcntl
import logging
import os
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen.berkas import CompletedUpload, FilesRefused, berkas_add, require_may_add_files
from dokumen.berkas_views import entry_for_upload
from dokumen.delivery import safe_filename
from dokumen.inspection import max_upload_bytes, too_large
from dokumen.models import Berkas, PartialUpload
from dokumen.upload_handlers import upload_temp_dir
from ppid.errors import ActionRefused

logger = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination"
OFFSET_OCTET_STREAM = "application/offset+octet-stream"
READ_CHUNK = 1024 * 1024


def partial_dir() -> Path:
    path = upload_temp_dir() / "tus"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def partial_path(upload: PartialUpload) -> Path:
    return partial_dir() / f"{upload.pk}.part"


def remove_partial(upload: PartialUpload) -> None:
    """The row and its bytes, both."""
    partial_path(upload).unlink(missing_ok=True)
    upload.delete()


# ---------------------------------------------------------------- answers


def _answer(status: int, **headers) -> HttpResponse:
    response = HttpResponse(status=status)
    return _tus_headers(response, headers)


def _refusal(status: int, problems: list[tuple[str, str]]) -> JsonResponse:
    """A refusal in the JSON shape of the form upload's, for the page's script to show."""
    response = JsonResponse(
        {
            "ok": False,
            "message": _("Nothing was uploaded: fix the files below and upload them again."),
            "errors": [{"file": name, "message": message} for name, message in problems],
        },
        status=status,
    )
    return _tus_headers(response, {})


def _tus_headers(response, headers: dict):
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def _options() -> HttpResponse:
    return _answer(
        204,
        Tus_Version=TUS_VERSION,
        Tus_Extension=TUS_EXTENSIONS,
        Tus_Max_Size=max_upload_bytes(),
    )


def _wrong_version(request) -> HttpResponse | None:
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _answer(412, Tus_Version=TUS_VERSION)
    return None


def _bad_request(message: str) -> JsonResponse:
    return _refusal(400, [("", message)])


# ---------------------------------------------------------------- parsing


def _non_negative(value: str | None) -> int | None:
    if value is None or not value.isascii() or not value.isdigit():
        return None
    return int(value)


def parse_metadata(header: str) -> dict[str, str] | None:
    """Upload-Metadata: `key base64value,key2 base64value2`; None when it cannot be read."""
    metadata = {}
    for pair in filter(None, (item.strip() for item in header.split(","))):
        key, _sep, value = pair.partition(" ")
        try:
            metadata[key] = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
    return metadata


# ---------------------------------------------------------------- views


def _entry(request, pk: int):
    try:
        return entry_for_upload(request.user, pk)
    except PermissionDenied:
        raise Http404 from None  # a forbidden entry answers exactly like a missing one


def tus_create(request, pk: int):
    """OPTIONS: what this server does. POST: a new upload to the entry (creation)."""
    entri = _entry(request, pk)
    if request.method == "OPTIONS":
        return _options()
    if request.method != "POST":
        return _answer(405, Allow="OPTIONS, POST")
    if wrong := _wrong_version(request):
        return wrong

    if "Upload-Defer-Length" in request.headers:
        return _bad_request(_("The size of the file must be known when the upload starts."))
    length = _non_negative(request.headers.get("Upload-Length"))
    if length is None:
        return _bad_request(_("The upload does not say the size of the file."))
    metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
    if metadata is None:
        return _bad_request(_("The upload's description (Upload-Metadata) cannot be read."))
    name = safe_filename(metadata.get("filename", ""), max_length=255)
    kind = metadata.get("kind", "")
    if kind not in Berkas.Kind.values:
        return _bad_request(_("Choose whether the files are softcopy originals or scans."))
    try:
        require_may_add_files(entri, by=request.user)
    except ActionRefused as refused:
        return _refusal(400, [(name, str(refused))])
    if length > max_upload_bytes():
        return _refusal(413, [(name, too_large(name, length).message)])

    upload = PartialUpload.objects.create(
        entri=entri, kind=kind, original_name=name, length=length, uploaded_by=request.user
    )
    os.close(os.open(partial_path(upload), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    location = reverse("meja:tus_upload", args=[entri.pk, upload.pk])
    if length == 0:  # nothing to send: complete now (the ingest names the empty file)
        return _complete(request, upload, created_at=location)
    return _answer(201, Location=location)


def tus_upload(request, pk: int, upload_id):
    """HEAD: how far the upload got. PATCH: the next piece. DELETE: give it up (termination)."""
    entri = _entry(request, pk)
    upload = get_object_or_404(
        PartialUpload.objects.filter(entri=entri, uploaded_by=request.user), pk=upload_id
    )
    if request.method == "OPTIONS":
        return _options()
    if request.method not in ("HEAD", "PATCH", "DELETE"):
        return _answer(405, Allow="OPTIONS, HEAD, PATCH, DELETE")
    if wrong := _wrong_version(request):
        return wrong
    path = partial_path(upload)
    try:
        fh = open(path, "r+b")  # noqa: SIM115 (closed below, after the lock is released)
    except FileNotFoundError:
        # its bytes are gone (cleanup, or another app server received them): start again
        upload.delete()
        raise Http404 from None
    with fh:
        if request.method == "HEAD":
            return _head(upload, fh)
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _answer(423)  # another request is writing this upload; the client retries
        if request.method == "DELETE":
            remove_partial(upload)
            return _answer(204)
        return _patch(request, upload, fh)


def _head(upload: PartialUpload, fh) -> HttpResponse:
    offset = os.fstat(fh.fileno()).st_size
    if offset != upload.offset:  # a worker killed in the middle of a PATCH
        PartialUpload.objects.filter(pk=upload.pk).update(offset=offset)
    return _answer(200, Upload_Offset=offset, Upload_Length=upload.length)


def _patch(request, upload: PartialUpload, fh) -> HttpResponse:
    if request.content_type != OFFSET_OCTET_STREAM:
        return _answer(415)
    offset = _non_negative(request.headers.get("Upload-Offset"))
    sent = _non_negative(request.META.get("CONTENT_LENGTH"))
    if offset is None or sent is None:
        return _bad_request(_("The piece of the upload does not say where it belongs."))
    current = os.fstat(fh.fileno()).st_size
    if offset != current:
        return _answer(409, Upload_Offset=current)
    if offset + sent > upload.length:
        return _bad_request(_("The upload sent more bytes than the file's declared size."))

    fh.seek(offset)
    remaining = sent
    try:
        while remaining:
            data = request.read(min(READ_CHUNK, remaining))
            if not data:
                break  # the client went away: keep what came
            fh.write(data)
            remaining -= len(data)
    except OSError:  # the connection broke (UnreadablePostError): keep what came
        logger.info("tus upload %s: connection lost at %s bytes", upload.pk, sent - remaining)
    fh.flush()
    os.fsync(fh.fileno())
    offset = fh.tell()
    PartialUpload.objects.filter(pk=upload.pk).update(offset=offset, updated_at=timezone.now())
    upload.offset = offset
    if offset == upload.length:
        return _complete(request, upload)
    return _answer(204, Upload_Offset=offset)


def _complete(request, upload: PartialUpload, *, created_at: str = "") -> HttpResponse:
    """The last byte is in: the same ingest as the form upload, then the partial upload goes
    (its bytes moved into storage, or refused)."""
    problems: list[tuple[str, str]] = []
    try:
        with CompletedUpload(partial_path(upload), name=upload.original_name) as completed:
            berkas_add(
                entri_id=upload.entri_id, by=request.user, kind=upload.kind, files=[completed]
            )
    except FilesRefused as refused:
        problems = refused.problems
    except ActionRefused as refused:
        problems = [(upload.original_name, str(refused))]
    finally:
        with contextlib.suppress(FileNotFoundError):
            remove_partial(upload)
    if problems:
        return _refusal(400, problems)
    # shown on the entry page that the script loads when every file is in
    messages.success(
        request, _("“%(name)s” was added to the entry.") % {"name": upload.original_name}
    )
    if created_at:
        return _answer(201, Location=created_at, Upload_Offset=upload.length)
    return _answer(204, Upload_Offset=upload.length)
