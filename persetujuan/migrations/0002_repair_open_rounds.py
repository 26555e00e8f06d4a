"""Repair what the old (from, to) map let happen: an open approval round beside an entry that
is not “diajukan” (the stale classification tab), or a “diajukan” entry without an open round.
Each repair is logged on the entry as done by the system (action perbaikan_data)."""

from django.db import migrations
from django.utils import timezone

NOTE_VOID = (
    "Perbaikan data: putaran persetujuan yang masih terbuka dibatalkan karena entri tidak "
    "lagi diajukan."
)
NOTE_BACK = (
    "Perbaikan data: entri diajukan tanpa putaran persetujuan yang terbuka, dikembalikan ke "
    "diklasifikasi; PPID dapat mengajukannya lagi."
)


def repair(apps, schema_editor):
    Entri = apps.get_model("dokumen", "Entri")
    TransitionLog = apps.get_model("dokumen", "TransitionLog")
    Putaran = apps.get_model("persetujuan", "Putaran")
    now = timezone.now()

    stray = Putaran.objects.filter(status="terbuka").exclude(entri__state="diajukan")
    for putaran in stray.select_related("entri"):
        putaran.status = "batal"
        putaran.closed_at = now
        putaran.close_note = NOTE_VOID
        putaran.save(update_fields=["status", "closed_at", "close_note"])
        entri = putaran.entri
        TransitionLog.objects.create(
            entri=entri,
            action="perbaikan_data",
            from_state=entri.state,
            to_state=entri.state,
            by=None,
            at=now,
            note=NOTE_VOID,
        )

    open_ids = Putaran.objects.filter(status="terbuka").values("entri_id")
    for entri in Entri.objects.filter(state="diajukan").exclude(pk__in=open_ids):
        TransitionLog.objects.create(
            entri=entri,
            action="perbaikan_data",
            from_state="diajukan",
            to_state="diklasifikasi",
            by=None,
            at=now,
            note=NOTE_BACK,
        )
        Entri.objects.filter(pk=entri.pk).update(
            state="diklasifikasi", state_changed_at=now, state_action="perbaikan_data"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("persetujuan", "0001_initial"),
        ("dokumen", "0005_partial_upload"),
    ]
    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
