"""How long an entry's records are kept, apart from how long the information is closed.

The exemption period (Entri.period_*) says how long the information is closed; the retention
says how long the record is kept: the office's Jadwal Retensi Arsip (PKPU 17/2023) gives each
classification code its active and inactive years and the final disposition (musnah, permanen,
dinilai kembali); the security level (PKPU 7/2021) says who may handle it. Both are reference
data editable in the admin. A record is disposed of only by a disposal with its own approval
and log, never while still exempted or under a legal hold.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dokumen.models import Entri


class TingkatKeamanan(models.Model):
    """A security level of a record (biasa, terbatas, rahasia, sangat rahasia; PKPU 7/2021)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("security level")
        verbose_name_plural = _("security levels")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class JadwalRetensi(models.Model):
    """A row of a Jadwal Retensi Arsip: a classification code, how long its records stay
    active and inactive, and what becomes of them then. Without an office: every office's."""

    class Disposition(models.TextChoices):
        DESTROY = "musnah", _("destroy (musnah)")
        PERMANENT = "permanen", _("keep permanently (permanen)")
        REVIEW = "dinilai_kembali", _("review again (dinilai kembali)")

    kantor = models.ForeignKey(
        "ppid.Kantor",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the schedule of every office."),
    )
    code = models.CharField(_("classification code"), max_length=30)
    name = models.CharField(_("series of records"), max_length=200)
    active_years = models.PositiveSmallIntegerField(_("active years"))
    inactive_years = models.PositiveSmallIntegerField(_("inactive years"))
    disposition = models.CharField(
        _("final disposition"), max_length=20, choices=Disposition.choices
    )
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("retention schedule row")
        verbose_name_plural = _("retention schedule (Jadwal Retensi Arsip)")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kantor", "code"], name="jadwal_retensi_code_per_office"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(kantor__isnull=True), name="jadwal_retensi_code_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


def _years_after(start: datetime.date, years: int) -> datetime.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


class RetensiEntri(models.Model):
    """An entry's records: their classification code and retention, and their security level."""

    entri = models.OneToOneField(Entri, on_delete=models.PROTECT, related_name="retensi")
    kantor = models.ForeignKey("ppid.Kantor", on_delete=models.PROTECT, related_name="+")
    jadwal = models.ForeignKey(
        JadwalRetensi, verbose_name=_("retention"), on_delete=models.PROTECT, related_name="+"
    )
    keamanan = models.ForeignKey(
        TingkatKeamanan,
        verbose_name=_("security level"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start = models.DateField(
        _("retention counted from"),
        help_text=_("The date the record was closed (usually the date it was collected)."),
    )
    disposed_at = models.DateTimeField(_("disposed of at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("retention of an entry's records")
        verbose_name_plural = _("retention of entries' records")

    def __str__(self) -> str:
        return f"{self.entri_id}: {self.jadwal.code}"

    @property
    def inactive_from(self) -> datetime.date:
        return _years_after(self.start, self.jadwal.active_years)

    @property
    def retention_ends(self) -> datetime.date:
        return _years_after(self.start, self.jadwal.active_years + self.jadwal.inactive_years)


class PenahananHukum(models.Model):
    """A legal hold: the record is kept whatever its retention says, while a dispute lasts."""

    class Reason(models.TextChoices):
        OBJECTION = "keberatan", _("an objection (keberatan) to a refusal of information")
        DISPUTE = "sengketa_ki", _("a dispute before the Komisi Informasi")
        COURT = "perkara", _("a court case")
        OTHER = "lainnya", _("other")

    entri = models.ForeignKey(Entri, on_delete=models.PROTECT, related_name="legal_holds")
    kantor = models.ForeignKey("ppid.Kantor", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    description = models.TextField(_("description"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("held since"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_note = models.TextField(_("why it was released"), blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entri_id}: {self.get_reason_display()}"


class Pemusnahan(models.Model):
    """The disposal of an entry's records: proposed by the PPID, approved by the Atasan PPID
    (another person), then carried out; each step is a row of its log."""

    class Status(models.TextChoices):
        PROPOSED = "diusulkan", _("proposed")
        APPROVED = "disetujui", _("approved")
        REFUSED = "ditolak", _("refused")
        DONE = "dilaksanakan", _("carried out")

    entri = models.ForeignKey(Entri, on_delete=models.PROTECT, related_name="disposals")
    kantor = models.ForeignKey("ppid.Kantor", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # one disposal in progress or done per entry
            models.UniqueConstraint(
                fields=["entri"],
                condition=~Q(status="ditolak"),
                name="pemusnahan_one_per_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entri_id}: {self.get_status_display()}"


class LangkahPemusnahan(models.Model):
    """One step of a disposal: who proposed, approved, refused or carried it out, when, why."""

    pemusnahan = models.ForeignKey(Pemusnahan, on_delete=models.PROTECT, related_name="log")
    status = models.CharField(_("status"), max_length=20, choices=Pemusnahan.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("step of a disposal")
        verbose_name_plural = _("steps of disposals")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.pemusnahan_id}: {self.status}"
