"""Demo entries collected by the desk and classified by the PPID, and the binder tree."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont
from weasyprint import HTML

from dokumen import berkas, lifecycle, services
from dokumen.models import (
    Action,
    DasarHukum,
    Entri,
    JenisDokumen,
    JenisJangkaWaktu,
    State,
    TempatSimpan,
)

PLACES = [
    ("Ruang Arsip PPID", "Lemari A", "Rak 1", "Boks 01", ["Ordner DIK 2025", "Ordner DIK 2026"]),
    ("Ruang Arsip PPID", "Lemari A", "Rak 2", "Boks 02", ["Ordner Pencalonan"]),
]

COLLECTED = [
    {
        "title": "Salinan KTP-el dan Kartu Keluarga bakal calon anggota DPRD Kabupaten Pinrang",
        "summary": "Pindaian KTP-el dan KK yang memuat NIK dan NKK bakal calon, diserahkan saat pendaftaran.",
        "holding_unit": "Subbagian Teknis Penyelenggaraan Pemilu dan Hubungan Partisipasi Masyarakat",
        "earlier_designation": "Keputusan KPU Nomor 116/Kpts/KPU/2016",
    },
    {
        "title": "Surat keterangan kesehatan jasmani, rohani dan bebas narkotika bakal calon",
        "summary": "Hasil pemeriksaan kesehatan dari rumah sakit yang ditunjuk.",
        "holding_unit": "Subbagian Teknis Penyelenggaraan Pemilu dan Hubungan Partisipasi Masyarakat",
        "earlier_designation": "Keputusan KPU Nomor 116/Kpts/KPU/2016",
    },
]

CLASSIFIED = [
    {
        "desk": {
            "title": "Formulir Model A-KWK daftar pemilih dengan NIK dan NKK tidak disamarkan",
            "summary": "Daftar pemilih per desa/kelurahan yang memuat NIK, NKK, tanggal lahir dan jenis disabilitas.",
            "holding_unit": "Subbagian Perencanaan, Data dan Informasi",
            "earlier_designation": "Keputusan KPU Nomor 32/Kpts/KPU/2016",
        },
        "type": "data-pemilih",
        "grounds": ["17h", "17j"],
        "period": "sampai-kondisi",
        "years": None,
        "wording": "Sampai dengan pihak yang rahasianya diungkap memberikan persetujuan tertulis",
    },
    {
        "desk": {
            "title": "Berkas pribadi anggota PPK dan PPS Pemilihan 2024",
            "summary": "Riwayat hidup, ijazah, dan surat keterangan kesehatan anggota badan ad hoc.",
            "holding_unit": "Subbagian Keuangan, Umum dan Logistik",
            "earlier_designation": "",
        },
        "type": "kepegawaian",
        "grounds": ["17h2", "17h4"],
        "period": "tahun-tetap",
        "years": 5,
        "wording": "5 (lima) tahun sejak ditetapkan",
    },
    {
        "desk": {
            "title": "Notula rapat pleno tertutup penanganan dugaan pelanggaran kode etik anggota PPK",
            "summary": "Notula dan memorandum internal pembahasan laporan dugaan pelanggaran kode etik.",
            "holding_unit": "Subbagian Hukum dan Sumber Daya Manusia",
            "earlier_designation": "",
        },
        "type": "penanganan-pelanggaran",
        "grounds": ["17i"],
        "period": "sampai-peristiwa",
        "years": None,
        "wording": "Sampai putusan atas dugaan pelanggaran kode etik dibacakan",
        "place": False,  # waits on the desk for its binder
        "test": {
            "test_material": "Notula dan memorandum internal pembahasan laporan dugaan pelanggaran kode etik yang belum diputus.",
            "test_harm": "Membuka notula sebelum putusan dapat mengganggu pemeriksaan dan merugikan nama baik teradu yang belum terbukti.",
            "test_law": "UU 14/2008 Pasal 17 huruf i.",
            "test_public_interest": "Publik berkepentingan atas penegakan kode etik penyelenggara pemilu, yang terpenuhi oleh putusan yang diumumkan.",
            "test_weighing": "Kerugian bagi proses pemeriksaan lebih besar daripada manfaat membuka notula sebelum putusan.",
        },
    },
]

# Later edits, so the entry page shows a history: (title, who, fields, grounds or None).
EDITS = [
    (
        COLLECTED[1]["title"],
        "desk",
        {"summary": COLLECTED[1]["summary"] + " Termasuk hasil tes psikologi."},
        None,
    ),
    (CLASSIFIED[0]["desk"]["title"], "ppid", {}, ["17h", "17h2", "17j"]),
]

TEST = {
    "test_material": "Informasi memuat data pribadi orang perseorangan yang dikumpulkan untuk keperluan penyelenggaraan pemilu.",
    "test_harm": "Membuka informasi dapat mengungkap rahasia pribadi dan membuka peluang penyalahgunaan data kependudukan.",
    "test_law": "UU 14/2008 Pasal 17 huruf h dan j; UU 27/2022 tentang Pelindungan Data Pribadi.",
    "test_public_interest": "Publik berkepentingan mengetahui keabsahan persyaratan, yang dapat dipenuhi melalui informasi yang disamarkan.",
    "test_weighing": "Kerugian bagi pemilik data lebih besar daripada manfaat membuka dokumen utuh; versi yang disamarkan tetap terbuka.",
    "test_conclusion": "dikecualikan",
}


def _places():
    ordners = []
    for room, cabinet, shelf, box, binders in PLACES:
        parent = None
        for level, name in enumerate([room, cabinet, shelf, box], start=1):
            parent, _ = TempatSimpan.objects.get_or_create(level=level, parent=parent, name=name)
        for name in binders:
            ordner, _ = TempatSimpan.objects.get_or_create(
                level=TempatSimpan.Level.ORDNER, parent=parent, name=name
            )
            ordners.append(ordner)
    return ordners


def _archive_as_kept(ppid, desk) -> None:
    """Pinrang writes its archive numbers PPID/DIK/<year>/00001 and keeps an emptied binder
    of 2019, retired, in its tree (both set on the archive pages by the PPID and the desk)."""
    from dokumen import places
    from ppid.models import Kantor

    pinrang = Kantor.default()
    places.archive_format_set(
        by=ppid,
        kantor_id=pinrang.pk,
        prefix="PPID",
        classification_code="DIK",
        with_year=True,
        digits=5,
    )
    if TempatSimpan.objects.filter(kantor=pinrang, name="Boks 2019").exists():
        return
    room = TempatSimpan.objects.filter(kantor=pinrang, level=1, name="Ruang Arsip PPID").first()
    room = room or places.place_create(by=desk, level=1, name="Ruang Arsip PPID")
    parent = room
    for level, name in [(2, "Lemari B"), (3, "Rak 1"), (4, "Boks 2019")]:
        parent = places.place_create(by=desk, level=level, name=name, parent_id=parent.pk)
    old = places.place_create(by=desk, level=5, name="Ordner DIK 2019", parent_id=parent.pk)
    places.place_rename(place_id=old.pk, by=desk, name="Ordner DIK 2019 (dikosongkan)")
    places.place_retire(place_id=old.pk, by=desk)


def collect(desk, data: dict, collected_on: datetime.date) -> Entri:
    existing = Entri.objects.filter(title=data["title"]).first()
    return existing or services.entri_create(by=desk, data={**data, "collected_on": collected_on})


def classify(ppid, entri: Entri, spec: dict, start: datetime.date) -> Entri:
    if entri.state != "dikumpulkan":
        return entri
    kind = JenisJangkaWaktu.objects.get(code=spec["period"])
    data = {
        **TEST,
        **spec.get("test", {}),
        "document_type": JenisDokumen.objects.get(code=spec["type"]),
        "period_kind": kind,
        "period_years": spec["years"],
        "period_wording": spec["wording"],
        "period_start": start,
        "period_review": start.replace(year=start.year + 1),
    }
    grounds = DasarHukum.objects.filter(code__in=spec["grounds"])
    return services.entri_classify(entri_id=entri.pk, by=ppid, data=data, legal_grounds=grounds)


# KPU Kabupaten Sidenreng Rappang's own desk: its staff see these, Pinrang's never do
SIDRAP_COLLECTED = [
    {
        "title": "Salinan KTP-el bakal calon anggota DPRD Kabupaten Sidenreng Rappang",
        "summary": "Pindaian KTP-el yang memuat NIK bakal calon, diserahkan saat pendaftaran.",
        "holding_unit": "Subbagian Teknis Penyelenggaraan Pemilu",
        "earlier_designation": "Keputusan KPU Nomor 116/Kpts/KPU/2016",
    },
    {
        "title": "Daftar pemilih Kecamatan Maritengngae dengan NIK tidak disamarkan",
        "summary": "Daftar pemilih per desa yang memuat NIK dan NKK.",
        "holding_unit": "Subbagian Perencanaan, Data dan Informasi",
        "earlier_designation": "Keputusan KPU Nomor 32/Kpts/KPU/2016",
    },
]


def load_sidrap(users: dict, today: datetime.date) -> None:
    desk, ppid = users.get("desk.sidrap"), users.get("ppid.sidrap")
    if desk is None or ppid is None:
        return
    collect(desk, SIDRAP_COLLECTED[0], today - datetime.timedelta(days=4))
    second = collect(desk, SIDRAP_COLLECTED[1], today - datetime.timedelta(days=20))
    if second.state == "dikumpulkan":
        second = classify(ppid, second, {**CLASSIFIED[0], "desk": SIDRAP_COLLECTED[1]}, today)
    # Sidrap's own files: its staff find words in them, Pinrang's staff never do
    attach_files(desk, second)


def load(users: dict, stdout) -> dict:
    desk, ppid = users["desk"], users["ppid"]
    today = datetime.date.today()
    _archive_as_kept(ppid, desk)
    ordners = _places()
    entries = {}
    for n, data in enumerate(COLLECTED):
        # one fresh, one past the SOP's two-week standard for step 1
        entries[data["title"]] = collect(desk, data, today - datetime.timedelta(days=3 + 17 * n))
    for spec in CLASSIFIED:
        entri = collect(desk, spec["desk"], today - datetime.timedelta(days=30))
        entri = classify(ppid, entri, spec, today)
        if entri.archive_number is None and spec.get("place", True):
            entri = services.entri_place(entri_id=entri.pk, by=desk, ordner_id=ordners[0].pk)
        attach_files(desk, entri)
        entries[entri.title] = entri
    for title, username, data, grounds in EDITS:
        entri = entries[title]
        if lifecycle.refusal(entri, Action.EDIT, desk):
            continue  # another app's demo took it past approval; history stays as it was
        # an edit that is already in place changes nothing and records nothing
        entries[title] = services.entri_update(
            entri_id=entri.pk,
            by=users[username],
            data=data,
            legal_grounds=DasarHukum.objects.filter(code__in=grounds) if grounds else None,
        )
    load_sidrap(users, today)
    return {"ordners": ordners, "entries": entries}


# ---------------------------------------------------------------- files of the classified entries


def _letterhead(entri: Entri) -> str:
    """The entry's office, as typed at the head of its papers (KOMISI PEMILIHAN UMUM …)."""
    return entri.kantor.nama.upper()


def _softcopy_pdf(entri: Entri) -> bytes:
    html = f"""<html lang="id"><head><style>
      @page {{ size: A4; margin: 2.5cm; }} body {{ font-family: serif; font-size: 12pt; }}
      h1 {{ font-size: 14pt; text-align: center; }} td {{ border: 1px solid #444; padding: 4px; }}
      table {{ border-collapse: collapse; width: 100%; }}</style></head><body>
      <p style="text-align:center"><b>{escape(_letterhead(entri))}</b></p>
      <h1>{escape(entri.title)}</h1>
      <p>{escape(entri.summary)}</p>
      <table><tr><td>Unit penguasa</td><td>{escape(entri.holding_unit)}</td></tr>
      <tr><td>Sifat</td><td>Dikecualikan — contoh dokumen demo, bukan data sebenarnya</td></tr></table>
      <p style="page-break-before: always">Lampiran: daftar nama dan NIK disamarkan untuk demo.</p>
      </body></html>"""
    return HTML(string=html).write_pdf()


SCAN_BODY = [
    "BERITA ACARA SERAH TERIMA DOKUMEN",
    "Dokumen ini diserahkan kepada Desk Layanan Informasi untuk",
    "didokumentasikan sebagai informasi publik yang dikecualikan.",
]


def _scan_jpeg(entri: Entri) -> bytes:
    """A drawn "scan" of the paper: a slightly grey page with a stamp and lines of text."""
    page = Image.new("RGB", (1240, 1754), (246, 244, 238))
    draw = ImageDraw.Draw(page)
    title = ImageFont.load_default(size=34)
    body = ImageFont.load_default(size=24)
    draw.text((110, 110), _letterhead(entri), font=title, fill=(30, 30, 30))
    draw.line([110, 170, 1130, 170], fill=(30, 30, 30), width=4)
    words, line, y = entri.title.split(), "", 230
    for word in words:
        if len(line) + len(word) > 60:
            draw.text((110, y), line, font=body, fill=(40, 40, 40))
            line, y = "", y + 40
        line = f"{line} {word}".strip()
    draw.text((110, y), line, font=body, fill=(40, 40, 40))
    # typed words that are in no field of the entry: staff search finds them in the scan only
    # (read by OCR in the worker), e.g. "serah terima"
    y += 70
    for typed in SCAN_BODY:
        draw.text((110, y), typed, font=body, fill=(40, 40, 40))
        y += 40
    for rule in range(y + 80, 1500, 38):
        draw.line([110, rule, 1130, rule], fill=(150, 150, 150), width=3)
    draw.ellipse([860, 1450, 1100, 1690], outline=(60, 60, 160), width=6)
    draw.text((905, 1555), "DIKECUALIKAN", font=body, fill=(60, 60, 160))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=80)
    return out.getvalue()


def attach_files(desk, entri: Entri) -> None:
    """A softcopy PDF and a scanned page, once per entry, through the upload service."""
    if entri.files.exists() or lifecycle.refusal(entri, Action.UPLOAD, desk):
        return
    slug = f"entri-{entri.pk}"
    berkas.berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="softcopy",
        files=[SimpleUploadedFile(f"softcopy-{slug}.pdf", _softcopy_pdf(entri))],
    )
    berkas.berkas_add(
        entri_id=entri.pk,
        by=desk,
        kind="scan",
        files=[SimpleUploadedFile(f"pindaian-{slug}.jpg", _scan_jpeg(entri))],
    )


# days after collection at which a demo entry reached its current step
STEP_DAY = {
    State.DIKLASIFIKASI: 3,
    State.DIAJUKAN: 5,
    State.DISETUJUI: 8,
    State.DIARSIPKAN: 10,
    State.DITETAPKAN: 12,
    State.TIDAK_BERLAKU: 14,
}


def spread_step_dates() -> None:
    """The demo runs every step in one go; date each entry's arrival in its step some days after
    its collection, so the dashboard's ages look like an office's. Only entries that reached
    their step today are moved, so a second run changes nothing."""
    now = timezone.now()
    today_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for entri in Entri.objects.filter(state__in=STEP_DAY, state_changed_at__gte=today_start):
        day = entri.collected_on + datetime.timedelta(days=STEP_DAY[State(entri.state)])
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        Entri.objects.filter(pk=entri.pk).update(state_changed_at=min(when, now))
