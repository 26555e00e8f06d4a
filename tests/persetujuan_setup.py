"""Shared set-up for the approval tests: entries in a given state, with rounds like the real ones."""

import importlib

from django.apps import apps
from django.utils import timezone

from dokumen.models import State, TransitionLog
from persetujuan import services
from persetujuan.models import Persetujuan, Putaran
from ppid.roles import APPROVER_ROLES, Role
from tests.factories import EntriFactory, UserFactory

PEMBINA, TIM, ATASAN = (role.value for role in APPROVER_ROLES)


def reseed() -> None:
    """A transactional test flushes the database after it, seeded roles and reference data
    included, so the next one puts them back (the seeding migrations use get_or_create)."""
    importlib.import_module("ppid.migrations.0002_roles").create_roles(apps, None)
    importlib.import_module("ppid.migrations.0004_kantor_and_penugasan").seed_first_offices(
        apps, None
    )
    importlib.import_module("dokumen.migrations.0002_reference_data").seed(apps, None)


def submitted_entry(opener, **kwargs):
    """A classified entry submitted by `opener` through the service: one open round."""
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI, **kwargs)
    services.entri_submit(entri_id=entri.pk, by=opener)
    entri.refresh_from_db()
    return entri


def entry_in_state(state: State, *, opener):
    """An entry in `state` with the rounds it would have: an open round when submitted, an
    approved round once past approval."""
    if state == State.DIAJUKAN:
        return submitted_entry(opener)
    classified = state != State.DIKUMPULKAN
    entri = EntriFactory(classified=classified, state=state)
    if state in (State.DISETUJUI, State.DIARSIPKAN, State.DITETAPKAN, State.TIDAK_BERLAKU):
        putaran = Putaran.objects.create(
            entri=entri,
            number=1,
            content_hash=entri.content_hash(),
            required_roles=[r.value for r in APPROVER_ROLES],
            opened_by=opener,
            status=Putaran.Status.APPROVED,
            closed_at=timezone.now(),
        )
        for role in APPROVER_ROLES:
            Persetujuan.objects.create(
                putaran=putaran,
                role=role.value,
                result=Persetujuan.Result.APPROVE,
                by=UserFactory(roles=[role]),
                round_opened_by=opener,
            )
    return entri


def approve_as(entri, *roles):
    """Approve the open round for each role, each by a fresh member of it."""
    for role in roles:
        services.approve(entri_id=entri.pk, by=UserFactory(roles=[role]), role=role)


def snapshot(entri) -> tuple:
    """Everything a refused action must leave as it was."""
    entri.refresh_from_db()
    return (
        entri.state,
        TransitionLog.objects.filter(entri=entri).count(),
        sorted(Putaran.objects.filter(entri=entri).values_list("pk", "status", "closed_at")),
        Persetujuan.objects.filter(putaran__entri=entri).count(),
        Putaran.objects.count(),
    )


__all__ = ["ATASAN", "PEMBINA", "TIM", "Role", "State"]
