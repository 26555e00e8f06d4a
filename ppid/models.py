from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
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


class Surel(models.Model):
    """One outgoing email (the outbox): written in the transaction that causes it, sent after
    the commit by a task, retried on failure; `sent_at` records the sending, so a task that runs
    again (a killed worker's, a duplicate) never sends it twice."""

    class Status(models.TextChoices):
        WAITING = "menunggu", _("waiting to be sent")
        SENT = "terkirim", _("sent")
        FAILED = "gagal", _("failed")

    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    retried_at = models.DateTimeField(_("sent again by hand at"), null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent again by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing email")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="surel_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="terkirim", sent_at__isnull=False)
                | (~models.Q(status="terkirim") & models.Q(sent_at__isnull=True)),
                name="surel_sent_iff_sent_at",
            )
        ]

    def __str__(self) -> str:
        return self.subject
