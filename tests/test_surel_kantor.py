"""The outbox row carries the office whose work caused it: the failed-mail page, its count on
the desk and "send again" of a PPID cover their own offices only; another office's message is
hidden like a missing one."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ppid.models import Kantor, Surel
from ppid.roles import Role
from tests.factories import UserFactory
from tests.persetujuan_setup import submitted_entry

pytestmark = pytest.mark.django_db


def failed(kantor, subject):
    return Surel.objects.create(
        kantor=kantor,
        subject=subject,
        body="Isi",
        recipients=["ppid@kpu.example"],
        status=Surel.Status.FAILED,
        attempts=5,
        last_attempt_at=timezone.now(),
        last_error="Connection refused",
    )


def test_each_ppid_sees_and_resends_their_own_offices_failed_mail(client):
    pinrang, sidrap = Kantor.default(), Kantor.objects.get(slug="kab-sidenreng-rappang")
    own = failed(pinrang, "[DIK] Menunggu persetujuan Pinrang")
    other = failed(sidrap, "[DIK] Menunggu persetujuan Sidrap")
    client.force_login(UserFactory(roles=[Role.PPID]))
    page = client.get(reverse("surel_gagal")).content.decode()
    assert own.subject in page and other.subject not in page
    desk = client.get(reverse("meja:beranda")).content.decode()
    assert "1 surel notifikasi" in desk
    # another office's id is not sent again, nor is it by "all"
    client.post(reverse("surel_kirim_ulang"), {"surel": [other.pk]})
    client.post(reverse("surel_kirim_ulang"), {"semua": "1"})
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.status == Surel.Status.WAITING and own.retried_at is not None
    assert other.status == Surel.Status.FAILED and other.retried_at is None


def test_mail_is_written_for_the_office_whose_work_caused_it(django_capture_on_commit_callbacks):
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    UserFactory(roles=[Role.PEMBINA], roles__kantor=sidrap, email="pembina@sidrap.example")
    ppid = UserFactory(roles=[Role.PPID], roles__kantor=sidrap)
    with django_capture_on_commit_callbacks():
        entri = submitted_entry(ppid, kantor=sidrap)
    entri.refresh_from_db()
    assert entri.kantor == sidrap
    mail = Surel.objects.get(recipients=["pembina@sidrap.example"])
    assert mail.kantor == sidrap
