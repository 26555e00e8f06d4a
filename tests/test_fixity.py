"""`manage.py fixity`: every stored file re-read and compared with its recorded size and SHA-256."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.utils import timezone

from dokumen.models import Berkas
from tests.archive_fixtures import add_file
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("fixity", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_intact_files_pass_and_are_marked_verified():
    entri = EntriFactory()
    files = [add_file(entri, "softcopy", b"isi asli " * 5000), add_file(entri, "scan", b"foto")]
    before = timezone.now()
    output = run()
    assert "2 berkas diperiksa: semua utuh." in output
    for berkas in files:
        berkas.refresh_from_db()
        assert berkas.last_verified_at >= before
        assert berkas.fixity_problem == ""
    # the check leaves no trace in the file's edit history
    assert all(b.history.count() == 1 for b in files)


def _overwrite(berkas: Berkas, content: bytes) -> None:
    storage = storages["private"]
    storage.delete(berkas.file.name)
    assert storage.save(berkas.file.name, ContentFile(content)) == berkas.file.name


def test_changed_bytes_of_the_same_size_are_found():
    entri = EntriFactory()
    good = add_file(entri, "softcopy", b"dokumen asli")
    changed = add_file(entri, "scan", b"pindaian asli", original_name="ktp.jpg")
    _overwrite(changed, b"pindaian ubah")  # same length, other bytes
    with pytest.raises(CommandError, match="1 dari 2 berkas hilang atau berubah"):
        run()
    changed.refresh_from_db()
    good.refresh_from_db()
    assert "SHA-256" in changed.fixity_problem
    assert changed.last_verified_at is not None
    assert good.fixity_problem == "" and good.last_verified_at is not None


def test_changed_size_is_reported():
    berkas = add_file(EntriFactory(), "softcopy", b"dokumen asli")
    _overwrite(berkas, b"dokumen asli yang ditambah")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("fixity", stdout=io.StringIO(), stderr=err)
    berkas.refresh_from_db()
    assert "Ukuran berubah" in berkas.fixity_problem
    assert f"berkas {berkas.pk} (softcopy-{berkas.entri_id}.pdf)" in err.getvalue()


def test_a_missing_file_fails_the_run():
    berkas = add_file(EntriFactory(), "softcopy", b"akan hilang")
    storages["private"].delete(berkas.file.name)
    with pytest.raises(CommandError):
        run()
    berkas.refresh_from_db()
    assert berkas.fixity_problem == "Berkas tidak ada di penyimpanan"


def test_removed_files_are_checked_too_unless_asked_otherwise(desk):
    berkas = add_file(EntriFactory(), "softcopy", b"dihapus tapi disimpan")
    Berkas.objects.filter(pk=berkas.pk).update(removed_at=timezone.now(), removed_by=desk)
    storages["private"].delete(berkas.file.name)
    with pytest.raises(CommandError):
        run()
    assert "0 berkas diperiksa" in run("--active-only")


def test_a_problem_fixed_is_cleared():
    berkas = add_file(EntriFactory(), "softcopy", b"asli")
    Berkas.objects.filter(pk=berkas.pk).update(fixity_problem="Berkas tidak ada di penyimpanan")
    run()
    berkas.refresh_from_db()
    assert berkas.fixity_problem == ""


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal_only(capsys):
    add_file(EntriFactory(), "softcopy", b"asli")
    call_command("fixity", stdout=Terminal())
    assert "100%" in capsys.readouterr().err
    call_command("fixity", stdout=io.StringIO())
    assert capsys.readouterr().err == ""
