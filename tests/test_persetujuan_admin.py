import pytest
from django.urls import reverse

from tests.persetujuan_setup import submitted_entry

pytestmark = pytest.mark.django_db


def test_rounds_are_read_only_in_the_admin(client, ppid, admin_user):
    entri = submitted_entry(ppid)
    client.force_login(admin_user)
    putaran = entri.rounds.get()
    assert client.get(reverse("admin:persetujuan_putaran_changelist")).status_code == 200
    change = reverse("admin:persetujuan_putaran_change", args=[putaran.pk])
    assert client.get(change).status_code == 200
    response = client.post(change, {"status": "disetujui"})
    assert response.status_code == 403
    putaran.refresh_from_db()
    assert putaran.status == "terbuka"
    assert client.get(reverse("admin:persetujuan_putaran_add")).status_code == 403
