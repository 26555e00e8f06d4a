"""Demo approval step: entries approved, half-approved, returned and resubmitted, and ready.

Idempotent: every step looks at the entry's state and rounds first, so a second run changes
nothing. The demo's PPID submits; pembina, tim1 and atasan decide."""

import datetime

from dokumen import demo as dokumen_demo
from dokumen import services as dokumen_services
from dokumen.models import Entri, State
from persetujuan import services
from persetujuan.models import Putaran
from ppid.roles import Role

# the entries dokumen's demo classifies and places in a binder: taken all the way to "approved"
APPROVED_TITLES = [
    spec["desk"]["title"] for spec in dokumen_demo.CLASSIFIED if spec.get("place", True)
]

PARTIAL = {
    "desk": {
        "title": "Hasil pemeriksaan kesehatan jasmani dan rohani pasangan calon Bupati dan Wakil Bupati Pinrang 2024",
        "summary": "Surat keterangan hasil pemeriksaan kesehatan dari tim pemeriksa rumah sakit yang ditunjuk, termasuk catatan medis.",
        "holding_unit": "Subbagian Teknis Penyelenggaraan Pemilu dan Hubungan Partisipasi Masyarakat",
        "earlier_designation": "",
    },
    "type": "pencalonan-pilkada",
    "grounds": ["17h", "17h2"],
    "period": "sampai-kondisi",
    "years": None,
    "wording": "Sampai dengan pihak yang rahasianya diungkap memberikan persetujuan tertulis dan/atau berkaitan dengan jabatan publik",
    "test": {
        "test_material": "Riwayat, kondisi dan catatan pemeriksaan kesehatan fisik dan psikis pasangan calon.",
        "test_harm": "Membuka catatan medis mengungkap rahasia pribadi pasangan calon di luar kesimpulan mampu/tidak mampu.",
        "test_law": "UU 14/2008 Pasal 17 huruf h angka 2; UU 17/2023 tentang Kesehatan (rahasia kesehatan pasien).",
        "test_public_interest": "Publik berkepentingan mengetahui kesimpulan kemampuan jasmani dan rohani, yang diumumkan terpisah.",
    },
}

RETURNED = {
    "desk": {
        "title": "Berita acara klarifikasi dugaan pelanggaran kode etik anggota PPS Kecamatan Watang Sawitto",
        "summary": "Berita acara klarifikasi, keterangan pelapor dan saksi, serta dokumen pendukung.",
        "holding_unit": "Subbagian Hukum dan Sumber Daya Manusia",
        "earlier_designation": "",
    },
    "type": "penanganan-pelanggaran",
    "grounds": ["17a2", "17h"],
    "period": "sampai-peristiwa",
    "years": None,
    "wording": "Sampai putusan atas dugaan pelanggaran kode etik ditetapkan dan diumumkan",
    "test": {
        "test_material": "Keterangan pelapor, saksi dan terlapor dalam klarifikasi dugaan pelanggaran kode etik.",
        "test_harm": "Membuka keterangan sebelum putusan dapat mengungkap identitas pelapor dan saksi serta menghambat pemeriksaan.",
        "test_law": "UU 14/2008 Pasal 17 huruf a angka 2 dan huruf h.",
        "test_public_interest": "Publik berkepentingan atas integritas penyelenggara.",
        "test_weighing": "Perlindungan pelapor dan kelancaran pemeriksaan lebih berat sampai putusan diumumkan.",
    },
}
RETURN_REASON = (
    "Uji kepentingan publik huruf (d) belum menjelaskan bagian mana yang tetap dapat dibuka "
    "(misalnya pokok aduan dan putusan). Mohon dilengkapi sebelum diajukan kembali."
)
RETURN_FIX = {
    "test_public_interest": (
        "Publik berkepentingan atas integritas penyelenggara; pokok aduan, tahapan pemeriksaan "
        "dan putusan tetap diumumkan, hanya identitas dan keterangan pelapor serta saksi yang dikecualikan."
    )
}

READY = [
    {
        "desk": {
            "title": "Nota dinas rencana pengamanan gudang logistik Pemilihan 2024",
            "summary": "Nota dinas internal tentang jadwal, rute dan personel pengamanan gudang logistik.",
            "holding_unit": "Subbagian Keuangan, Umum dan Logistik",
            "earlier_designation": "",
        },
        "type": "surat-rahasia",
        "grounds": ["17i"],
        "period": "tahun-tetap",
        "years": 2,
        "wording": "2 (dua) tahun sejak ditetapkan",
        "test": {
            "test_material": "Memorandum intra-Badan Publik tentang pengamanan logistik pemilihan.",
            "test_harm": "Rute dan jadwal pengamanan yang terbuka dapat dimanfaatkan untuk mengganggu logistik.",
            "test_law": "UU 14/2008 Pasal 17 huruf i.",
            "test_public_interest": "Publik berkepentingan bahwa logistik aman; jumlah dan distribusi logistik tetap diumumkan.",
        },
    },
    {
        "desk": {
            "title": "Hasil tes tertulis dan wawancara calon anggota PPK Pemilihan 2024 per peserta",
            "summary": "Nilai tes tertulis, catatan wawancara dan rekomendasi panitia untuk setiap peserta.",
            "holding_unit": "Subbagian Hukum dan Sumber Daya Manusia",
            "earlier_designation": "",
        },
        "type": "seleksi",
        "grounds": ["17h4"],
        "period": "tahun-tetap",
        "years": 5,
        "wording": "5 (lima) tahun sejak ditetapkan",
        "test": {
            "test_material": "Hasil evaluasi kemampuan dan rekomendasi panitia atas setiap peserta seleksi.",
            "test_harm": "Membuka penilaian perorangan mengungkap hasil evaluasi kapabilitas seseorang.",
            "test_law": "UU 14/2008 Pasal 17 huruf h angka 4.",
            "test_public_interest": "Publik berkepentingan atas seleksi yang jujur; daftar peserta lulus dan nilai akhir diumumkan.",
        },
    },
    {
        "desk": {
            "title": "Harga perkiraan sendiri (HPS) pengadaan surat suara Pemilihan 2024",
            "summary": "Rincian HPS dan dasar perhitungannya sebelum kontrak ditandatangani.",
            "holding_unit": "Subbagian Keuangan, Umum dan Logistik",
            "earlier_designation": "",
        },
        "type": "pengadaan",
        "grounds": ["17b"],
        "period": "sampai-peristiwa",
        "years": None,
        "wording": "Sampai kontrak pengadaan ditandatangani",
        "test": {
            "test_material": "Rincian harga perkiraan sendiri pengadaan surat suara.",
            "test_harm": "HPS yang terbuka sebelum kontrak dapat mendorong persaingan usaha tidak sehat.",
            "test_law": "UU 14/2008 Pasal 17 huruf b; Perpres 16/2018 jo. 12/2021.",
            "test_public_interest": "Publik berkepentingan atas pengadaan yang wajar; nilai total HPS diumumkan.",
        },
    },
]


def _prepare(users, spec: dict, days_ago: int) -> Entri:
    today = datetime.date.today()
    entri = dokumen_demo.collect(
        users["desk"], spec["desk"], today - datetime.timedelta(days=days_ago)
    )
    entri = dokumen_demo.classify(users["ppid"], entri, spec, today)
    # its files before it goes to the approvers: their queue's search finds words in the scan
    dokumen_demo.attach_files(users["desk"], entri)
    return entri


def _submit_first_time(users, entri: Entri) -> None:
    entri.refresh_from_db()
    if entri.state == State.DIKLASIFIKASI and not entri.rounds.exists():
        services.entri_submit(entri_id=entri.pk, by=users["ppid"])


def _approve(entri: Entri, deciders) -> None:
    """Each (user, role) approves the open round unless the role already decided."""
    putaran = entri.rounds.filter(status=Putaran.Status.OPEN).first()
    if putaran is None:
        return
    for user, role in deciders:
        if putaran.decisions.filter(role=role.value).exists():
            continue
        services.approve(entri_id=entri.pk, by=user, role=role)


def approvers(users: dict) -> list:
    return [
        (users["pembina"], Role.PEMBINA),
        (users["tim1"], Role.TIM),
        (users["atasan"], Role.ATASAN),
    ]


def submit_and_approve(users: dict, entri: Entri) -> None:
    """The PPID submits a classified entry; Pembina PPID, Tim Pertimbangan and Atasan approve."""
    _submit_first_time(users, entri)
    _approve(entri, approvers(users))


def load(users: dict, stdout) -> dict:
    deciders = approvers(users)
    result = {"approved": [], "partial": None, "returned": None, "ready": []}

    for title in APPROVED_TITLES:
        entri = Entri.objects.filter(title=title).first()
        if entri is None:
            continue
        submit_and_approve(users, entri)
        result["approved"].append(entri)

    partial = _prepare(users, PARTIAL, days_ago=8)
    _submit_first_time(users, partial)
    _approve(partial, deciders[:1])  # Pembina PPID approved; Tim and Atasan still to decide
    result["partial"] = partial

    returned = _prepare(users, RETURNED, days_ago=12)
    _submit_first_time(users, returned)
    first = returned.rounds.filter(number=1).first()
    if first is not None and first.status == Putaran.Status.OPEN:
        services.return_entri(
            entri_id=returned.pk, by=users["tim1"], role=Role.TIM, reason=RETURN_REASON
        )
    returned.refresh_from_db()
    if returned.state == State.DIKLASIFIKASI and returned.rounds.count() == 1:
        dokumen_services.entri_update(entri_id=returned.pk, by=users["ppid"], data=RETURN_FIX)
        services.entri_submit(entri_id=returned.pk, by=users["ppid"])
    result["returned"] = returned

    for n, spec in enumerate(READY):
        result["ready"].append(_prepare(users, spec, days_ago=4 + n))

    stdout.write(
        f"Approval: {len(result['approved'])} approved, 1 waiting for Tim Pertimbangan and "
        f"Atasan PPID, 1 returned and resubmitted, {len(result['ready'])} classified and ready "
        "to submit."
    )
    return result
