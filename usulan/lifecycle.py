"""A proposal's steps: one table of named actions, like the entry's (dokumen/lifecycle.py).

Each step names the statuses it starts from, the status it leads to, the level of the office
that must hold the proposal when it is taken (the actor acts for that office) and the role the
actor holds there. `perform` re-checks all of it on a locked row and writes the log row."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ppid.errors import ActionRefused
from ppid.models import Kantor
from ppid.roles import Role, roles_of
from usulan.models import Aksi, LangkahUsulan, Status, Usulan

PROVINSI = frozenset({Kantor.Tingkat.PROVINSI})
RI = frozenset({Kantor.Tingkat.RI})


@dataclass(frozen=True)
class Step:
    aksi: Aksi
    sources: frozenset
    target: Status
    levels: frozenset  # the level of the holding office, for which the actor acts
    roles: frozenset = frozenset({Role.PPID})
    condition: Callable[[Usulan], bool] | None = None  # e.g. the provinsi decides by delegation

    @property
    def label(self) -> str:
        return str(self.aksi.label)


def _delegated(usulan: Usulan) -> bool:
    return usulan.delegasi or usulan.pemegang.tingkat == Kantor.Tingkat.RI


ACTIONS: dict[Aksi, Step] = {
    step.aksi: step
    for step in (
        Step(Aksi.TERIMA, frozenset({Status.DIKIRIM}), Status.DITERIMA, PROVINSI),
        Step(Aksi.TERUSKAN, frozenset({Status.DITERIMA}), Status.DITERUSKAN, PROVINSI),
        Step(
            Aksi.PUTUSKAN,
            frozenset({Status.DIKIRIM, Status.DITERIMA, Status.DITERUSKAN}),
            Status.DIPUTUSKAN,
            PROVINSI | RI,
            condition=_delegated,
        ),
        Step(
            Aksi.KEMBALIKAN,
            frozenset({Status.DIKIRIM, Status.DITERIMA, Status.DITERUSKAN}),
            Status.DIKEMBALIKAN,
            PROVINSI | RI,
        ),
    )
}


def refusal(usulan: Usulan, aksi: Aksi, by) -> str | None:
    """Why `by` may not take `aksi` on `usulan` now; None when they may."""
    step = ACTIONS[Aksi(aksi)]
    holder = usulan.pemegang
    if holder.tingkat not in step.levels:
        return _(
            "“%(action)s” is not taken by %(office)s: the proposal is now with %(office)s."
        ) % {"action": step.label, "office": holder}
    if not roles_of(by, holder.pk) & step.roles:
        return _("“%(action)s” needs the role PPID in %(office)s.") % {
            "action": step.label,
            "office": holder,
        }
    if usulan.status not in step.sources:
        return _("This proposal is now “%(status)s”, so “%(action)s” is not possible.") % {
            "status": Status(usulan.status).label,
            "action": step.label,
        }
    if step.condition and not step.condition(usulan):
        return _(
            "%(office)s does not decide this proposal: it has no delegation (PKPU 4/2025); forward it to KPU RI."
        ) % {"office": holder}
    return None


def actions_for(usulan: Usulan, user) -> list[Step]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [step for step in ACTIONS.values() if refusal(usulan, step.aksi, user) is None]


def perform(usulan: Usulan, aksi: Aksi, *, by, note: str = "", **changes) -> LangkahUsulan:
    """Take a step on a proposal locked by the caller's transaction: check, move, log."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("perform() must run inside the service's transaction")
    message = refusal(usulan, aksi, by)
    if message:
        raise ActionRefused(message)
    step = ACTIONS[Aksi(aksi)]
    log = LangkahUsulan.objects.create(
        usulan=usulan,
        aksi=step.aksi,
        from_status=usulan.status,
        to_status=step.target,
        kantor=usulan.pemegang,
        by=by,
        note=note,
    )
    usulan.status = step.target
    for field, value in changes.items():
        setattr(usulan, field, value)
    usulan.save(update_fields=["status", *changes])
    if step.target not in (Status.DIKIRIM, Status.DITERIMA, Status.DITERUSKAN):
        usulan.items.update(terbuka=False)
    return log
