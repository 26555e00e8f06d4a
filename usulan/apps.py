from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsulanConfig(AppConfig):
    name = "usulan"
    verbose_name = _("Proposals for a consequence test (usulan)")

    def ready(self):
        from usulan import services  # noqa: F401  (adds the lifecycle's guard on PROPOSE)
