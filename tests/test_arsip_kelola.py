"""The archive as the office keeps it: the desk and the PPID make, rename and retire rooms,
cabinets, shelves, boxes and binders on the archive pages, each change in the place's history;
the office's own archive number format (PPID/DIK/2026/00008), running per office."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from dokumen import places, services
from dokumen.models import ArchiveCounter, TempatSimpan
from ppid.errors import ActionRefused
from ppid.models import Kantor
from ppid.roles import Role
from tests.factories import EntriFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_chain(client, names=("Ruang Arsip PPID", "Lemari A", "Rak 1", "Boks 3", "Ordner 2026-01")):
    """Room to binder through the pages, as the desk does it."""
    response = client.post(reverse("arsip:tempat_baru"), {"name": names[0]})
    assert response.status_code == 302, response.content.decode()[:3000]
    place = TempatSimpan.objects.get(name=names[0])
    for name in names[1:]:
        response = client.post(reverse("arsip:tempat_baru"), {"name": name, "parent": place.pk})
        assert response.status_code == 302, response.content.decode()[:3000]
        place = TempatSimpan.objects.get(name=name, parent=place)
    return place


def test_the_desk_makes_renames_and_retires_places_on_the_archive_pages(client, desk):
    client.force_login(desk)
    binder = make_chain(client)
    assert binder.level == TempatSimpan.Level.ORDNER
    assert binder.kantor == Kantor.default()
    assert binder.path == "Ruang Arsip PPID › Lemari A › Rak 1 › Boks 3 › Ordner 2026-01"
    with translation.override("id"):
        page = client.get(reverse("arsip:index")).content.decode()
    assert "Ordner 2026-01" in page and "Tambah ruang" in page

    client.post(reverse("arsip:tempat_ubah", args=[binder.pk]), {"ubah-name": "Ordner DIK 2026"})
    binder.refresh_from_db()
    assert binder.name == "Ordner DIK 2026"
    # nothing goes inside a binder; a box holds binders only
    box = binder.parent
    with pytest.raises(ValidationError, match="rak"), translation.override("id"):
        places.place_create(by=desk, level=4, name="Boks salah", parent_id=box.pk)
    with pytest.raises(ValidationError):
        places.place_create(by=desk, level=6, name="Di dalam ordner", parent_id=binder.pk)

    # a box with a binder in use is not retired; an empty binder is
    with translation.override("id"):
        refused = client.post(reverse("arsip:tempat_pensiun", args=[box.pk]), follow=True)
    assert "masih berisi tempat yang dipakai" in refused.content.decode()
    box.refresh_from_db()
    assert box.retired_at is None
    client.post(reverse("arsip:tempat_pensiun", args=[binder.pk]))
    binder.refresh_from_db()
    assert binder.retired_at is not None
    reasons = list(
        binder.history.order_by("history_date").values_list("history_change_reason", "history_user")
    )
    assert [r for r, _u in reasons] == [
        "Tempat dibuat",
        "Tempat diganti nama",
        "Tempat dipensiunkan",
    ]
    assert {u for _r, u in reasons} == {desk.pk}

    # a retired binder is not offered for a placement, and refused by the service
    entri = EntriFactory()
    form = client.get(reverse("meja:entri_place", args=[entri.pk])).content.decode()
    assert f'value="{binder.pk}"' not in form
    with pytest.raises(ActionRefused):
        services.entri_place(entri_id=entri.pk, by=desk, ordner_id=binder.pk)


def test_a_binder_holding_entries_is_not_retired(desk):
    room = places.place_create(by=desk, level=1, name="Ruang A")
    parent = room
    for level, name in [(2, "Lemari"), (3, "Rak"), (4, "Boks"), (5, "Ordner")]:
        parent = places.place_create(by=desk, level=level, name=name, parent_id=parent.pk)
    entri = EntriFactory()
    services.entri_place(entri_id=entri.pk, by=desk, ordner_id=parent.pk)
    with pytest.raises(ActionRefused, match="hardcopy"):
        places.place_retire(place_id=parent.pk, by=desk)


def test_only_the_desk_and_ppid_of_the_office_manage_its_places(client, desk, pembina):
    room = places.place_create(by=desk, level=1, name="Ruang Pinrang")
    sidrap_desk = UserFactory(
        roles=[Role.DESK], roles__kantor=Kantor.objects.get(slug="kab-sidenreng-rappang")
    )
    for user in (pembina, sidrap_desk):
        with pytest.raises(ActionRefused):
            places.place_rename(place_id=room.pk, by=user, name="Diambil")
        with pytest.raises(ActionRefused):
            places.place_create(by=user, level=2, name="Lemari", parent_id=room.pk)
    client.force_login(sidrap_desk)
    assert client.get(reverse("arsip:tempat", args=[room.pk])).status_code == 404
    assert client.post(reverse("arsip:tempat_pensiun", args=[room.pk])).status_code == 404
    # Sidrap's desk makes Sidrap's own room
    own = places.place_create(by=sidrap_desk, level=1, name="Ruang Pinrang")
    assert own.kantor.slug == "kab-sidenreng-rappang"
    room.refresh_from_db()
    assert (room.name, room.retired_at) == ("Ruang Pinrang", None)


def test_the_office_format_of_the_archive_number(client, ppid, desk):
    client.force_login(ppid)
    response = client.post(
        reverse("arsip:format_nomor"),
        {"prefix": "PPID", "classification_code": "DIK", "with_year": "on", "digits": "5"},
    )
    assert response.status_code == 302
    year = timezone.localdate().year
    client.force_login(desk)
    binder = make_chain(client)
    ArchiveCounter.objects.filter(kantor=Kantor.default()).update(last_number=7)
    entri = EntriFactory()
    placed = services.entri_place(entri_id=entri.pk, by=desk, ordner_id=binder.pk)
    assert placed.archive_number == 8
    assert placed.archive_code == f"PPID/DIK/{year}/00008"
    label = client.get(reverse("arsip:label", args=[binder.pk]))
    text = PdfReader(io.BytesIO(label.content)).pages[0].extract_text()
    assert f"PPID/DIK/{year}/00008" in text.replace("\n", "")  # the spine wraps it
    # the desk does not set the format; another office's numbers are its own
    assert client.get(reverse("arsip:format_nomor")).status_code == 403
    with pytest.raises(ActionRefused):
        places.archive_format_set(
            by=desk,
            kantor_id=Kantor.default().pk,
            prefix="X",
            classification_code="",
            with_year=False,
            digits=3,
        )
    sidrap = Kantor.objects.get(slug="kab-sidenreng-rappang")
    sidrap_desk = UserFactory(roles=[Role.DESK], roles__kantor=sidrap)
    other = places.place_create(by=sidrap_desk, level=1, name="R")
    for level, name in [(2, "L"), (3, "Rk"), (4, "B"), (5, "O")]:
        other = places.place_create(by=sidrap_desk, level=level, name=name, parent_id=other.pk)
    theirs = services.entri_place(
        entri_id=EntriFactory(kantor=sidrap).pk, by=sidrap_desk, ordner_id=other.pk
    )
    assert theirs.archive_code == "00001"
