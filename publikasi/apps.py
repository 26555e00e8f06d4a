from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublikasiConfig(AppConfig):
    name = "publikasi"
    verbose_name = _("Publication")

    def ready(self):
        from dokumen import panels
        from dokumen.models import Entri
        from publikasi import services  # noqa: F401  (an archived entry follows its decree)
        from publikasi.panels import archive_and_decree_panel
        from publikasi.selectors import FollowedDecrees

        panels.register(50, archive_and_decree_panel)
        # prefetch_related("followed_decrees"): the decrees an entry follows, by publikasi's rule
        Entri.followed_decrees = FollowedDecrees()
