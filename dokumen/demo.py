"""Demo entries collected by the desk and classified by the PPID, and the binder tree."""

import datetime

from dokumen import services
from dokumen.models import DasarHukum, Entri, JenisDokumen, JenisJangkaWaktu, TempatSimpan

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


def load(users: dict, stdout) -> dict:
    desk, ppid = users["desk"], users["ppid"]
    today = datetime.date.today()
    ordners = _places()
    entries = {}
    for n, data in enumerate(COLLECTED):
        # one fresh, one past the SOP's two-week standard for step 1
        entries[data["title"]] = collect(desk, data, today - datetime.timedelta(days=3 + 17 * n))
    for spec in CLASSIFIED:
        entri = collect(desk, spec["desk"], today - datetime.timedelta(days=10))
        entri = classify(ppid, entri, spec, today)
        if entri.archive_number is None and spec.get("place", True):
            entri = services.entri_place(entri_id=entri.pk, by=desk, ordner_id=ordners[0].pk)
        entries[entri.title] = entri
    for title, username, data, grounds in EDITS:
        entri = entries[title]
        if entri.is_read_only:
            continue  # another app's demo took it past approval; history stays as it was
        # an edit that is already in place changes nothing and records nothing
        entries[title] = services.entri_update(
            entri_id=entri.pk,
            by=users[username],
            data=data,
            legal_grounds=DasarHukum.objects.filter(code__in=grounds) if grounds else None,
        )
    return {"ordners": ordners, "entries": entries}
