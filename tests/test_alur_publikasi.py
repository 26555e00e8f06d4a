"""Issue 6 "done when", on the demo data: archive two approved entries, record and publish a
decree covering them, see them in the public DIK and its files, revoke it, see them leave."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dokumen.models import Entri, State
from publikasi.models import Keputusan
from tests.archive_fixtures import pdf_bytes


def public_texts(client: Client) -> dict[str, str]:
    response = client.get(reverse("publikasi:dik_pdf"))
    if response.status_code == 503:  # being prepared: the task (inline in tests) has run since
        response = client.get(reverse("publikasi:dik_pdf"))
    pdf = b"".join(response.streaming_content)
    pdf_text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    return {
        "page": client.get(reverse("publikasi:dik")).content.decode(),
        "csv": b"".join(client.get(reverse("publikasi:dik_csv")).streaming_content).decode(
            "utf-8-sig"
        ),
        "json": b"".join(client.get(reverse("publikasi:dik_json")).streaming_content).decode(),
        "pdf": pdf_text,
    }


@pytest.mark.django_db
def test_archive_publish_and_revoke_on_the_demo(client, django_capture_on_commit_callbacks):
    call_command("demo", stdout=io.StringIO())
    # the demo's decrees are signed electronically by its own authority (issuer unverified);
    # the draft's PDF was edited after signing and is flagged
    with_pdf = Keputusan.objects.exclude(pdf="")
    drafts = set(with_pdf.filter(status=Keputusan.Status.DRAFT).values_list("signature", flat=True))
    assert "berubah" in drafts
    others = with_pdf.exclude(status=Keputusan.Status.DRAFT).values_list("signature", flat=True)
    assert set(others) == {"belum_diverifikasi"}
    ppid = get_user_model().objects.get(username="ppid")
    ready = list(Entri.objects.filter(state=State.DISETUJUI).order_by("pk"))
    assert len(ready) == 2
    anonymous = Client()
    before = public_texts(anonymous)
    for entri in ready:
        assert entri.title not in before["page"]

    client.force_login(ppid)
    for entri in ready:
        client.post(reverse("arsip:arsipkan", args=[entri.pk]))
        entri.refresh_from_db()
        assert entri.state == State.DIARSIPKAN

    response = client.post(
        reverse("publikasi_staf:create"),
        {
            "number": "1200 Tahun 2025",
            "date": "2025-12-01",
            "title": "Penetapan berkas badan ad hoc sebagai informasi yang dikecualikan",
            "issuer": "Komisi Pemilihan Umum Republik Indonesia",
            "pdf": SimpleUploadedFile("keputusan-1200.pdf", pdf_bytes()),
            "entries": [e.pk for e in ready],
        },
    )
    keputusan = Keputusan.objects.get(number="1200 Tahun 2025")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("publikasi_staf:publish", args=[keputusan.pk]), {"confirm": "on"})
    published = public_texts(anonymous)
    rows = list(csv.DictReader(io.StringIO(published["csv"])))
    records = json.loads(published["json"])["data"]
    for entri in ready:
        assert entri.title in published["page"]
        assert entri.title in published["pdf"]
        assert entri.title in [row["judul"] for row in rows]
        assert entri.title in [record["judul"] for record in records]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("publikasi_staf:revoke", args=[keputusan.pk]),
            {
                "number": "1250 Tahun 2025",
                "date": "2025-12-20",
                "title": "Pencabutan Keputusan KPU Nomor 1200 Tahun 2025",
                "issuer": "Komisi Pemilihan Umum Republik Indonesia",
                "pdf": SimpleUploadedFile("pencabutan.pdf", pdf_bytes()),
                "confirm": "on",
            },
        )
    assert response.status_code == 302
    revoked = public_texts(anonymous)
    in_force, opened = revoked["page"].split('id="dibuka"')
    rows = {row["judul"]: row for row in csv.DictReader(io.StringIO(revoked["csv"]))}
    records = {record["judul"]: record for record in json.loads(revoked["json"])["data"]}
    for entri in ready:
        assert entri.title not in in_force and entri.title not in revoked["pdf"]
        # kept as information no longer exempted, with the decree that revoked it
        assert entri.title in opened
        assert rows[entri.title]["status"] == "tidak_dikecualikan"
        assert records[entri.title]["keputusan_pencabut_nomor"] == "1250 Tahun 2025"
    listing = anonymous.get(reverse("publikasi:keputusan_list")).content.decode()
    assert "1200 Tahun 2025" in listing and "1250 Tahun 2025" in listing
