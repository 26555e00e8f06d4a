"""Bringing an office's existing DIK list in: upload (kept privately), columns, import.

The import is one transaction: every valid row becomes an entry, in the state its row says
(collected, or established by a decree the office already published), each with the first
row of its log naming the action IMPORT, the file's SHA-256 and the row; or nothing is
imported. A file is one import per office: the same file again adds nothing.
"""

import hashlib

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.models import Action, Entri, State
from dokumen.selectors import entries_visible_to
from impor import rows
from impor.models import BarisImpor, Impor
from impor.selectors import import_offices, imports_visible_to
from ppid.errors import ActionRefused
from ppid.models import Kantor
from publikasi.dik_pdf import public_dik_changed
from publikasi.models import Keputusan
from publikasi.selectors import decrees_visible_to

CHUNK = 1024 * 1024
BATCH = 1000


def importing_office(by, kantor=None) -> int:
    """The office a list is imported for: the one given (where the user imports), else the
    one office where the user imports (someone serving several chooses)."""
    offices = import_offices(by)
    if kantor is not None:
        try:
            office = int(getattr(kantor, "pk", kantor))
        except (TypeError, ValueError):
            office = 0  # a choice that is no office: refused below like another office's
        if office not in offices:
            lifecycle.require_may_take(by, Action.IMPORT, office)
        return office
    if not offices:
        lifecycle.require_may_take(by, Action.IMPORT)
    if len(offices) > 1:
        raise ValidationError({"kantor": _("Choose the office this list is imported for.")})
    return offices[0]


def impor_upload(*, by, upload, kantor=None) -> tuple[Impor, bool]:
    """Keep an uploaded list privately and guess its columns. The same file again for the
    same office gives the import it already has (False: nothing new was made)."""
    office = importing_office(by, kantor)
    sha, size, chunks = hashlib.sha256(), 0, []
    for chunk in upload.chunks(CHUNK):
        sha.update(chunk)
        size += len(chunk)
        if size > rows.MAX_BYTES:
            break
        chunks.append(chunk)
    data = b"".join(chunks)
    if size > rows.MAX_BYTES:
        raise rows.too_large()
    existing = imports_visible_to(by).filter(kantor_id=office, sha256=sha.hexdigest()).first()
    if existing is not None:
        return existing, False
    table = rows.read_table(data)  # refuses what cannot be read, before anything is kept
    impor = Impor(
        kantor_id=office,
        original_name=(getattr(upload, "name", "") or "daftar")[:255],
        size=size,
        sha256=sha.hexdigest(),
        mapping=rows.guess_mapping(table.headings),
        uploaded_by=by,
    )
    impor.file.save("daftar", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            impor.save()
    except IntegrityError:
        # the same file, uploaded at the same moment by someone else: theirs is the one
        impor.file.delete(save=False)
        return imports_visible_to(by).get(kantor_id=office, sha256=impor.sha256), False
    return impor, True


def read(impor: Impor) -> bytes:
    with impor.file.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != impor.sha256:
        raise ActionRefused(
            _("The stored file is not the one uploaded (its SHA-256 differs). Upload it again.")
        )
    return data


def impor_set_mapping(*, impor_id: int, by, mapping: dict) -> Impor:
    with transaction.atomic():
        impor = _lock(impor_id, by)
        _require_draft(impor)
        table = rows.read_table(read(impor))
        impor.mapping = rows.clean_mapping(mapping, table.headings)
        impor.save(update_fields=["mapping"])
    return impor


class Preview:
    """Every row of an uploaded list, checked with its columns as mapped."""

    def __init__(self, impor: Impor, by):
        self.impor = impor
        self.table = rows.read_table(read(impor))
        self.mapping = rows.clean_mapping(impor.mapping, self.table.headings)
        self.problems = rows.mapping_problems(self.mapping)
        self.rows = (
            []
            if self.problems
            else rows.check_rows(self.table, self.mapping, _reference(impor.kantor_id, by))
        )
        self.valid = [r for r in self.rows if r.valid]
        self.invalid = [r for r in self.rows if not r.valid]


def impor_preview(*, impor: Impor, by) -> Preview:
    return Preview(impor, by)


def _reference(kantor_id: int, by) -> rows.Reference:
    decrees = decrees_visible_to(by).filter(kantor_id=kantor_id, status=Keputusan.Status.PUBLISHED)
    existing = (
        entries_visible_to(by)
        .filter(kantor_id=kantor_id)
        .values_list("pk", "title", "collected_on")
    )
    return rows.Reference(decrees=decrees, existing=existing.iterator(chunk_size=5000))


def _lock(impor_id: int, by) -> Impor:
    impor = imports_visible_to(by).select_for_update(of=("self",)).filter(pk=impor_id).first()
    if impor is None:
        raise ActionRefused(_("This import does not exist or is not available to you."))
    return impor


def _require_draft(impor: Impor) -> None:
    if impor.status == Impor.Status.DONE:
        raise ActionRefused(
            _("This file was already imported on %(date)s: nothing was added.")
            % {"date": date_format(timezone.localtime(impor.imported_at), "DATETIME_FORMAT")}
        )


@transaction.atomic
def impor_run(*, impor_id: int, by) -> Impor:
    """Every valid row becomes an entry, all in this transaction, or none does."""
    impor = _lock(impor_id, by)
    _require_draft(impor)
    lifecycle.require_may_take(by, Action.IMPORT, impor.kantor_id)
    # one import at a time per office: two lists holding the same row never both add it.
    # NO KEY UPDATE leaves the office's other writes (rows pointing at it) free to go on.
    Kantor.objects.select_for_update(no_key=True).filter(pk=impor.kantor_id).first()
    preview = Preview(impor, by)
    if preview.problems:
        raise ActionRefused(" ".join(preview.problems))
    if not preview.valid:
        raise ActionRefused(_("Nothing to import: no row of the file is valid."))
    entries = _create_entries(impor, preview.valid, by)
    impor.status = Impor.Status.DONE
    impor.imported_by = by
    impor.imported_at = timezone.now()
    impor.rows_imported = len(entries)
    impor.rows_left_out = len(preview.invalid)
    impor.save()
    if any(e.state == State.DITETAPKAN for e in entries):
        public_dik_changed([impor.kantor_id])
    return impor


def _create_entries(impor: Impor, valid: list, by) -> list[Entri]:
    now = timezone.now()
    reason = _("Imported from %(file)s") % {"file": impor.original_name}
    entries = []
    for row in valid:
        entri = Entri(
            kantor_id=impor.kantor_id,
            collected_by=by,
            state=row.state,
            state_action=Action.IMPORT,
            state_changed_at=now,
            **rows.entry_fields(row),
        )
        lifecycle.check(entri, Action.IMPORT, by)
        entri._history_user = by
        entri._history_date = now
        entri._change_reason = reason[:100]
        entries.append(entri)
    Entri.objects.bulk_create(entries, batch_size=BATCH)
    grounds = [
        Entri.legal_grounds.through(entri_id=entri.pk, dasarhukum_id=ground.pk)
        for entri, row in zip(entries, valid, strict=True)
        for ground in row.grounds
    ]
    Entri.legal_grounds.through.objects.bulk_create(grounds, batch_size=BATCH)
    covered = [
        Keputusan.entries.through(keputusan_id=row.decree.pk, entri_id=entri.pk)
        for entri, row in zip(entries, valid, strict=True)
        if row.decree is not None
    ]
    Keputusan.entries.through.objects.bulk_create(covered, batch_size=BATCH)
    _history(entries, by)
    for keputusan in {row.decree.pk: row.decree for row in valid if row.decree}.values():
        # the decree's own history shows the entries it now covers
        keputusan._history_user = by
        keputusan._change_reason = reason[:100]
        keputusan.save()
    notes = [
        _("Imported from %(file)s (SHA-256 %(sha)s), row %(row)s")
        % {"file": impor.original_name, "sha": impor.sha256, "row": row.number}
        for row in valid
    ]
    lifecycle.log_imported(entries, by=by, notes=notes)
    BarisImpor.objects.bulk_create(
        [
            BarisImpor(impor=impor, row=row.number, entri=entri)
            for entri, row in zip(entries, valid, strict=True)
        ],
        batch_size=BATCH,
    )
    return entries


def _history(entries: list[Entri], by) -> None:
    """The first row of each entry's history, its legal grounds with it (what a save would
    have written, in a few inserts instead of several per entry)."""
    made = Entri.history.bulk_history_create(entries, batch_size=BATCH, default_user=by)
    by_entry = {h.id: h for h in made}
    m2m_history = apps.get_model("dokumen", "HistoricalEntri_legal_grounds")
    through = Entri.legal_grounds.through.objects.filter(
        entri_id__in=[e.pk for e in entries]
    ).values_list("pk", "entri_id", "dasarhukum_id")
    m2m_history.objects.bulk_create(
        [
            m2m_history(history=by_entry[entri_id], id=pk, entri_id=entri_id, dasarhukum_id=ground)
            for pk, entri_id, ground in through.iterator(chunk_size=5000)
        ],
        batch_size=BATCH,
    )
