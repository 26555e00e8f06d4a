"""Someone serving two offices says for which one they record a decree or send a proposal, as
on the entry form: never the first office found; the service checks the choice."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from dokumen.models import State
from ppid.errors import ActionRefused
from ppid.models import Kantor, Penugasan
from ppid.roles import Role
from publikasi import services
from publikasi.models import Keputusan
from tests.factories import UserFactory
from tests.persetujuan_setup import entry_in_state
from usulan.models import Usulan

pytestmark = pytest.mark.django_db
DECREE = {"number": "9 Tahun 2026", "date": "2026-01-05", "title": "Penetapan uji", "issuer": "KPU"}


@pytest.fixture
def offices():
    return Kantor.default(), Kantor.objects.get(slug="kab-sidenreng-rappang")


@pytest.fixture
def two_offices_ppid(offices):
    pinrang, sidrap = offices
    user = UserFactory(roles=[Role.PPID])  # PPID of Pinrang …
    Penugasan.objects.create(user=user, kantor=sidrap, role=Role.PPID)  # … and of Sidrap
    return user


def test_a_decree_is_recorded_for_the_chosen_office(client, offices, two_offices_ppid):
    pinrang, sidrap = offices
    data = {**DECREE, "date": datetime.date(2026, 1, 5)}
    with translation.override("id"):
        with pytest.raises(ValidationError, match="Pilih kantor yang mencatat"):
            services.keputusan_create(by=two_offices_ppid, data=data)
        with pytest.raises(ActionRefused, match="memerlukan peran"):
            services.keputusan_create(
                by=two_offices_ppid,
                data=data,
                kantor=Kantor.objects.get(slug="prov-sulawesi-selatan"),
            )
        client.force_login(two_offices_ppid)
        url = reverse("publikasi_staf:create")
        page = client.get(url).content.decode()
        assert 'name="kantor"' in page and "KPU Kabupaten Sidenreng Rappang" in page
        response = client.post(url, DECREE)
        assert response.status_code == 200
        assert 'id="id_kantor_error"' in response.content.decode()
        # Pinrang's archived entry is no decree of Sidrap's to cover
        archived = entry_in_state(State.DIARSIPKAN, opener=two_offices_ppid)
        response = client.post(url, {**DECREE, "kantor": sidrap.pk, "entries": [archived.pk]})
        body = response.content.decode()
        assert "tidak ada atau tidak tersedia" in body, re.findall(r"errorlist.{0,300}", body)
        assert not Keputusan.objects.exists()
        response = client.post(url, {**DECREE, "kantor": sidrap.pk})
    keputusan = Keputusan.objects.get()
    assert response.status_code == 302 and keputusan.kantor == sidrap


def test_one_office_needs_no_choice(client):
    ppid = UserFactory(roles=[Role.PPID])
    client.force_login(ppid)
    assert 'name="kantor"' not in client.get(reverse("publikasi_staf:create")).content.decode()
    assert client.post(reverse("publikasi_staf:create"), DECREE).status_code == 302
    assert Keputusan.objects.get().kantor == Kantor.default()


def test_a_proposal_is_sent_for_the_chosen_office(client, offices, two_offices_ppid):
    pinrang, sidrap = offices
    entri = entry_in_state(State.DISETUJUI, opener=two_offices_ppid)
    client.force_login(two_offices_ppid)
    url = reverse("usulan:baru")
    letter = {"nomor_surat": "7/PP/2026", "tanggal_surat": "2026-01-05", "tujuan": "KPU Sulsel"}
    with translation.override("id"):
        page = client.get(url).content.decode()
        assert 'name="kantor"' in page and "KPU Kabupaten Pinrang, disetujui" in page
        response = client.post(url, {**letter, "entri": [entri.pk]})
        assert 'id="id_kantor_error"' in response.content.decode()
        response = client.post(url, {**letter, "entri": [entri.pk], "kantor": sidrap.pk})
        assert "bukan milik KPU Kabupaten Sidenreng Rappang" in response.content.decode()
        assert not Usulan.objects.exists()
        response = client.post(url, {**letter, "entri": [entri.pk], "kantor": pinrang.pk})
    usulan = Usulan.objects.get()
    assert response.status_code == 302 and usulan.kantor == pinrang
