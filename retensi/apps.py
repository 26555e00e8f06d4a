from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetensiConfig(AppConfig):
    name = "retensi"
    verbose_name = _("Retention of the records (Jadwal Retensi Arsip)")
