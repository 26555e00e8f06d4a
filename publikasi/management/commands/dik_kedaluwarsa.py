"""Daily: entries whose fixed exemption period has ended leave the DIK (become tidak_berlaku)."""

from django.core.management.base import BaseCommand
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from publikasi.selectors import REVIEWED_BEHAVIOURS, published_entries
from publikasi.services import entries_expire


class Command(BaseCommand):
    help = (
        "Move every entry in force (ditetapkan) whose fixed period ended before today (WITA) to "
        "tidak_berlaku, logged as done by the system; then list the entries with a conditional "
        "or event period whose review date has passed. Idempotent and safe to run twice at once."
    )

    def handle(self, *args, verbosity=1, **options):
        today = timezone.localdate()
        moved = entries_expire(today=today)
        for entri in moved:
            self.stdout.write(
                _("No longer exempted: [%(id)s] %(title)s (period ended %(end)s)")
                % {
                    "id": entri.pk,
                    "title": entri.title,
                    "end": formats.date_format(entri.period_end, "j F Y"),
                }
            )
        if verbosity > 0:
            self.stdout.write(
                _("%(n)s entries reached the end of their period.") % {"n": len(moved)}
            )
        overdue = (
            published_entries()
            .filter(period_kind__behaviour__in=REVIEWED_BEHAVIOURS, period_review__lt=today)
            .order_by("period_review", "pk")
        )
        for entri in overdue:
            self.stdout.write(
                _("Review overdue since %(date)s: [%(id)s] %(title)s — %(wording)s")
                % {
                    "date": formats.date_format(entri.period_review, "j F Y"),
                    "id": entri.pk,
                    "title": entri.title,
                    "wording": entri.period_wording,
                }
            )
