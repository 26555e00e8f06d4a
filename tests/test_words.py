"""One wording everywhere (GLOSSARY.md): the six parts of the consequence test, the other law
under its own label, Indonesian only (reference texts, Django's own strings, feed dates), and a
decree history without repeated lines. Each test reads what a user sees: page text, PDF text."""

import datetime
import gettext
import html
import importlib
import io
import re
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from pypdf import PdfReader

from dokumen.models import DasarHukum, State
from persetujuan import services as approval_services
from publikasi.dik_pdf import store_public_dik
from tests.archive_fixtures import archived_entry
from tests.factories import EntriFactory, UserFactory
from tests.test_entri_pdf import SIX_PARTS
from tests.test_keputusan import published

pytestmark = pytest.mark.django_db

OTHER_LAW = "UU 27/2022 tentang Pelindungan Data Pribadi"


def visible_text(response) -> str:
    """The page as a reader sees it: no tags, entities decoded, spaces collapsed."""
    assert response.status_code == 200
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def pdf_text(response) -> str:
    assert response.status_code == 200
    if response.streaming:
        content = b"".join(response.streaming_content)
        response.close()
    else:
        content = response.content
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def labels_in(response, pattern: str) -> list[str]:
    body = response.content.decode()
    return [" ".join(html.unescape(m).split()) for m in re.findall(pattern, body, flags=re.S)]


# ---------------------------------------------------------------- the six parts


def test_the_six_parts_carry_the_same_label_on_form_entry_page_queue_and_pdf(client, ppid, pembina):
    texts = {"test_weighing": "Bahaya lebih besar daripada manfaat membuka."}
    collected = EntriFactory(classified=True, **texts)
    client.force_login(ppid)
    form = labels_in(
        client.get(reverse("meja:entri_classify", args=[collected.pk])),
        r'<label for="id_test_\w+">([^<]*)',
    )
    assert form == SIX_PARTS  # the words of PKPU 22/2023 Article 25(3), in its order

    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI, **texts)
    approval_services.entri_submit(entri_id=entri.pk, by=ppid)
    detail = labels_in(client.get(reverse("meja:entri_detail", args=[entri.pk])), r"<dt>([^<]*)")
    assert [label for label in detail if label in form] == SIX_PARTS

    client.force_login(pembina)
    queue = labels_in(client.get(reverse("persetujuan:antrean")), r"<dt>([^<]*)")
    shown = [label for label in queue if re.match(r"[a-f]\. ", label)]
    assert shown and set(shown) <= set(SIX_PARTS)

    client.force_login(ppid)
    sheet = pdf_text(client.get(reverse("meja:entri_uji_pdf", args=[entri.pk])))
    for label in SIX_PARTS:
        assert label in sheet
    # the words the pages used to mix are gone from every label
    for label in form + detail + queue:
        assert "Akibat" not in label and "Kerugian" not in label


# ---------------------------------------------------------------- the other law


def test_the_other_law_has_its_own_label_on_the_entry_page_and_in_the_queue(client, ppid, pembina):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI, other_law=OTHER_LAW)
    approval_services.entri_submit(entri_id=entri.pk, by=ppid)
    client.force_login(ppid)
    page = client.get(reverse("meja:entri_detail", args=[entri.pk])).content.decode()
    assert f"<dt>Dasar hukum lain</dt><dd>{OTHER_LAW}</dd>" in page
    grounds = re.search(r"<dt>Dasar pengecualian</dt><dd>(.*?)</dd>", page, flags=re.S)
    assert OTHER_LAW not in grounds.group(1)

    client.force_login(pembina)
    queue = client.get(reverse("persetujuan:antrean")).content.decode()
    assert f"<dt>Dasar hukum lain</dt><dd>{OTHER_LAW}</dd>" in queue
    grounds = re.search(r"<dt>Dasar pengecualian</dt><dd>(.*?)</dd>", queue, flags=re.S)
    assert OTHER_LAW not in grounds.group(1)


def test_the_other_law_has_its_own_label_on_the_public_dik_and_its_pdf(client, ppid):
    published(ppid, [archived_entry(other_law=OTHER_LAW)])
    page = visible_text(client.get(reverse("publikasi:dik")))
    assert f"Dasar hukum lain: {OTHER_LAW}" in page
    store_public_dik()  # what the commit of the publication queues
    pdf = pdf_text(client.get(reverse("publikasi:dik_pdf")))
    assert f"Dasar hukum lain: {OTHER_LAW}" in pdf
    assert f"; {OTHER_LAW}" not in pdf


def test_the_other_law_has_its_own_label_on_the_approval_sheet(client, ppid):
    entri = EntriFactory(classified=True, state=State.DIKLASIFIKASI, other_law=OTHER_LAW)
    client.force_login(ppid)
    sheet = pdf_text(client.get(reverse("persetujuan:lembar_pdf", args=[entri.pk])))
    assert f"Dasar hukum lain {OTHER_LAW}" in sheet
    assert f"; {OTHER_LAW}" not in sheet


# ---------------------------------------------------------------- Indonesian only


def test_pasal_17_j_reads_in_indonesian_on_the_public_page(client):
    text = visible_text(client.get(reverse("publikasi:dasar_hukum")))
    assert "(misalnya UU 23/2006 Adminduk untuk NIK/KK; UU 27/2022 PDP)" in text
    assert "e.g." not in text
    assert "mengidentifikasi potensi konsekuensi bahaya akibat dibukanya informasi" in text


def test_the_data_migration_rewords_the_seeded_texts_and_keeps_an_edited_one():
    migration = importlib.import_module("dokumen.migrations.0006_reference_wording_in_indonesian")
    (old_j, new_j), (old_25, _new_25) = migration.WORDING.values()
    DasarHukum.objects.filter(code="17j").update(summary=old_j)
    DasarHukum.objects.filter(code="pkpu22-25-3").update(summary="Teks yang diubah kantor.")
    migration.forwards(apps, None)
    assert DasarHukum.objects.get(code="17j").summary == new_j
    assert DasarHukum.objects.get(code="pkpu22-25-3").summary == "Teks yang diubah kantor."
    assert old_25 not in DasarHukum.objects.values_list("summary", flat=True)


def test_a_wrong_login_says_so_once_in_indonesian(client):
    UserFactory(username="desk", password="benar-sekali-123")
    page = visible_text(
        client.post(reverse("login"), {"username": "desk", "password": "salah-sekali"})
    )
    assert "Masukkan nama pengguna dan kata sandi yang benar." in page
    assert "nama pengguna nama pengguna" not in page


BARE_SANDI = re.compile(r"(?<![Kk]ata )\bsandi\b", re.IGNORECASE)


def django_password_strings() -> list[str]:
    """Every msgid of Django's auth and admin catalogues that Django words with a bare "sandi"."""
    contrib = Path(django.__file__).parent / "contrib"
    found = []
    for app in ("auth", "admin"):
        with open(contrib / app / "locale/id/LC_MESSAGES/django.mo", "rb") as fh:
            catalogue = gettext.GNUTranslations(fh)._catalog
        for msgid, msgstr in catalogue.items():
            if isinstance(msgid, tuple):
                msgid = msgid[0]
            if msgid and BARE_SANDI.search(msgstr) and msgid != "codename":
                found.append(msgid)
    return found


def test_every_password_string_of_django_says_kata_sandi():
    strings = django_password_strings()
    assert len(strings) > 20
    with override("id"):
        worded = {msgid: _(msgid) for msgid in strings}
    assert [m for m, text in worded.items() if BARE_SANDI.search(text)] == []
    assert worded["Password"] == "Kata sandi"


@pytest.mark.parametrize(
    "url_name", ["login", "password_change", "password_reset", "password_reset_done"]
)
def test_the_password_pages_say_kata_sandi(client, desk, url_name):
    if url_name == "password_change":
        client.force_login(desk)
    text = visible_text(client.get(reverse(url_name)))
    assert "ata sandi" in text
    assert not BARE_SANDI.search(text), BARE_SANDI.findall(text)


def test_the_password_reset_mail_says_kata_sandi(client):
    UserFactory(username="desk", email="desk@kpu-pinrang.go.id")
    client.post(reverse("password_reset"), {"email": "desk@kpu-pinrang.go.id"})
    (message,) = mail.outbox
    assert "kata sandi" in message.subject.lower() and "kata sandi" in message.body
    words = re.sub(r"https?://\S+", "", message.subject + message.body)  # the link says /sandi/
    assert not BARE_SANDI.search(words)


# ---------------------------------------------------------------- decrees


def test_the_decree_history_has_one_line_per_step(client, ppid):
    keputusan = published(ppid, [archived_entry()])  # the draft was saved twice (its entries)
    client.force_login(ppid)
    page = client.get(reverse("publikasi_staf:detail", args=[keputusan.pk])).content.decode()
    history = re.search(r'id="h-hist".*?<ul>(.*?)</ul>', page, flags=re.S).group(1)
    lines = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", li)).split())
        for li in re.findall(r"<li>(.*?)</li>", history, flags=re.S)
    ]
    assert len(lines) == 2
    assert " — diterbitkan — " in lines[0] and " — draf — " in lines[1]
    assert len(set(lines)) == len(lines)


def test_the_feed_writes_dates_as_the_office_does(client, ppid):
    published(ppid, [archived_entry()], date=datetime.date(2022, 3, 14))
    xml = client.get(reverse("publikasi:feed")).content.decode()
    assert "Tanggal: 14 Maret 2022." in xml
    assert "2022-03-14." not in xml
