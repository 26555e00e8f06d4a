"""Demo: Pinrang's entries in force and opened carry a retention and a security level; an
opened entry whose retention ended has a disposal waiting for the Atasan PPID, another is held
by an objection, one still exempted shows as due but not disposable; Sidrap's one entry in force
has its retention too."""

import datetime

from django.utils import timezone

from dokumen.models import Entri, State
from ppid.models import Kantor
from retensi import services
from retensi.models import JadwalRetensi, RetensiEntri, TingkatKeamanan


def _years_ago(n: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - n, day=min(today.day, 28))


def _keep(entri, by, code: str, level: str, start=None):
    return services.retensi_set(
        entri_id=entri.pk,
        by=by,
        jadwal_id=JadwalRetensi.objects.get(kantor=None, code=code).pk,
        keamanan_id=TingkatKeamanan.objects.get(code=level).pk,
        start=start,
    )


def load(users, stdout) -> None:
    pinrang = Kantor.default()
    if RetensiEntri.objects.filter(kantor=pinrang).exists():
        return
    ppid = users["ppid"]
    entries = Entri.objects.filter(kantor=pinrang).order_by("pk")
    in_force = list(entries.filter(state=State.DITETAPKAN))
    opened = list(entries.filter(state=State.TIDAK_BERLAKU))
    for n, entri in enumerate(in_force):
        # the first one's retention ended while it is still exempted: due, not disposable
        _keep(entri, ppid, "DIK.01", "rahasia", start=_years_ago(8) if n == 0 else None)
    for n, entri in enumerate(opened):
        _keep(entri, ppid, "DIK.02", "terbatas", start=_years_ago(6))
        if n == 0:
            services.disposal_propose(
                entri_id=entri.pk, by=ppid, note="Retensi inaktif berakhir; informasi sudah dibuka."
            )
        elif n == 1:
            services.hold_start(
                entri_id=entri.pk,
                by=ppid,
                reason="keberatan",
                description="Keberatan pemohon informasi No. 7/PPID/2026 atas penolakan salinan.",
            )
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    theirs = Entri.objects.filter(kantor=sidrap, state=State.DITETAPKAN).order_by("pk").first()
    if theirs is not None:
        _keep(theirs, users["ppid.sidrap"], "DIK.03", "biasa")
