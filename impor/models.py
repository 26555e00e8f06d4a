"""An office's existing DIK list, uploaded to be imported: the file (kept privately), how its
columns map to the template's, and, once imported, which entry each row became."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dokumen.models import Entri, private_storage


def impor_file_name(instance, filename: str) -> str:
    """A storage name that reveals nothing of the original filename."""
    return f"impor/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Impor(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draf", _("checked, not imported yet")
        DONE = "selesai", _("imported")

    kantor = models.ForeignKey(
        "ppid.Kantor", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=impor_file_name, max_length=200
    )
    original_name = models.CharField(_("original filename"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # template column key → the index of the file's column (None: not in the file)
    mapping = models.JSONField(_("columns"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_left_out = models.PositiveIntegerField(_("rows left out"), default=0)

    class Meta:
        verbose_name = _("imported list")
        verbose_name_plural = _("imported lists")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            # the same file is one import per office: imported twice, it adds nothing
            models.UniqueConstraint(fields=["kantor", "sha256"], name="impor_one_per_file"),
            models.CheckConstraint(
                condition=Q(status="draf") | Q(imported_at__isnull=False),
                name="impor_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class BarisImpor(models.Model):
    """The entry a row of an imported list became."""

    impor = models.ForeignKey(Impor, on_delete=models.PROTECT, related_name="rows")
    row = models.PositiveIntegerField(_("row"))
    entri = models.OneToOneField(Entri, on_delete=models.PROTECT, related_name="import_row")

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        ordering = ["impor", "row"]
        constraints = [
            models.UniqueConstraint(fields=["impor", "row"], name="impor_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.impor_id}:{self.row}"
