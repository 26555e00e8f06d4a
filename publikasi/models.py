"""The KPU RI decree (Keputusan) on exempted information, and where it was published."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dokumen.models import Entri, default_office_id, private_storage
from publikasi.tanda_tangan import FLAGGED as SIGNATURE_FLAGGED
from publikasi.tanda_tangan import Status as SignatureStatus


def public_storage():
    return storages["public"]


def keputusan_pdf_name(instance, filename: str) -> str:
    return f"keputusan/{slugify(instance.number) or 'keputusan'}-{timezone.now():%Y%m%d%H%M%S}.pdf"


class Keputusan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draf", _("draft")
        PUBLISHED = "diterbitkan", _("published")
        REVOKED = "dicabut", _("revoked")

    # the office that recorded it (its desk and PPID see and publish it)
    kantor = models.ForeignKey(
        "ppid.Kantor",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        default=default_office_id,
    )
    number = models.CharField(_("number"), max_length=100, help_text=_("e.g. 731 Tahun 2025"))
    slug = models.SlugField(_("address"), max_length=120, unique=True, editable=False)
    date = models.DateField(_("date"))
    title = models.TextField(_("about (tentang)"))
    issuer = models.CharField(
        _("issuer"), max_length=150, default="Komisi Pemilihan Umum Republik Indonesia"
    )
    # the PDF as recorded, private like every draft; the public copy is made when it is published
    pdf = models.FileField(
        _("decree PDF"), storage=private_storage, upload_to=keputusan_pdf_name, blank=True
    )
    public_pdf = models.FileField(
        _("published decree PDF"),
        storage=public_storage,
        upload_to=keputusan_pdf_name,
        blank=True,
        editable=False,
    )
    entries = models.ManyToManyField(
        Entri, verbose_name=_("entries covered"), blank=True, related_name="keputusan"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "self",
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revokes",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # the PDF's electronic signature as checked when it was attached (publikasi/tanda_tangan.py)
    signature = models.CharField(
        _("electronic signature"),
        max_length=20,
        choices=SignatureStatus.choices,
        blank=True,
        default=SignatureStatus.UNCHECKED,
        editable=False,
    )
    signature_signer = models.CharField(_("signed by"), max_length=300, blank=True, editable=False)
    signature_signed_at = models.DateTimeField(
        _("signed at"), null=True, blank=True, editable=False
    )
    signature_timestamp_at = models.DateTimeField(
        _("timestamp"), null=True, blank=True, editable=False
    )
    # a changed or unreadable signed PDF is published only with a reason, by whom and when
    signature_override = models.TextField(
        _("reason to publish despite the signature"), blank=True, editable=False
    )
    signature_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published despite the signature by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    signature_override_at = models.DateTimeField(
        _("published despite the signature at"), null=True, blank=True, editable=False
    )
    # its reach: the offices whose entries and public pages it decides. Explicit offices (from
    # proposals), or every office under the decider (for KPU RI all of them, for a provinsi
    # its kab/kota); the decider itself is always reached.
    jangkauan = models.ManyToManyField(
        "ppid.Kantor",
        verbose_name=_("offices reached"),
        blank=True,
        related_name="keputusan_reaching",
    )
    reaches_all_below = models.BooleanField(
        _("reaches every office under the deciding office"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # who recorded, changed, published and revoked it: the services set the history user
    history = HistoricalRecords(m2m_fields=[entries])

    class Meta:
        verbose_name = _("KPU decree")
        verbose_name_plural = _("KPU decrees")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dicabut") | Q(revoked_by__isnull=False),
                name="keputusan_revoked_has_revoker",
            ),
        ]

    def __str__(self) -> str:
        return f"Keputusan KPU Nomor {self.number}"

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.number) or "keputusan"
            slug, n = base, 2
            while Keputusan.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    @property
    def signature_flagged(self) -> bool:
        """Changed after signing, or a signature that cannot be checked."""
        return self.signature in SIGNATURE_FLAGGED


class KeputusanItem(models.Model):
    """A piece of information a decree designates, recorded once by the deciding office (what a
    national decree such as Keputusan KPU 731/2025 lists). An office in its reach that holds
    such documents links its own entry to it (KaitanItem): nobody re-types it."""

    keputusan = models.ForeignKey(Keputusan, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.TextField(_("information"))
    description = models.TextField(_("description"), blank=True)
    document_type = models.ForeignKey(
        "dokumen.JenisDokumen",
        verbose_name=_("document type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_grounds = models.ManyToManyField(
        "dokumen.DasarHukum", verbose_name=_("legal grounds"), blank=True, related_name="+"
    )
    period_wording = models.TextField(_("period, verbatim wording"), blank=True)

    class Meta:
        verbose_name = _("information designated by a decree")
        verbose_name_plural = _("information designated by decrees")
        ordering = ["keputusan", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class KaitanItem(models.Model):
    """An office's own entry (its files, its binder) linked to a decree's item: the entry
    follows the decree (established when it is published, revoked when it is revoked)."""

    item = models.ForeignKey(KeputusanItem, on_delete=models.PROTECT, related_name="links")
    entri = models.OneToOneField(Entri, on_delete=models.PROTECT, related_name="decree_item_link")
    kantor = models.ForeignKey("ppid.Kantor", on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("entry linked to a decree's item")
        verbose_name_plural = _("entries linked to decrees' items")

    def __str__(self) -> str:
        return f"{self.entri_id} → {self.item_id}"


class SaluranPublikasi(models.Model):
    """Where else the decree was published (SOP step 4: website and other channels)."""

    class Channel(models.TextChoices):
        WEBSITE = "website", _("official website")
        NOTICE_BOARD = "papan_pengumuman", _("notice board")
        SOCIAL_MEDIA = "media_sosial", _("social media")
        OTHER = "lainnya", _("other")

    keputusan = models.ForeignKey(Keputusan, on_delete=models.CASCADE, related_name="channels")
    kantor = models.ForeignKey(
        "ppid.Kantor",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        default=default_office_id,
    )
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    link = models.URLField(_("link"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("publication channel")
        verbose_name_plural = _("publication channels")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.date}"


class DikVersion(models.Model):
    """A number that grows with every change of the public DIK (dik_pdf.public_dik_changed,
    inside the changing transaction). The public DIK page keeps what it rendered under the
    number: a publication or revocation shows on the next view, on every app server."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("version of the public DIK")

    def __str__(self) -> str:
        return str(self.number)

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("number", flat=True).first() or 0

    @classmethod
    def bump(cls) -> int:
        """The new number (the row stays locked by this transaction until it commits)."""
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 0})
            cls.objects.filter(pk=1).update(number=F("number") + 1)
        return cls.current()


class DikVersionKantor(models.Model):
    """The DikVersion number of the last change of one office's DIK in force (its entries in
    force, the decrees they follow), set in the same transaction as the bump: the office's
    stored PDF is stale only when its own DIK changed, not on a change in another office."""

    kantor = models.OneToOneField(
        "ppid.Kantor", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("version of an office's public DIK")

    def __str__(self) -> str:
        return f"{self.kantor_id}: {self.number}"

    @classmethod
    def current(cls, **office) -> int:
        """The number of the office named by `office` (kantor_id=…, or kantor__slug=…)."""
        rows = cls.objects.filter(**office)
        return rows.values_list("number", flat=True).first() or 0

    @classmethod
    def mark(cls, kantor_ids, number: int) -> None:
        """The offices changed in the change numbered `number` (one upsert)."""
        cls.objects.bulk_create(
            [cls(kantor_id=pk, number=number) for pk in sorted(kantor_ids)],
            update_conflicts=True,
            unique_fields=["kantor"],
            update_fields=["number"],
        )


# ---------------------------------------------------------------- information opened


def pengumuman_pdf_name(instance, filename: str) -> str:
    return f"pengumuman/{instance.slug}-{timezone.now():%Y%m%d%H%M%S}.pdf"


class Pengumuman(models.Model):
    """Pengumuman Perubahan Klasifikasi Informasi: an office announces that information it held
    exempted is open, since when and why (a decree revoked, or the end of the period). Written
    in the transaction that opens the information; its PDF on the office's letterhead is
    rendered by the worker and published in public storage. Kept permanently."""

    class Reason(models.TextChoices):
        REVOKED = "dicabut", _("decree revoked")
        ENDED = "berakhir", _("period ended")

    kantor = models.ForeignKey(
        "ppid.Kantor", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True, editable=False)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    date = models.DateField(_("open since"))
    # the decree revoked, and the decree that revoked it (a revocation only)
    keputusan = models.ForeignKey(
        Keputusan,
        verbose_name=_("revoked decree"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pengumuman",
    )
    revoking = models.ForeignKey(
        Keputusan,
        verbose_name=_("revoking decree"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pdf = models.FileField(
        _("announcement PDF"),
        storage=public_storage,
        upload_to=pengumuman_pdf_name,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement of a change of classification")
        verbose_name_plural = _("announcements of changes of classification")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="dicabut") | Q(keputusan__isnull=False, revoking__isnull=False),
                name="pengumuman_revocation_names_decrees",
            ),
            # one announcement per office and revoked decree; one per office and day of ends
            models.UniqueConstraint(
                fields=["kantor", "keputusan"],
                condition=Q(reason="dicabut"),
                name="pengumuman_one_per_revocation",
            ),
            models.UniqueConstraint(
                fields=["kantor", "date"],
                condition=Q(reason="berakhir"),
                name="pengumuman_one_per_day_of_ends",
            ),
        ]

    def __str__(self) -> str:
        return f"Pengumuman Perubahan Klasifikasi Informasi {self.kantor} {self.date}"

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(f"{self.kantor.slug}-{self.date:%Y-%m-%d}-{self.reason}")
            slug, n = base, 2
            while Pengumuman.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)


class InformasiDibuka(models.Model):
    """An entry that is no longer exempted (“Informasi yang sudah tidak dikecualikan”): when it
    opened and under which announcement (which says why). Kept permanently."""

    entri = models.OneToOneField(
        Entri, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="opening"
    )
    kantor = models.ForeignKey(
        "ppid.Kantor", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    pengumuman = models.ForeignKey(
        Pengumuman,
        verbose_name=_("announcement"),
        on_delete=models.PROTECT,
        related_name="informasi",
    )
    opened_at = models.DateTimeField(_("open since"), default=timezone.now)

    class Meta:
        verbose_name = _("information no longer exempted")
        verbose_name_plural = _("information no longer exempted")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["kantor", "-opened_at"], name="dibuka_office_idx")]

    def __str__(self) -> str:
        return f"{self.entri_id} ({self.opened_at:%Y-%m-%d})"
