"""A draft decree's PDF is private; publishing puts a copy in public storage, revoking keeps it."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from publikasi import services
from publikasi.models import Keputusan
from tests.archive_fixtures import archived_entry, pdf_bytes, pdf_upload
from tests.test_s3_storage import http_get

# listing the public storage needs one that holds this test's files only
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_local_storages")]

DATA = {"number": "731 Tahun 2025", "date": datetime.date(2025, 8, 21), "title": "Penetapan"}
REVOKING = {
    "number": "805 Tahun 2025",
    "date": datetime.date(2025, 9, 16),
    "title": "Pencabutan Keputusan KPU Nomor 731 Tahun 2025",
}


def public_names(prefix: str = "keputusan") -> list[str]:
    return storages["public"].listdir(prefix)[1] if storages["public"].exists(prefix) else []


def draft(ppid, **data):
    return services.keputusan_create(
        by=ppid, data={**DATA, **data}, pdf=pdf_upload(), entries=[archived_entry()]
    )


def read(storage, name: str) -> bytes:
    with storage.open(name, "rb") as fh:
        return fh.read()


def test_a_draft_pdf_is_private_and_reachable_by_staff_only(client, ppid, desk):
    keputusan = draft(ppid)
    assert storages["private"].exists(keputusan.pdf.name)
    assert public_names() == []
    assert client.get(reverse("publikasi:keputusan_pdf", args=[keputusan.slug])).status_code == 404
    assert client.get(reverse("publikasi_staf:pdf", args=[keputusan.pk])).status_code == 302
    client.force_login(desk)
    response = client.get(reverse("publikasi_staf:pdf", args=[keputusan.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'inline; filename="keputusan-731-tahun-2025.pdf"'
    assert b"".join(response.streaming_content) == read(storages["private"], keputusan.pdf.name)


def test_replacing_a_draft_pdf_keeps_it_private(ppid, django_capture_on_commit_callbacks):
    keputusan = draft(ppid)
    first = keputusan.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        keputusan = services.keputusan_update(
            keputusan_id=keputusan.pk, by=ppid, data={}, pdf=pdf_upload("baru.pdf")
        )
    assert keputusan.pdf.name != first and storages["private"].exists(keputusan.pdf.name)
    assert not storages["private"].exists(first)
    assert public_names() == []


def test_publishing_puts_the_pdf_in_public_storage_and_revoking_keeps_it(client, ppid):
    keputusan = draft(ppid)
    recorded = read(storages["private"], keputusan.pdf.name)
    keputusan = services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    keputusan.refresh_from_db()
    assert read(storages["public"], keputusan.public_pdf.name) == recorded
    response = client.get(reverse("publikasi:keputusan_pdf", args=[keputusan.slug]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == recorded
    html = client.get(reverse("publikasi:keputusan_detail", args=[keputusan.slug])).content
    assert reverse("publikasi:keputusan_pdf", args=[keputusan.slug]).encode() in html

    revoker = services.keputusan_revoke(
        keputusan_id=keputusan.pk, by=ppid, data=REVOKING, pdf=pdf_upload("cabut.pdf")
    )
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.REVOKED
    assert storages["public"].exists(keputusan.public_pdf.name)
    assert storages["public"].exists(revoker.public_pdf.name)
    for decree in (keputusan, revoker):
        response = client.get(reverse("publikasi:keputusan_pdf", args=[decree.slug]))
        assert response.status_code == 200
        b"".join(response.streaming_content)
    assert sorted(public_names()) == sorted(
        n.split("/")[-1] for n in (keputusan.public_pdf.name, revoker.public_pdf.name)
    )


def test_a_publication_that_fails_leaves_no_public_copy(ppid, monkeypatch):
    keputusan = draft(ppid)

    def broken(*_offices):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "public_dik_changed", broken)
    with pytest.raises(RuntimeError):
        services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.DRAFT and not keputusan.public_pdf
    assert public_names() == []


def test_migration_moves_draft_pdfs_out_of_public_storage(ppid):
    """Decrees recorded before: every PDF was in public storage."""
    public, private = storages["public"], storages["private"]
    rows = {}
    for number, status in (("1 Tahun 2025", "draf"), ("2 Tahun 2025", "diterbitkan")):
        name = public.save(f"keputusan/lama-{number[0]}.pdf", ContentFile(pdf_bytes()))
        rows[status] = Keputusan.objects.create(
            number=number, date=DATA["date"], title="Lama", status=status, recorded_by=ppid
        )
        Keputusan.objects.filter(pk=rows[status].pk).update(pdf=name)
    migration = importlib.import_module(
        "publikasi.migrations.0003_keputusan_pdf_private_until_published"
    )
    migration.pdfs_private_until_published(apps, None)
    old_draft, old_published = (Keputusan.objects.get(pk=rows[s].pk) for s in rows)
    assert private.exists(old_draft.pdf.name) and not old_draft.public_pdf
    assert public_names() == [old_published.public_pdf.name.split("/")[-1]]
    assert private.exists(old_published.pdf.name)
    assert read(public, old_published.public_pdf.name) == read(private, old_published.pdf.name)


def test_s3_a_draft_object_is_outside_the_public_location_until_published(
    s3_storages, client, ppid
):
    def keys(prefix):
        listed = s3_storages.client.list_objects_v2(Bucket=s3_storages.bucket, Prefix=prefix)
        return [o["Key"] for o in listed.get("Contents", [])]

    keputusan = draft(ppid)
    assert keys("public/") == []
    assert keys("private/keputusan/") == [f"private/{keputusan.pdf.name}"]
    # not even by its name: the object of a draft answers no unsigned request
    plain = f"{s3_storages.server.endpoint}/{s3_storages.bucket}/private/{keputusan.pdf.name}"
    assert http_get(plain)[0] == 403
    client.force_login(ppid)
    response = client.get(reverse("publikasi_staf:pdf", args=[keputusan.pk]))
    assert response.status_code == 302 and "X-Amz-Signature=" in response["Location"]
    status, body = http_get(response["Location"])
    assert status == 200 and body.startswith(b"%PDF")

    keputusan = services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    assert keys("public/") == [f"public/{keputusan.public_pdf.name}"]
    client.logout()
    response = client.get(reverse("publikasi:keputusan_pdf", args=[keputusan.slug]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body
