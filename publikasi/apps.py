from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublikasiConfig(AppConfig):
    name = "publikasi"
    verbose_name = _("Publication")
