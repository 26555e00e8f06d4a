"""Two sends of one entry at once (PostgreSQL): exactly one proposal holds it; two steps on one
proposal at once (forward and return): exactly one is taken."""

import datetime

import pytest
from django.db import connection

from dokumen.models import State, TransitionLog
from ppid.models import Kantor
from ppid.roles import Role
from tests.factories import UserFactory
from tests.persetujuan_setup import entry_in_state, reseed
from tests.test_persetujuan_race import race
from usulan import services
from usulan.models import Lampiran, LangkahUsulan, Usulan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]
LETTER = {
    "nomor_surat": "1/PP/2026",
    "tanggal_surat": datetime.date(2026, 1, 5),
    "tujuan": "Sulsel",
}


@pytest.fixture(autouse=True)
def seeded(transactional_db):
    reseed()


def test_two_sends_of_one_entry_make_one_proposal():
    ppids = [UserFactory(roles=[Role.PPID]) for _ in range(2)]
    entri = entry_in_state(State.DISETUJUI, opener=ppids[0])
    outcomes = race(
        [
            lambda by=by: services.usulan_send(by=by, entri_ids=[entri.pk], data=LETTER)
            for by in ppids
        ]
    )
    assert sorted(map(str, outcomes)) == ["ok", "refused"]
    assert Usulan.objects.count() == 1
    assert TransitionLog.objects.filter(entri=entri, action="usulkan").count() == 1
    assert Lampiran.objects.count() == 2  # the refused send left no attachment


def test_forward_and_return_at_once_take_one_step():
    sulsel = Kantor.objects.get(slug="prov-sulawesi-selatan")
    ppid = UserFactory(roles=[Role.PPID])
    provinsi = [UserFactory(roles=[Role.PPID], roles__kantor=sulsel) for _ in range(2)]
    entri = entry_in_state(State.DISETUJUI, opener=ppid)
    usulan = services.usulan_send(by=ppid, entri_ids=[entri.pk], data=LETTER)
    services.usulan_receive(usulan_id=usulan.pk, by=provinsi[0])
    outcomes = race(
        [
            lambda: services.usulan_forward(usulan_id=usulan.pk, by=provinsi[0]),
            lambda: services.usulan_return(usulan_id=usulan.pk, by=provinsi[1], reason="Kurang."),
        ]
    )
    assert sorted(map(str, outcomes)) == ["ok", "refused"]
    assert LangkahUsulan.objects.filter(usulan=usulan).count() == 3
