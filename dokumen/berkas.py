"""Services for the files of an entry: add (checked, hashed, stored) and remove (softly).

Same rules as every write to an entry: lock the row, check the action (UPLOAD, REMOVE_FILE),
change, log (simple-history rows of Berkas), and a content change voids an approval round.
Blobs go through the storage API only; a refused upload leaves neither a blob nor a row.
"""

import hashlib
import logging
from dataclasses import dataclass
from functools import partial

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.delivery import safe_filename
from dokumen.file_text import expect_texts, refresh_entry_words
from dokumen.inspection import FileRefused, Inspection, inspect_file, max_upload_bytes, too_large
from dokumen.models import Action, Berkas, Entri, berkas_name
from dokumen.services import after_content_change
from dokumen.thumbnails import draw_thumbnail, thumbnail_pending
from ppid.errors import ActionRefused

logger = logging.getLogger(__name__)

HASH_CHUNK = 1024 * 1024


class FilesRefused(ActionRefused):
    """An upload refused as a whole; `problems` holds (filename, message) for each bad file."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__(" ".join(message for _name, message in problems))


def file_storage():
    return Berkas._meta.get_field("file").storage


def require_may_add_files(entri: Entri, *, by) -> None:
    """Who may add files to which entry: checked by berkas_add under the row lock, and before
    a tus upload starts (dokumen.tus), so a refused upload is refused before its bytes come."""
    lifecycle.check(entri, Action.UPLOAD, by)


class CompletedUpload(File):
    """A file that arrived in pieces (tus) and is now whole in the upload temp folder.

    Ingested like the form upload's temporary file: local storage moves it into place; its
    SHA-256 is computed once over the whole file, in chunks (the pieces came through different
    requests, so no hash state survives between them).
    """

    def __init__(self, path, *, name: str):
        super().__init__(open(path, "rb"), name=name)  # noqa: SIM115 (closed by the caller)
        self.path = str(path)

    def temporary_file_path(self) -> str:
        return self.path


def sha256_of(fh) -> str:
    sha = hashlib.sha256()
    fh.seek(0)
    while chunk := fh.read(HASH_CHUNK):
        sha.update(chunk)
    fh.seek(0)
    return sha.hexdigest()


class _HashingReader(File):
    """Hands the upload to the storage and hashes the bytes as they pass, each byte once.

    FileSystemStorage reads through chunks(); S3 through read() (after a seek(0)). Bytes read
    again after a seek back are not hashed twice; a read past a gap leaves `hashed` short,
    and the caller then hashes again from the start.
    """

    def __init__(self, upload, *, content_type: str, limit: int):
        super().__init__(upload, name=upload.name)
        self.content_type = content_type  # S3 stores it as the object's Content-Type
        self.limit = limit
        self.sha256 = hashlib.sha256()
        self.hashed = 0

    def read(self, size=-1):
        start = self.file.tell()
        data = self.file.read(size)
        if data and start == self.hashed:
            self.sha256.update(data)
            self.hashed += len(data)
            if self.hashed > self.limit:
                raise too_large(self.name, self.hashed)
        return data


@dataclass
class _Stored:
    name: str
    size: int
    sha256: str


def _store(storage, upload, inspection: Inspection, *, display_name: str, written: list) -> _Stored:
    limit = max_upload_bytes()
    target = berkas_name(None, display_name)
    if hasattr(upload, "temporary_file_path") and isinstance(storage, FileSystemStorage):
        # a whole file on local disk is moved into place, not copied; hashed while it was
        # received (dokumen.upload_handlers), or else once here
        if upload.size > limit:
            raise too_large(display_name, upload.size)
        received = getattr(upload, "received_sha256", None) or sha256_of(upload)
        written.append(target)  # removed again if anything below fails
        written[-1] = storage.save(target, upload, max_length=200)
        return _Stored(written[-1], upload.size, received)
    reader = _HashingReader(upload, content_type=inspection.content_type, limit=limit)
    reader.name = display_name
    written.append(target)  # removed again if anything below fails
    saved = storage.save(target, reader, max_length=200)
    written[-1] = saved
    upload.seek(0, 2)
    size = upload.tell()
    if reader.hashed == size:
        digest = reader.sha256.hexdigest()
    else:  # the storage read out of order: hash once more, still in chunks
        sha = hashlib.sha256()
        upload.seek(0)
        while chunk := upload.read(HASH_CHUNK):
            sha.update(chunk)
        digest = sha.hexdigest()
    if size > limit:
        raise too_large(display_name, size)
    return _Stored(saved, size, digest)


def _delete_blobs(storage, names: list[str]) -> None:
    for name in names:
        try:
            if storage.exists(name):
                storage.delete(name)
        except Exception:  # a cleanup failure must not hide the refusal
            logger.exception("could not remove blob %s of a refused upload", name)


def berkas_add(*, entri_id: int, by, kind: str, files) -> list[Berkas]:
    """Add files to an entry: every file checked first, then all stored, or none.

    `files` are Django File objects (UploadedFile from a form, or any File with a name).
    A refusal raises FilesRefused listing each bad file; nothing stays in storage or the
    database. (Called inside an outer transaction that later rolls back, the blobs stay
    behind without a row: keep callers' transactions to the service's own.)
    """
    files = list(files)
    if kind not in Berkas.Kind.values:
        raise ActionRefused(_("Choose whether the files are softcopy originals or scans."))
    if not files:
        raise ActionRefused(_("Choose at least one file."))

    storage = file_storage()
    written: list[str] = []
    try:
        with transaction.atomic():
            entri = lifecycle.lock(entri_id, by=by)
            require_may_add_files(entri, by=by)

            checked, problems = [], []
            for upload in files:
                name = safe_filename(upload.name, max_length=255)
                try:
                    inspection = inspect_file(upload, name=name, size=upload.size, kind=kind)
                except FileRefused as refused:
                    problems.append((name, refused.message))
                else:
                    checked.append((upload, name, inspection))
            if problems:
                raise FilesRefused(problems)

            old_hash = entri.content_hash()
            stored = []
            for upload, name, inspection in checked:
                try:
                    stored.append(
                        (
                            name,
                            inspection,
                            _store(storage, upload, inspection, display_name=name, written=written),
                        )
                    )
                except FileRefused as refused:
                    raise FilesRefused([(name, refused.message)]) from None

            attached = dict(entri.files.active().values_list("sha256", "original_name"))
            for name, _inspection, blob in stored:
                if blob.sha256 in attached:
                    problems.append(
                        (
                            name,
                            _(
                                "“%(name)s” is already attached to this entry (same content as “%(other)s”)."
                            )
                            % {"name": name, "other": attached[blob.sha256]},
                        )
                    )
                attached.setdefault(blob.sha256, name)
            if problems:
                raise FilesRefused(problems)

            now = timezone.now()
            created = []
            for name, inspection, blob in stored:
                berkas = Berkas(
                    entri=entri,
                    kind=kind,
                    file=blob.name,
                    original_name=name,
                    content_type=inspection.content_type,
                    size=blob.size,
                    sha256=blob.sha256,
                    pages=inspection.pages,
                    preview_problem=inspection.preview_problem[:200],
                    uploaded_by=by,
                    uploaded_at=now,
                )
                berkas._history_user = by
                berkas.save()
                created.append(berkas)

            new_hash = entri.content_hash()
            if new_hash != old_hash:
                after_content_change(entri, by=by)
            # read by the worker too (OCR of scans, text of PDFs), for staff search
            expect_texts(created)
            for berkas in filter(thumbnail_pending, created):
                # drawn by the worker, so the upload returns at once; a failure is flagged on
                # the file and never fails the upload
                transaction.on_commit(partial(draw_thumbnail.enqueue, berkas.pk), robust=True)
    except BaseException:
        _delete_blobs(storage, written)
        raise
    return created


@transaction.atomic
def berkas_remove(*, berkas_id: int, by, note: str = "") -> Berkas:
    """Take a file off its entry; the blob and the row stay (nothing is lost), history shows it."""
    entri_id = Berkas.objects.values_list("entri_id", flat=True).get(pk=berkas_id)
    entri = lifecycle.lock(entri_id, by=by)
    berkas = Berkas.objects.select_for_update().get(pk=berkas_id)
    if berkas.removed_at is not None:
        raise ActionRefused(
            _("“%(name)s” was already removed from this entry.") % {"name": berkas.original_name}
        )
    lifecycle.check(entri, Action.REMOVE_FILE, by)
    old_hash = entri.content_hash()
    berkas.removed_at = timezone.now()
    berkas.removed_by = by
    berkas._history_user = by
    if note:
        berkas._change_reason = note[:100]
    berkas.save(update_fields=["removed_at", "removed_by"])
    refresh_entry_words([entri.pk])  # a removed file is found by no search
    new_hash = entri.content_hash()
    if new_hash != old_hash:
        after_content_change(entri, by=by)
    return berkas
