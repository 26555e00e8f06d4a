"""The text of stored files: scans read by OCR (tesseract, Indonesian), PDFs by their text layer,
in the background; the entry page says where the reading is; a failure shows and is retried."""

import datetime
import io

import pytesseract
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dokumen.berkas import berkas_add
from dokumen.file_text import queue_lost_texts, read_text
from dokumen.models import State, TeksBerkas
from tests import berkas_samples as samples
from tests import scans
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db

WORDS = ["pleno", "penetapan", "pemilih", "kependudukan", "dikecualikan"]
BEING_READ = "teks sedang dibaca"
FAILED = "pembacaan teks gagal"


@pytest.fixture
def entri():
    return EntriFactory(classified=True, state=State.DIKLASIFIKASI)


@pytest.fixture
def queue(settings):
    """Tasks go to the database queue as in production and wait there (nobody runs them)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def upload(entri, by, name, data, *, kind="scan", run=True, callbacks=None):
    with callbacks(execute=run):
        [berkas] = berkas_add(
            entri_id=entri.pk, by=by, kind=kind, files=[samples.upload(name, data)]
        )
    return TeksBerkas.objects.get(pk=berkas.pk)


def words_in(text: str) -> set[str]:
    return {w for w in WORDS if w in text.lower()}


# ---------------------------------------------------------------- what is read


@pytest.mark.parametrize(
    ("name", "maker"),
    [
        ("pindaian.jpg", scans.scan_jpeg),
        ("pindaian.png", scans.scan_png),
    ],
)
def test_a_scanned_picture_is_read_by_ocr_in_indonesian(
    entri, desk, name, maker, django_capture_on_commit_callbacks
):
    teks = upload(
        entri, desk, name, maker(scans.LETTER), callbacks=django_capture_on_commit_callbacks
    )
    assert teks.status == TeksBerkas.Status.DONE
    assert teks.source == TeksBerkas.Source.OCR
    assert (teks.pages_read, teks.pages_ocr, teks.attempts) == (1, 1, 1)
    assert words_in(teks.text) == set(WORDS)
    assert "KOMISI PEMILIHAN UMUM KABUPATEN PINRANG" in teks.text
    assert teks.seconds > 0 and teks.read_at is not None


def test_an_image_only_pdf_is_read_by_ocr_page_by_page(
    entri, desk, django_capture_on_commit_callbacks
):
    second = ["Lampiran: daftar nama anggota kelompok penyelenggara", "pemungutan suara"]
    data = scans.scan_pdf([scans.LETTER, second])
    teks = upload(entri, desk, "pindaian.pdf", data, callbacks=django_capture_on_commit_callbacks)
    assert teks.status == TeksBerkas.Status.DONE
    assert teks.source == TeksBerkas.Source.OCR
    assert (teks.pages_read, teks.pages_ocr) == (2, 2)
    assert words_in(teks.text) == set(WORDS)
    assert "pemungutan suara" in teks.text
    assert teks.text.index("pleno") < teks.text.index("pemungutan")  # pages in order


def test_a_multi_page_tiff_is_read_frame_by_frame(entri, desk, django_capture_on_commit_callbacks):
    data = scans.scan_tiff([scans.LETTER, ["Halaman kedua: rekapitulasi suara"]])
    teks = upload(entri, desk, "pindaian.tif", data, callbacks=django_capture_on_commit_callbacks)
    assert (teks.status, teks.pages_read, teks.pages_ocr) == (TeksBerkas.Status.DONE, 2, 2)
    assert "rekapitulasi" in teks.text and "pleno" in teks.text


def test_a_born_digital_pdf_gives_its_text_layer_without_ocr(
    entri, desk, django_capture_on_commit_callbacks
):
    data = scans.text_pdf([scans.LETTER, ["Halaman kedua tanpa gambar"]])
    teks = upload(
        entri,
        desk,
        "surat.pdf",
        data,
        kind="softcopy",
        callbacks=django_capture_on_commit_callbacks,
    )
    assert teks.status == TeksBerkas.Status.DONE
    assert teks.source == TeksBerkas.Source.TEXT_LAYER
    assert (teks.pages_read, teks.pages_ocr) == (2, 0)
    assert "Pada hari ini telah dilaksanakan rapat pleno tentang" in teks.text


def test_office_documents_wait_for_no_text(entri, desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [berkas] = berkas_add(
            entri_id=entri.pk,
            by=desk,
            kind="softcopy",
            files=[samples.upload("tabel.docx", samples.docx_bytes())],
        )
    assert not TeksBerkas.objects.filter(pk=berkas.pk).exists()


# ---------------------------------------------------------------- the entry page


def test_the_entry_page_says_the_text_is_being_read_until_the_worker_read_it(
    queue, client, desk, entri, django_capture_on_commit_callbacks
):
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meja:berkas_upload", args=[entri.pk]),
            {
                "kind": "scan",
                "files": [samples.upload("pindaian.jpg", scans.scan_jpeg(scans.LETTER))],
            },
        )
    assert response.status_code == 302
    teks = TeksBerkas.objects.get(berkas__entri=entri)
    # queued for the worker, not read in the request
    assert teks.status == TeksBerkas.Status.WAITING and teks.text == ""
    assert [
        r.args_kwargs["args"]
        for r in DBTaskResult.objects.filter(task_path="dokumen.file_text.read_file_text")
    ] == [[teks.pk]]
    page = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert BEING_READ in page.lower()

    assert read_text(teks.pk) == "read"  # what the worker runs
    page = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert BEING_READ not in page.lower()
    assert "teks terbaca" in page.lower()
    preview = client.get(reverse("berkas:pratinjau", args=[teks.pk])).content.decode()
    assert "rapat pleno" in preview


# ---------------------------------------------------------------- failures


def test_a_failed_reading_shows_and_is_tried_again_after_the_delays(
    queue, client, desk, entri, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.DIK_OCR_RETRY_MINUTES = [1, 10]
    client.force_login(desk)
    teks = upload(
        entri,
        desk,
        "pindaian.jpg",
        scans.scan_jpeg(scans.LETTER),
        callbacks=django_capture_on_commit_callbacks,
    )
    # the server lost its OCR program
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/tidak/ada/tesseract")
    DBTaskResult.objects.all().delete()

    before = timezone.now()
    assert read_text(teks.pk) == "retry later"
    teks.refresh_from_db()
    assert teks.status == TeksBerkas.Status.WAITING and teks.attempts == 1
    assert "tesseract" in teks.last_error
    assert before + datetime.timedelta(minutes=1) <= teks.next_attempt_at
    assert teks.next_attempt_at <= timezone.now() + datetime.timedelta(minutes=1)
    # the retry is in the queue, to run when due
    [retry] = DBTaskResult.objects.filter(task_path="dokumen.file_text.read_file_text")
    assert retry.args_kwargs["args"] == [teks.pk] and retry.run_after == teks.next_attempt_at
    assert read_text(teks.pk) == "not due"
    page = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert FAILED in page.lower() and "Percobaan 1" in page and teks.last_error in page

    for attempt, expected in ((2, "retry later"), (3, "failed")):
        TeksBerkas.objects.filter(pk=teks.pk).update(next_attempt_at=timezone.now())
        assert read_text(teks.pk) == expected
        teks.refresh_from_db()
        assert teks.attempts == attempt
    assert teks.status == TeksBerkas.Status.FAILED
    page = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert FAILED in page.lower() and "setelah 3 percobaan" in page

    # fixed on the server: the command puts the failed ones back in the queue
    monkeypatch.undo()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("file_texts", "--again", stdout=out)
    teks.refresh_from_db()
    assert teks.status == TeksBerkas.Status.DONE and "pleno" in teks.text
    assert "1 teks berkas diantrekan (1 di antaranya sebelumnya gagal)" in out.getvalue()


def test_an_encrypted_pdf_fails_at_once_with_its_reason(
    entri, desk, client, django_capture_on_commit_callbacks
):
    teks = upload(
        entri,
        desk,
        "terkunci.pdf",
        samples.pdf_bytes(1, password="rahasia"),
        kind="softcopy",
        callbacks=django_capture_on_commit_callbacks,
    )
    assert (teks.status, teks.attempts) == (TeksBerkas.Status.FAILED, 1)
    assert teks.last_error == "PDF terenkripsi: teksnya tidak dapat dibaca."
    client.force_login(desk)
    page = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert teks.last_error in page


def test_the_workers_sweep_queues_the_waiting_texts_whose_task_was_lost(
    queue, desk, entri, django_capture_on_commit_callbacks
):
    teks = upload(
        entri,
        desk,
        "pindaian.jpg",
        scans.scan_jpeg(scans.LETTER),
        callbacks=django_capture_on_commit_callbacks,
    )
    tasks = DBTaskResult.objects.filter(task_path="dokumen.file_text.read_file_text")
    assert tasks.count() == 1
    later = timezone.now() + datetime.timedelta(minutes=11)
    # its task is still in the queue: nothing to do
    assert queue_lost_texts(now=later) == 0
    tasks.delete()  # lost (a queue restored from a backup, an enqueue that failed)
    assert queue_lost_texts(now=timezone.now()) == 0  # not late yet
    assert queue_lost_texts(now=later) == 1
    assert [t.args_kwargs["args"] for t in tasks.all()] == [[teks.pk]]


def test_two_tasks_for_one_file_read_it_once(entri, desk, django_capture_on_commit_callbacks):
    teks = upload(
        entri,
        desk,
        "surat.pdf",
        scans.text_pdf([scans.LETTER]),
        kind="softcopy",
        callbacks=django_capture_on_commit_callbacks,
    )
    assert teks.status == TeksBerkas.Status.DONE
    assert read_text(teks.pk) == "nothing to read"
    teks.refresh_from_db()
    assert teks.attempts == 1


def test_a_poster_sized_scanned_page_is_read_within_the_pixel_limit(settings, monkeypatch):
    """A0 at 300 dpi would be 140 million pixels: rendered smaller, under Pillow's limit."""
    import pypdfium2 as pdfium
    from PIL import Image

    from dokumen import file_text

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 20_000_000)
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(2384, 3370)  # A0 in points
    assert file_text._render_scale(page) == pytest.approx((20_000_000 / (2384 * 3370)) ** 0.5)
    a4 = pdf.new_page(595, 842)
    assert file_text._render_scale(a4) == pytest.approx(300 / 72)
    page.close()
    a4.close()
    pdf.close()


def test_the_files_page_shows_the_beginning_of_a_long_text(
    entri, desk, client, monkeypatch, django_capture_on_commit_callbacks
):
    from dokumen import berkas_views

    teks = upload(
        entri,
        desk,
        "surat.pdf",
        scans.text_pdf([scans.LETTER]),
        kind="softcopy",
        callbacks=django_capture_on_commit_callbacks,
    )
    client.force_login(desk)
    page = client.get(reverse("berkas:pratinjau", args=[teks.pk])).content.decode()
    assert "nomor induk kependudukan" in page and "Hanya bagian awal" not in page
    monkeypatch.setattr(berkas_views, "TEXT_SHOWN_CHARS", 40)
    page = client.get(reverse("berkas:pratinjau", args=[teks.pk])).content.decode()
    assert "KOMISI PEMILIHAN UMUM" in page and "nomor induk kependudukan" not in page
    assert f"Hanya bagian awal yang ditampilkan (40 dari {len(teks.text)} karakter)" in page
