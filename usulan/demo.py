"""Demo: a Pinrang proposal (by `ppid`, of an approved Pinrang entry) received and forwarded
by `ppid.sulsel` and decided by `ppid.ri` with a KPU RI decree. Idempotent: its cover-letter
number marks it, and a second run finds it."""

import datetime

from dokumen.models import Entri, State
from ppid.models import Kantor
from publikasi.models import Keputusan
from usulan import services
from usulan.models import Usulan

NUMBER = "012/PP.01.2-SD/7315/2026"
DECREE = "1020 Tahun 2026"


def load(users, stdout) -> None:
    if Usulan.objects.filter(nomor_surat=NUMBER).exists():
        return
    pinrang = Kantor.default()
    entri = (
        Entri.objects.filter(kantor=pinrang, state__in=[State.DISETUJUI, State.DIARSIPKAN])
        .exclude(usulan_items__terbuka=True)
        .order_by("pk")
        .first()
    )
    if entri is None:
        stdout.write("usulan: no approved Pinrang entry to propose")
        return
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
    ri = Kantor.objects.get(slug="ri")
    keputusan, _created = Keputusan.objects.get_or_create(
        kantor=ri,
        number=DECREE,
        defaults={
            "date": datetime.date(2026, 2, 2),
            "title": "Penetapan hasil uji konsekuensi atas usulan KPU Kabupaten Pinrang",
            "recorded_by": users["ppid.ri"],
        },
    )
    services.usulan_decide(usulan_id=usulan.pk, by=users["ppid.ri"], keputusan_id=keputusan.pk)
    stdout.write(f"usulan: {usulan} sent, forwarded and decided by Keputusan {DECREE}")
