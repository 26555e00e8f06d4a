from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ppid.roles import Role


def public_storage():
    return storages["public"]


class Kantor(models.Model):
    """A KPU office: KPU RI, a KPU Provinsi or a KPU Kabupaten/Kota (reference data, seeded
    from ppid/reference/kantor.csv, editable in the admin). Every entry, place, round, decree
    and log belongs to one; users hold their roles in one or more (Penugasan)."""

    class Tingkat(models.TextChoices):
        RI = "ri", _("KPU RI")
        PROVINSI = "provinsi", _("KPU Provinsi")
        KABKOTA = "kabkota", _("KPU Kabupaten/Kota")

    kode = models.CharField(
        _("region code"),
        max_length=10,
        unique=True,
        help_text=_("Kemendagri code of the region (e.g. 73.15); RI for KPU RI."),
    )
    tingkat = models.CharField(_("level"), max_length=10, choices=Tingkat.choices)
    nama_wilayah = models.CharField(_("region"), max_length=120)
    nama = models.CharField(_("office name"), max_length=200)
    singkatan = models.CharField(_("short name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    induk = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anak",
    )

    class Meta:
        verbose_name = _("KPU office")
        verbose_name_plural = _("KPU offices")
        ordering = ["kode"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tingkat="ri", induk__isnull=True)
                | models.Q(tingkat__in=["provinsi", "kabkota"], induk__isnull=False),
                name="kantor_only_ri_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.singkatan

    @classmethod
    def default(cls) -> "Kantor":
        """The office of a single-office deployment, and of the current URLs
        (settings.DIK_DEFAULT_OFFICE, a slug)."""
        return cls.objects.get(slug=settings.DIK_DEFAULT_OFFICE)


def default_office_pk():
    """Rows written without an office belong to the deployment's default office."""
    return Kantor.default().pk


class Penugasan(models.Model):
    """A user holds a role in an office: PPID of Pinrang, Pembina PPID of Sulsel, …"""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="penugasan"
    )
    kantor = models.ForeignKey(
        Kantor, verbose_name=_("office"), on_delete=models.PROTECT, related_name="penugasan"
    )
    role = models.CharField(
        _("role"), max_length=60, choices=[(role.value, role.value) for role in Role]
    )

    class Meta:
        verbose_name = _("role in an office")
        verbose_name_plural = _("roles in offices")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kantor", "role"], name="penugasan_one_role_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role}, {self.kantor}"


DEFAULT_EPPID_URL = "https://ppid.kpu.go.id/"


class SiteProfile(models.Model):
    """An office's name, address and letterhead on its pages and every printed page."""

    kantor = models.OneToOneField(
        Kantor,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="profil",
    )
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
    # where a citizen asks (UU 14/2008 Pasal 22 and 35): shown on every public page
    eppid_url = models.URLField(
        _("national e-PPID"),
        blank=True,
        default=DEFAULT_EPPID_URL,
        help_text=_("Where anyone may request information from KPU online, or object."),
    )
    request_url = models.URLField(
        _("information request form of this office"),
        blank=True,
        help_text=_("Empty: requests go through the national e-PPID."),
    )
    objection_url = models.URLField(
        _("objection (keberatan) form of this office"),
        blank=True,
        help_text=_("Empty: objections go through the national e-PPID."),
    )
    dip_url = models.URLField(
        _("Daftar Informasi Publik of this office"),
        blank=True,
        help_text=_("The list of the public information the office holds (its PPID page)."),
    )
    desk_phone = models.CharField(
        _("information desk telephone or WhatsApp"), max_length=60, blank=True
    )
    desk_email = models.EmailField(_("information desk email"), blank=True)
    desk_hours = models.CharField(
        _("information desk service hours"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Senin–Jumat 08.00–16.00 WITA"),
    )

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profile")

    def __str__(self) -> str:
        return self.office_name

    @classmethod
    def current(cls) -> "SiteProfile":
        """The default office's profile (the one of a single-office deployment): one query."""
        profile = cls.objects.filter(kantor__slug=settings.DIK_DEFAULT_OFFICE).first()
        return profile or cls.for_office(Kantor.default())

    @classmethod
    def for_office(cls, kantor: Kantor) -> "SiteProfile":
        profile = cls.objects.filter(kantor=kantor).first()
        if profile is None:
            profile, _created = cls.objects.get_or_create(
                kantor=kantor,
                defaults={
                    "office_name": kantor.nama,
                    "short_name": kantor.singkatan,
                    "address": "",
                    "city": kantor.nama_wilayah.removeprefix("Kabupaten ")
                    .removeprefix("Kota ")
                    .removeprefix("Provinsi "),
                },
            )
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
    # the office whose work caused it: its PPID sees the message if it fails
    kantor = models.ForeignKey(
        Kantor,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        default=default_office_pk,
    )
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
