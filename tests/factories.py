import datetime

import factory
from django.contrib.auth import get_user_model

from dokumen.models import DasarHukum, Entri, JenisDokumen, JenisJangkaWaktu, State, TempatSimpan
from ppid.models import Kantor, Penugasan

PASSWORD = "rahasia-uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@kpu-pinrang.example")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def roles(self, create, extracted, kantor=None, **kwargs):
        """roles=[...] held in the default office, or in `roles__kantor`."""
        if create and extracted:
            office = kantor or Kantor.default()
            for role in extracted:
                Penugasan.objects.get_or_create(user=self, kantor=office, role=str(role))
            self.__dict__.pop("_dik_assignments", None)


class EntriFactory(factory.django.DjangoModelFactory):
    """A collected entry; `classified=True` fills what classification needs."""

    class Meta:
        model = Entri
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Dokumen persyaratan calon nomor {n}")
    summary = "Pindaian dokumen persyaratan yang memuat data pribadi."
    holding_unit = "Subbagian Teknis Penyelenggaraan Pemilu"
    collected_on = factory.LazyFunction(datetime.date.today)
    collected_by = factory.SubFactory(UserFactory)
    state = State.DIKUMPULKAN

    class Params:
        classified = factory.Trait(
            document_type=factory.LazyFunction(
                lambda: JenisDokumen.objects.get(code="data-pemilih")
            ),
            test_material="Data pribadi pemilih.",
            test_harm="Mengungkap rahasia pribadi.",
            test_law="UU 14/2008 Pasal 17 huruf h.",
            test_public_interest="Transparansi daftar pemilih.",
            test_weighing="Kerugian lebih besar daripada manfaat.",
            test_conclusion="dikecualikan",
            period_kind=factory.LazyFunction(
                lambda: JenisJangkaWaktu.objects.get(code="tahun-tetap")
            ),
            period_years=5,
            period_wording="5 (lima) tahun sejak ditetapkan",
            period_start=factory.LazyFunction(datetime.date.today),
        )

    @factory.post_generation
    def grounds(self, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted if extracted is not None else (["17h"] if self.document_type_id else [])
        if codes:
            self.legal_grounds.set(DasarHukum.objects.filter(code__in=codes))


def make_ordner(name="Ordner Uji", kantor=None) -> TempatSimpan:
    """A binder of `kantor` (the default office) with its room, cabinet, shelf and box."""
    kantor = kantor or Kantor.default()
    parent = None
    for level, part in enumerate(["Ruang Arsip", "Lemari A", "Rak 1", "Boks 1"], start=1):
        parent, _ = TempatSimpan.objects.get_or_create(
            kantor=kantor, level=level, parent=parent, name=part
        )
    ordner, _ = TempatSimpan.objects.get_or_create(kantor=kantor, level=5, parent=parent, name=name)
    return ordner
