from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublikasiConfig(AppConfig):
    name = "publikasi"
    verbose_name = _("Publication")

    def ready(self):
        from dokumen import panels
        from publikasi import services  # noqa: F401  (an archived entry follows its decree)
        from publikasi.panels import archive_and_decree_panel

        panels.register(50, archive_and_decree_panel)
