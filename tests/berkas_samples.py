"""Files for the upload tests, made here (Pillow, pypdf, zipfile): nothing from the internet."""

import io
import struct
import zipfile
import zlib

from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from pypdf import PdfWriter


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    """What a browser sends; the declared content type is never trusted."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf_bytes(pages: int = 2, *, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-pemilik")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_image(size=(620, 877), text="Pindaian dokumen") -> Image.Image:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, size[0] - 20, 90], outline="black", width=3)
    draw.text((30, 40), text, fill="black")
    for y in range(120, size[1] - 40, 24):
        draw.line([30, y, size[0] - 30, y], fill=(90, 90, 90), width=2)
    return image


def image_bytes(fmt: str, size=(620, 877), **save_args) -> bytes:
    out = io.BytesIO()
    page_image(size).save(out, fmt, **save_args)
    return out.getvalue()


def tiff_bytes(frames: int = 3) -> bytes:
    out = io.BytesIO()
    pages = [page_image(text=f"Halaman {n}") for n in range(1, frames + 1)]
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:])
    return out.getvalue()


def phone_photo_bytes() -> bytes:
    """A JPEG as a phone camera makes it: landscape pixels, EXIF says turn it upright."""
    image = page_image(size=(1200, 900), text="Foto kamera ponsel")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x010F] = "Contoh Ponsel"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=compress)
    return out.getvalue()


def docx_bytes() -> bytes:
    types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    return _zip(
        [
            ("[Content_Types].xml", types),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document/>"),
        ]
    )


def xlsx_bytes() -> bytes:
    types = (
        b'<Types><Override PartName="/xl/workbook.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    return _zip([("[Content_Types].xml", types), ("xl/workbook.xml", b"<workbook/>")])


def odt_bytes() -> bytes:
    return _zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
            ("META-INF/manifest.xml", b"<manifest/>"),
        ]
    )


def plain_zip_bytes() -> bytes:
    return _zip([("catatan.txt", b"bukan dokumen kantor")])


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb_bytes(width: int = 30_000, height: int = 30_000) -> bytes:
    """A few hundred bytes that claim to be a 900-megapixel picture."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + width // 8) * 16, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def corrupt_png_bytes() -> bytes:
    data = bytearray(image_bytes("PNG"))
    start = data.index(b"IDAT") + 40
    for i in range(start, start + 64):
        data[i] ^= 0x5A
    return bytes(data)


def stored_names() -> set[str]:
    """Every blob in private storage, walked through the storage API."""
    storage = storages["private"]
    names, todo = set(), [""]
    while todo:
        folder = todo.pop()
        try:
            dirs, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        names.update(f"{folder}/{f}".lstrip("/") for f in files)
        todo.extend(f"{folder}/{d}".lstrip("/") for d in dirs)
    return names
