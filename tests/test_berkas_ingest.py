"""Adding files to an entry: what is accepted, what is refused (and then nothing stays)."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.template.defaultfilters import filesizeformat
from PIL import Image

from dokumen import berkas as berkas_services
from dokumen.berkas import FilesRefused, berkas_add, berkas_remove
from dokumen.models import Berkas, State
from dokumen.thumbnails import make_thumbnail
from ppid.errors import ActionRefused
from tests import berkas_samples as samples
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entri():
    return EntriFactory(classified=True, state=State.DIKLASIFIKASI)


def add(entri, by, *files, kind="scan", callbacks=None):
    return berkas_add(entri_id=entri.pk, by=by, kind=kind, files=list(files))


def thumbnail_size(berkas) -> tuple[int, int]:
    with storages["private"].open(berkas.thumbnail.name, "rb") as fh, Image.open(fh) as image:
        assert image.format == "PNG"
        return image.size


# ---------------------------------------------------------------- accepted


def test_pdf_softcopy_is_stored_with_hash_size_type_pages_and_thumbnail(
    entri, desk, django_capture_on_commit_callbacks
):
    data = samples.pdf_bytes(pages=3)
    before = samples.stored_names()
    with django_capture_on_commit_callbacks(execute=True):
        [berkas] = add(
            entri, desk, samples.upload("Surat Keputusan 2024.pdf", data), kind="softcopy"
        )
    berkas.refresh_from_db()
    assert berkas.sha256 == hashlib.sha256(data).hexdigest()
    assert berkas.size == len(data)
    assert berkas.content_type == "application/pdf"
    assert berkas.pages == 3
    assert berkas.kind == Berkas.Kind.SOFTCOPY
    assert berkas.original_name == "Surat Keputusan 2024.pdf"
    assert berkas.uploaded_by == desk
    assert berkas.preview_problem == ""
    # the storage name reveals nothing of the original name
    assert "Surat" not in berkas.file.name and "pdf" not in berkas.file.name
    with storages["private"].open(berkas.file.name, "rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == berkas.sha256
    assert max(thumbnail_size(berkas)) == 400
    assert samples.stored_names() - before == {berkas.file.name, berkas.thumbnail.name}
    # simple-history knows who added it
    assert berkas.history.get().history_user == desk


def test_jpeg_scan_and_phone_photo_are_accepted(entri, desk, django_capture_on_commit_callbacks):
    scan = samples.image_bytes("JPEG")
    photo = samples.phone_photo_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        created = add(
            entri,
            desk,
            samples.upload("pindaian.jpg", scan, "image/jpeg"),
            samples.upload("image.jpg", photo, "image/jpeg"),
        )
    first, second = Berkas.objects.filter(pk__in=[b.pk for b in created]).order_by("pk")
    assert (first.content_type, first.pages, first.size) == ("image/jpeg", 1, len(scan))
    assert second.sha256 == hashlib.sha256(photo).hexdigest()
    assert second.kind == Berkas.Kind.SCAN
    # the phone photo is 1200×900 pixels with EXIF "rotate 90°": its thumbnail stands upright
    assert thumbnail_size(second) == (300, 400)
    assert thumbnail_size(first)[1] == 400


def test_tiff_counts_its_frames_and_png_is_one_page(
    entri, ppid, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tiff, png = add(
            entri,
            ppid,
            samples.upload("ordner.tiff", samples.tiff_bytes(frames=4)),
            samples.upload("halaman.png", samples.image_bytes("PNG")),
        )
    assert tiff.pages == 4 and tiff.content_type == "image/tiff"
    assert png.pages == 1 and png.content_type == "image/png"
    tiff.refresh_from_db()
    assert tiff.thumbnail


@pytest.mark.parametrize(
    ("name", "maker", "content_type"),
    [
        (
            "laporan.docx",
            samples.docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "rekap.xlsx",
            samples.xlsx_bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("notulen.odt", samples.odt_bytes, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_office_documents_are_accepted_as_softcopy(
    entri, desk, name, maker, content_type, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [berkas] = add(entri, desk, samples.upload(name, maker()), kind="softcopy")
    berkas.refresh_from_db()
    assert berkas.content_type == content_type
    assert berkas.pages is None
    assert not berkas.thumbnail  # no drawing of office documents; the page shows the type


def test_encrypted_pdf_is_stored_but_flagged(entri, desk, django_capture_on_commit_callbacks):
    data = samples.pdf_bytes(pages=2, password="rahasia")
    with django_capture_on_commit_callbacks(execute=True):
        [berkas] = add(entri, desk, samples.upload("terkunci.pdf", data), kind="softcopy")
    berkas.refresh_from_db()
    assert berkas.sha256 == hashlib.sha256(data).hexdigest()
    assert berkas.preview_problem.startswith("PDF terenkripsi")
    assert berkas.pages is None
    assert not berkas.thumbnail


def test_malformed_pdf_is_stored_but_flagged(entri, desk, django_capture_on_commit_callbacks):
    data = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> rusak"
    with django_capture_on_commit_callbacks(execute=True):
        [berkas] = add(entri, desk, samples.upload("rusak.pdf", data), kind="softcopy")
    berkas.refresh_from_db()
    assert berkas.preview_problem.startswith("PDF rusak")
    assert storages["private"].exists(berkas.file.name)


# ---------------------------------------------------------------- refused, and nothing left


def refused(entri, by, *files, kind="scan") -> FilesRefused:
    before_files, before_rows = samples.stored_names(), Berkas.objects.count()
    with pytest.raises(FilesRefused) as info:
        add(entri, by, *files, kind=kind)
    assert samples.stored_names() == before_files
    assert Berkas.objects.count() == before_rows
    return info.value


@pytest.mark.parametrize(
    ("name", "maker", "kind", "message"),
    [
        (
            "surat.pdf",
            lambda: samples.image_bytes("PNG"),
            "scan",
            "“surat.pdf” tidak sesuai dengan namanya: nama berakhiran .pdf, tetapi isinya berkas PNG.",
        ),
        (
            "foto.jpg",
            samples.pdf_bytes,
            "scan",
            "“foto.jpg” tidak sesuai dengan namanya: nama berakhiran .jpg, tetapi isinya berkas PDF.",
        ),
        (
            "program.pdf",
            lambda: b"MZ\x90\x00" + b"\x00" * 500,
            "softcopy",
            "“program.pdf” tidak sesuai dengan namanya: nama berakhiran .pdf, tetapi isinya bukan berkas PDF.",
        ),
        (
            "arsip.docx",
            samples.plain_zip_bytes,
            "softcopy",
            "“arsip.docx” tidak sesuai dengan namanya: nama berakhiran .docx, tetapi isinya bukan berkas DOCX.",
        ),
        (
            "tanpa-akhiran",
            samples.pdf_bytes,
            "softcopy",
            "“tanpa-akhiran” tidak memiliki akhiran nama berkas; isinya berkas PDF, jadi namanya harus berakhiran .pdf.",
        ),
    ],
)
def test_forged_type_is_refused(entri, desk, name, maker, kind, message):
    error = refused(entri, desk, samples.upload(name, maker()), kind=kind)
    assert error.problems == [(name, message)]


@pytest.mark.parametrize(
    ("name", "maker", "kind", "message"),
    [
        (
            "catatan.txt",
            lambda: b"catatan rapat biasa\n",
            "softcopy",
            "“catatan.txt” bukan jenis berkas yang diizinkan. Yang diizinkan: PDF, JPEG, PNG, TIFF, DOCX, XLSX, ODT.",
        ),
        (
            "arsip.zip",
            samples.plain_zip_bytes,
            "scan",
            "“arsip.zip” bukan jenis berkas yang diizinkan. Yang diizinkan: PDF, JPEG, PNG, TIFF.",
        ),
        (
            "laporan.docx",
            samples.docx_bytes,
            "scan",
            "“laporan.docx” adalah dokumen DOCX: unggah sebagai softcopy; pindaian berupa PDF, JPEG, PNG, atau TIFF.",
        ),
    ],
)
def test_type_outside_the_allowed_list_is_refused(entri, desk, name, maker, kind, message):
    error = refused(entri, desk, samples.upload(name, maker()), kind=kind)
    assert error.problems == [(name, message)]


def test_truncated_jpeg_is_refused(entri, desk):
    data = samples.image_bytes("JPEG")
    error = refused(entri, desk, samples.upload("terpotong.jpg", data[: len(data) // 2]))
    assert error.problems == [
        (
            "terpotong.jpg",
            "“terpotong.jpg” adalah gambar yang rusak atau tidak lengkap dan tidak dapat dibaca.",
        )
    ]


def test_truncated_image_is_refused_even_after_weasyprint_relaxed_pillow(entri, desk, monkeypatch):
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES on import: the check must not inherit it."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = samples.image_bytes("JPEG")
    error = refused(entri, desk, samples.upload("terpotong.jpg", data[: len(data) // 2]))
    assert "gambar yang rusak atau tidak lengkap" in error.problems[0][1]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back for WeasyPrint


def test_corrupt_png_is_refused(entri, desk):
    error = refused(entri, desk, samples.upload("rusak.png", samples.corrupt_png_bytes()))
    assert "gambar yang rusak atau tidak lengkap" in error.problems[0][1]


def test_decompression_bomb_is_refused(entri, desk):
    bomb = samples.png_bomb_bytes()  # 900 megapixels in a few hundred bytes: Pillow's error
    assert len(bomb) < 10_000
    error = refused(entri, desk, samples.upload("bom.png", bomb))
    assert error.problems[0][1].startswith(
        "“bom.png” memiliki piksel melebihi batas (89.478.485) dan ditolak"
    )


def test_image_just_past_the_pixel_limit_is_refused_too(entri, desk):
    # 100 megapixels: between the limit and twice it Pillow only warns; we refuse
    error = refused(
        entri, desk, samples.upload("besar.png", samples.png_bomb_bytes(10_000, 10_000))
    )
    assert "ditolak sebagai kemungkinan bom dekompresi" in error.problems[0][1]


def test_pixel_limit_is_pillows_setting(entri, desk, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    data = samples.image_bytes("PNG", size=(40, 40))  # 1,600 pixels: past the limit, under 2×
    error = refused(entri, desk, samples.upload("kecil.png", data))
    assert "(1.000)" in error.problems[0][1]


def test_file_over_the_maximum_size_is_refused(entri, desk, settings):
    settings.DIK_MAX_UPLOAD_BYTES = 1000
    data = samples.image_bytes("PNG")
    assert len(data) > 1000
    error = refused(entri, desk, samples.upload("besar.png", data))
    assert error.problems == [
        (
            "besar.png",
            f"“besar.png” berukuran {filesizeformat(len(data))}; "
            f"berkas terbesar yang diterima {filesizeformat(1000)}.",
        )
    ]


def test_size_is_checked_while_streaming_not_only_by_the_declared_size(entri, desk, settings):
    """A file object that under-reports its size is stopped by the bytes that pass."""
    settings.DIK_MAX_UPLOAD_BYTES = 5000
    data = samples.pdf_bytes(pages=1) + b"%" + b"x" * 6000
    lying = ContentFile(data, name="bohong.pdf")
    lying.size = 100
    error = refused(entri, desk, lying, kind="softcopy")
    assert "bohong.pdf" in error.problems[0][1]
    assert "berkas terbesar yang diterima" in error.problems[0][1]


def test_empty_file_is_refused(entri, desk):
    error = refused(entri, desk, samples.upload("kosong.pdf", b""))
    assert error.problems == [("kosong.pdf", "“kosong.pdf” kosong.")]


def test_several_files_are_all_or_nothing(entri, desk):
    good = samples.upload("baik.pdf", samples.pdf_bytes())
    also_good = samples.upload("baik.jpg", samples.image_bytes("JPEG"))
    forged = samples.upload("palsu.pdf", samples.image_bytes("PNG"))
    error = refused(entri, desk, good, forged, also_good)
    assert [name for name, _ in error.problems] == ["palsu.pdf"]
    assert str(error).startswith("“palsu.pdf” tidak sesuai dengan namanya")


def test_every_bad_file_of_an_upload_is_named(entri, desk):
    error = refused(
        entri,
        desk,
        samples.upload("palsu.pdf", samples.image_bytes("PNG")),
        samples.upload("baik.png", samples.image_bytes("PNG")),
        samples.upload("kosong.jpg", b""),
    )
    assert [name for name, _ in error.problems] == ["palsu.pdf", "kosong.jpg"]


def test_failure_while_storing_removes_what_was_already_written(entri, desk, monkeypatch):
    """The second blob fails to store: the first blob is deleted again, no row stays."""
    real_store = berkas_services._store
    calls = []

    def failing_store(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            kwargs["written"].append("berkas/gagal")
            raise OSError("disk penuh")
        return real_store(*args, **kwargs)

    monkeypatch.setattr(berkas_services, "_store", failing_store)
    before_files, before_rows = samples.stored_names(), Berkas.objects.count()
    with pytest.raises(OSError):
        add(
            entri,
            desk,
            samples.upload("satu.pdf", samples.pdf_bytes(pages=1)),
            samples.upload("dua.pdf", samples.pdf_bytes(pages=2)),
        )
    assert len(calls) == 2
    assert samples.stored_names() == before_files
    assert Berkas.objects.count() == before_rows


def test_same_content_twice_is_refused(entri, desk):
    data = samples.pdf_bytes(pages=1)
    add(entri, desk, samples.upload("asli.pdf", data))
    error = refused(entri, desk, samples.upload("salinan.pdf", data))
    assert error.problems == [
        (
            "salinan.pdf",
            "“salinan.pdf” sudah dilampirkan pada entri ini (isinya sama dengan “asli.pdf”).",
        )
    ]
    error = refused(
        entri,
        desk,
        samples.upload("a.jpg", samples.image_bytes("JPEG")),
        samples.upload("b.jpg", samples.image_bytes("JPEG")),
    )
    assert [name for name, _ in error.problems] == ["b.jpg"]


def test_original_name_keeps_no_path_or_control_characters(entri, desk):
    [berkas] = add(entri, desk, samples.upload("surat\x07 resmi.pdf", samples.pdf_bytes()))
    assert berkas.original_name == "surat resmi.pdf"


# ---------------------------------------------------------------- who, and when


@pytest.mark.parametrize("role", ["Pembina PPID", "Tim Pertimbangan", "Atasan PPID", None])
def test_only_desk_and_ppid_add_files(entri, user_with, role):
    user = user_with(*([role] if role else []))
    # an approver does not see a collected entry at all: refused like a missing one
    with pytest.raises(ActionRefused, match="memerlukan peran|tidak ada atau tidak tersedia"):
        add(entri, user, samples.upload("a.pdf", samples.pdf_bytes()))
    assert not Berkas.objects.exists()


@pytest.mark.parametrize("state", [State.DIARSIPKAN, State.DITETAPKAN, State.TIDAK_BERLAKU])
def test_read_only_entry_takes_no_files(desk, state):
    entri = EntriFactory(classified=True, state=state)
    before = samples.stored_names()
    with pytest.raises(ActionRefused, match="hanya dapat dibaca"):
        add(entri, desk, samples.upload("a.pdf", samples.pdf_bytes()))
    assert samples.stored_names() == before
    assert not Berkas.objects.exists()


def test_kind_and_files_are_required(entri, desk):
    with pytest.raises(ActionRefused, match="Pilih setidaknya satu berkas"):
        berkas_add(entri_id=entri.pk, by=desk, kind="scan", files=[])
    with pytest.raises(ActionRefused, match="softcopy asli atau pindaian"):
        berkas_add(
            entri_id=entri.pk, by=desk, kind="lain", files=[samples.upload("a.pdf", b"%PDF")]
        )


@pytest.mark.parametrize("state", [State.DIAJUKAN, State.DISETUJUI])
def test_adding_or_removing_a_file_after_submission_needs_a_new_round(desk, ppid, state):
    entri = EntriFactory(classified=True, state=state)
    [berkas] = add(entri, desk, samples.upload("tambahan.pdf", samples.pdf_bytes()))
    entri.refresh_from_db()
    assert entri.state == State.DIKLASIFIKASI
    last = entri.transitions.last()
    assert (last.action, last.by) == ("batal_karena_ubah", desk)
    assert last.note.startswith("Diubah setelah diajukan")
    # classified again, no round to void: removing the file changes content, not the state
    berkas_remove(berkas_id=berkas.pk, by=ppid)
    assert entri.transitions.count() == 1 and entri.transitions.get() == last


def test_content_hash_covers_the_files(entri, desk):
    before = entri.content_hash()
    [berkas] = add(entri, desk, samples.upload("a.pdf", samples.pdf_bytes()))
    with_file = entri.content_hash()
    assert with_file != before
    berkas_remove(berkas_id=berkas.pk, by=desk)
    assert entri.content_hash() == before


# ---------------------------------------------------------------- removal


def test_removal_keeps_the_blob_and_shows_in_history(entri, desk, ppid):
    [berkas] = add(entri, desk, samples.upload("a.pdf", samples.pdf_bytes()))
    berkas_remove(berkas_id=berkas.pk, by=ppid)
    berkas.refresh_from_db()
    assert berkas.removed_by == ppid and berkas.removed_at is not None
    assert storages["private"].exists(berkas.file.name)
    assert not entri.files.active().exists()
    newest, oldest = berkas.history.order_by("-history_id")
    assert newest.history_user == ppid and newest.removed_by_id == ppid.pk
    assert oldest.history_user == desk and oldest.removed_at is None
    with pytest.raises(ActionRefused, match="sudah dihapus"):
        berkas_remove(berkas_id=berkas.pk, by=ppid)


def test_removal_follows_the_same_rules(desk, user_with):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI)
    [berkas] = add(entri, desk, samples.upload("a.pdf", samples.pdf_bytes()))
    with pytest.raises(ActionRefused, match="memerlukan peran"):
        berkas_remove(berkas_id=berkas.pk, by=user_with("Pembina PPID"))
    type(entri).objects.filter(pk=entri.pk).update(state=State.DITETAPKAN)
    with pytest.raises(ActionRefused, match="hanya dapat dibaca"):
        berkas_remove(berkas_id=berkas.pk, by=desk)
    berkas.refresh_from_db()
    assert berkas.removed_at is None


# ---------------------------------------------------------------- thumbnails


def test_thumbnail_is_safe_to_make_twice(entri, desk):
    [berkas] = add(entri, desk, samples.upload("a.pdf", samples.pdf_bytes()))
    assert make_thumbnail(berkas.pk) is True
    berkas.refresh_from_db()
    first = berkas.thumbnail.name
    files = samples.stored_names()
    assert make_thumbnail(berkas.pk) is True
    berkas.refresh_from_db()
    assert berkas.thumbnail.name == first
    assert samples.stored_names() == files
    assert berkas.history.count() == 1  # a thumbnail is not a change of the record


def test_thumbnail_of_a_pdf_that_cannot_be_drawn_flags_it(entri, desk, monkeypatch):
    [berkas] = add(entri, desk, samples.upload("a.pdf", samples.pdf_bytes()))
    from dokumen import thumbnails

    def broken(fh):
        raise RuntimeError("halaman tidak dapat digambar")

    monkeypatch.setattr(thumbnails, "_draw_pdf", broken)
    assert make_thumbnail(berkas.pk) is False
    berkas.refresh_from_db()
    assert berkas.preview_problem == "PDF rusak: halaman pertamanya tidak dapat digambar."
    assert not berkas.thumbnail


def test_thumbnail_failure_does_not_fail_the_upload(
    entri, desk, monkeypatch, django_capture_on_commit_callbacks
):
    from dokumen import thumbnails

    monkeypatch.setattr(thumbnails, "_draw_image", lambda fh, ct: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        [berkas] = add(entri, desk, samples.upload("a.png", samples.image_bytes("PNG")))
    berkas.refresh_from_db()
    assert berkas.preview_problem
    assert not berkas.thumbnail


def test_missing_thumbnail_blob_is_made_again(entri, desk):
    [berkas] = add(entri, desk, samples.upload("a.png", samples.image_bytes("PNG")))
    make_thumbnail(berkas.pk)
    berkas.refresh_from_db()
    storages["private"].delete(berkas.thumbnail.name)
    assert make_thumbnail(berkas.pk) is True
    berkas.refresh_from_db()
    assert storages["private"].exists(berkas.thumbnail.name)


def test_thumbnail_of_a_16_bit_tiff(entri, desk):
    out = io.BytesIO()
    Image.new("I;16", (800, 600), 40000).save(out, "TIFF")
    [berkas] = add(entri, desk, samples.upload("16bit.tif", out.getvalue()))
    assert make_thumbnail(berkas.pk) is True
    berkas.refresh_from_db()
    assert thumbnail_size(berkas) == (400, 300)
