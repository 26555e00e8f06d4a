"""Demo: a Pinrang proposal (by `ppid`, of an archived Pinrang entry) received and forwarded
by `ppid.sulsel` and decided by `ppid.ri` with a KPU RI decree, which `ppid.ri` then publishes:
the Pinrang entry becomes "ditetapkan" on behalf of the decree. Idempotent: its cover-letter
number marks it, and a second run finds it."""

import datetime

from ppid.models import Kantor
from publikasi import demo as publikasi_demo
from publikasi import demo_nasional
from publikasi import services as publikasi_services
from usulan import services
from usulan.models import Usulan

NUMBER = "012/PP.01.2-SD/7315/2026"
TITLE = "Salinan dokumen rekam medis hasil pemeriksaan kesehatan bakal calon Bupati Pinrang"
DECREE = "1020 Tahun 2026"


def load(users, stdout) -> None:
    if Usulan.objects.filter(nomor_surat=NUMBER).exists():
        return
    pinrang = Kantor.default()
    # Pinrang's own archived copy, kept for the proposal (the other demos' entries stay as
    # they show their own steps); it follows the decree as soon as it is published
    office_users = {key: users[key] for key in ("desk", "ppid", "pembina", "tim1", "atasan")}
    entri = demo_nasional._archived_entry(office_users, pinrang, TITLE, datetime.date(2026, 1, 5))
    usulan = services.usulan_send(
        by=users["ppid"],
        entri_ids=[entri.pk],
        data={
            "nomor_surat": NUMBER,
            "tanggal_surat": datetime.date(2026, 1, 12),
            "tujuan": "Ketua KPU Provinsi Sulawesi Selatan",
        },
    )
    services.usulan_receive(usulan_id=usulan.pk, by=users["ppid.sulsel"])
    services.usulan_forward(
        usulan_id=usulan.pk,
        by=users["ppid.sulsel"],
        note="Diteruskan untuk uji konsekuensi oleh Tim Pertimbangan KPU RI.",
    )
    ri_ppid = users["ppid.ri"]
    data = {
        "number": DECREE,
        "date": datetime.date(2026, 2, 2),
        "title": "Penetapan hasil uji konsekuensi atas usulan KPU Kabupaten Pinrang",
    }
    keputusan = publikasi_services.keputusan_create(
        by=ri_ppid, data=data, pdf=publikasi_demo._decree_pdf(data)
    )
    # deciding the proposal puts Pinrang in the decree's reach: nobody names it by hand
    services.usulan_decide(usulan_id=usulan.pk, by=ri_ppid, keputusan_id=keputusan.pk)
    publikasi_services.keputusan_publish(keputusan_id=keputusan.pk, by=ri_ppid)
    stdout.write(f"usulan: {usulan} sent, forwarded and decided by Keputusan {DECREE}")
