"""Scans as a scanner or a phone makes them, made here: Indonesian text drawn with Pillow on an
A4 page at 300 dpi, turned a little (paper is never straight on the glass), saved as JPEG, PNG,
TIFF or an image-only PDF (no text layer); and a born-digital PDF with a real text layer."""

import io

from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 300
A4_INCHES = (8.27, 11.69)

LETTER = [
    "KOMISI PEMILIHAN UMUM KABUPATEN PINRANG",
    "BERITA ACARA RAPAT PLENO TERTUTUP",
    "Pada hari ini telah dilaksanakan rapat pleno tentang",
    "penetapan daftar pemilih tetap. Dokumen ini memuat",
    "nomor induk kependudukan yang dikecualikan.",
]


def scan_page(lines: list[str], *, dpi: int = DPI, angle: float = 1.3) -> Image.Image:
    """One page of typed text (12 pt) as the scanner saw it: grey paper, slightly rotated,
    slightly blurred."""
    width, height = (round(inches * dpi) for inches in A4_INCHES)
    page = Image.new("L", (width, height), 244)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=round(12 * dpi / 72))
    y = round(1.2 * dpi)
    for line in lines:
        draw.text((round(1.0 * dpi), y), line, font=font, fill=25)
        y += round(0.3 * dpi)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=244)
    return page.filter(ImageFilter.GaussianBlur(0.6))


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def scan_jpeg(lines: list[str], **kwargs) -> bytes:
    return _save(scan_page(lines, **kwargs), "JPEG", quality=80, dpi=(DPI, DPI))


def scan_png(lines: list[str], **kwargs) -> bytes:
    return _save(scan_page(lines, **kwargs), "PNG", dpi=(DPI, DPI))


def scan_tiff(pages: list[list[str]]) -> bytes:
    """A multi-page TIFF, one frame per page, as document scanners make them."""
    images = [scan_page(lines) for lines in pages]
    return _save(images[0], "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")


def scan_pdf(pages: list[list[str]]) -> bytes:
    """An image-only PDF: each page a picture, no text layer (what a scanner's PDF is)."""
    images = [scan_page(lines).convert("RGB") for lines in pages]
    return _save(images[0], "PDF", save_all=True, append_images=images[1:], resolution=DPI)


def text_pdf(pages: list[list[str]]) -> bytes:
    """A born-digital PDF (A4, Helvetica 12 pt): its words are in its text layer."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, None]
    objects[2] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 760 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Length {len(stream)} >>\nstream\n" + stream.decode("latin-1") + "\nendstream"
        )
        content = len(objects)
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content} 0 R >>"
        )
        kids.append(len(objects))
    objects[1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
