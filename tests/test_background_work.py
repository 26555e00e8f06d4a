"""Slow work leaves the request: thumbnails and notification mail are queued for the worker.

Here the tasks go to the database queue (django-tasks-db) as in production and are not run, to
show what a request leaves behind; tests/test_worker.py runs the real worker on them.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dokumen.models import State
from dokumen.thumbnails import make_thumbnail
from persetujuan import services
from ppid.models import Surel
from ppid.roles import Role
from ppid.surel import send_surel
from tests import berkas_samples as samples
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db

PENDING = "Pratinjau sedang dibuat"


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued(task_path: str) -> list:
    return [
        r.args_kwargs["args"]
        for r in DBTaskResult.objects.filter(task_path=task_path).order_by("enqueued_at")
    ]


def test_upload_returns_before_the_thumbnails_and_the_page_says_they_are_coming(
    queue, client, desk, django_capture_on_commit_callbacks
):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meja:berkas_upload", args=[entri.pk]),
            {
                "kind": "softcopy",
                "files": [
                    samples.upload("surat.pdf", samples.pdf_bytes(2)),
                    samples.upload("foto.png", samples.image_bytes("PNG")),
                    samples.upload("tabel.docx", samples.docx_bytes()),
                    samples.upload("terkunci.pdf", samples.pdf_bytes(1, password="x")),
                ],
            },
        )
    assert response.status_code == 302
    files = {b.original_name: b for b in entri.files.all()}
    assert not any(b.thumbnail for b in files.values())
    # one task per file that can have a picture; none for the office document or the locked PDF
    assert sorted(queued("dokumen.thumbnails.draw_thumbnail")) == sorted(
        [[files["surat.pdf"].pk], [files["foto.png"].pk]]
    )

    page = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert page.count(PENDING) == 2
    detail = client.get(reverse("berkas:pratinjau", args=[files["surat.pdf"].pk]))
    assert PENDING in detail.content.decode()
    detail = client.get(reverse("berkas:pratinjau", args=[files["tabel.docx"].pk]))
    assert PENDING not in detail.content.decode()

    for name in ("surat.pdf", "foto.png"):
        assert make_thumbnail(files[name].pk)  # what the worker runs
    page = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert PENDING not in page
    for name in ("surat.pdf", "foto.png"):
        assert reverse("berkas:gambar_kecil", args=[files[name].pk]) in page


def test_round_mail_is_queued_not_sent_in_the_request(
    queue, ppid, user_with, mailoutbox, django_capture_on_commit_callbacks
):
    user_with(Role.PEMBINA, username="pembina")
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    with django_capture_on_commit_callbacks(execute=True):
        putaran = services.entri_submit(entri_id=entri.pk, by=ppid)
    assert mailoutbox == []
    # the message is in the outbox, written with the round; a task per message sends it
    [surel] = Surel.objects.all()
    assert surel.status == Surel.Status.WAITING
    assert putaran.entri.title in surel.subject
    [args] = queued("ppid.surel.send_surel")
    assert args == [surel.pk]
    assert send_surel.call(*args) == "sent"  # what the worker runs
    assert [m.to for m in mailoutbox] == [["pembina@kpu-pinrang.example"]]
    # the same task run again (a killed worker's, re-queued) sends nothing more
    assert send_surel.call(*args) == "nothing to send"
    assert len(mailoutbox) == 1


def test_thumbnails_command_queues_only_what_is_missing(
    queue, client, desk, django_capture_on_commit_callbacks
):
    """A queue that lost its tasks: `manage.py thumbnails` queues again what has no thumbnail."""
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("meja:berkas_upload", args=[entri.pk]),
            {
                "kind": "softcopy",
                "files": [
                    samples.upload("surat.pdf", samples.pdf_bytes(1)),
                    samples.upload("foto.png", samples.image_bytes("PNG")),
                    samples.upload("tabel.docx", samples.docx_bytes()),
                ],
            },
        )
    files = {b.original_name: b for b in entri.files.all()}
    assert make_thumbnail(files["foto.png"].pk)  # drawn before the queue was lost
    DBTaskResult.objects.all().delete()

    out = io.StringIO()
    call_command("thumbnails", stdout=out)
    assert queued("dokumen.thumbnails.draw_thumbnail") == [[files["surat.pdf"].pk]]
    assert "1 gambar kecil diantrekan." in out.getvalue()
