"""Every write of publikasi (SOP step 4): record, publish and revoke a Keputusan KPU RI, record the
other channels it was published on, and end the entries whose fixed period is over.

Each service locks its rows, checks the role, changes, logs (transition log of each entry and the
decree's history) in one transaction; the public DIK PDF is refreshed after commit.
"""

import logging
from contextlib import contextmanager

import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.lifecycle import SYSTEM
from dokumen.models import Action, Entri, JenisJangkaWaktu, State
from dokumen.selectors import entries_visible_to
from ppid.errors import ActionRefused
from ppid.roles import DESK_ROLES, offices_where
from publikasi.dik_pdf import public_dik_changed
from publikasi.models import Keputusan, SaluranPublikasi

logger = logging.getLogger(__name__)

KEPUTUSAN_FIELDS = ("number", "date", "title", "issuer")
# A decree may cover what is archived, and confirm what another decree already established.
COVERABLE_STATES = (State.DIARSIPKAN, State.DITETAPKAN)


# ---------------------------------------------------------------- checks


def _pdf_refused(message: str) -> ActionRefused:
    exc = ActionRefused(message)
    exc.field = "pdf"  # forms show it next to the file field
    return exc


def check_decree_pdf(upload) -> None:
    """The decree is a PDF by its bytes (not by its name), and a PDF that can be opened."""
    if upload is None:
        raise _pdf_refused(_("Attach the decree as a PDF file."))
    if upload.size is not None and upload.size > settings.DIK_MAX_UPLOAD_BYTES:
        raise _pdf_refused(_("The decree file is too large."))
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise _pdf_refused(
            _(
                "The decree file is not a PDF: its contents are not a PDF document, whatever its name says."
            )
        )
    source = getattr(upload, "file", upload)
    try:
        document = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        raise _pdf_refused(
            _("The decree PDF cannot be opened (damaged or password-protected).")
        ) from exc
    try:
        if len(document) == 0:
            raise _pdf_refused(_("The decree PDF has no pages."))
    finally:
        document.close()
        upload.seek(0)


def _describe(entri: Entri) -> str:
    return f"“{entri.title}” ({entri.get_state_display()})"


def _coverable(entry_ids, by) -> list[Entri]:
    ids = set(entry_ids)
    entries = list(entries_visible_to(by).filter(pk__in=ids).order_by("pk"))
    if len(entries) != len(ids):
        raise ActionRefused(
            _("One of the chosen entries does not exist or is not available to you.")
        )
    wrong = [e for e in entries if e.state not in COVERABLE_STATES]
    if wrong:
        raise ActionRefused(
            _("A decree covers only archived entries. Not archived: %(entries)s.")
            % {"entries": "; ".join(_describe(e) for e in wrong)}
        )
    return entries


def _ids(entries) -> list[int]:
    return [getattr(e, "pk", e) for e in entries]


def _require_draft(keputusan: Keputusan) -> None:
    if keputusan.status != Keputusan.Status.DRAFT:
        raise ActionRefused(
            _(
                "Keputusan %(number)s is %(status)s: only a draft can be changed; a published decree changes only by another decree."
            )
            % {"number": keputusan.number, "status": keputusan.get_status_display()}
        )


def _fill(keputusan: Keputusan, data: dict) -> None:
    unknown = set(data) - set(KEPUTUSAN_FIELDS)
    if unknown:
        raise ActionRefused(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for field, value in data.items():
        setattr(keputusan, field, value.strip() if isinstance(value, str) else value)
    if not keputusan.issuer:
        keputusan.issuer = Keputusan._meta.get_field("issuer").default
    keputusan.full_clean(exclude=["slug", "pdf", "recorded_by", "revoked_by", "entries"])
    same_number = Keputusan.objects.filter(number__iexact=keputusan.number).exclude(pk=keputusan.pk)
    if same_number.exists():
        raise ValidationError(
            {
                "number": _("Keputusan %(number)s is already recorded.")
                % {"number": keputusan.number}
            }
        )


def _attach_pdf(keputusan: Keputusan, upload) -> None:
    """The PDF as recorded goes to private storage: a draft is never a public file."""
    check_decree_pdf(upload)
    keputusan.pdf.save("keputusan.pdf", upload, save=False)


@contextmanager
def _public_copies():
    """Names of public copies written in the block; removed again when the block fails, its
    commit included (run it outside the transaction), so no draft's PDF is left public."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            try:
                storages["public"].delete(name)
            except Exception:  # the cleanup must not hide the failure
                logger.exception("could not remove the public copy %s", name)
        raise


def _publish_pdf(keputusan: Keputusan, written: list[str]) -> None:
    """Put the decree's PDF in public storage, where the public page serves it from."""
    with keputusan.pdf.storage.open(keputusan.pdf.name, "rb") as fh:
        keputusan.public_pdf.save("keputusan.pdf", File(fh), save=False)
    written.append(keputusan.public_pdf.name)


# ---------------------------------------------------------------- the decree


def _recording_office(by) -> int:
    """The office whose PPID records the decree (the one where the user establishes entries)."""
    offices = offices_where(by, lifecycle.roles_for(Action.ESTABLISH))
    if not offices:
        lifecycle.require_may_take(by, Action.ESTABLISH)
    return offices[0]


def _lock_visible_decree(keputusan_id: int, by, action: Action) -> Keputusan:
    """The decree locked, read through its office: another office's is refused like a missing
    one, and the actor must take `action` in that office."""
    keputusan = Keputusan.objects.select_for_update().filter(pk=keputusan_id).first()
    if keputusan is None or not lifecycle.may_take(by, action, keputusan.kantor_id):
        if keputusan is None or keputusan.kantor_id not in offices_where(by, DESK_ROLES):
            raise ActionRefused(_("This decree does not exist or is not available to you."))
        lifecycle.require_may_take(by, action, keputusan.kantor_id)
    return keputusan


@transaction.atomic
def keputusan_create(*, by, data: dict, pdf=None, entries=()) -> Keputusan:
    """Record a KPU RI decree as a draft; nothing is public until it is published."""
    kantor = _recording_office(by)
    keputusan = Keputusan(recorded_by=by, status=Keputusan.Status.DRAFT, kantor_id=kantor)
    _fill(keputusan, data)
    covered = _coverable(_ids(entries), by)
    if pdf is not None:
        _attach_pdf(keputusan, pdf)
    keputusan._history_user = by
    keputusan.save()
    keputusan.entries.set(covered)
    logger.info("Keputusan %s recorded as draft by %s", keputusan.number, by.pk)
    return keputusan


@transaction.atomic
def keputusan_update(*, keputusan_id: int, by, data: dict, pdf=None, entries=None) -> Keputusan:
    keputusan = _lock_visible_decree(keputusan_id, by, Action.ESTABLISH)
    _require_draft(keputusan)
    _fill(keputusan, data)
    old_pdf = keputusan.pdf.name if pdf is not None else ""
    if pdf is not None:
        _attach_pdf(keputusan, pdf)
    keputusan._history_user = by
    keputusan.save()
    if entries is not None:
        keputusan.entries.set(_coverable(_ids(entries), by))
    if old_pdf and old_pdf != keputusan.pdf.name:
        storage = keputusan.pdf.storage
        transaction.on_commit(lambda: storage.delete(old_pdf))
    return keputusan


def keputusan_publish(*, keputusan_id: int, by) -> Keputusan:
    """Publish the decree: every entry it covers becomes `ditetapkan`, all or none, and its PDF
    becomes a public file."""
    with _public_copies() as written, transaction.atomic():
        return _publish(keputusan_id, by, written)


def _publish(keputusan_id: int, by, written: list[str]) -> Keputusan:
    keputusan = _lock_visible_decree(keputusan_id, by, Action.ESTABLISH)
    if keputusan.status != Keputusan.Status.DRAFT:
        raise ActionRefused(
            _("Keputusan %(number)s is already %(status)s.")
            % {"number": keputusan.number, "status": keputusan.get_status_display()}
        )
    entry_ids = list(keputusan.entries.values_list("pk", flat=True))
    entries = lifecycle.lock_many(entry_ids, by=by) if entry_ids else []
    problems = []
    if not keputusan.pdf:
        problems.append(_("the decree PDF is not attached (edit the draft to attach it)"))
    if not entries:
        problems.append(_("it covers no entry"))
    not_archived = [e for e in entries if e.state not in COVERABLE_STATES]
    if not_archived:
        problems.append(
            _("these entries are not archived: %(entries)s")
            % {"entries": "; ".join(_describe(e) for e in not_archived)}
        )
    if problems:
        raise ActionRefused(
            _("Keputusan %(number)s cannot be published: %(problems)s.")
            % {"number": keputusan.number, "problems": "; ".join(problems)}
        )
    note = _("Established by %(decree)s about %(title)s") % {
        "decree": keputusan,
        "title": keputusan.title,
    }
    for entri in entries:
        if entri.state == State.DIARSIPKAN:
            lifecycle.perform(entri, Action.ESTABLISH, by=by, note=note)
    keputusan.status = Keputusan.Status.PUBLISHED
    keputusan.published_at = timezone.now()
    _publish_pdf(keputusan, written)
    keputusan._history_user = by
    keputusan.save()
    public_dik_changed()
    logger.info("Keputusan %s published by %s", keputusan.number, by.pk)
    return keputusan


def keputusan_revoke(*, keputusan_id: int, by, data: dict, pdf) -> Keputusan:
    """Record the decree that revokes a published one. What it covered is open again, unless
    another published decree still covers it. Returns the revoking decree, published at once;
    the revoked decree stays on the public page with its PDF, marked revoked."""
    with _public_copies() as written, transaction.atomic():
        return _revoke(keputusan_id, by, data, pdf, written)


def _revoke(keputusan_id: int, by, data: dict, pdf, written: list[str]) -> Keputusan:
    old = _lock_visible_decree(keputusan_id, by, Action.REVOKE)
    if old.status == Keputusan.Status.DRAFT:
        raise ActionRefused(
            _(
                "Keputusan %(number)s is a draft: a draft is not revoked, it is changed or left unpublished."
            )
            % {"number": old.number}
        )
    if old.status == Keputusan.Status.REVOKED:
        raise ActionRefused(
            _("Keputusan %(number)s was already revoked by Keputusan %(by)s.")
            % {"number": old.number, "by": old.revoked_by.number}
        )
    now = timezone.now()
    revoker = Keputusan(
        recorded_by=by,
        status=Keputusan.Status.PUBLISHED,
        published_at=now,
        date=None,
        kantor_id=old.kantor_id,
    )
    _fill(revoker, data)
    if revoker.date < old.date:
        raise ValidationError(
            {"date": _("The revoking decree cannot be dated before the decree it revokes.")}
        )
    _attach_pdf(revoker, pdf)
    _publish_pdf(revoker, written)
    revoker._history_user = by
    revoker.save()

    old.status = Keputusan.Status.REVOKED
    old.revoked_by = revoker
    old.revoked_at = now
    old._history_user = by
    old.save()

    entry_ids = list(old.entries.values_list("pk", flat=True))
    entries = lifecycle.lock_many(entry_ids, by=by) if entry_ids else []
    # read after the entries are locked: a concurrent revocation of the other decree is seen
    still_covered = set(
        Keputusan.entries.through.objects.filter(
            entri_id__in=entry_ids, keputusan__status=Keputusan.Status.PUBLISHED
        )
        .exclude(keputusan=old)
        .values_list("entri_id", flat=True)
    )
    note = _("%(old)s was revoked by %(new)s") % {"old": old, "new": revoker}
    for entri in entries:
        if entri.state == State.DITETAPKAN and entri.pk not in still_covered:
            lifecycle.perform(entri, Action.REVOKE, by=by, note=note)
    public_dik_changed()
    logger.info("Keputusan %s revoked by %s (%s)", old.number, revoker.number, by.pk)
    return revoker


@transaction.atomic
def channel_add(*, keputusan_id: int, by, data: dict) -> SaluranPublikasi:
    """Record another place the decree was published (notice board, social media, …)."""
    keputusan = _lock_visible_decree(keputusan_id, by, Action.ESTABLISH)
    if keputusan.status == Keputusan.Status.DRAFT:
        raise ActionRefused(
            _(
                "Keputusan %(number)s is still a draft: publish it before recording where it was announced."
            )
            % {"number": keputusan.number}
        )
    fields = {"channel", "date", "link", "note"}
    unknown = set(data) - fields
    if unknown:
        raise ActionRefused(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    channel = SaluranPublikasi(
        keputusan=keputusan, recorded_by=by, kantor_id=keputusan.kantor_id, **data
    )
    channel.full_clean(exclude=["recorded_by", "keputusan"])
    channel.save()
    logger.info("Channel %s recorded for Keputusan %s", channel.channel, keputusan.number)
    return channel


# ---------------------------------------------------------------- end of period


def entries_expire(*, today=None) -> list[Entri]:
    """Every entry in force whose fixed period ended before today (WITA) becomes
    `tidak_berlaku`, logged as done by the system. One short transaction per entry; an entry
    another run holds is skipped, an entry already moved is not moved twice."""
    today = today or timezone.localdate()
    due = {
        "state": State.DITETAPKAN,
        "period_kind__behaviour": JenisJangkaWaktu.Behaviour.FIXED_YEARS,
        "period_end__lt": today,
    }
    moved = []
    for pk in list(Entri.objects.filter(**due).order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            entri = Entri.objects.select_for_update(skip_locked=True).filter(pk=pk, **due).first()
            if entri is None:
                continue
            note = _("The exemption period ended on %(end)s (%(wording)s).") % {
                "end": formats.date_format(entri.period_end, "j F Y"),
                "wording": entri.period_wording,
            }
            lifecycle.perform(entri, Action.END, by=SYSTEM, note=note)
            moved.append(entri)
    if moved:
        public_dik_changed()  # once for the whole run, after the entries' commits
    return moved
