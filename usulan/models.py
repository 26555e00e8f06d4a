"""A proposal (usulan uji konsekuensi) up the chain: a KPU Kabupaten/Kota applies through its
KPU Provinsi, a KPU Provinsi straight to KPU RI (PKPU 22/2023 Pasal 24–25); a provinsi decides
by delegation where PKPU 4/2025 lets it (settings.DIK_DELEGATED_PROVINCES)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dokumen.models import private_storage


def lampiran_name(instance, filename: str) -> str:
    """A storage name that reveals nothing of what the file is."""
    return f"usulan/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.pdf"


class Status(models.TextChoices):
    DIKIRIM = "dikirim", _("sent up the chain")
    DITERIMA = "diterima", _("received by the provinsi")
    DITERUSKAN = "diteruskan", _("forwarded to KPU RI")
    DIPUTUSKAN = "diputuskan", _("decided")
    DIKEMBALIKAN = "dikembalikan", _("returned")


OPEN_STATUSES = (Status.DIKIRIM, Status.DITERIMA, Status.DITERUSKAN)


class Aksi(models.TextChoices):
    """The named actions of a proposal (usulan/lifecycle.py holds their table)."""

    KIRIM = "kirim", _("send")
    TERIMA = "terima", _("receive")
    TERUSKAN = "teruskan", _("forward to KPU RI")
    KEMBALIKAN = "kembalikan", _("return to the proposing office")
    PUTUSKAN = "putuskan", _("decide")


class Usulan(models.Model):
    kantor = models.ForeignKey(
        "ppid.Kantor",
        verbose_name=_("proposing office"),
        on_delete=models.PROTECT,
        related_name="usulan_keluar",
    )
    pemegang = models.ForeignKey(
        "ppid.Kantor",
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="usulan_dipegang",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DIKIRIM, db_index=True
    )
    nomor_surat = models.CharField(_("cover letter number"), max_length=100)
    tanggal_surat = models.DateField(_("cover letter date"))
    tujuan = models.CharField(_("addressed to"), max_length=200)
    surat_pdf = models.FileField(
        _("cover letter (PDF)"),
        storage=private_storage,
        upload_to=lampiran_name,
        max_length=200,
        blank=True,
    )
    # PKPU 4/2025: the provinsi that holds it may decide it itself (fixed when it is sent)
    delegasi = models.BooleanField(_("the provinsi decides by delegation"), default=False)
    alasan_kembali = models.TextField(_("reason for the return"), blank=True)
    diputuskan_oleh = models.ForeignKey(
        "publikasi.Keputusan",
        verbose_name=_("decided by the decree"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="usulan",
    )
    entries = models.ManyToManyField(
        "dokumen.Entri", through="UsulanEntri", related_name="usulan", verbose_name=_("entries")
    )
    dikirim_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dikirim_pada = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-dikirim_pada", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dikembalikan") | ~Q(alasan_kembali=""),
                name="usulan_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="diputuskan") | Q(diputuskan_oleh__isnull=False),
                name="usulan_decided_has_decree",
            ),
            models.CheckConstraint(
                condition=~Q(kantor=models.F("pemegang")), name="usulan_held_above_its_office"
            ),
        ]

    def __str__(self) -> str:
        return f"Usulan No. {self.nomor_surat}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class UsulanEntri(models.Model):
    """An entry in a proposal; `terbuka` while the proposal is open: one open proposal per entry."""

    usulan = models.ForeignKey(Usulan, on_delete=models.CASCADE, related_name="items")
    entri = models.ForeignKey(
        "dokumen.Entri", on_delete=models.PROTECT, related_name="usulan_items"
    )
    terbuka = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("entry of a proposal")
        verbose_name_plural = _("entries of proposals")
        constraints = [
            models.UniqueConstraint(fields=["usulan", "entri"], name="usulan_entri_once"),
            models.UniqueConstraint(
                fields=["entri"], condition=Q(terbuka=True), name="usulan_one_open_per_entri"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.usulan_id}: {self.entri_id}"


class Lampiran(models.Model):
    """A generated attachment, rendered once at sending and kept as a private file."""

    class Jenis(models.TextChoices):
        UJI = "uji_konsekuensi", _("consequence test sheet")
        LEMBAR = "lembar_persetujuan", _("approval sheet")

    usulan = models.ForeignKey(Usulan, on_delete=models.CASCADE, related_name="lampiran")
    jenis = models.CharField(_("kind"), max_length=30, choices=Jenis.choices)
    entri = models.ForeignKey(
        "dokumen.Entri", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=lampiran_name, max_length=200
    )
    nama = models.CharField(_("file name"), max_length=150)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("attachment of a proposal")
        verbose_name_plural = _("attachments of proposals")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.nama


class LangkahUsulan(models.Model):
    """One step of a proposal: which action, by whom, for which office, when, with what note."""

    usulan = models.ForeignKey(Usulan, on_delete=models.CASCADE, related_name="langkah")
    aksi = models.CharField(_("action"), max_length=20, choices=Aksi.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    kantor = models.ForeignKey(
        "ppid.Kantor", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("step of a proposal")
        verbose_name_plural = _("steps of proposals")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.usulan_id}: {self.aksi}"
