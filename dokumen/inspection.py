"""What an uploaded file really is: its type sniffed from the bytes, checked before it is stored.

Reads through the file object it is given (the upload's temporary file, or a file from storage),
a header and what each check needs, never the whole file into memory.
"""

import threading
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile

SNIFF_BYTES = 8192
OFFICE_MARKER_MAX_BYTES = 1024 * 1024  # [Content_Types].xml or mimetype: small by nature

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    mime: str
    label: str
    extensions: tuple[str, ...]
    scan_allowed: bool
    pillow_format: str = ""


TYPES = {
    t.mime: t
    for t in (
        FileType(PDF, "PDF", ("pdf",), scan_allowed=True),
        FileType(JPEG, "JPEG", ("jpg", "jpeg", "jpe", "jfif"), True, "JPEG"),
        FileType(PNG, "PNG", ("png",), True, "PNG"),
        FileType(TIFF, "TIFF", ("tif", "tiff"), True, "TIFF"),
        FileType(DOCX, "DOCX", ("docx",), scan_allowed=False),
        FileType(XLSX, "XLSX", ("xlsx",), scan_allowed=False),
        FileType(ODT, "ODT", ("odt",), scan_allowed=False),
    )
}
BY_EXTENSION = {ext: t for t in TYPES.values() for ext in t.extensions}
# types a browser shows by itself; the rest is always downloaded
INLINE_TYPES = {PDF, JPEG, PNG}
# the <input accept> of the upload form
ACCEPT = "application/pdf,image/*,.docx,.xlsx,.odt"


class FileRefused(Exception):
    """One file that is not accepted; the message names the file and says why, for the user."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Inspection:
    content_type: str
    pages: int | None
    preview_problem: str = ""


def type_label(content_type: str) -> str:
    ftype = TYPES.get(content_type)
    return ftype.label if ftype else content_type


def max_upload_bytes() -> int:
    return int(getattr(settings, "DIK_MAX_UPLOAD_BYTES", 1024**3))


def extension_of(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""


def allowed_labels(kind: str) -> str:
    from dokumen.models import Berkas

    scan = kind == Berkas.Kind.SCAN
    return ", ".join(t.label for t in TYPES.values() if t.scan_allowed or not scan)


def too_large(name: str, size: int) -> FileRefused:
    return FileRefused(
        name,
        _("“%(name)s” is %(size)s; the largest file accepted is %(max)s.")
        % {
            "name": name,
            "size": filesizeformat(size),
            "max": filesizeformat(max_upload_bytes()),
        },
    )


def inspect_file(fh, *, name: str, size: int, kind: str) -> Inspection:
    """Check one file against the rules; raise FileRefused with the reason, else describe it."""
    from dokumen.models import Berkas

    if size <= 0:
        raise FileRefused(name, _("“%(name)s” is empty.") % {"name": name})
    if size > max_upload_bytes():
        raise too_large(name, size)

    fh.seek(0)
    header = fh.read(SNIFF_BYTES)
    fh.seek(0)
    mime = sniff(fh, header)
    ext = extension_of(name)
    named = BY_EXTENSION.get(ext)
    ftype = TYPES.get(mime)

    if ftype is None:
        if named is not None:
            raise FileRefused(
                name,
                _(
                    "“%(name)s” is not what its name says: the name ends in .%(ext)s but the content is not a %(type)s file."
                )
                % {"name": name, "ext": ext, "type": named.label},
            )
        raise FileRefused(
            name,
            _("“%(name)s” is not an allowed file type. Allowed: %(allowed)s.")
            % {"name": name, "allowed": allowed_labels(kind)},
        )
    if ext not in ftype.extensions:
        if not ext:
            raise FileRefused(
                name,
                _(
                    "“%(name)s” has no file extension; its content is a %(type)s file, so its name must end in .%(ext)s."
                )
                % {"name": name, "type": ftype.label, "ext": ftype.extensions[0]},
            )
        raise FileRefused(
            name,
            _(
                "“%(name)s” is not what its name says: the name ends in .%(ext)s but the content is a %(type)s file."
            )
            % {"name": name, "ext": ext, "type": ftype.label},
        )
    if kind == Berkas.Kind.SCAN and not ftype.scan_allowed:
        raise FileRefused(
            name,
            _(
                "“%(name)s” is a %(type)s document: upload it as a softcopy; a scan is PDF, JPEG, PNG or TIFF."
            )
            % {"name": name, "type": ftype.label},
        )

    if ftype.pillow_format:
        return Inspection(mime, pages=verify_image(fh, name=name, ftype=ftype))
    if mime == PDF:
        pages, problem = inspect_pdf(fh)
        return Inspection(mime, pages=pages, preview_problem=problem)
    return Inspection(mime, pages=None)


def sniff(fh, header: bytes) -> str | None:
    """The content type the bytes say; zip containers are opened to see which document they are."""
    if header.startswith(b"PK\x03\x04"):
        return office_type(fh)
    guess = filetype.guess(header)
    return guess.mime if guess else None


def office_type(fh) -> str | None:
    """DOCX/XLSX by the main part in [Content_Types].xml, ODT by its `mimetype` entry."""
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as zf:
            names = {info.filename: info for info in zf.infolist()}
            info = names.get("mimetype")
            if info is not None and info.file_size < 200:
                with zf.open(info) as member:
                    if member.read(200).strip() == ODT.encode():
                        return ODT
            info = names.get("[Content_Types].xml")
            if info is not None and info.file_size <= OFFICE_MARKER_MAX_BYTES:
                with zf.open(info) as member:
                    types = member.read(OFFICE_MARKER_MAX_BYTES)
                if b"wordprocessingml.document.main+xml" in types and any(
                    n.startswith("word/") for n in names
                ):
                    return DOCX
                if b"spreadsheetml.sheet.main+xml" in types and any(
                    n.startswith("xl/") for n in names
                ):
                    return XLSX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        fh.seek(0)
    return "application/zip"


class _TooManyPixels(Exception):
    pass


_pillow_settings = threading.Lock()


@contextmanager
def strict_pillow():
    """Pillow as a gatekeeper: a truncated image is an error, and so is one past the pixel limit.

    Both are process-wide settings (WeasyPrint turns LOAD_TRUNCATED_IMAGES on when imported),
    so they are set, and put back, under a lock.
    """
    with _pillow_settings, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        lenient = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _check_pixels(image: Image.Image) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    if limit and image.width * image.height > limit:
        raise _TooManyPixels(image.width * image.height)


def verify_image(fh, *, name: str, ftype: FileType) -> int:
    """Pillow's verify, then a full decode of every frame; returns the number of frames."""
    formats = [ftype.pillow_format]
    try:
        # past MAX_IMAGE_PIXELS Pillow only warns (until twice the limit): an error here
        with strict_pillow():
            fh.seek(0)
            with Image.open(fh, formats=formats) as image:
                _check_pixels(image)
                image.verify()
            fh.seek(0)
            with Image.open(fh, formats=formats) as image:
                frames = getattr(image, "n_frames", 1)
                for index in range(frames):
                    image.seek(index)
                    _check_pixels(image)
                    image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, _TooManyPixels):
        raise FileRefused(
            name,
            _(
                "“%(name)s” has more pixels than allowed (%(max)s) and was refused as a possible decompression bomb."
            )
            % {"name": name, "max": f"{Image.MAX_IMAGE_PIXELS:,}".replace(",", ".")},
        ) from None
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, struct.error, …)
        raise FileRefused(
            name,
            _("“%(name)s” is a damaged or incomplete image and cannot be read.") % {"name": name},
        ) from None
    finally:
        fh.seek(0)
    return frames


def inspect_pdf(fh) -> tuple[int | None, str]:
    """Page count; an encrypted or damaged PDF is kept but flagged, never refused."""
    fh.seek(0)
    try:
        pdf = pdfium.PdfDocument(fh)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (
            pdfium_raw.FPDF_ERR_PASSWORD,
            pdfium_raw.FPDF_ERR_SECURITY,
        ):
            return None, _("Encrypted PDF: it cannot be previewed and its pages cannot be counted.")
        return None, _("Damaged PDF: it cannot be previewed and its pages cannot be counted.")
    finally:
        fh.seek(0)
    try:
        return len(pdf), ""
    finally:
        pdf.close()
        fh.seek(0)
