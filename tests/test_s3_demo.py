"""The demo in S3 mode: every feature works against the bucket, and its public location holds
only what the public may read."""

import io

import pytest
from django.core.management import call_command

from dokumen.models import Berkas
from publikasi.dik_pdf import PUBLIC_DIK_PDF, PUBLIC_DIK_VERSION
from publikasi.models import Keputusan, Pengumuman

pytestmark = pytest.mark.django_db


def test_demo_in_s3_mode_keeps_drafts_and_files_out_of_the_public_location(
    s3_storages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=io.StringIO())
    listed = s3_storages.client.list_objects_v2(Bucket=s3_storages.bucket)["Contents"]
    keys = {o["Key"] for o in listed}
    public = {k for k in keys if k.startswith("public/")}

    files = list(Berkas.objects.all())
    assert files and all(b.thumbnail for b in files)
    for berkas in files:
        assert f"private/{berkas.file.name}" in keys
        assert f"private/{berkas.thumbnail.name}" in keys

    decrees = list(Keputusan.objects.exclude(pdf=""))
    assert {k.status for k in decrees} == set(Keputusan.Status)  # a draft with its PDF too
    allowed = {f"public/{k.public_pdf.name}" for k in decrees if k.public_pdf}
    allowed |= {f"public/{PUBLIC_DIK_PDF}", f"public/{PUBLIC_DIK_VERSION}"}
    # the announcements of what the revocations opened are public documents, in S3 too
    announcements = {f"public/{p.pdf.name}" for p in Pengumuman.objects.exclude(pdf="")}
    assert announcements and announcements <= public
    allowed |= announcements
    assert public <= allowed
    for keputusan in decrees:
        assert f"private/{keputusan.pdf.name}" in keys
        if keputusan.status == Keputusan.Status.DRAFT:
            assert not keputusan.public_pdf
        else:
            assert f"public/{keputusan.public_pdf.name}" in public
