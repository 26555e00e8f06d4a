"""Imports under concurrency (PostgreSQL): two lists of one office holding the same row,
imported at the same moment, add it once; the same list imported twice at once adds it once."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from dokumen.models import Entri
from impor import services
from ppid.errors import ActionRefused
from ppid.roles import Role
from tests.factories import UserFactory
from tests.persetujuan_setup import reseed
from tests.services import require_postgresql

pytestmark = pytest.mark.django_db(transaction=True)

HEADING = "Judul informasi,Unit penguasa informasi,Tanggal dikumpulkan\n"
SHARED = "Salinan akta kelahiran calon anggota PPK Duampanua,Subbagian SDM,14/03/2024\n"


def run_all_at_once(impor_ids, by):
    barrier = threading.Barrier(len(impor_ids))
    errors = []

    def run(impor_id):
        try:
            barrier.wait(timeout=30)
            services.impor_run(impor_id=impor_id, by=by)
        except Exception as exc:  # a refusal of the second is expected; counted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(pk,)) for pk in impor_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_two_lists_with_the_same_row_add_it_once():
    require_postgresql()
    reseed()
    ppid = UserFactory(username="ppid-paralel", roles=[Role.PPID])
    first, _ = services.impor_upload(
        by=ppid, upload=SimpleUploadedFile("a.csv", (HEADING + SHARED).encode())
    )
    other = "Surat keterangan sehat calon PPK Duampanua,Subbagian SDM,15/03/2024\n"
    second, _ = services.impor_upload(
        by=ppid, upload=SimpleUploadedFile("b.csv", (HEADING + SHARED + other).encode())
    )
    run_all_at_once([first.pk, second.pk], ppid)
    titles = sorted(Entri.objects.values_list("title", flat=True))
    assert titles == [
        "Salinan akta kelahiran calon anggota PPK Duampanua",
        "Surat keterangan sehat calon PPK Duampanua",
    ]


def test_the_same_list_run_twice_at_once_adds_its_rows_once():
    require_postgresql()
    reseed()
    ppid = UserFactory(username="ppid-paralel", roles=[Role.PPID])
    impor, _ = services.impor_upload(
        by=ppid, upload=SimpleUploadedFile("a.csv", (HEADING + SHARED).encode())
    )
    errors = run_all_at_once([impor.pk, impor.pk], ppid)
    assert Entri.objects.count() == 1
    # the second waits for the first, then finds the file imported: refused, nothing added
    assert [type(e) for e in errors] == [ActionRefused]
