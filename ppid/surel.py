"""The outbox: every notification email is a `Surel` row, sent by the worker.

`queue_mail` is called inside the transaction of the change that causes the message, so the
message exists if and only if the change committed. After the commit a task sends it. Sending
holds the row lock and records `sent_at` in the same transaction, so a message is sent once
even when a task runs twice (a killed worker's task re-queued, a duplicate). A failed send is
tried again after 1, 5, 30 and 120 minutes (DIK_MAIL_RETRY_MINUTES); after the last one the
message is "failed": listed in the admin and counted on the PPID's desk, where it can be sent
again by hand.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ppid.models import Surel
from ppid.roles import Role, offices_where

logger = logging.getLogger(__name__)

# a waiting message whose task was lost (an enqueue that failed after the commit, a queue
# restored from a backup) is queued again once it is this late
LOST_AFTER = datetime.timedelta(minutes=10)
ERROR_CHARS = 2000


def retry_delays() -> list[datetime.timedelta]:
    return [datetime.timedelta(minutes=m) for m in settings.DIK_MAIL_RETRY_MINUTES]


def queue_mail(*, subject: str, body: str, to: list[str], kantor=None) -> Surel:
    """Write a message into the outbox; call inside the transaction that causes it."""
    surel = write_mail(subject=subject, body=body, to=to, kantor=kantor)
    queue_sending_on_commit([surel.pk])
    return surel


def write_mail(*, subject: str, body: str, to: list[str], kantor=None) -> Surel:
    """The row only; the caller queues the sending of its messages with one on-commit call.
    `kantor`: the office whose work caused it (default: the deployment's default office)."""
    office = {"kantor_id": getattr(kantor, "pk", kantor)} if kantor is not None else {}
    return Surel.objects.create(subject=subject, body=body, recipients=list(to), **office)


def queue_sending_on_commit(surel_ids: list[int]) -> None:
    if surel_ids:
        ids = list(surel_ids)
        # robust: a queue that is down never undoes the change; the worker's sweep (LOST_AFTER)
        # queues the message again
        transaction.on_commit(lambda: _enqueue_all(ids), robust=True)


def _enqueue_all(surel_ids: list[int]) -> None:
    for surel_id in surel_ids:
        send_surel.enqueue(surel_id)


@task
def send_surel(surel_id: int) -> str:
    """What the worker runs for one message: one attempt, and the next one queued on failure."""
    return deliver(surel_id)


def deliver(surel_id: int) -> str:
    """One attempt at sending a waiting message that is due; says what happened.

    The row stays locked while the mail server is talked to: a second task for the same message
    skips it instead of sending it again. A worker killed in the middle leaves the row as it was
    (the transaction is rolled back) and the re-queued task sends it.
    """
    with transaction.atomic():
        surel = (
            Surel.objects.select_for_update(skip_locked=True)
            .filter(pk=surel_id, status=Surel.Status.WAITING)
            .first()
        )
        if surel is None:
            return "nothing to send"  # sent, failed, gone, or being sent by another task
        now = timezone.now()
        if surel.next_attempt_at > now:
            return "not due"  # its own task is queued for next_attempt_at
        surel.attempts += 1
        surel.last_attempt_at = now
        try:
            EmailMessage(surel.subject, surel.body, None, surel.recipients).send()
        except Exception as exc:
            surel.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
            delays = retry_delays()
            retries_done = surel.attempts - 1
            if retries_done < len(delays) and not surel.retried_at:
                surel.next_attempt_at = now + delays[retries_done]
                surel.save()
                _enqueue_retry(surel)
                logger.warning(
                    "mail %s not sent (attempt %s), next attempt at %s: %s",
                    surel.pk,
                    surel.attempts,
                    surel.next_attempt_at.isoformat(),
                    surel.last_error,
                )
                return "retry later"
            surel.status = Surel.Status.FAILED
            surel.save()
            logger.error(
                "mail %s failed after %s attempts: %s", surel.pk, surel.attempts, surel.last_error
            )
            return "failed"
        surel.status = Surel.Status.SENT
        surel.sent_at = now
        surel.save()
        return "sent"


def _enqueue_retry(surel: Surel) -> None:
    """Queued in the same transaction that records the failure: both or neither."""
    if send_surel.get_backend().supports_defer:
        send_surel.using(run_after=surel.next_attempt_at).enqueue(surel.pk)
    # a backend without `run_after` (the tests' inline one): the sweep sends it when due


def queue_lost_mail(*, now=None) -> int:
    """Queue again the waiting messages that are overdue (their task was lost); how many."""
    now = now or timezone.now()
    ids = list(
        Surel.objects.filter(
            status=Surel.Status.WAITING, next_attempt_at__lte=now - LOST_AFTER
        ).values_list("pk", flat=True)
    )
    _enqueue_all(ids)
    return len(ids)


def failed_mail_visible_to(user):
    """The failed messages of the offices where the user is PPID (a superuser: every office);
    another office's are hidden like missing ones."""
    failed = Surel.objects.filter(status=Surel.Status.FAILED)
    if getattr(user, "is_superuser", False):
        return failed
    return failed.filter(kantor_id__in=offices_where(user, {Role.PPID}))


@transaction.atomic
def surel_send_again(*, surel_ids, by) -> int:
    """Send failed messages once more, now (from the admin or the PPID's page); how many.

    One attempt only: if it fails again the message is failed again, with the new error.
    """
    rows = list(
        failed_mail_visible_to(by).select_for_update().filter(pk__in=list(surel_ids)).order_by("pk")
    )
    now = timezone.now()
    for surel in rows:
        surel.status = Surel.Status.WAITING
        surel.next_attempt_at = now
        surel.retried_at = now
        surel.retried_by = by
        surel.save(update_fields=["status", "next_attempt_at", "retried_at", "retried_by"])
    queue_sending_on_commit([s.pk for s in rows])
    return len(rows)
