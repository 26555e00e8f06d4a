"""The demo gives the classified entries a softcopy PDF and a scanned page, once."""

import io

import pytest
from django.core.management import call_command

from dokumen.models import Berkas

pytestmark = pytest.mark.django_db


def test_demo_attaches_files_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=io.StringIO())
    files = list(Berkas.objects.select_related("entri").order_by("pk"))
    assert files, "the classified demo entries have files"
    # every entry the PPID classified has them, whatever step it has reached since
    assert "dikumpulkan" not in {b.entri.state for b in files}
    per_entry = {}
    for b in files:
        per_entry.setdefault(b.entri_id, []).append((b.kind, b.content_type))
    for kinds in per_entry.values():
        assert sorted(kinds) == [("scan", "image/jpeg"), ("softcopy", "application/pdf")]
    assert all(b.thumbnail and b.pages for b in files)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=io.StringIO())
    assert Berkas.objects.count() == len(files)
