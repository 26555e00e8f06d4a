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
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dokumen import lifecycle, samaran
from dokumen.lifecycle import SYSTEM
from dokumen.models import (
    Action,
    DasarHukum,
    Entri,
    JenisDokumen,
    JenisJangkaWaktu,
    Regulasi,
    State,
)
from dokumen.selectors import entries_visible_to
from ppid.errors import ActionRefused
from ppid.models import Kantor
from ppid.roles import DESK_ROLES, offices_where
from publikasi import tanda_tangan
from publikasi.dik_pdf import public_dik_changed
from publikasi.models import (
    InformasiDibuka,
    KaitanItem,
    Keputusan,
    KeputusanItem,
    Pengumuman,
    SaluranPublikasi,
)
from publikasi.pengumuman import queue_announcement
from publikasi.selectors import (
    decrees_followed_by,
    decrees_visible_to,
    entries_following,
    reaches,
)

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


def _coverable(entry_ids, by, kantor_id: int) -> list[Entri]:
    """Archived entries of the recording office (another office's follow by a link instead)."""
    ids = set(entry_ids)
    entries = list(entries_visible_to(by).filter(pk__in=ids, kantor_id=kantor_id).order_by("pk"))
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
    """The PDF as recorded goes to private storage: a draft is never a public file. Its
    electronic signature is checked now; a new PDF voids an earlier override."""
    check_decree_pdf(upload)
    result = tanda_tangan.verify(getattr(upload, "file", upload))
    keputusan.signature = result.status
    keputusan.signature_signer = result.signer
    keputusan.signature_signed_at = result.signed_at
    keputusan.signature_timestamp_at = result.timestamp_at
    keputusan.signature_override = ""
    keputusan.signature_override_by = None
    keputusan.signature_override_at = None
    keputusan.pdf.save("keputusan.pdf", upload, save=False)


def _signature_refused(keputusan: Keputusan) -> ActionRefused:
    if keputusan.signature == tanda_tangan.Status.CHANGED:
        why = _(
            "its PDF was changed after %(signer)s signed it electronically: it is no longer the signed document"
        ) % {"signer": keputusan.signature_signer or _("the signer")}
    else:
        why = _("the electronic signature in its PDF cannot be checked")
    return ActionRefused(
        _(
            "Keputusan %(number)s cannot be published: %(why)s. Attach the PDF as it was signed, or publish it anyway and give the reason."
        )
        % {"number": keputusan.number, "why": why}
    )


def _check_signature(keputusan: Keputusan, by, override: str) -> None:
    """A flagged PDF (changed after signing, signature unreadable) is published only with an
    explicit override: its reason, who and when are kept on the decree and in its history."""
    if not keputusan.signature_flagged:
        return
    override = (override or "").strip()
    if not override:
        raise _signature_refused(keputusan)
    keputusan.signature_override = override
    keputusan.signature_override_by = by
    keputusan.signature_override_at = timezone.now()
    # the history's reason is short (100 characters): the override itself is on the decree
    keputusan._change_reason = _("published despite the signature check")
    logger.warning(
        "Keputusan %s published despite its signature (%s) by %s: %s",
        keputusan.number,
        keputusan.signature,
        by.pk,
        override,
    )


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


def _recording_office(by, kantor=None) -> int:
    """The office whose PPID records the decree: the one chosen, else the one office where the
    user establishes entries (someone serving several offices chooses, like on the entry form)."""
    offices = offices_where(by, lifecycle.roles_for(Action.ESTABLISH))
    if kantor is not None:
        kantor_id = getattr(kantor, "pk", kantor)
        lifecycle.require_may_take(by, Action.ESTABLISH, kantor_id)
        return kantor_id
    if not offices:
        lifecycle.require_may_take(by, Action.ESTABLISH)
    if len(offices) > 1:
        raise ValidationError({"kantor": _("Choose the office that records this decree.")})
    return offices[0]


def _lock_visible_decree(keputusan_id: int, by, action: Action) -> Keputusan:
    """The decree locked, read through decrees_visible_to: another office's is refused like a
    missing one; in its own office the actor must take `action` (the desk is told the role)."""
    keputusan = (
        decrees_visible_to(by).select_for_update(of=("self",)).filter(pk=keputusan_id).first()
    )
    if keputusan is None:
        raise ActionRefused(_("This decree does not exist or is not available to you."))
    lifecycle.require_may_take(by, action, keputusan.kantor_id)
    return keputusan


@transaction.atomic
def keputusan_create(*, by, data: dict, pdf=None, entries=(), kantor=None) -> Keputusan:
    """Record a KPU RI decree as a draft; nothing is public until it is published."""
    kantor = _recording_office(by, kantor)
    keputusan = Keputusan(recorded_by=by, status=Keputusan.Status.DRAFT, kantor_id=kantor)
    _fill(keputusan, data)
    covered = _coverable(_ids(entries), by, kantor)
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
        keputusan.entries.set(_coverable(_ids(entries), by, keputusan.kantor_id))
    if old_pdf and old_pdf != keputusan.pdf.name:
        storage = keputusan.pdf.storage
        transaction.on_commit(lambda: storage.delete(old_pdf))
    return keputusan


def keputusan_publish(*, keputusan_id: int, by, signature_override: str = "") -> Keputusan:
    """Publish the decree: every entry it covers becomes `ditetapkan`, all or none, and its PDF
    becomes a public file. A PDF changed after signing needs `signature_override`, a reason."""
    with _public_copies() as written, transaction.atomic():
        return _publish(keputusan_id, by, written, signature_override)


def _publish(keputusan_id: int, by, written: list[str], signature_override: str) -> Keputusan:
    keputusan = _lock_visible_decree(keputusan_id, by, Action.ESTABLISH)
    if keputusan.status != Keputusan.Status.DRAFT:
        raise ActionRefused(
            _("Keputusan %(number)s is already %(status)s.")
            % {"number": keputusan.number, "status": keputusan.get_status_display()}
        )
    entry_ids = list(keputusan.entries.values_list("pk", flat=True))
    entries = lifecycle.lock_many(entry_ids, by=by) if entry_ids else []
    followers = _lock_followers(keputusan, exclude=entry_ids)
    problems = []
    if not keputusan.pdf:
        problems.append(_("the decree PDF is not attached (edit the draft to attach it)"))
    if not entries and not followers and not keputusan.items.exists():
        problems.append(_("it covers no entry"))
    # a proposal's entry not archived yet follows the decree when it is archived
    not_archived = [
        e
        for e in [*entries, *(e for e, link in followers if link)]
        if e.state not in COVERABLE_STATES
    ]
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
    _check_signature(keputusan, by, signature_override)
    note = _established_note(keputusan)
    for entri in entries:
        if entri.state == State.DIARSIPKAN:
            lifecycle.perform(entri, Action.ESTABLISH, by=by, note=note)
    _follow(keputusan, followers, Action.ESTABLISH, by, note)
    keputusan.status = Keputusan.Status.PUBLISHED
    keputusan.published_at = timezone.now()
    _publish_pdf(keputusan, written)
    keputusan._history_user = by
    keputusan.save()
    public_dik_changed(_offices_of(entries, (e for e, _link in followers)))
    logger.info("Keputusan %s published by %s", keputusan.number, by.pk)
    return keputusan


def _offices_of(*entries) -> set[int]:
    """The offices whose DIK in force changes with these entries (public_dik_changed)."""
    return {entri.kantor_id for group in entries for entri in group}


def _established_note(keputusan: Keputusan) -> str:
    return _("Established by %(decree)s about %(title)s") % {
        "decree": keputusan,
        "title": keputusan.title,
    }


def keputusan_revoke(
    *, keputusan_id: int, by, data: dict, pdf, signature_override: str = ""
) -> Keputusan:
    """Record the decree that revokes a published one. What it covered is open again, unless
    another published decree still covers it. Returns the revoking decree, published at once;
    the revoked decree stays on the public page with its PDF, marked revoked. Its PDF changed
    after signing needs `signature_override`, a reason, as for publishing."""
    with _public_copies() as written, transaction.atomic():
        return _revoke(keputusan_id, by, data, pdf, written, signature_override)


def _revoke(
    keputusan_id: int, by, data: dict, pdf, written: list[str], signature_override: str
) -> Keputusan:
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
        reaches_all_below=old.reaches_all_below,  # it reaches what the revoked one reached
    )
    _fill(revoker, data)
    if revoker.date < old.date:
        raise ValidationError(
            {"date": _("The revoking decree cannot be dated before the decree it revokes.")}
        )
    _attach_pdf(revoker, pdf)
    _check_signature(revoker, by, signature_override)
    _publish_pdf(revoker, written)
    revoker._history_user = by
    revoker.save()
    revoker.jangkauan.set(old.jangkauan.all())

    old.status = Keputusan.Status.REVOKED
    old.revoked_by = revoker
    old.revoked_at = now
    old._history_user = by
    old.save()

    entry_ids = list(old.entries.values_list("pk", flat=True))
    entries = lifecycle.lock_many(entry_ids, by=by) if entry_ids else []
    followers = _lock_followers(old, exclude=entry_ids)
    all_ids = entry_ids + [e.pk for e, _link in followers]
    changed = _offices_of(entries, (e for e, _link in followers))  # moved, or one decree less
    # read after the entries are locked: a concurrent revocation of the other decree is seen
    others = Keputusan.objects.filter(status=Keputusan.Status.PUBLISHED).exclude(pk=old.pk)
    still_covered = set(
        entries_following(others).filter(pk__in=all_ids).values_list("pk", flat=True)
    )
    note = _("%(old)s was revoked by %(new)s") % {"old": old, "new": revoker}
    opened = []
    for entri in entries:
        if entri.state == State.DITETAPKAN and entri.pk not in still_covered:
            lifecycle.perform(entri, Action.REVOKE, by=by, note=note)
            opened.append(entri)
    followers = [(e, link) for e, link in followers if e.pk not in still_covered]
    in_force = {e.pk for e, _link in followers if e.state == State.DITETAPKAN}
    _follow(revoker, followers, Action.REVOKE, by, note)  # the revoking decree acts
    opened += [e for e, _link in followers if e.pk in in_force and e.state != State.DITETAPKAN]
    offices = {e.kantor_id for e in opened}
    if old.items.exists():  # the information it designated opens at its deciding office too
        offices.add(old.kantor_id)
    announcements = {
        kantor_id: _announcement(
            kantor_id, Pengumuman.Reason.REVOKED, now, keputusan=old, revoking=revoker
        )
        for kantor_id in sorted(offices)
    }
    for entri in opened:
        _record_opening(entri, announcements[entri.kantor_id], now)
    public_dik_changed(changed | offices)  # moved, one decree less, or opened
    logger.info("Keputusan %s revoked by %s (%s)", old.number, revoker.number, by.pk)
    return revoker


@transaction.atomic
def channel_add(*, keputusan_id: int, by, data: dict) -> SaluranPublikasi:
    """Record another place the decree was published (notice board, social media, …)."""
    keputusan, kantor_id = _lock_reaching_decree(keputusan_id, by)
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
    channel = SaluranPublikasi(keputusan=keputusan, recorded_by=by, kantor_id=kantor_id, **data)
    channel.full_clean(exclude=["recorded_by", "keputusan"])
    channel.save()
    logger.info("Channel %s recorded for Keputusan %s", channel.channel, keputusan.number)
    return channel


# ---------------------------------------------------------------- decrees reaching offices


def _lock_followers(keputusan: Keputusan, *, exclude=()) -> list[tuple[Entri, KaitanItem | None]]:
    """The entries of other offices that follow the decree (linked to its items, or in a
    proposal it settles), locked in key order with their link to an item, if any. They belong to
    other offices: read on behalf of the decree, not through the actor's visibility."""
    entries = list(
        entries_following(Keputusan.objects.filter(pk=keputusan.pk))
        .exclude(pk__in=exclude)
        .select_for_update()
        .order_by("pk")
    )
    links = {
        link.entri_id: link
        for link in KaitanItem.objects.filter(entri__in=entries).select_related("linked_by", "item")
    }
    return [(e, links.get(e.pk)) for e in entries]


def _follow(keputusan: Keputusan, followers, action: Action, by, note: str) -> int:
    """The step of the decree that acts (the published one, or the revoking one) on the entries
    that follow it: ESTABLISH on those archived, REVOKE on those in force. In an office where
    the publisher is PPID they take it themselves; in the others the system takes it on behalf
    of the decree (the log names the decree and them)."""
    source = State.DIARSIPKAN if action == Action.ESTABLISH else State.DITETAPKAN
    on_behalf = lifecycle.ByDecree(decree=str(keputusan), publisher=by)
    moved = 0
    for entri, link in followers:
        if entri.state != source:
            continue
        actor = by if lifecycle.may_take(by, action, entri.kantor_id) else on_behalf
        lifecycle.perform(entri, action, by=actor, note=_linked_note(note, link) if link else note)
        moved += 1
    return moved


def decree_followers_follow(*, keputusan_id: int, by) -> None:
    """A proposal settled by a decree already published: its archived entries are established
    now, on behalf of the decree (usulan's decide service calls it in its transaction)."""
    keputusan = Keputusan.objects.filter(pk=keputusan_id, status=Keputusan.Status.PUBLISHED).first()
    if keputusan is None:
        return
    followers = _lock_followers(keputusan)
    if _follow(keputusan, followers, Action.ESTABLISH, by, _established_note(keputusan)):
        public_dik_changed(_offices_of(e for e, _link in followers))


@receiver(samaran.approved)
def _redacted_copy_approved(sender, salinan, entri, **kwargs):
    """An approved redacted copy shows on the public page beside its entry in force."""
    if entri.state == State.DITETAPKAN:
        public_dik_changed([entri.kantor_id])


@receiver(post_save, sender=JenisDokumen, dispatch_uid="publikasi_reference_edited_type")
@receiver(post_save, sender=DasarHukum, dispatch_uid="publikasi_reference_edited_ground")
@receiver(post_save, sender=Regulasi, dispatch_uid="publikasi_reference_edited_regulation")
def _reference_edited(sender, instance, created, raw=False, **kwargs):
    """A type's name and a provision's citation show in the public rows, the filter choices and
    the PDFs, all kept per version of the DIK: an edit (in the admin) is a change of the DIK in
    force. A new one is in no row yet."""
    if not created and not raw:
        public_dik_changed()


@receiver(post_save, sender=Kantor, dispatch_uid="publikasi_office_edited")
def _office_edited(sender, instance, created, raw=False, **kwargs):
    """An office's name, region and address show in the national page (its rows, its choices,
    its decrees) and the feeds, kept per version of the DIK: a new office or an edit (in the
    admin) changes them, though no office's entries in force."""
    if not raw:
        public_dik_changed(())


@receiver(lifecycle.moved)
def _established_when_archived(sender, entri, step, by, **kwargs):
    """An entry of a proposal settled by a decree published before it was archived follows the
    decree once archived: the archiving PPID of its office establishes it."""
    if step.action != Action.ARCHIVE:
        return
    keputusan = (
        decrees_followed_by([entri.pk])
        .filter(status=Keputusan.Status.PUBLISHED)
        .order_by("date", "pk")
        .first()
    )
    if keputusan is not None:
        lifecycle.perform(entri, Action.ESTABLISH, by=by, note=_established_note(keputusan))
        public_dik_changed([entri.kantor_id])


def _linked_note(note: str, link: KaitanItem) -> str:
    return (
        note
        + " "
        + _("(linked to “%(item)s” by %(user)s on %(date)s)")
        % {
            "item": link.item.title,
            "user": link.linked_by.get_full_name() or link.linked_by.get_username(),
            "date": formats.date_format(timezone.localtime(link.linked_at), "j F Y"),
        }
    )


def _lock_reaching_decree(keputusan_id: int, by) -> tuple[Keputusan, int]:
    """A public decree locked for an office it reaches where the actor is PPID; otherwise
    refused like a missing one."""
    keputusan = Keputusan.objects.select_for_update().filter(pk=keputusan_id).first()
    if keputusan is not None:
        for kantor_id in offices_where(by, lifecycle.roles_for(Action.ESTABLISH)):
            if reaches(keputusan, kantor_id):
                return keputusan, kantor_id
        if keputusan.kantor_id in offices_where(by, DESK_ROLES):
            lifecycle.require_may_take(by, Action.ESTABLISH, keputusan.kantor_id)
    raise ActionRefused(_("This decree does not exist or is not available to you."))


@transaction.atomic
def keputusan_set_reach(*, keputusan_id: int, by, offices=(), all_below: bool = False):
    """The deciding office fixes a draft's reach: named offices, or every office under it."""
    keputusan = _lock_visible_decree(keputusan_id, by, Action.ESTABLISH)
    _require_draft(keputusan)
    ids = {getattr(k, "pk", k) for k in offices}
    chosen = Kantor.objects.filter(pk__in=ids)
    decider = keputusan.kantor
    if decider.tingkat != Kantor.Tingkat.RI:
        chosen = chosen.filter(Q(pk=decider.pk) | Q(induk_id=decider.pk))
    if chosen.count() != len(ids):
        raise ActionRefused(
            _("A decree of %(office)s reaches only the offices under it.") % {"office": decider}
        )
    keputusan.reaches_all_below = bool(all_below)
    keputusan._history_user = by
    keputusan.save(update_fields=["reaches_all_below"])
    keputusan.jangkauan.set(chosen)
    return keputusan


@transaction.atomic
def keputusan_reach_add(*, keputusan_id: int, kantor_id: int, by, reason: str) -> bool:
    """The office whose proposal the decree settles joins its reach, so the decree shows on that
    office's public page without the deciding PPID naming it (usulan's decide service calls it
    in its transaction); logged in the decree's history with the reason. False when the decree
    reaches the office already."""
    keputusan = _lock_visible_decree(keputusan_id, by, Action.ESTABLISH)
    if reaches(keputusan, kantor_id):
        return False
    keputusan.jangkauan.add(kantor_id)
    keputusan._history_user = by
    keputusan._change_reason = reason
    keputusan.save(update_fields=["reaches_all_below"])  # the history row of the change
    if keputusan.status == Keputusan.Status.PUBLISHED:
        public_dik_changed(())  # the pages' decrees, not any office's entries in force
    logger.info("Keputusan %s reaches office %s (%s)", keputusan.number, kantor_id, by.pk)
    return True


@transaction.atomic
def item_add(*, keputusan_id: int, by, data: dict, legal_grounds=()) -> KeputusanItem:
    """The deciding office records a piece of information the draft decree designates."""
    keputusan = _lock_visible_decree(keputusan_id, by, Action.ESTABLISH)
    _require_draft(keputusan)
    allowed = {"title", "description", "document_type", "period_wording", "order"}
    unknown = set(data) - allowed
    if unknown:
        raise ActionRefused(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "order" not in data:
        data = {**data, "order": keputusan.items.count() + 1}
    item = KeputusanItem(keputusan=keputusan, **data)
    item.full_clean(exclude=["keputusan"])
    item.save()
    item.legal_grounds.set(legal_grounds)
    logger.info("Item %s recorded on Keputusan %s by %s", item.pk, keputusan.number, by.pk)
    return item


@transaction.atomic
def entri_link_to_item(*, entri_id: int, item_id: int, by) -> KaitanItem:
    """An office in the decree's reach links its own archived entry (its files, its binder) to
    the decree's item: the entry follows the decree. Linked to a published decree, the entry is
    established at once; to a draft, when the decree is published."""
    entri = lifecycle.lock(entri_id, by=by)  # another office's entry: refused like a missing one
    lifecycle.require_may_take(by, Action.ESTABLISH, entri.kantor_id)
    item = KeputusanItem.objects.select_related("keputusan").filter(pk=item_id).first()
    if item is not None:
        Keputusan.objects.select_for_update().filter(pk=item.keputusan_id).first()
    if item is None or not reaches(item.keputusan, entri.kantor_id):
        raise ActionRefused(
            _("This decree's information does not exist or does not reach your office.")
        )
    keputusan = item.keputusan
    if keputusan.status == Keputusan.Status.REVOKED:
        raise ActionRefused(
            _("Keputusan %(number)s was revoked: an entry is no longer linked to it.")
            % {"number": keputusan.number}
        )
    if entri.state not in COVERABLE_STATES:
        raise ActionRefused(
            _("A decree covers only archived entries. Not archived: %(entries)s.")
            % {"entries": _describe(entri)}
        )
    if KaitanItem.objects.filter(entri=entri).exists():
        raise ActionRefused(
            _("%(entry)s is already linked to a decree's information.")
            % {"entry": _describe(entri)}
        )
    link = KaitanItem.objects.create(
        item=item, entri=entri, kantor_id=entri.kantor_id, linked_by=by
    )
    if keputusan.status == Keputusan.Status.PUBLISHED and entri.state == State.DIARSIPKAN:
        note = _linked_note(_established_note(keputusan), link)
        lifecycle.perform(entri, Action.ESTABLISH, by=by, note=note)
        public_dik_changed([entri.kantor_id])
    logger.info(
        "Entry %s linked to item %s of Keputusan %s by %s",
        entri.pk,
        item.pk,
        keputusan.number,
        by.pk,
    )
    return link


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
    moved, announced = [], set()
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
            now = timezone.now()
            pengumuman = _announcement(entri.kantor_id, Pengumuman.Reason.ENDED, now, queue=False)
            _record_opening(entri, pengumuman, now)
            announced.add(pengumuman.pk)
            moved.append(entri)
    for pk in sorted(announced):  # once per announcement, with every entry of the run
        queue_announcement(pk)
    if moved:
        public_dik_changed(_offices_of(moved))  # once for the whole run, after their commits
    return moved


# ---------------------------------------------------------------- information opened


def _announcement(kantor_id: int, reason: str, at, *, keputusan=None, revoking=None, queue=True):
    """The office's announcement of this opening (one per revoked decree, one per day of ended
    periods), created in the opening's transaction; its PDF is rendered after the commit."""
    if reason == Pengumuman.Reason.REVOKED:
        pengumuman, _created = Pengumuman.objects.get_or_create(
            kantor_id=kantor_id,
            reason=reason,
            keputusan=keputusan,
            defaults={"revoking": revoking, "date": timezone.localdate(at)},
        )
    else:
        pengumuman, _created = Pengumuman.objects.get_or_create(
            kantor_id=kantor_id, reason=reason, date=timezone.localdate(at)
        )
    if queue:
        pk = pengumuman.pk
        transaction.on_commit(lambda: queue_announcement(pk))
    return pengumuman


def _record_opening(entri: Entri, pengumuman: Pengumuman, at) -> InformasiDibuka:
    """“Informasi yang sudah tidak dikecualikan”: the entry, since when and under which
    announcement; in the transaction that moved it, kept permanently."""
    return InformasiDibuka.objects.create(
        entri=entri, kantor_id=entri.kantor_id, pengumuman=pengumuman, opened_at=at
    )
