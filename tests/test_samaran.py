"""Redacted public copies: what the PPID gives is rasterised, so no text survives in it."""

import hashlib
import io

import pypdfium2 as pdfium
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from dokumen.models import Action, SalinanSamaran, State, TransitionLog
from dokumen.samaran import RASTER_DPI, salinan_add
from ppid.errors import ActionRefused
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db

SECRET = "NIK 7315012345678901"
KEPT = "Daftar Pemilih Tetap"


@pytest.fixture
def entri():
    return EntriFactory(classified=True, state=State.DITETAPKAN)


def text_pdf(*lines: str, pages: int = 1) -> bytes:
    """A PDF with a text layer, as an office's word processor makes it."""
    import weasyprint

    body = "".join(
        f'<section style="page-break-after: always"><p>{"</p><p>".join(lines)}</p></section>'
        for _ in range(pages)
    )
    return weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def text_of(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def stored(salinan) -> bytes:
    with storages["private"].open(salinan.file.name, "rb") as fh:
        return fh.read()


def blobs() -> set[str]:
    storage = storages["private"]
    try:
        _dirs, files = storage.listdir("berkas")
    except FileNotFoundError:
        return set()
    return set(files)


def upload(name: str, data: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_pdf_copy_keeps_no_text_layer(entri, ppid):
    original = text_pdf(KEPT, SECRET, pages=2)
    assert SECRET in text_of(original)  # the test can fail: the upload has a text layer

    salinan = salinan_add(entri_id=entri.pk, by=ppid, upload=upload("dpt.pdf", original))

    data = stored(salinan)
    assert data.startswith(b"%PDF")
    assert text_of(data).strip() == ""
    assert SECRET.encode() not in data and b"7315012345678901" not in data
    assert salinan.pages == 2
    assert salinan.size == len(data)
    assert salinan.sha256 == hashlib.sha256(data).hexdigest()
    assert salinan.source_sha256 == hashlib.sha256(original).hexdigest()
    assert salinan.source_content_type == "application/pdf"
    assert salinan.made_by == ppid


def test_the_pages_stay_readable_as_images(entri, ppid):
    salinan = salinan_add(
        entri_id=entri.pk, by=ppid, upload=upload("dpt.pdf", text_pdf(KEPT, SECRET))
    )
    document = pdfium.PdfDocument(stored(salinan))
    try:
        page = document[0]
        width, height = page.get_size()
        # A4, as WeasyPrint made it (to within a pixel of the rendering)
        assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5
        image = page.render(scale=RASTER_DPI / 72).to_pil().convert("L")
        # the words are drawn as pixels: the page is not blank
        assert image.getextrema()[0] < 100
    finally:
        document.close()


def test_an_image_becomes_a_one_page_pdf(entri, ppid):
    image = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 350, 100), fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    salinan = salinan_add(
        entri_id=entri.pk, by=ppid, upload=upload("foto.png", out.getvalue(), "image/png")
    )
    assert salinan.pages == 1
    assert stored(salinan).startswith(b"%PDF")
    assert salinan.source_content_type == "image/png"


def test_adding_a_copy_is_logged_by_its_action(entri, ppid):
    salinan_add(entri_id=entri.pk, by=ppid, upload=upload("dpt.pdf", text_pdf(KEPT)))
    log = TransitionLog.objects.get(entri=entri, action=Action.ADD_REDACTED)
    assert log.by == ppid
    assert log.from_state == log.to_state == State.DITETAPKAN
    assert log.note == "dpt.pdf"
    entri.refresh_from_db()
    assert entri.state == State.DITETAPKAN


@pytest.mark.parametrize("who", ["desk", "pembina", "atasan", "no_role"])
def test_only_the_ppid_adds_a_copy_and_a_refusal_leaves_nothing(entri, who, request):
    by = request.getfixturevalue(who)
    before = blobs()
    with pytest.raises(ActionRefused):
        salinan_add(entri_id=entri.pk, by=by, upload=upload("dpt.pdf", text_pdf(SECRET)))
    assert not SalinanSamaran.objects.exists()
    assert blobs() == before


def test_no_copy_once_the_information_is_open(ppid):
    entri = EntriFactory(classified=True, state=State.TIDAK_BERLAKU)
    with pytest.raises(ActionRefused):
        salinan_add(entri_id=entri.pk, by=ppid, upload=upload("dpt.pdf", text_pdf(SECRET)))
    assert not SalinanSamaran.objects.exists()


def test_a_file_that_is_not_what_it_says_is_refused(entri, ppid):
    before = blobs()
    with pytest.raises(ActionRefused, match="bukan|not"):
        salinan_add(entri_id=entri.pk, by=ppid, upload=upload("dpt.pdf", b"PK\x03\x04 zip"))
    with pytest.raises(ActionRefused):
        salinan_add(entri_id=entri.pk, by=ppid, upload=upload("dpt.docx", b"PK\x03\x04 zip", "x/y"))
    assert not SalinanSamaran.objects.exists()
    assert blobs() == before


def test_another_offices_entry_is_refused_like_a_missing_one(entri, user_with):
    from ppid.models import Kantor
    from ppid.roles import Role

    other = Kantor.objects.exclude(pk=entri.kantor_id).first()
    stranger = user_with(Role.PPID, roles__kantor=other)
    with pytest.raises(ActionRefused) as refused:
        salinan_add(entri_id=entri.pk, by=stranger, upload=upload("dpt.pdf", text_pdf(SECRET)))
    with pytest.raises(ActionRefused) as missing:
        salinan_add(entri_id=0, by=stranger, upload=upload("dpt.pdf", text_pdf(SECRET)))
    assert str(refused.value) == str(missing.value)
