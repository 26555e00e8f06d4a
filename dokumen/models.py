"""The DIK: reference data, entries, their files, hardcopy places and logs."""

import hashlib
import json
import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def private_storage():
    return storages["private"]


def default_office_id():
    """Rows made without an office belong to the deployment's default office."""
    from ppid.models import Kantor

    return Kantor.default().pk


# ---------------------------------------------------------------- reference data


class Regulasi(models.Model):
    """A regulation cited by the SOP or by an entry; editable, since regulations change."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    short_name = models.CharField(_("short name"), max_length=80)
    title = models.TextField(_("title"))
    in_force = models.BooleanField(_("in force"), default=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class DasarHukum(models.Model):
    """An article of a regulation: a ground for exemption (Pasal 17) or a provision cited."""

    class Nature(models.TextChoices):
        NOT_PERMANENT = "tidak_permanen", _("not permanent (Article 20(1))")
        OPEN_WITH_CONSENT = "terbuka_dengan_persetujuan", _("open with written consent")
        OTHER_LAW = "menurut_uu_lain", _("according to another law")
        OTHER = "lain", _("other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    regulation = models.ForeignKey(
        Regulasi, verbose_name=_("regulation"), on_delete=models.PROTECT, related_name="articles"
    )
    article = models.CharField(_("article"), max_length=10)
    paragraph = models.CharField(_("paragraph"), max_length=10, blank=True)
    letter = models.CharField(_("letter"), max_length=5, blank=True)
    point = models.CharField(_("point"), max_length=5, blank=True)
    summary = models.TextField(_("summary"))
    nature = models.CharField(_("nature"), max_length=30, choices=Nature.choices, blank=True)
    is_ground = models.BooleanField(
        _("ground for exemption"),
        default=False,
        help_text=_("Selectable as the legal ground of an entry (UU 14/2008 Article 17)."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.citation} — {self.summary}"

    @property
    def citation(self) -> str:
        parts = [f"Pasal {self.article}"]
        if self.paragraph:
            parts.append(f"ayat ({self.paragraph})")
        if self.letter:
            parts.append(f"huruf {self.letter}")
        if self.point:
            parts.append(f"angka {self.point}")
        return " ".join(parts) + f" {self.regulation.short_name}"

    @property
    def may_be_unlimited(self) -> bool:
        """Article 20(1): grounds a–f are never permanent."""
        return self.nature != self.Nature.NOT_PERMANENT


class JenisDokumen(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    example = models.TextField(_("example"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class JenisJangkaWaktu(models.Model):
    """A kind of exemption period; its behaviour is one of four, its wording is the office's."""

    class Behaviour(models.TextChoices):
        FIXED_YEARS = "tahun_tetap", _("fixed number of years")
        UNTIL_CONDITION = "sampai_kondisi", _("until a condition is met")
        UNTIL_EVENT = "sampai_peristiwa", _("until an event")
        UNLIMITED = "tidak_terbatas", _("unlimited by law")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    behaviour = models.CharField(_("behaviour"), max_length=20, choices=Behaviour.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("period kind")
        verbose_name_plural = _("period kinds")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- hardcopy places


class TempatSimpan(models.Model):
    """Where paper lives: ruang → lemari → rak → boks → ordner."""

    class Level(models.IntegerChoices):
        RUANG = 1, _("room")
        LEMARI = 2, _("cabinet")
        RAK = 3, _("shelf")
        BOKS = 4, _("box")
        ORDNER = 5, _("binder")

    kantor = models.ForeignKey(
        "ppid.Kantor",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        default=default_office_id,
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # retired: no longer used (emptied, taken down); kept for the history of what it held
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)

    # who made, renamed and retired it (dokumen.places sets the user and the reason)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("storage place")
        verbose_name_plural = _("storage places")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kantor", "parent", "name"], name="tempat_unique_name_in_parent"
            ),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="tempat_root_is_room",
            ),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        """Room › cabinet › shelf › box › binder by their names, which already say their level
        (“Ruang Arsip PPID”, “Lemari A”); callers select_related the parents."""
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " › ".join(reversed(names))

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.level == self.Level.RUANG and self.parent_id:
            raise ValidationError({"parent": _("A room is not inside another place.")})
        if self.level > self.Level.RUANG:
            if self.parent is None:
                raise ValidationError({"parent": _("Choose the place this one is inside.")})
            if self.parent.level != self.level - 1:
                raise ValidationError(
                    {
                        "parent": _("A %(level)s must be inside a %(parent)s.")
                        % {
                            "level": self.get_level_display(),
                            "parent": self.Level(self.level - 1).label,
                        }
                    }
                )


class ArchiveCounter(models.Model):
    """The running archive number of an office: one row each, locked while a number is taken,
    never rewound (numbers run per office)."""

    kantor = models.OneToOneField(
        "ppid.Kantor", on_delete=models.PROTECT, related_name="+", null=True
    )
    last_number = models.PositiveIntegerField(default=0)
    # the office's own format of an archive number: PPID/DIK/2026/00008 is prefix "PPID",
    # classification code "DIK", the year of the placement and five digits; empty parts are left out
    prefix = models.CharField(_("prefix"), max_length=30, blank=True)
    classification_code = models.CharField(_("classification code"), max_length=30, blank=True)
    with_year = models.BooleanField(_("with the year"), default=False)
    digits = models.PositiveSmallIntegerField(
        _("digits of the running number"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )

    class Meta:
        verbose_name = _("archive number counter")
        constraints = [
            models.CheckConstraint(
                condition=Q(digits__gte=1, digits__lte=9), name="archive_counter_digits_1_9"
            ),
        ]

    def __str__(self) -> str:
        return str(self.last_number)

    def code_for(self, number: int, year: int) -> str:
        """The archive number as the office writes it on the binder's spine."""
        parts = [self.prefix.strip(), self.classification_code.strip()]
        if self.with_year:
            parts.append(str(year))
        parts.append(f"{number:0{self.digits}d}")
        return "/".join(part for part in parts if part)


# ---------------------------------------------------------------- entries


class State(models.TextChoices):
    DIKUMPULKAN = "dikumpulkan", _("collected")
    DIKLASIFIKASI = "diklasifikasi", _("classified")
    DIAJUKAN = "diajukan", _("submitted for approval")
    DISETUJUI = "disetujui", _("approved")
    DIARSIPKAN = "diarsipkan", _("archived")
    DITETAPKAN = "ditetapkan", _("established by decree")
    TIDAK_BERLAKU = "tidak_berlaku", _("no longer exempted")


class Action(models.TextChoices):
    """The named actions of an entry's lifecycle (dokumen/lifecycle.py holds their table)."""

    COLLECT = "kumpulkan", _("collect")
    EDIT = "ubah", _("edit")
    CLASSIFY = "klasifikasikan", _("classify")
    RETURN_TO_DESK = "kembalikan_ke_desk", _("return to the desk")
    SUBMIT = "ajukan", _("submit for approval")
    WITHDRAW = "tarik", _("withdraw from approval")
    RETURN = "kembalikan", _("return to the PPID")
    APPROVE = "setujui", _("approve")
    APPROVED = "setujui_lengkap", _("approved by every required role")
    VOID_BY_EDIT = "batal_karena_ubah", _("void by an edit")
    PLACE = "tempatkan", _("place the hardcopy")
    UPLOAD = "unggah", _("upload files")
    REMOVE_FILE = "hapus_berkas", _("remove a file")
    PRINT = "cetak", _("print")
    ARCHIVE = "arsipkan", _("archive")
    PROPOSE = "usulkan", _("propose up the chain for a consequence test")
    ESTABLISH = "tetapkan", _("establish by a decree")
    END = "berakhir", _("end of the period")
    REVOKE = "cabut", _("revocation of the decree")
    ADD_REDACTED = "tambah_salinan_samaran", _("add a redacted copy")
    APPROVE_REDACTED = "setujui_salinan_samaran", _("approve a redacted copy")
    REPAIR = "perbaikan_data", _("data repair")
    # an entry brought in from an office's existing DIK list (the impor app), in the state the
    # list says: collected, or established by an existing decree
    IMPORT = "impor", _("import from an existing list")


class Conclusion(models.TextChoices):
    EXEMPTED = "dikecualikan", _("exempted")
    OPEN = "terbuka", _("open")


TITLE_MIN_LENGTH = 10


class Entri(models.Model):
    """One row of the DIK: a piece of information designated exempted."""

    kantor = models.ForeignKey(
        "ppid.Kantor",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="entries",
        default=default_office_id,
    )
    # The information (step 1, the desk)
    title = models.CharField(_("information title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    holding_unit = models.CharField(_("unit holding the information"), max_length=200)
    collected_on = models.DateField(_("date collected"), default=timezone.localdate)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    earlier_designation = models.TextField(
        _("earlier designation"),
        blank=True,
        help_text=_("Decree or letter that already exempted it: number and date."),
    )

    # Classification (step 2, the PPID)
    document_type = models.ForeignKey(
        JenisDokumen,
        verbose_name=_("document type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    legal_grounds = models.ManyToManyField(
        DasarHukum,
        verbose_name=_("legal grounds"),
        blank=True,
        related_name="entries",
        limit_choices_to={"is_ground": True, "active": True},
    )
    other_law = models.TextField(_("other law relied on"), blank=True)
    test_material = models.TextField(_("material, nature and scope of the information"), blank=True)
    # the six parts in the words of PKPU 22/2023 Article 25(3); dokumen.labels letters them
    test_harm = models.TextField(_("potential harm if the information were opened"), blank=True)
    test_law = models.TextField(_("law that is the legal basis"), blank=True)
    test_public_interest = models.TextField(_("public interest"), blank=True)
    test_weighing = models.TextField(
        _("weighing of the potential harm against the public interest"), blank=True
    )
    test_conclusion = models.CharField(
        _("conclusion of the consequence test"),
        max_length=20,
        choices=Conclusion.choices,
        blank=True,
    )
    period_kind = models.ForeignKey(
        JenisJangkaWaktu,
        verbose_name=_("period kind"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    period_years = models.PositiveSmallIntegerField(_("period in years"), null=True, blank=True)
    period_wording = models.TextField(_("period, verbatim wording"), blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_review = models.DateField(_("review date"), null=True, blank=True)
    period_end = models.DateField(
        _("period end"), null=True, blank=True, editable=False, db_index=True
    )

    # Lifecycle and hardcopy
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.DIKUMPULKAN,
        editable=False,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(
        _("state changed at"), default=timezone.now, editable=False
    )
    # the action that brought the entry into its state: tells a return from a withdrawal
    # (both lead to “diklasifikasi”) in lists and counts without reading the log
    state_action = models.CharField(
        _("last action"), max_length=30, choices=Action.choices, blank=True, editable=False
    )
    ordner = models.ForeignKey(
        TempatSimpan,
        verbose_name=_("binder (hardcopy place)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        limit_choices_to={"level": TempatSimpan.Level.ORDNER},
    )
    archive_number = models.PositiveIntegerField(
        _("archive number"), null=True, blank=True, editable=False
    )
    # the number in the office's format when it was taken (what the spine label shows)
    archive_label = models.CharField(
        _("archive number as written"), max_length=80, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[legal_grounds], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("DIK entry")
        verbose_name_plural = _("DIK entries")
        ordering = ["-collected_on", "-pk"]
        # each list's order is an index (tests/test_list_indexes.py asserts the plans); the
        # search indexes (full text, trigram) are PostgreSQL-only: migration 0010, dokumen/search.py
        indexes = [
            models.Index(fields=["state", "-collected_on"]),
            # the staff list's default order within an office
            models.Index(fields=["kantor", "collected_on", "id"], name="entri_office_collected"),
            # the DIK in force of an office (public page) and of every office (national page)
            models.Index(
                fields=["kantor", "title", "id"],
                condition=models.Q(state="ditetapkan"),
                name="entri_in_force_order",
            ),
            # the review queue: what waits for a decision, oldest first
            models.Index(
                fields=["kantor", "state_changed_at", "id"],
                condition=models.Q(state="diajukan"),
                name="entri_submitted_order",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kantor", "archive_number"], name="entri_archive_number_per_office"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        title = (self.title or "").strip()
        if title and len(title) < TITLE_MIN_LENGTH:
            errors["title"] = _(
                "The title is too short to identify a document: write at least %(min)s characters (now %(n)s)."
            ) % {"min": TITLE_MIN_LENGTH, "n": len(title)}
        if self.collected_on and self.collected_on > timezone.localdate():
            errors["collected_on"] = _(
                "The date collected cannot be in the future (today is %(today)s)."
            ) % {"today": date_format(timezone.localdate())}
        if self.period_review and self.period_start and self.period_review < self.period_start:
            errors["period_review"] = _("The review date cannot be before the start of the period.")
        if errors:
            raise ValidationError(errors)

    @property
    def archive_code(self) -> str:
        if not self.archive_number:
            return ""
        return self.archive_label or f"{self.archive_number:05d}"

    def content_hash(self) -> str:
        """SHA-256 of everything an approval covers: the classified fields, the files and the
        redacted copies."""
        payload = {field: _plain(getattr(self, field)) for field in APPROVED_FIELDS}
        payload["legal_grounds"] = sorted(self.legal_grounds.values_list("code", flat=True))
        payload["files"] = sorted(
            [kind, sha] for kind, sha in self.files.active().values_list("kind", "sha256")
        )
        # redacted public copies, where there are any (an entry without one keeps its hash)
        copies = sorted(self.redacted_copies.values_list("sha256", flat=True)) if self.pk else []
        if copies:
            payload["redacted_copies"] = copies
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


APPROVED_FIELDS = (
    "title",
    "summary",
    "holding_unit",
    "earlier_designation",
    "document_type_id",
    "other_law",
    "test_material",
    "test_harm",
    "test_law",
    "test_public_interest",
    "test_weighing",
    "test_conclusion",
    "period_kind_id",
    "period_years",
    "period_wording",
    "period_start",
    "period_review",
)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


class TransitionLog(models.Model):
    """One action taken on an entry: which, by whom, when, from which state to which."""

    entri = models.ForeignKey(Entri, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the system made the change (e.g. the period ended)."),
    )
    # a decree's consequence on an entry of another office: the system acted on its behalf
    by_decree = models.CharField(
        _("on behalf of the decree"),
        max_length=200,
        blank=True,
        default="",
        db_default="",  # raw writers (bench_data's COPY) leave it out
        help_text=_("The decree whose publication or revocation moved the entry."),
    )
    decree_publisher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decree published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("transition log")
        verbose_name_plural = _("transition log")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.entri_id}: {self.action} ({self.from_state} → {self.to_state})"


# ---------------------------------------------------------------- files


def berkas_name(instance, filename: str) -> str:
    """A storage name that reveals nothing of the original filename."""
    return f"berkas/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class BerkasQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Berkas(models.Model):
    class Kind(models.TextChoices):
        SOFTCOPY = "softcopy", _("softcopy original")
        SCAN = "scan", _("scan of the hardcopy")

    entri = models.ForeignKey(Entri, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=berkas_name, max_length=200
    )
    original_name = models.CharField(_("original filename"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    thumbnail = models.FileField(
        _("thumbnail"), storage=private_storage, upload_to=berkas_name, max_length=200, blank=True
    )
    preview_problem = models.CharField(
        _("preview problem"),
        max_length=200,
        blank=True,
        help_text=_("Stored but cannot be previewed (e.g. an encrypted or damaged PDF)."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    fixity_problem = models.CharField(_("fixity problem"), max_length=200, blank=True)

    objects = BerkasQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_verified_at", "fixity_problem", "thumbnail"])

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class SalinanSamaran(models.Model):
    """A redacted public copy of an entry's information (salinan yang disamarkan).

    Whatever the PPID gave (an uploaded PDF/JPEG/PNG) is rasterised on ingest: every page is
    rendered to an image and saved as an image-only PDF, so no text layer, hidden object or
    metadata of the original survives. Stored privately like a file, with its SHA-256.
    """

    entri = models.ForeignKey(
        Entri, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="redacted_copies"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=berkas_name, max_length=200
    )
    original_name = models.CharField(_("original filename"), max_length=255)
    source_content_type = models.CharField(_("content type of the upload"), max_length=120)
    source_sha256 = models.CharField(_("SHA-256 of the upload"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made at"), default=timezone.now)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("redacted copy")
        verbose_name_plural = _("redacted copies")
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class AccessLog(models.Model):
    class Action(models.TextChoices):
        DOWNLOAD = "unduh", _("download")
        VIEW = "lihat", _("view")
        PREVIEW = "pratinjau", _("preview")
        THUMBNAIL = "gambar_kecil", _("thumbnail")

    # the file of an entry; empty for another private file (a decree's PDF as recorded)
    berkas = models.ForeignKey(
        Berkas, on_delete=models.PROTECT, related_name="access_log", null=True, blank=True
    )
    file_name = models.CharField(_("stored file"), max_length=255, blank=True)
    kantor = models.ForeignKey(
        "ppid.Kantor",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        default=default_office_id,
    )
    label = models.CharField(_("file"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("file access log")
        verbose_name_plural = _("file access log")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(berkas__isnull=False) | ~Q(file_name=""),
                name="accesslog_names_its_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.berkas_id}"


class PartialUpload(models.Model):
    """A file on its way in by the tus protocol, resumable until its last byte arrived.

    Its bytes so far are a file in the private upload temp folder (FILE_UPLOAD_TEMP_DIR), on
    the app server that received them; once complete it becomes a Berkas through the same
    service as the form upload, and this row goes. `manage.py uploads_cleanup` removes the
    ones left untouched.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entri = models.ForeignKey(Entri, on_delete=models.CASCADE, related_name="partial_uploads")
    kind = models.CharField(_("kind"), max_length=10, choices=Berkas.Kind.choices)
    original_name = models.CharField(_("original filename"), max_length=255)
    length = models.PositiveBigIntegerField(_("declared size in bytes"))
    offset = models.PositiveBigIntegerField(_("bytes received"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("partial upload")
        verbose_name_plural = _("partial uploads")
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__lte=models.F("length")), name="partial_upload_offset_in_length"
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.offset}/{self.length})"


# ---------------------------------------------------------------- text of files (search inside)


class TeksBerkas(models.Model):
    """The words of a stored file, for staff search: its PDF text layer, or what OCR read from
    a scan (JPEG, PNG, TIFF, a PDF page without text). Read by the background worker
    (dokumen.file_text); a row exists, waiting, from the upload of every readable file on."""

    class Status(models.TextChoices):
        WAITING = "menunggu", _("text being read")
        DONE = "selesai", _("text read")
        FAILED = "gagal", _("reading the text failed")

    class Source(models.TextChoices):
        TEXT_LAYER = "lapisan_teks", _("the PDF's text layer")
        OCR = "ocr", _("OCR of the scan")
        MIXED = "campuran", _("the PDF's text layer and OCR")

    berkas = models.OneToOneField(
        Berkas, on_delete=models.CASCADE, primary_key=True, related_name="teks"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    source = models.CharField(_("read from"), max_length=20, choices=Source.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    pages_read = models.PositiveIntegerField(_("pages read"), default=0)
    pages_ocr = models.PositiveIntegerField(_("pages read by OCR"), default=0)
    seconds = models.FloatField(_("seconds spent reading"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # PostgreSQL: to_tsvector('indonesian', text), set with the text; GIN-indexed (migration)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("file text")
        verbose_name_plural = _("file texts")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.berkas_id}: {self.get_status_display()}"


class TeksEntri(models.Model):
    """The words of all an entry's files, for staff search on PostgreSQL: one search vector
    made of the vectors of its active files whose text is read (dokumen.file_text
    `refresh_entry_words`, in the transaction that reads a text or removes a file). The staff
    search matches and ranks an entry's files by this one row (GIN-indexed), at the cost of the
    entry's own search, however many files the office holds. Who sees the entry may open each
    of those files (dokumen.selectors.files_visible_to), so the row is read through the entry's
    selector only (`entry_words_visible_to`)."""

    entri = models.OneToOneField(
        Entri, on_delete=models.CASCADE, primary_key=True, related_name="file_words"
    )
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("words of an entry's files")
        verbose_name_plural = _("words of entries' files")

    def __str__(self) -> str:
        return str(self.entri_id)
