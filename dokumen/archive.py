"""SOP step 3: an approved entry is archived once its softcopy, its scan and its binder are there."""

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from dokumen import lifecycle
from dokumen.models import Action, Berkas, Entri, TempatSimpan
from dokumen.selectors import entries_visible_to, places_visible_to


def archive_missing(entri: Entri) -> list[str]:
    """What the entry still lacks before it may be archived, in the words shown to the user."""
    kinds = set(entri.files.active().values_list("kind", flat=True).distinct())
    missing = []
    if Berkas.Kind.SOFTCOPY not in kinds:
        missing.append(_("an original softcopy file"))
    if Berkas.Kind.SCAN not in kinds:
        missing.append(_("a scan (or phone photo) of the hardcopy"))
    if not entri.ordner_id or not entri.archive_number:
        missing.append(_("a binder (ordner) for the hardcopy, with its archive number"))
    return missing


def _archive_guard(entri: Entri, by) -> str | None:
    missing = archive_missing(entri)
    if missing:
        return _("The entry cannot be archived yet. Still missing: %(missing)s.") % {
            "missing": "; ".join(missing)
        }
    return None


lifecycle.add_guard(Action.ARCHIVE, _archive_guard)


@transaction.atomic
def entri_archive(*, entri_id: int, by, seen_state: str | None = None) -> Entri:
    """disetujui → diarsipkan: the softcopy, the scan and the hardcopy in its binder are kept.
    (The place is not written in the log, which approvers read: it is in the hardcopy card.)"""
    entri = lifecycle.lock(entri_id, by=by)
    lifecycle.perform(
        entri,
        Action.ARCHIVE,
        by=by,
        note=_("Archived: softcopy, scan and hardcopy kept"),
        seen_state=seen_state,
    )
    return entri


# ---------------------------------------------------------------- reads for the archive pages


def entries_in_binders(user) -> QuerySet[Entri]:
    """Entries whose hardcopy has a binder, with their file counts; for the desk and the PPID."""
    active = Q(files__removed_at__isnull=True)
    return (
        entries_visible_to(user)
        .filter(ordner__isnull=False, ordner__in=places_visible_to(user))
        .select_related("document_type")
        .annotate(
            softcopies=Count("files", filter=active & Q(files__kind=Berkas.Kind.SOFTCOPY)),
            scans=Count("files", filter=active & Q(files__kind=Berkas.Kind.SCAN)),
        )
        .order_by("archive_number", "pk")
    )


def binders_visible_to(user) -> QuerySet[TempatSimpan]:
    return (
        places_visible_to(user)
        .filter(level=TempatSimpan.Level.ORDNER)
        .select_related("parent__parent__parent__parent")
    )


def archive_range(entries) -> str:
    """First – last archive number of a binder, as the office wrote them."""
    numbered = sorted((e for e in entries if e.archive_number), key=lambda e: e.archive_number)
    if not numbered:
        return ""
    first, last = numbered[0].archive_code, numbered[-1].archive_code
    return first if first == last else f"{first} – {last}"
