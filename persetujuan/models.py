"""Approval rounds of an entry and each required role's decision in them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dokumen.models import Entri


class Putaran(models.Model):
    """One approval round, bound to the entry's content (hash) at submit time."""

    class Status(models.TextChoices):
        OPEN = "terbuka", _("open")
        APPROVED = "disetujui", _("approved")
        RETURNED = "dikembalikan", _("returned")
        WITHDRAWN = "ditarik", _("withdrawn")
        VOID = "batal", _("void (content changed)")

    entri = models.ForeignKey(Entri, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveIntegerField(_("round"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    required_roles = models.JSONField(_("required roles"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("approval round")
        verbose_name_plural = _("approval rounds")
        ordering = ["entri", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entri", "number"], name="putaran_unique_number"),
            models.UniqueConstraint(
                fields=["entri"], condition=Q(status="terbuka"), name="putaran_one_open_per_entri"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entri} — putaran {self.number}"


class Persetujuan(models.Model):
    """The decision of one role in one round: approve, or return with a reason."""

    class Result(models.TextChoices):
        APPROVE = "setuju", _("approved")
        RETURN = "kembalikan", _("returned")

    putaran = models.ForeignKey(Putaran, on_delete=models.PROTECT, related_name="decisions")
    role = models.CharField(_("role"), max_length=60)
    result = models.CharField(_("decision"), max_length=20, choices=Result.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # copied from the round so that the database itself refuses self-approval
    round_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["putaran", "role"], name="persetujuan_one_per_role"),
            models.UniqueConstraint(
                fields=["putaran", "by"], name="persetujuan_one_role_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(by=F("round_opened_by")), name="persetujuan_not_by_submitter"
            ),
            models.CheckConstraint(
                condition=Q(result="setuju") | ~Q(reason=""), name="persetujuan_return_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.get_result_display()}"
