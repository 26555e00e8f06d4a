"""The outbox: retries with backoff, exactly one sending, failures visible and sent again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dokumen.models import State
from persetujuan import services
from ppid.models import Surel
from ppid.roles import Role
from ppid.surel import LOST_AFTER, deliver, queue_lost_mail, queue_mail, send_surel
from tests import mail_backends
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def flaky(settings):
    """The mail server refuses `flaky(n)` sends, then delivers into mailoutbox."""
    settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.FlakyBackend"}}

    def refuse(n):
        mail_backends.refusals["left"] = n

    yield refuse
    mail_backends.refusals["left"] = 0


def one_mail(django_capture_on_commit_callbacks) -> Surel:
    with django_capture_on_commit_callbacks(execute=True):
        surel = queue_mail(subject="[DIK] Uji", body="Isi", to=["ppid@kpu-pinrang.example"])
    surel.refresh_from_db()
    return surel


def time_passes(surel: Surel) -> None:
    """The worker runs the retry task at next_attempt_at: make that now."""
    Surel.objects.filter(pk=surel.pk).update(next_attempt_at=timezone.now())
    send_surel.enqueue(surel.pk)
    surel.refresh_from_db()


def test_fails_twice_then_sent_once_with_the_attempts_recorded(
    flaky, mailoutbox, django_capture_on_commit_callbacks
):
    flaky(2)
    surel = one_mail(django_capture_on_commit_callbacks)
    assert surel.status == Surel.Status.WAITING
    assert surel.attempts == 1
    assert "Connection refused" in surel.last_error
    assert surel.next_attempt_at - surel.last_attempt_at == 1 * MINUTE
    # not due yet: a task that runs early sends nothing and counts no attempt
    assert deliver(surel.pk) == "not due"

    time_passes(surel)
    assert (surel.status, surel.attempts) == (Surel.Status.WAITING, 2)
    assert surel.next_attempt_at - surel.last_attempt_at == 5 * MINUTE
    assert mailoutbox == []

    time_passes(surel)
    assert (surel.status, surel.attempts) == (Surel.Status.SENT, 3)
    assert surel.sent_at == surel.last_attempt_at
    assert [m.subject for m in mailoutbox] == ["[DIK] Uji"]
    assert mailoutbox[0].to == ["ppid@kpu-pinrang.example"]

    # the task again (a re-queued one, a duplicate): no second mail
    assert deliver(surel.pk) == "nothing to send"
    time_passes(surel)
    assert len(mailoutbox) == 1


def test_with_the_database_queue_a_failure_queues_its_retry_for_later(
    settings, flaky, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    flaky(1)
    surel = one_mail(django_capture_on_commit_callbacks)
    [first] = DBTaskResult.objects.all()
    assert first.args_kwargs["args"] == [surel.pk]
    assert send_surel.call(surel.pk) == "retry later"  # what the worker runs
    surel.refresh_from_db()
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert retry.task_path == "ppid.surel.send_surel"
    assert retry.args_kwargs["args"] == [surel.pk]
    assert retry.run_after == surel.next_attempt_at
    assert DBTaskResult.objects.ready().filter(pk=retry.pk).exists() is False  # not before


def test_the_schedule_gives_up_after_five_attempts(flaky, django_capture_on_commit_callbacks):
    flaky(99)
    surel = one_mail(django_capture_on_commit_callbacks)
    gaps = []
    while surel.status == Surel.Status.WAITING:
        gaps.append(surel.next_attempt_at - surel.last_attempt_at)
        time_passes(surel)
    assert gaps == [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE]
    assert (surel.status, surel.attempts, surel.sent_at) == (Surel.Status.FAILED, 5, None)
    assert deliver(surel.pk) == "nothing to send"


def failed_mail(flaky, django_capture_on_commit_callbacks) -> Surel:
    flaky(99)
    surel = one_mail(django_capture_on_commit_callbacks)
    while surel.status == Surel.Status.WAITING:
        time_passes(surel)
    flaky(0)
    return surel


def test_failed_mail_shows_on_the_ppid_desk_and_is_sent_again_from_there(
    client, ppid, flaky, mailoutbox, django_capture_on_commit_callbacks
):
    surel = failed_mail(flaky, django_capture_on_commit_callbacks)
    client.force_login(ppid)
    page = client.get(reverse("meja:beranda")).content.decode()
    assert "1 surel notifikasi tidak dapat dikirim" in page
    assert reverse("surel_gagal") in page

    listing = client.get(reverse("surel_gagal")).content.decode()
    assert "[DIK] Uji" in listing
    assert "ppid@kpu-pinrang.example" in listing
    assert "Connection refused" in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("surel_kirim_ulang"), {"surel": surel.pk}, follow=True)
    assert "1 surel diantrekan untuk dikirim lagi." in response.content.decode()
    surel.refresh_from_db()
    assert (surel.status, surel.attempts, surel.retried_by) == (Surel.Status.SENT, 6, ppid)
    assert [m.subject for m in mailoutbox] == ["[DIK] Uji"]
    page = client.get(reverse("meja:beranda")).content.decode()
    assert "tidak dapat dikirim" not in page


def test_only_the_ppid_sees_and_resends_failed_mail(
    client, desk, flaky, mailoutbox, django_capture_on_commit_callbacks
):
    surel = failed_mail(flaky, django_capture_on_commit_callbacks)
    client.force_login(desk)
    assert "tidak dapat dikirim" not in client.get(reverse("meja:beranda")).content.decode()
    assert client.get(reverse("surel_gagal")).status_code == 403
    assert client.post(reverse("surel_kirim_ulang"), {"semua": "1"}).status_code == 403
    surel.refresh_from_db()
    assert surel.status == Surel.Status.FAILED
    assert mailoutbox == []


def test_sent_again_by_hand_tries_once_and_fails_again_visibly(
    client, ppid, flaky, django_capture_on_commit_callbacks
):
    surel = failed_mail(flaky, django_capture_on_commit_callbacks)
    flaky(1)
    client.force_login(ppid)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surel_kirim_ulang"), {"semua": "1"})
    surel.refresh_from_db()
    assert (surel.status, surel.attempts) == (Surel.Status.FAILED, 6)
    assert surel.retried_at is not None


def test_the_admin_lists_failed_mail_with_a_filter_and_sends_it_again(
    admin_client, flaky, mailoutbox, django_capture_on_commit_callbacks
):
    failed = failed_mail(flaky, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        sent = queue_mail(subject="[DIK] Terkirim", body="Isi", to=["a@kpu-pinrang.example"])
    mailoutbox.clear()
    url = reverse("admin:ppid_surel_changelist")
    listing = admin_client.get(url, {"status__exact": "gagal"}).content.decode()
    assert "[DIK] Uji" in listing
    assert "[DIK] Terkirim" not in listing
    assert "Connection refused" in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert "1 surel gagal diantrekan untuk dikirim lagi." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Surel.Status.SENT
    assert failed.retried_by.username == "admin"
    assert [m.subject for m in mailoutbox] == ["[DIK] Uji"]  # the sent one was not sent again


def test_waiting_mail_whose_task_was_lost_is_queued_again(mailoutbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    surel = queue_mail(subject="[DIK] Hilang", body="Isi", to=["a@kpu-pinrang.example"])
    DBTaskResult.objects.all().delete()  # the enqueue after the commit never happened
    assert queue_lost_mail() == 0  # not yet late
    assert queue_lost_mail(now=timezone.now() + LOST_AFTER + MINUTE) == 1
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [surel.pk]


def test_round_mail_is_written_with_the_submit_and_not_without_it(
    ppid, user_with, mailoutbox, django_capture_on_commit_callbacks
):
    user_with(Role.PEMBINA, username="pembina")
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    with django_capture_on_commit_callbacks(execute=True):
        services.entri_submit(entri_id=entri.pk, by=ppid)
    [surel] = Surel.objects.all()
    assert surel.recipients == ["pembina@kpu-pinrang.example"]
    assert surel.status == Surel.Status.SENT
    assert [m.subject for m in mailoutbox] == [surel.subject]
