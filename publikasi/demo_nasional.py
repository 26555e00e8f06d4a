"""Demo of a national decree (dokumen/reference/keputusan_contoh.csv): KPU RI records Keputusan
KPU 731 Tahun 2025 once, with the information it designates and reaching every office; KPU
Kabupaten Pinrang and KPU Kabupaten Sidenreng Rappang each link their own archived entry (files,
binder) to one of its items; KPU RI publishes it, each kabupaten records where it announced it,
and KPU RI revokes it by Keputusan 805 Tahun 2025. Both kabupaten pages show the two decrees.

The items are some of the documents of the candidates' requirements the decree named; the
decree's own list (16 documents) is in its text. Idempotent: once 731 Tahun 2025 is recorded,
nothing more is done.
"""

import csv
import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from dokumen import services as dokumen_services
from dokumen.archive import entri_archive
from dokumen.models import DasarHukum, JenisDokumen, State, TempatSimpan
from ppid.models import Kantor
from publikasi import demo as publikasi_demo
from publikasi import services
from publikasi.models import Keputusan, SaluranPublikasi

NATIONAL = "731 Tahun 2025"
REVOKING = "805 Tahun 2025"
PERIOD = "5 (lima) tahun, kecuali pemilik data memberikan persetujuan tertulis atau data berkaitan dengan jabatan publik"
ITEMS = [
    "Fotokopi KTP-el dan akta kelahiran bakal pasangan calon Presiden dan Wakil Presiden",
    "Surat keterangan catatan kepolisian bakal pasangan calon",
    "Surat keterangan kesehatan jasmani dan rohani bakal pasangan calon",
    "Fotokopi ijazah dan transkrip bakal pasangan calon",
    "Daftar riwayat hidup bakal pasangan calon",
    "Surat keterangan tidak sedang dinyatakan pailit",
]
# the office's own copy linked to an item: (office, title, index in ITEMS, users of the office)
LINKED = [
    (
        "kab-pinrang",
        "Salinan ijazah bakal pasangan calon Presiden dan Wakil Presiden yang diterima KPU Kabupaten Pinrang",
        3,
        {"desk": "desk", "ppid": "ppid", "pembina": "pembina", "tim1": "tim1", "atasan": "atasan"},
    ),
    (
        "kab-sidenreng-rappang",
        "Salinan KTP-el bakal pasangan calon Presiden dan Wakil Presiden pada arsip KPU Kabupaten Sidenreng Rappang",
        0,
        {
            "desk": "desk.sidrap",
            "ppid": "ppid.sidrap",
            "pembina": "pembina.sidrap",
            "tim1": "tim.sidrap",
            "atasan": "atasan.sidrap",
        },
    ),
]


def _rows() -> dict[str, dict]:
    with publikasi_demo.MODELS_CSV.open(encoding="utf-8") as fh:
        return {row["nomor"]: row for row in csv.DictReader(fh)}


def _binder(kantor: Kantor) -> TempatSimpan:
    parent = None
    # named after the office: the other demos find their rooms by name alone
    room = f"Ruang Arsip {kantor.singkatan}"
    for level, name in enumerate([room, "Lemari P", "Rak 1", "Boks Pilpres"], 1):
        parent, _ = TempatSimpan.objects.get_or_create(
            kantor=kantor, level=level, parent=parent, name=name
        )
    ordner, _ = TempatSimpan.objects.get_or_create(
        kantor=kantor, level=TempatSimpan.Level.ORDNER, parent=parent, name="Ordner Pilpres 2024"
    )
    return ordner


def _pdf(number: str, title: str) -> SimpleUploadedFile:
    return publikasi_demo._decree_pdf({"number": number, "title": title})


def _archived_entry(users: dict, kantor: Kantor, title: str, start) -> object:
    spec = {
        "title": title,
        "type": "pencalonan-pilkada",
        "grounds": ["17h2"],
        "period": "tahun-tetap",
        "years": 5,
        "wording": PERIOD,
    }
    entri = publikasi_demo._own_approved(spec, users, start)
    if not entri.archive_number:
        entri = dokumen_services.entri_place(
            entri_id=entri.pk, by=users["desk"], ordner_id=_binder(kantor).pk
        )
    if entri.state == State.DISETUJUI:
        entri = entri_archive(entri_id=entri.pk, by=users["ppid"])
    return entri


DRAFT = "1150 Tahun 2026"
DRAFT_TITLE = (
    "Penetapan dokumen persyaratan bakal calon anggota Dewan Perwakilan Daerah sebagai "
    "informasi publik yang dikecualikan"
)
DRAFT_ITEMS = [
    "Fotokopi KTP-el bakal calon anggota DPD",
    "Surat keterangan kesehatan jasmani dan rohani bakal calon anggota DPD",
]


def load_draft(users: dict) -> Keputusan:
    """A national decree KPU RI is still drafting: its items and its reach are recorded on the
    staff page (`ppid.ri`), and the kabupaten see its information to link their entries to."""
    existing = Keputusan.objects.filter(number=DRAFT).first()
    if existing:
        return existing
    ri_ppid = users["ppid.ri"]
    data = {"number": DRAFT, "date": datetime.date(2026, 3, 2), "title": DRAFT_TITLE}
    draft = services.keputusan_create(by=ri_ppid, data=data, pdf=_pdf(DRAFT, DRAFT_TITLE))
    services.keputusan_set_reach(keputusan_id=draft.pk, by=ri_ppid, all_below=True)
    kind = JenisDokumen.objects.filter(code="pencalonan-pilkada").first()
    for text in DRAFT_ITEMS:
        services.item_add(
            keputusan_id=draft.pk,
            by=ri_ppid,
            data={"title": text, "document_type": kind, "period_wording": PERIOD},
            legal_grounds=DasarHukum.objects.filter(code__in=["17h2"]),
        )
    return draft


def load(users: dict, stdout) -> dict:
    load_draft(users)
    existing = Keputusan.objects.filter(number=NATIONAL).first()
    if existing:
        return {"national": existing}
    rows = _rows()
    ri_ppid = users["ppid.ri"]
    national_date = datetime.date.fromisoformat(rows[NATIONAL]["tanggal"])
    revoking_date = datetime.date.fromisoformat(rows[REVOKING]["tanggal"])
    title = rows[NATIONAL]["tentang"].replace(" (16 dokumen)", "")

    national = services.keputusan_create(
        by=ri_ppid,
        data={"number": NATIONAL, "date": national_date, "title": title},
        pdf=_pdf(NATIONAL, title),
    )
    services.keputusan_set_reach(keputusan_id=national.pk, by=ri_ppid, all_below=True)
    grounds = DasarHukum.objects.filter(code__in=["17h2"])
    kind = JenisDokumen.objects.filter(code="pencalonan-pilkada").first()
    items = [
        services.item_add(
            keputusan_id=national.pk,
            by=ri_ppid,
            data={"title": text, "document_type": kind, "period_wording": PERIOD},
            legal_grounds=grounds,
        )
        for text in ITEMS
    ]
    for slug, entry_title, index, names in LINKED:
        office_users = {key: users[name] for key, name in names.items()}
        kantor = Kantor.objects.get(slug=slug)
        entri = _archived_entry(office_users, kantor, entry_title, national_date)
        services.entri_link_to_item(
            entri_id=entri.pk, item_id=items[index].pk, by=office_users["ppid"]
        )
    services.keputusan_publish(keputusan_id=national.pk, by=ri_ppid)
    for slug, _title, _index, names in LINKED:
        services.channel_add(
            keputusan_id=national.pk,
            by=users[names["ppid"]],
            data={
                "channel": SaluranPublikasi.Channel.NOTICE_BOARD,
                "date": national_date + datetime.timedelta(days=3),
                "note": f"Papan pengumuman kantor {Kantor.objects.get(slug=slug).singkatan}",
            },
        )
    revoking_title = rows[REVOKING]["tentang"]
    services.keputusan_revoke(
        keputusan_id=national.pk,
        by=ri_ppid,
        data={"number": REVOKING, "date": revoking_date, "title": revoking_title},
        pdf=_pdf(REVOKING, revoking_title),
    )
    # nothing printed: the demo's summary stays short (tests/test_first_minutes.py)
    return {"national": national}
