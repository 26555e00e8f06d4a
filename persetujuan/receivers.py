"""Reactions to dokumen's signals (dokumen does not know this app)."""

from django.dispatch import receiver

from dokumen.signals import content_changed
from persetujuan.services import void_after_change


@receiver(content_changed, dispatch_uid="persetujuan_void_after_change")
def void_rounds_on_content_change(sender, entri, by=None, **kwargs):
    """An edit of what an approval covers voids the open round and any approval of it."""
    void_after_change(entri, by=by)
