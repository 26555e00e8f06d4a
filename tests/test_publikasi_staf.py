"""The publication desk: the PPID records, publishes and revokes decrees; the desk only looks."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dokumen.models import State
from publikasi import services
from publikasi.models import Keputusan, SaluranPublikasi
from tests.archive_fixtures import archived_entry, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def form_data(**extra):
    return {
        "number": "731 Tahun 2025",
        "date": "2025-08-21",
        "title": "Penetapan dokumen persyaratan calon",
        "issuer": "Komisi Pemilihan Umum Republik Indonesia",
        **extra,
    }


def test_ppid_records_a_draft_through_the_form(client, ppid):
    entri = archived_entry(title="Salinan KTP-el bakal calon")
    client.force_login(ppid)
    page = client.get(reverse("publikasi_staf:create")).content.decode()
    assert "Salinan KTP-el bakal calon" in page  # an archived entry to choose
    response = client.post(
        reverse("publikasi_staf:create"),
        form_data(entries=[entri.pk], pdf=SimpleUploadedFile("k.pdf", pdf_bytes())),
    )
    keputusan = Keputusan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("publikasi_staf:detail", args=[keputusan.pk])
    assert list(keputusan.entries.all()) == [entri]
    html = client.get(response["Location"]).content.decode()
    assert "Keputusan dicatat sebagai draf." in html
    assert "Terbitkan Keputusan" in html


def test_a_forged_pdf_is_refused_next_to_the_file_field(client, ppid):
    client.force_login(ppid)
    forged = SimpleUploadedFile("keputusan.pdf", b"\x89PNG\r\n\x1a\n bukan pdf")
    response = client.post(reverse("publikasi_staf:create"), form_data(pdf=forged))
    assert response.status_code == 200
    assert "Berkas Keputusan bukan PDF" in response.content.decode()
    assert "id_pdf_error" in response.content.decode()
    assert not Keputusan.objects.exists()


def test_publish_and_revoke_through_the_pages(client, ppid):
    entri = archived_entry(title="Ijazah bakal calon")
    keputusan = services.keputusan_create(
        by=ppid,
        data={"number": "731 Tahun 2025", "date": datetime.date(2025, 8, 21), "title": "Penetapan"},
        pdf=pdf_upload(),
        entries=[entri],
    )
    client.force_login(ppid)
    url = reverse("publikasi_staf:publish", args=[keputusan.pk])
    response = client.post(url, {})  # not confirmed
    text = response.content.decode()
    assert "Centang kotak untuk mengonfirmasi penerbitan" in text
    assert "Bidang ini tidak boleh kosong." not in text
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "diterbitkan; entri yang dicakupnya kini tercantum dalam DIK publik" in (
        response.content.decode()
    )
    entri.refresh_from_db()
    assert entri.state == State.DITETAPKAN

    response = client.post(
        reverse("publikasi_staf:revoke", args=[keputusan.pk]),
        {
            "number": "805 Tahun 2025",
            "date": "2025-09-16",
            "title": "Pencabutan Keputusan KPU Nomor 731 Tahun 2025",
            "issuer": "Komisi Pemilihan Umum Republik Indonesia",
            "pdf": SimpleUploadedFile("c.pdf", pdf_bytes()),
            "confirm": "on",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "dicabut dengan Keputusan KPU Nomor 805 Tahun 2025" in html
    entri.refresh_from_db()
    assert entri.state == State.TIDAK_BERLAKU
    assert Keputusan.objects.get(number="805 Tahun 2025").status == Keputusan.Status.PUBLISHED


def test_publish_refusal_is_shown(client, ppid):
    keputusan = services.keputusan_create(
        by=ppid, data={"number": "1 Tahun 2026", "date": datetime.date(2026, 1, 2), "title": "X"}
    )
    client.force_login(ppid)
    response = client.post(
        reverse("publikasi_staf:publish", args=[keputusan.pk]), {"confirm": "on"}, follow=True
    )
    assert "tidak dapat diterbitkan" in response.content.decode()


def test_channel_recorded_and_listed(client, ppid):
    keputusan = services.keputusan_create(
        by=ppid,
        data={"number": "731 Tahun 2025", "date": datetime.date(2025, 8, 21), "title": "Penetapan"},
        pdf=pdf_upload(),
        entries=[archived_entry()],
    )
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    client.force_login(ppid)
    response = client.post(
        reverse("publikasi_staf:channel_add", args=[keputusan.pk]),
        {"channel": "papan_pengumuman", "date": "2025-08-25", "link": "", "note": "Lobi kantor"},
        follow=True,
    )
    html = response.content.decode()
    assert "Sarana publikasi dicatat." in html
    assert "papan pengumuman" in html and "Lobi kantor" in html
    assert SaluranPublikasi.objects.get().recorded_by == ppid


def test_desk_may_look_but_not_change(client, desk, ppid):
    keputusan = services.keputusan_create(
        by=ppid,
        data={"number": "731 Tahun 2025", "date": datetime.date(2025, 8, 21), "title": "Penetapan"},
        pdf=pdf_upload(),
        entries=[archived_entry()],
    )
    client.force_login(desk)
    assert client.get(reverse("publikasi_staf:index")).status_code == 200
    html = client.get(reverse("publikasi_staf:detail", args=[keputusan.pk])).content.decode()
    assert "731 Tahun 2025" in html and "Terbitkan Keputusan" not in html
    response = client.get(reverse("publikasi_staf:pdf", args=[keputusan.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("publikasi_staf:create")).status_code == 403
    assert client.get(reverse("publikasi_staf:edit", args=[keputusan.pk])).status_code == 403
    for name in ("publish", "revoke", "channel_add"):
        url = reverse(f"publikasi_staf:{name}", args=[keputusan.pk])
        assert client.post(url, {"confirm": "on"}).status_code == 403
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.DRAFT


@pytest.mark.parametrize("user_fixture", ["pembina", "no_role"])
def test_others_do_not_see_the_publication_desk(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("publikasi_staf:index")).status_code == 403


def test_edit_of_a_draft(client, ppid):
    keputusan = services.keputusan_create(
        by=ppid, data={"number": "7 Tahun 2026", "date": datetime.date(2026, 1, 2), "title": "Lama"}
    )
    client.force_login(ppid)
    url = reverse("publikasi_staf:edit", args=[keputusan.pk])
    assert 'value="7 Tahun 2026"' in client.get(url).content.decode()
    response = client.post(url, form_data(number="7 Tahun 2026", title="Baru"))
    assert response.status_code == 302
    keputusan.refresh_from_db()
    assert keputusan.title == "Baru"


def test_nav_links_for_desk(client, desk):
    client.force_login(desk)
    html = client.get(reverse("meja:beranda")).content.decode()
    assert reverse("arsip:index") in html and reverse("publikasi_staf:index") in html


def test_every_label_of_the_decree_page_points_at_its_own_field(client, ppid):
    """The revocation and the channel form both have a date: each label names its own field."""
    keputusan = services.keputusan_create(
        by=ppid,
        data={"number": "731 Tahun 2025", "date": datetime.date(2025, 8, 21), "title": "Penetapan"},
        pdf=pdf_upload(),
        entries=[archived_entry()],
    )
    services.keputusan_publish(keputusan_id=keputusan.pk, by=ppid)
    client.force_login(ppid)
    html = client.get(reverse("publikasi_staf:detail", args=[keputusan.pk])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    fields = re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html)
    fields = [f for f in fields if not f.startswith("initial-")]  # hidden initial values
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert {"cabut_date", "saluran_date"} <= set(fields)
    assert set(fields) - labelled <= {"cabut_confirm"}  # a checkbox sits inside its label
