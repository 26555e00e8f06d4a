"""Who reads which proposal: the PPID of the proposing office, of the office holding it, and
of every office it passed through (a step of its log was taken there). Nobody else: 404."""

from django.db.models import F, Q, QuerySet

from dokumen.models import Entri, State
from dokumen.selectors import entries_visible_to
from ppid.roles import Role, offices_where
from usulan.models import OPEN_STATUSES, Lampiran, LangkahUsulan, Usulan, UsulanEntri

PROPOSABLE_STATES = (State.DISETUJUI, State.DIARSIPKAN)


def usulan_visible_to(user) -> QuerySet[Usulan]:
    offices = offices_where(user, {Role.PPID})
    if not offices:
        return Usulan.objects.none()
    passed = LangkahUsulan.objects.filter(kantor_id__in=offices).values("usulan_id")
    return Usulan.objects.filter(
        Q(kantor_id__in=offices) | Q(pemegang_id__in=offices) | Q(pk__in=passed)
    ).select_related("kantor", "pemegang", "diputuskan_oleh")


def outgoing(user) -> QuerySet[Usulan]:
    return usulan_visible_to(user).filter(kantor_id__in=offices_where(user, {Role.PPID}))


def incoming(user) -> QuerySet[Usulan]:
    """What waits for the user's office: open proposals it holds."""
    offices = offices_where(user, {Role.PPID})
    return usulan_visible_to(user).filter(pemegang_id__in=offices, status__in=OPEN_STATUSES)


def handled(user) -> QuerySet[Usulan]:
    """Proposals of other offices the user's office has held (forwarded, decided, returned)."""
    offices = offices_where(user, {Role.PPID})
    return (
        usulan_visible_to(user)
        .exclude(kantor_id__in=offices)
        .exclude(pemegang_id__in=offices, status__in=OPEN_STATUSES)
    )


def proposable_entries(user) -> QuerySet[Entri]:
    """Approved entries of the offices where the user is PPID, in no open proposal."""
    return (
        entries_visible_to(user)
        .filter(kantor_id__in=offices_where(user, {Role.PPID}), state__in=PROPOSABLE_STATES)
        .exclude(usulan_items__terbuka=True)
        .order_by("-state_changed_at", "-pk")
    )


def attachments_of(usulan: Usulan) -> QuerySet[Lampiran]:
    """The attachments of a proposal the caller already read through usulan_visible_to."""
    return Lampiran.objects.filter(usulan=usulan).select_related("entri")


def settled_pairs() -> QuerySet[UsulanEntri]:
    """(decree, entry) of every proposal a decree settles (Usulan.diputuskan_oleh): the entries
    follow that decree. Added to publikasi's one rule of followers (publikasi.selectors
    .add_followers), which publish and revoke read on behalf of the decree."""
    return UsulanEntri.objects.filter(usulan__diputuskan_oleh__isnull=False).annotate(
        decree_pk=F("usulan__diputuskan_oleh_id"), entry_pk=F("entri_id")
    )


def entries_settled_by(keputusan) -> QuerySet[Entri]:
    """The entries of the proposals this decree settles: what follows it when it is published."""
    return Entri.objects.filter(
        pk__in=settled_pairs().filter(decree_pk=keputusan.pk).values("entry_pk")
    )


def open_proposal_of(entri) -> Usulan | None:
    """The open proposal an entry is in (for the entry page of a user who sees the entry)."""
    return Usulan.objects.filter(items__entri=entri, items__terbuka=True).first()
