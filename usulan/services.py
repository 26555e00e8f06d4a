"""Proposals up the chain: every step is a service that locks the proposal through the
visibility selector, checks the step in the usulan table (usulan/lifecycle.py) for the actor's
role in the office holding it, writes the log row, and mails the next office after commit."""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dokumen import lifecycle as entry_lifecycle
from dokumen.models import Action
from persetujuan.sheet import sheet_entries
from ppid import surel
from ppid.errors import ActionRefused
from ppid.models import Kantor, Penugasan
from ppid.pdf import render_pdf_bytes
from ppid.roles import Role
from publikasi.models import Keputusan
from publikasi.selectors import decrees_visible_to
from publikasi.services import decree_followers_follow, keputusan_reach_add
from usulan import lifecycle
from usulan.models import Aksi, Lampiran, LangkahUsulan, Status, Usulan, UsulanEntri
from usulan.selectors import usulan_visible_to

logger = logging.getLogger(__name__)
COVER_LETTER_MAX_BYTES = 20 * 1024 * 1024


def _not_in_an_open_proposal(entri, by) -> str | None:
    if entri is not None and entri.pk and entri.usulan_items.filter(terbuka=True).exists():
        return _("This entry is already in an open proposal; wait for its decision or return.")
    return None


entry_lifecycle.add_guard(Action.PROPOSE, _not_in_an_open_proposal)


def lock(usulan_id: int, *, by) -> Usulan:
    """The proposal's row, locked, read through the visibility selector: one the actor may not
    see is refused exactly like one that does not exist."""
    usulan = usulan_visible_to(by).select_for_update(of=("self",)).filter(pk=usulan_id).first()
    if usulan is None:
        raise ActionRefused(_("This proposal does not exist or is not available to you."))
    return usulan


def _clean_letter(data: dict) -> dict:
    number = (data.get("nomor_surat") or "").strip()
    addressee = (data.get("tujuan") or "").strip()
    date = data.get("tanggal_surat")
    if not number:
        raise ActionRefused(_("Give the number of the cover letter."))
    if not addressee:
        raise ActionRefused(_("Give the addressee of the cover letter."))
    if date is None:
        raise ActionRefused(_("Give the date of the cover letter."))
    if date > timezone.localdate():
        raise ActionRefused(_("The date of the cover letter cannot be in the future."))
    return {"nomor_surat": number, "tujuan": addressee, "tanggal_surat": date}


def _check_cover_letter(upload) -> None:
    if upload.size > COVER_LETTER_MAX_BYTES:
        raise ActionRefused(_("The cover letter is larger than 20 MB."))
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ActionRefused(_("The cover letter must be a PDF file."))


def _attach(usulan, jenis, entri, name: str, data: bytes, stored: list) -> Lampiran:
    lampiran = Lampiran(
        usulan=usulan,
        jenis=jenis,
        entri=entri,
        nama=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    lampiran.file.save(name, ContentFile(data), save=False)
    stored.append(lampiran.file)
    lampiran.save()
    return lampiran


def _mail_ppid_of(kantor: Kantor, subject: str, body: str) -> None:
    """Written in the transaction; sent after the commit by the outbox."""
    to = sorted(
        set(
            Penugasan.objects.filter(kantor=kantor, role=Role.PPID, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if to:
        surel.queue_mail(subject=subject, body=body, to=to, kantor=kantor)


def usulan_send(*, by, entri_ids, data: dict, surat=None, kantor=None) -> Usulan:
    """The PPID of a kab/kota (or a provinsi) sends approved entries of its office, with a
    cover letter, to the office above; the consequence test sheet of each entry and the
    approval sheet are rendered now and stored with it. `kantor`: the office chosen by someone
    who is PPID of several; the entries must be its own."""
    stored = []
    try:
        with transaction.atomic():
            usulan = _send(
                by=by, entri_ids=entri_ids, data=data, surat=surat, stored=stored, kantor=kantor
            )
    except BaseException:
        for field in stored:  # the rows rolled back: remove the blobs written for them
            field.storage.delete(field.name)
        raise
    return usulan


def _send(*, by, entri_ids, data, surat, stored, kantor=None) -> Usulan:
    entries = entry_lifecycle.lock_many(entri_ids, by=by)
    offices = {e.kantor_id for e in entries}
    if len(offices) != 1:
        raise ActionRefused(_("A proposal covers the entries of one office only."))
    if kantor is not None and getattr(kantor, "pk", kantor) not in offices:
        raise ActionRefused(
            _("The chosen entries are not of %(office)s: a proposal covers its own entries.")
            % {"office": kantor}
        )
    kantor = Kantor.objects.select_related("induk").get(pk=offices.pop())
    if kantor.induk is None:
        raise ActionRefused(_("KPU RI decides itself: it sends no proposal."))
    letter = _clean_letter(data)
    if surat is not None:
        _check_cover_letter(surat)
    holder = kantor.induk
    usulan = Usulan(
        kantor=kantor,
        pemegang=holder,
        status=Status.DIKIRIM,
        delegasi=holder.tingkat == Kantor.Tingkat.PROVINSI
        and holder.slug in settings.DIK_DELEGATED_PROVINCES,
        dikirim_oleh=by,
        **letter,
    )
    note = _("In proposal No. %(number)s to %(office)s.") % {
        "number": letter["nomor_surat"],
        "office": holder,
    }
    for entri in entries:  # checks PPID of the entry's office, its state, no open proposal
        entry_lifecycle.perform(entri, Action.PROPOSE, by=by, note=note)
    if surat is not None:
        usulan.surat_pdf.save("surat.pdf", surat, save=False)
        stored.append(usulan.surat_pdf)
    usulan.save()
    UsulanEntri.objects.bulk_create([UsulanEntri(usulan=usulan, entri=e) for e in entries])
    LangkahUsulan.objects.create(
        usulan=usulan,
        aksi=Aksi.KIRIM,
        from_status="",
        to_status=Status.DIKIRIM,
        kantor=kantor,
        by=by,
        note=letter["tujuan"],
    )
    today = timezone.localdate()
    for entri in entries:
        pdf = render_pdf_bytes(
            "dokumen/pdf/uji_konsekuensi.html",
            {"entri": entri, "signed_on": today},
            kantor=kantor,
        )
        _attach(usulan, Lampiran.Jenis.UJI, entri, f"uji-konsekuensi-{entri.pk}.pdf", pdf, stored)
    sheet = render_pdf_bytes(
        "persetujuan/lembar.html", {"sheets": sheet_entries(entries)}, kantor=kantor
    )
    _attach(usulan, Lampiran.Jenis.LEMBAR, None, "lembar-persetujuan.pdf", sheet, stored)
    _mail_ppid_of(
        holder,
        _("Proposal No. %(number)s from %(office)s")
        % {"number": usulan.nomor_surat, "office": kantor},
        _("%(office)s sent a proposal for a consequence test covering %(n)s entries.")
        % {"office": kantor, "n": len(entries)},
    )
    logger.info("Usulan %s sent by %s to %s", usulan.pk, by.pk, holder.pk)
    return usulan


def _mail_proposer(usulan: Usulan, what: str) -> None:
    _mail_ppid_of(
        usulan.kantor,
        _("Proposal No. %(number)s: %(status)s") % {"number": usulan.nomor_surat, "status": what},
        _("Your proposal No. %(number)s is now “%(status)s” (%(office)s).")
        % {"number": usulan.nomor_surat, "status": what, "office": usulan.pemegang},
    )


@transaction.atomic
def usulan_receive(*, usulan_id: int, by, note: str = "") -> Usulan:
    usulan = lock(usulan_id, by=by)
    lifecycle.perform(usulan, Aksi.TERIMA, by=by, note=note.strip())
    _mail_proposer(usulan, Status(usulan.status).label)
    return usulan


@transaction.atomic
def usulan_forward(*, usulan_id: int, by, note: str = "") -> Usulan:
    """The provinsi forwards it to KPU RI, with its note; KPU RI holds it from now on."""
    usulan = lock(usulan_id, by=by)
    ri = usulan.pemegang.induk
    lifecycle.perform(usulan, Aksi.TERUSKAN, by=by, note=note.strip(), pemegang=ri)
    _mail_ppid_of(
        ri,
        _("Proposal No. %(number)s from %(office)s")
        % {"number": usulan.nomor_surat, "office": usulan.kantor},
        _("%(province)s forwarded the proposal of %(office)s for a consequence test.")
        % {"province": usulan.kantor.induk, "office": usulan.kantor},
    )
    _mail_proposer(usulan, Status(usulan.status).label)
    return usulan


@transaction.atomic
def usulan_return(*, usulan_id: int, by, reason: str) -> Usulan:
    usulan = lock(usulan_id, by=by)
    reason = (reason or "").strip()
    message = lifecycle.refusal(usulan, Aksi.KEMBALIKAN, by)
    if message is None and not reason:
        raise ActionRefused(_("Give the reason for the return."))
    lifecycle.perform(usulan, Aksi.KEMBALIKAN, by=by, note=reason, alasan_kembali=reason)
    _mail_proposer(usulan, Status(usulan.status).label)
    return usulan


@transaction.atomic
def usulan_decide(*, usulan_id: int, by, keputusan_id: int, note: str = "") -> Usulan:
    """KPU RI (or a provinsi by delegation) settles the proposal by one of its decrees; the
    proposing office's entries follow that decree: when it is published (publikasi's publish
    service reads them through usulan.selectors.settled_pairs), at once if it already is, and
    an entry archived later when it is archived."""
    usulan = lock(usulan_id, by=by)
    message = lifecycle.refusal(usulan, Aksi.PUTUSKAN, by)
    if message:
        raise ActionRefused(message)
    keputusan = (
        decrees_visible_to(by)
        .filter(kantor_id=usulan.pemegang_id, pk=keputusan_id)
        .exclude(status=Keputusan.Status.REVOKED)
        .first()
    )
    if keputusan is None:
        raise ActionRefused(
            _("Choose a decree recorded by %(office)s that has not been revoked.")
            % {"office": usulan.pemegang}
        )
    lifecycle.perform(
        usulan,
        Aksi.PUTUSKAN,
        by=by,
        note=note.strip() or str(keputusan),
        diputuskan_oleh=keputusan,
    )
    reason = _("Reaches %(office)s: settles its proposal No. %(number)s") % {
        "office": usulan.kantor,
        "number": usulan.nomor_surat,
    }
    keputusan_reach_add(keputusan_id=keputusan.pk, kantor_id=usulan.kantor_id, by=by, reason=reason)
    if keputusan.status == Keputusan.Status.PUBLISHED:
        # already in force: the proposal's archived entries follow it now
        decree_followers_follow(keputusan_id=keputusan.pk, by=by)
    _mail_proposer(usulan, Status(usulan.status).label)
    return usulan
