"""Redacted public copies: what the PPID gives is rasterised, so no text survives in it."""

import hashlib
import io
import json
import math

import pypdfium2 as pdfium
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from dokumen import samaran
from dokumen.models import Action, SalinanSamaran, State, TransitionLog
from dokumen.samaran import RASTER_DPI, salinan_add, salinan_from_boxes
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


# ---------------------------------------------------------------- boxes drawn in the app


def word_boxes(data: bytes, word: str) -> list[dict]:
    """Where `word` is on each page, as the editor sends boxes: fractions of the page."""
    document = pdfium.PdfDocument(data)
    boxes = []
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            searcher = textpage.search(word, match_case=True)
            while (found := searcher.get_next()) is not None:
                start, count = found
                for left, bottom, right, top in (
                    textpage.get_charbox(i) for i in range(start, start + count)
                ):
                    boxes.append(
                        {
                            "page": index,
                            "x": left / width,
                            "y": 1 - top / height,  # the editor measures from the top
                            "w": (right - left) / width,
                            "h": (top - bottom) / height,
                        }
                    )
    finally:
        document.close()
    return boxes


def file_of(entri, data: bytes, name="dpt.pdf", content_type="application/pdf"):
    from dokumen.models import Berkas
    from tests.archive_fixtures import add_file

    return add_file(
        entri,
        Berkas.Kind.SOFTCOPY,
        content=data,
        original_name=name,
        content_type=content_type,
        pages=len(pdfium.PdfDocument(data)) if content_type == "application/pdf" else 1,
    )


def union(boxes: list[dict]) -> dict:
    """One box around the boxes of single characters (what a person would draw)."""
    x0 = min(b["x"] for b in boxes)
    y0 = min(b["y"] for b in boxes)
    x1 = max(b["x"] + b["w"] for b in boxes)
    y1 = max(b["y"] + b["h"] for b in boxes)
    return {"page": boxes[0]["page"], "x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0}


def test_boxes_over_words_leave_neither_text_nor_pixels(entri, ppid):
    original = text_pdf(KEPT, SECRET)
    berkas = file_of(entri, original)
    box = union(word_boxes(original, SECRET))
    assert box["w"] > 0.05  # the test can fail: the word was found where it is drawn

    salinan = salinan_from_boxes(berkas_id=berkas.pk, by=ppid, boxes=json.dumps([box]))

    data = stored(salinan)
    assert text_of(data).strip() == ""
    assert b"7315012345678901" not in data
    document = pdfium.PdfDocument(data)
    try:
        image = document[0].render(scale=RASTER_DPI / 72).to_pil().convert("L")
    finally:
        document.close()
    width, height = image.size
    edge = 2  # the page is rendered again at a slightly different pixel grid
    inside = image.crop(
        (
            math.ceil(box["x"] * width) + edge,
            math.ceil(box["y"] * height) + edge,
            math.floor((box["x"] + box["w"]) * width) - edge,
            math.floor((box["y"] + box["h"]) * height) - edge,
        )
    )
    assert inside.size[0] > 50
    assert inside.getextrema()[1] <= 8  # every pixel under the box is black
    # what was not covered is still there: the kept line is drawn, not blacked out
    kept = union(word_boxes(original, KEPT))
    around = image.crop(
        (
            int(kept["x"] * width),
            int(kept["y"] * height),
            int((kept["x"] + kept["w"]) * width),
            int((kept["y"] + kept["h"]) * height),
        )
    )
    low, high = around.getextrema()
    assert low < 128 < high  # dark letters on a light page
    assert salinan.source_sha256 == berkas.sha256
    assert salinan.original_name == "dpt-disamarkan.pdf"
    assert TransitionLog.objects.filter(entri=entri, action=Action.ADD_REDACTED).count() == 1


def test_boxes_on_an_image(entri, ppid):
    image = Image.new("RGB", (200, 100), "white")
    out = io.BytesIO()
    image.save(out, "PNG")
    berkas = file_of(entri, out.getvalue(), name="foto.png", content_type="image/png")
    box = {"page": 0, "x": 0.25, "y": 0.25, "w": 0.5, "h": 0.5}
    salinan = salinan_from_boxes(berkas_id=berkas.pk, by=ppid, boxes=[box])
    document = pdfium.PdfDocument(stored(salinan))
    try:
        rendered = document[0].render(scale=RASTER_DPI / 72).to_pil().convert("L")
    finally:
        document.close()
    width, height = rendered.size
    assert rendered.getpixel((width // 2, height // 2)) == 0
    assert rendered.getpixel((5, 5)) == 255


@pytest.mark.parametrize(
    "boxes",
    [
        "",
        "[]",
        "bukan json",
        '[{"page": 0, "x": 0.1}]',
        '[{"page": -1, "x": 0.1, "y": 0.1, "w": 0.1, "h": 0.1}]',
        '[{"page": 3, "x": 0.1, "y": 0.1, "w": 0.1, "h": 0.1}]',
        '[{"page": 0, "x": "NaN", "y": 0.1, "w": 0.1, "h": 0.1}]',
    ],
)
def test_boxes_that_cannot_be_burned_in_are_refused(entri, ppid, boxes):
    berkas = file_of(entri, text_pdf(SECRET))
    before = blobs()
    with pytest.raises(ActionRefused):
        salinan_from_boxes(berkas_id=berkas.pk, by=ppid, boxes=boxes)
    assert not SalinanSamaran.objects.exists()
    assert blobs() == before


def test_only_the_ppid_redacts_in_the_app(entri, desk, ppid):
    berkas = file_of(entri, text_pdf(SECRET))
    box = [{"page": 0, "x": 0, "y": 0, "w": 1, "h": 1}]
    with pytest.raises(ActionRefused):
        salinan_from_boxes(berkas_id=berkas.pk, by=desk, boxes=box)
    from ppid.models import Kantor
    from tests.factories import UserFactory

    other = Kantor.objects.exclude(pk=entri.kantor_id).first()
    stranger = UserFactory(roles=["PPID"], roles__kantor=other)
    with pytest.raises(ActionRefused) as refused:
        salinan_from_boxes(berkas_id=berkas.pk, by=stranger, boxes=box)
    with pytest.raises(ActionRefused) as missing:
        salinan_from_boxes(berkas_id=0, by=stranger, boxes=box)
    assert str(refused.value) == str(missing.value)
    assert not SalinanSamaran.objects.exists()


# ---------------------------------------------------------------- the pages


def test_the_ppid_uploads_a_copy_from_the_entry_page(client, entri, ppid, desk):
    client.force_login(desk)
    assert client.get(f"/meja/entri/{entri.pk}/salinan-samaran/").status_code == 404
    page = client.get(f"/meja/entri/{entri.pk}/").content.decode()
    assert "salinan-samaran" not in page
    client.force_login(ppid)
    page = client.get(f"/meja/entri/{entri.pk}/").content.decode()
    assert f"/meja/entri/{entri.pk}/salinan-samaran/" in page
    response = client.post(
        f"/meja/entri/{entri.pk}/salinan-samaran/",
        {"file": upload("dpt.pdf", text_pdf(SECRET))},
    )
    assert response.status_code == 302
    salinan = SalinanSamaran.objects.get(entri=entri)
    page = client.get(response["Location"]).content.decode()
    assert "Salinan yang disamarkan" in page and "dpt.pdf" in page
    view = client.get(f"/berkas/salinan-samaran/{salinan.pk}/")
    assert view.status_code == 200 and view["Content-Type"] == "application/pdf"
    assert b"".join(view.streaming_content) == stored(salinan)
    client.logout()
    assert client.get(f"/berkas/salinan-samaran/{salinan.pk}/").status_code == 404


def test_a_refused_upload_says_why_in_indonesian(client, entri, ppid):
    client.force_login(ppid)
    response = client.post(
        f"/meja/entri/{entri.pk}/salinan-samaran/",
        {"file": upload("dpt.pdf", b"PK\x03\x04 zip")},
    )
    assert response.status_code == 200
    assert "bukan" in response.content.decode()
    assert not SalinanSamaran.objects.exists()


def test_the_editor_shows_the_pages_and_burns_the_boxes_in(client, entri, ppid, desk):
    original = text_pdf(KEPT, SECRET, pages=2)
    berkas = file_of(entri, original)
    client.force_login(ppid)
    listing = client.get(f"/meja/entri/{entri.pk}/salinan-samaran/").content.decode()
    assert f"/meja/berkas/{berkas.pk}/samarkan/" in listing
    editor = client.get(f"/meja/berkas/{berkas.pk}/samarkan/").content.decode()
    assert f"/berkas/{berkas.pk}/halaman/1.png" in editor
    assert f"/berkas/{berkas.pk}/halaman/2.png" in editor
    assert "js/samarkan.js" in editor and "<script>" not in editor
    image = client.get(f"/berkas/{berkas.pk}/halaman/2.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size[0] > 500
    assert client.get(f"/berkas/{berkas.pk}/halaman/3.png").status_code == 404

    refused = client.post(f"/meja/berkas/{berkas.pk}/samarkan/", {"boxes": "[]"})
    assert refused.status_code == 400
    assert not SalinanSamaran.objects.exists()

    boxes = [union(word_boxes(original, SECRET)[:20])]
    response = client.post(f"/meja/berkas/{berkas.pk}/samarkan/", {"boxes": json.dumps(boxes)})
    assert response.status_code == 302
    salinan = SalinanSamaran.objects.get(entri=entri)
    assert salinan.pages == 2
    assert SECRET not in text_of(stored(salinan))

    client.force_login(desk)  # sees the file, but does not redact
    assert client.get(f"/meja/berkas/{berkas.pk}/samarkan/").status_code == 404
    assert client.post(f"/meja/berkas/{berkas.pk}/samarkan/", {"boxes": "[]"}).status_code == 404


# ---------------------------------------------------------------- approval and the public page


def test_the_atasan_approves_and_the_copy_shows_publicly_only_while_in_force(
    client, entri, ppid, atasan, desk
):
    from django.test import Client

    original = file_of(entri, text_pdf(SECRET))
    salinan = salinan_add(entri_id=entri.pk, by=ppid, upload=upload("dpt.pdf", text_pdf(KEPT)))
    public = Client()
    office_page = f"/{entri.kantor.slug}/"
    public_url = f"/salinan-samaran/{salinan.pk}.pdf"
    assert public.get(public_url).status_code == 404  # not approved yet
    assert public_url not in public.get(office_page).content.decode()

    for who in (ppid, desk):  # the PPID makes the copy; others do not approve it
        with pytest.raises(ActionRefused):
            samaran.salinan_approve(salinan_id=salinan.pk, by=who)
    client.force_login(atasan)
    page = client.get(f"/meja/entri/{entri.pk}/").content.decode()
    assert f"/meja/salinan-samaran/{salinan.pk}/setujui/" in page
    response = client.post(f"/meja/salinan-samaran/{salinan.pk}/setujui/")
    assert response.status_code == 302
    salinan.refresh_from_db()
    assert salinan.approved_by == atasan and salinan.approved_at is not None
    log = TransitionLog.objects.get(entri=entri, action=Action.APPROVE_REDACTED)
    assert log.by == atasan and log.note == "dpt.pdf"
    with pytest.raises(ActionRefused):  # once only
        samaran.salinan_approve(salinan_id=salinan.pk, by=atasan)

    for url in (office_page, "/"):
        assert public_url in public.get(url).content.decode(), url
    response = public.get(public_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored(salinan)
    # the original file never is public
    assert f"/berkas/{original.pk}/" not in public.get(office_page).content.decode()
    assert public.get(f"/berkas/{original.pk}/unduh").status_code == 404

    Entri = type(entri)
    Entri.objects.filter(pk=entri.pk).update(state=State.TIDAK_BERLAKU)
    assert public.get(public_url).status_code == 404  # the information is open, or not in force


def test_the_approving_roles_are_the_offices_setting(entri, ppid, pembina, atasan, settings):
    settings.DIK_REDACTED_COPY_APPROVER_ROLES = ["Pembina PPID"]
    salinan = salinan_add(entri_id=entri.pk, by=ppid, upload=upload("dpt.pdf", text_pdf(KEPT)))
    with pytest.raises(ActionRefused):
        samaran.salinan_approve(salinan_id=salinan.pk, by=atasan)
    assert samaran.salinan_approve(salinan_id=salinan.pk, by=pembina).approved_by == pembina


def test_a_copy_is_part_of_what_an_approval_round_covers(ppid):
    from tests.persetujuan_setup import submitted_entry

    entri = submitted_entry(ppid)
    before = entri.content_hash()
    salinan_add(entri_id=entri.pk, by=ppid, upload=upload("dpt.pdf", text_pdf(KEPT)))
    entri.refresh_from_db()
    assert entri.content_hash() != before
    assert entri.state == State.DIKLASIFIKASI  # the round under way is void
    assert TransitionLog.objects.filter(entri=entri, action=Action.VOID_BY_EDIT).exists()
