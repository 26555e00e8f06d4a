from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersetujuanConfig(AppConfig):
    name = "persetujuan"
    verbose_name = _("Approval")

    def ready(self):
        from dokumen import panels
        from persetujuan import receivers  # noqa: F401
        from persetujuan.panel import entri_panel

        panels.register(20, entri_panel)
