from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def public_storage():
    return storages["public"]


class SiteProfile(models.Model):
    """The office behind this installation: its name and letterhead on every printed page."""

    office_name = models.CharField(
        _("office name"), max_length=200, default="Komisi Pemilihan Umum Kabupaten Pinrang"
    )
    short_name = models.CharField(_("short name"), max_length=60, default="KPU Kabupaten Pinrang")
    address = models.TextField(
        _("address"),
        blank=True,
        default="Jl. Jend. Sudirman No. 1, Pinrang, Sulawesi Selatan",
    )
    phone = models.CharField(_("telephone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("city of signature"), max_length=60, default="Pinrang")
    ppid_officer = models.CharField(
        _("name of the PPID officer (signature block)"), max_length=120, blank=True
    )
    logo = models.ImageField(
        _("logo for the letterhead"), upload_to="profil/", storage=public_storage, blank=True
    )

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profile")

    def __str__(self) -> str:
        return self.office_name

    @classmethod
    def current(cls) -> "SiteProfile":
        profile, _created = cls.objects.get_or_create(pk=1)
        return profile
