from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DokumenConfig(AppConfig):
    name = "dokumen"
    verbose_name = _("Exempted information (DIK)")

    def ready(self):
        from dokumen import archive  # noqa: F401  (adds the lifecycle's guard on ARCHIVE)
