"""Demo of SOP steps 3–4: archived entries with their files and binders, a published Keputusan
with its other channels, a Keputusan revoked by another, a draft, and two approved entries left
for a person to archive.

The decrees are modelled on real ones (dokumen/reference/keputusan_contoh.csv): Keputusan KPU
731 Tahun 2025 exempted documents of candidates and 805 Tahun 2025 revoked it weeks later.
Idempotent: once the published demo decree exists, nothing more is done.
"""

import csv
import datetime
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from weasyprint import HTML

from dokumen import demo as dokumen_demo
from dokumen import samaran
from dokumen import services as dokumen_services
from dokumen.archive import entri_archive
from dokumen.models import (
    DasarHukum,
    Entri,
    JenisDokumen,
    JenisJangkaWaktu,
    State,
    TempatSimpan,
)
from persetujuan import demo as persetujuan_demo
from publikasi import services
from publikasi.demo_tanda_tangan import authority as signing_authority
from publikasi.demo_tanda_tangan import tampered_update
from publikasi.models import Keputusan, SaluranPublikasi

MODELS_CSV = (
    Path(__file__).resolve().parent.parent / "dokumen" / "reference" / "keputusan_contoh.csv"
)
OFFICE_SITE = "https://ppid.kpu-pinrang.example"

TEST = {
    "test_material": "Dokumen persyaratan yang diserahkan bakal calon saat pendaftaran, memuat data pribadi.",
    "test_harm": "Membuka dokumen utuh mengungkap data pribadi (NIK, alamat, riwayat kesehatan) dan membuka peluang penyalahgunaan identitas.",
    "test_law": "UU 14/2008 Pasal 17 huruf h; UU 27/2022 tentang Pelindungan Data Pribadi.",
    "test_public_interest": "Publik berkepentingan menilai keterpenuhan syarat calon.",
    "test_weighing": "Keterpenuhan syarat diumumkan melalui hasil penelitian; dokumen utuh tetap dikecualikan.",
    "test_conclusion": "dikecualikan",
}

# role: what the demo does with the entry once it is approved
ENTRIES = [
    {
        "role": "published",
        "title": "Salinan KTP-el dan Kartu Keluarga bakal calon Bupati dan Wakil Bupati Pinrang",
        "type": "pencalonan-pilkada",
        "grounds": ["17h2"],
        "period": "tahun-tetap",
        "years": 5,
        "wording": "5 (lima) tahun sejak ditetapkan, kecuali pemilik data memberikan persetujuan tertulis",
    },
    {
        "role": "published",
        "title": "Surat keterangan kesehatan jasmani dan rohani bakal calon Bupati dan Wakil Bupati Pinrang",
        "type": "pencalonan-pilkada",
        "grounds": ["17h2"],
        "period": "tahun-tetap",
        "years": 5,
        "wording": "5 (lima) tahun sejak ditetapkan",
    },
    {
        "role": "published",
        "title": "Formulir Model A.3-KWK dengan NIK dan NKK tidak disamarkan, Kecamatan Watang Sawitto",
        "type": "data-pemilih",
        "grounds": ["17h", "17j"],
        "period": "sampai-kondisi",
        "years": None,
        "wording": "Sampai dengan pihak yang rahasianya diungkap memberikan persetujuan tertulis",
        "review": -3,  # days from today; past: the review list flags it
    },
    {
        "role": "revoked",
        "title": "Salinan ijazah dan transkrip nilai bakal calon Bupati dan Wakil Bupati Pinrang",
        "type": "pencalonan-pilkada",
        "grounds": ["17h2"],
        "period": "tahun-tetap",
        "years": 5,
        "wording": "5 (lima) tahun sejak ditetapkan",
    },
    {
        "role": "draft",
        "title": "Surat keterangan catatan kepolisian bakal calon Bupati dan Wakil Bupati Pinrang",
        "type": "pencalonan-pilkada",
        "grounds": ["17h2"],
        "period": "tahun-tetap",
        "years": 5,
        "wording": "5 (lima) tahun sejak ditetapkan",
    },
    {
        "role": "ready",
        "title": "Berkas pribadi anggota KPPS Pemilihan 2024, Kecamatan Duampanua",
        "type": "kepegawaian",
        "grounds": ["17h2", "17h4"],
        "period": "tahun-tetap",
        "years": 5,
        "wording": "5 (lima) tahun sejak ditetapkan",
    },
    {
        "role": "ready",
        "title": "Identitas pelapor dugaan pelanggaran kode etik anggota PPS Desa Marawi",
        "type": "penanganan-pelanggaran",
        "grounds": ["17a2"],
        "period": "sampai-peristiwa",
        "years": None,
        "wording": "Sampai putusan atas pengaduan tersebut dibacakan",
        "review": 210,
    },
]


# an older decree whose fixed period is over: the end-of-period run opens its entry
ENDED = {
    "role": "ended",
    "title": "Daftar nama dan alamat anggota KPPS Pemilu 2019 yang diberhentikan, Kecamatan Lembang",
    "type": "kepegawaian",
    "grounds": ["17h2"],
    "period": "tahun-tetap",
    "years": 5,
    "wording": "5 (lima) tahun sejak ditetapkan",
}
ENDED_DECREE = {
    "number": "87 Tahun 2019",
    "date": datetime.date(2019, 3, 4),
    "title": "Penetapan Informasi yang Dikecualikan tentang Badan Ad Hoc Pemilu 2019",
}


def _models() -> dict[str, dict]:
    with MODELS_CSV.open(encoding="utf-8") as fh:
        return {row["nomor"]: row for row in csv.DictReader(fh)}


def review_date(spec: dict) -> datetime.date | None:
    days = spec.get("review")
    return None if days is None else datetime.date.today() + datetime.timedelta(days=days)


def _number(serial: int, date: datetime.date) -> str:
    return f"{serial} Tahun {date.year}"


def decrees() -> dict[str, dict]:
    """The demo decrees, worded after 731/2025 (exempting) and 805/2025 (revoking), dated in the
    weeks before today so the demo's timeline reads like an office's."""
    today = datetime.date.today()
    days_ago = {"published": 12, "revoked": 40, "revoking": 25, "draft": 2}
    date = {key: today - datetime.timedelta(days=n) for key, n in days_ago.items()}
    number = {
        "published": _number(1021, date["published"]),
        "revoked": _number(1048, date["revoked"]),
        "revoking": _number(1102, date["revoking"]),
        "draft": _number(214, date["draft"]),
    }
    exempting = _models()["731 Tahun 2025"]["tentang"]
    local = (
        exempting.replace(
            "pasangan calon Presiden dan Wakil Presiden",
            "bakal calon Bupati dan Wakil Bupati Pinrang",
        )
        .replace(" (16 dokumen)", "")
        .replace("dokumen persyaratan", "Dokumen Persyaratan")
    )
    return {
        "published": {
            "number": number["published"],
            "date": date["published"],
            "title": f"{local}, Pemilihan Bupati dan Wakil Bupati Pinrang",
        },
        "revoked": {
            "number": number["revoked"],
            "date": date["revoked"],
            "title": f"{local}: salinan ijazah dan transkrip nilai",
        },
        "revoking": {
            "number": number["revoking"],
            "date": date["revoking"],
            "title": f"Pencabutan Keputusan KPU Nomor {number['revoked']}",
        },
        "draft": {
            "number": number["draft"],
            "date": date["draft"],
            "title": f"{local}: surat keterangan catatan kepolisian",
        },
    }


# ---------------------------------------------------------------- generated files


def _pdf(heading: str, body: str) -> bytes:
    html = (
        "<html><body style='font-family: DejaVu Sans; font-size: 11pt'>"
        f"<h1 style='font-size: 14pt; text-align: center'>{escape(heading)}</h1>"
        f"<p>{escape(body)}</p><p><em>Naskah contoh untuk demo.</em></p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _place(entri: Entri, desk, ordner: TempatSimpan) -> Entri:
    """The binder and its archive number: with the files, what archiving needs."""
    if not entri.archive_number:
        entri = dokumen_services.entri_place(entri_id=entri.pk, by=desk, ordner_id=ordner.pk)
    return entri


# ---------------------------------------------------------------- redacted copies

# the right-hand column of the demo softcopy's table (dokumen.demo._softcopy_pdf), as fractions
# of the page: what the PPID's box covers in the page editor
DEMO_BOX = {"page": 0, "x": 0.26, "y": 0.19, "w": 0.66, "h": 0.08}


def _redacted_copies(users: dict, entries: list[Entri]) -> int:
    """A redacted copy of the first entry in force, made in the page editor and approved by
    the Atasan PPID (on the public page beside its entry), and one of the next, waiting."""
    made = 0
    for index, entri in enumerate(entries[:2]):
        pdf = entri.files.filter(content_type="application/pdf", removed_at=None).first()
        if pdf is None:
            continue
        salinan = samaran.salinan_from_boxes(berkas_id=pdf.pk, by=users["ppid"], boxes=[DEMO_BOX])
        made += 1
        if index == 0:
            samaran.salinan_approve(salinan_id=salinan.pk, by=users["atasan"])
    return made


# ---------------------------------------------------------------- approved entries


def _own_approved(spec: dict, users: dict, start: datetime.date) -> Entri:
    """Collected by the desk, classified by the PPID and approved by the three approvers."""
    desk, ppid = users["desk"], users["ppid"]
    entri = dokumen_demo.collect(
        desk,
        {
            "title": spec["title"],
            "summary": "Dokumen yang diserahkan saat pendaftaran bakal calon.",
            "holding_unit": "Subbagian Teknis Penyelenggaraan Pemilu dan Hubungan Partisipasi Masyarakat",
        },
        start - datetime.timedelta(days=40),
    )
    if entri.state == State.DIKUMPULKAN:
        entri = dokumen_services.entri_classify(
            entri_id=entri.pk,
            by=ppid,
            data={
                **TEST,
                "document_type": JenisDokumen.objects.get(code=spec["type"]),
                "period_kind": JenisJangkaWaktu.objects.get(code=spec["period"]),
                "period_years": spec["years"],
                "period_wording": spec["wording"],
                "period_start": start,
                "period_review": review_date(spec),
            },
            legal_grounds=DasarHukum.objects.filter(code__in=spec["grounds"]),
        )
    # the files first: an approval covers them, adding one later would void it
    dokumen_demo.attach_files(desk, entri)
    persetujuan_demo.submit_and_approve(users, entri)
    entri.refresh_from_db()
    return entri


def _approved_entries(users: dict, start) -> list[tuple[dict, Entri]]:
    """Approved entries of the other demos first, then the demo's own for the slots left."""
    own_titles = [spec["title"] for spec in ENTRIES]
    others = list(
        Entri.objects.filter(state=State.DISETUJUI).exclude(title__in=own_titles).order_by("pk")
    )
    chosen = []
    for spec in ENTRIES:
        entri = others.pop(0) if others else _own_approved(spec, users, start)
        chosen.append((spec, entri))
    return chosen


def _binder() -> TempatSimpan:
    ordner = TempatSimpan.objects.filter(
        level=TempatSimpan.Level.ORDNER, name="Ordner Pencalonan"
    ).first()
    if ordner:
        return ordner
    parent = None
    for level, name in enumerate(["Ruang Arsip PPID", "Lemari A", "Rak 2", "Boks 02"], start=1):
        parent, _ = TempatSimpan.objects.get_or_create(level=level, parent=parent, name=name)
    ordner, _ = TempatSimpan.objects.get_or_create(
        level=TempatSimpan.Level.ORDNER, parent=parent, name="Ordner Pencalonan"
    )
    return ordner


def _decree_pdf(data: dict, *, changed: bool = False) -> SimpleUploadedFile:
    """The decree as KPU issues it: signed electronically (by the demo's own authority, so its
    issuer is "belum diverifikasi"); `changed`: then edited after signing, as the staff page
    flags it."""
    heading = f"KEPUTUSAN KOMISI PEMILIHAN UMUM NOMOR {data['number'].upper()}"
    content = signing_authority().sign(_pdf(heading, f"TENTANG {data['title'].upper()}"))
    if changed:
        content = tampered_update(content)
    return SimpleUploadedFile("keputusan.pdf", content, content_type="application/pdf")


def _ended(users: dict, ordner: TempatSimpan) -> list[Entri]:
    """An entry of 2019 established for five years by Keputusan 87/2019: the daily end-of-period
    run (manage.py dik_kedaluwarsa) opens it, and the office announces it."""
    entri = _place(_own_approved(ENDED, users, ENDED_DECREE["date"]), users["desk"], ordner)
    entri = entri_archive(entri_id=entri.pk, by=users["ppid"])
    old = services.keputusan_create(
        by=users["ppid"], data=ENDED_DECREE, pdf=_decree_pdf(ENDED_DECREE), entries=[entri]
    )
    services.keputusan_publish(keputusan_id=old.pk, by=users["ppid"])
    return services.entries_expire()


def load(users: dict, stdout) -> dict:
    texts = decrees()
    # by serial, not year: a demo loaded last December is still the same demo
    existing = Keputusan.objects.filter(number__startswith="1021 Tahun ").first()
    if existing:
        return {"published": existing}
    desk, ppid = users["desk"], users["ppid"]
    ordner = _binder()
    start = texts["published"]["date"]
    by_role: dict[str, list[Entri]] = {}
    for spec, entri in _approved_entries(users, start):
        entri = _place(entri, desk, ordner)
        if spec["role"] != "ready":
            entri = entri_archive(entri_id=entri.pk, by=ppid)
        by_role.setdefault(spec["role"], []).append(entri)

    def record(key, entries, changed=False):
        data = texts[key]
        pdf = _decree_pdf(data, changed=changed)
        return services.keputusan_create(by=ppid, data=data, pdf=pdf, entries=entries)

    published = record("published", by_role["published"])
    services.keputusan_publish(keputusan_id=published.pk, by=ppid)
    slug_url = f"{OFFICE_SITE}/keputusan/{published.slug}/"
    for channel, when, link, note in [
        (SaluranPublikasi.Channel.WEBSITE, 7, slug_url, "Laman PPID"),
        (
            SaluranPublikasi.Channel.NOTICE_BOARD,
            8,
            "",
            "Papan pengumuman kantor KPU Kabupaten Pinrang",
        ),
        (
            SaluranPublikasi.Channel.SOCIAL_MEDIA,
            9,
            f"{OFFICE_SITE}/media-sosial/1021",
            "Unggahan akun resmi",
        ),
    ]:
        services.channel_add(
            keputusan_id=published.pk,
            by=ppid,
            data={
                "channel": channel,
                "date": start + datetime.timedelta(days=when - 6),
                "link": link,
                "note": note,
            },
        )

    copies = _redacted_copies(users, by_role["published"])

    revoked = record("revoked", by_role["revoked"])
    services.keputusan_publish(keputusan_id=revoked.pk, by=ppid)
    revoking = texts["revoking"]
    services.keputusan_revoke(
        keputusan_id=revoked.pk, by=ppid, data=revoking, pdf=_decree_pdf(revoking)
    )
    # the draft's PDF was edited after it was signed: publishing it asks for a reason
    record("draft", by_role["draft"], changed=True)
    ended = _ended(users, ordner)
    stdout.write(
        f"Publikasi: Keputusan {published.number} diterbitkan, {revoked.number} dicabut dengan "
        f"{revoking['number']}, 1 draf; {len(by_role['ready'])} entri disetujui siap diarsipkan; "
        f"{len(ended)} entri terbuka karena jangka waktunya berakhir; "
        f"{copies} salinan yang disamarkan (1 disetujui, tampil di halaman publik)."
    )
    return {"published": published}
