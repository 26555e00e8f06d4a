from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersetujuanConfig(AppConfig):
    name = "persetujuan"
    verbose_name = _("Approval")

    def ready(self):
        from persetujuan import receivers  # noqa: F401
