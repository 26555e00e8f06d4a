"""The rows of the public DIK lists (publikasi.public_rows): each rendered once per version of
its office's DIK and language, shared by `/` and `/<office>/`, rendered by the worker after a
change, kept through a change in another office, and never stale after a change."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from dokumen import samaran
from dokumen.models import JenisDokumen, State
from ppid.models import Kantor, SiteProfile
from publikasi import public_rows as rows_module
from publikasi.dik_pdf import public_dik_changed
from publikasi.public_rows import public_rows, row_key
from publikasi.selectors import office_dik_version, published_dik_version
from tests.archive_fixtures import add_redacted_copy
from tests.factories import EntriFactory

pytestmark = pytest.mark.django_db
SIDRAP = "kab-sidenreng-rappang"


@pytest.fixture(autouse=True)
def profiles(db):
    """The profiles exist in a running site; query counts measure the page alone."""
    SiteProfile.current()
    SiteProfile.for_office(Kantor.objects.get(slug=SIDRAP))


@pytest.fixture
def rendered(monkeypatch):
    """The entries whose row was rendered, in order."""
    seen = []
    real = rows_module.get_template

    class Counting:
        def __init__(self, template):
            self.template = template

        def render(self, context):
            seen.append(context["e"].pk)
            return self.template.render(context)

    monkeypatch.setattr(rows_module, "get_template", lambda name: Counting(real(name)))
    return seen


def in_force(title, **kwargs):
    return EntriFactory(classified=True, state=State.DITETAPKAN, title=title, **kwargs)


def test_a_second_list_with_the_same_rows_reads_and_renders_none_of_them(
    client, rendered, django_assert_max_num_queries
):
    entries = [in_force(f"Arsip nomor {n}") for n in range(3)]
    first = client.get(reverse("publikasi:dik")).content.decode()
    assert sorted(rendered) == sorted(e.pk for e in entries)
    rendered.clear()
    # another list (a search) showing two of them; then the same page written otherwise
    with django_assert_max_num_queries(8):
        found = client.get(reverse("publikasi:dik"), {"q": "Arsip"}).content.decode()
    with django_assert_max_num_queries(6):
        again = client.get(reverse("publikasi:dik"), {"halaman": "01"}).content.decode()
    assert rendered == []
    for entri in entries:
        assert entri.title in first and entri.title in found and entri.title in again
    # the office's own page shows the same rows of the default office, from the cache
    office_page = client.get(reverse("kantor_dik", args=[Kantor.default().slug]))
    assert rendered == [] and all(e.title in office_page.content.decode() for e in entries)


def test_a_change_of_the_dik_shows_in_the_rows(client, atasan):
    url = reverse("publikasi:dik")
    kept, ending = in_force("Tetap berlaku"), in_force("Segera berakhir")
    salinan = add_redacted_copy(kept)
    copy_url = reverse("publikasi:salinan_pdf", args=[salinan.pk])
    html = client.get(url).content.decode()
    assert "Segera berakhir" in html and copy_url not in html  # not approved yet
    # the copy approved (its service bumps the version): the row shows it
    samaran.salinan_approve(salinan_id=salinan.pk, by=atasan)
    html = client.get(url, {"halaman": "1"}).content.decode()
    assert copy_url in html
    # an entry that ended is in no list, and no old row of it comes back
    ending.state = State.TIDAK_BERLAKU
    ending.save()
    public_dik_changed([ending.kantor_id])  # what entries_expire calls
    assert "Segera berakhir" not in client.get(url, {"halaman": "001"}).content.decode()


def test_a_renamed_document_type_is_a_change_of_the_dik(client, django_capture_on_commit_callbacks):
    entri = in_force("Daftar pemilih")
    client.get(reverse("publikasi:dik"))
    before = published_dik_version()
    kind = JenisDokumen.objects.get(pk=entri.document_type_id)
    kind.name = "Jenis yang diganti namanya"
    kind.save()  # the admin's edit
    assert published_dik_version() > before
    assert "Jenis yang diganti namanya" in client.get(reverse("publikasi:dik")).content.decode()
    # a new type is in no row yet: no change
    version = published_dik_version()
    JenisDokumen.objects.create(code="baru", name="Baru")
    assert published_dik_version() == version


def test_rows_are_kept_per_language(client):
    entri = in_force("Arsip dwibahasa")
    office = Kantor.default()
    version = office_dik_version(office)
    indonesian = client.get(reverse("publikasi:dik")).content.decode()
    with translation.override("en"):  # the site speaks Indonesian only (LANGUAGES), for now
        (english,) = public_rows([entri.pk], kantor=office, version=version)
    id_row = cache.get(row_key(version, office.pk, "id", entri.pk))
    assert cache.get(row_key(version, office.pk, "en", entri.pk)) == english
    assert 'data-label="Informasi"' in id_row and 'data-label="Information"' in english
    assert id_row in indonesian


def test_no_row_of_one_office_is_kept_under_another(client):
    pinrang, sidrap = Kantor.default(), Kantor.objects.get(slug=SIDRAP)
    own, other = in_force("Arsip Pinrang", kantor=pinrang), in_force("Arsip Sidrap", kantor=sidrap)
    public_dik_changed([pinrang.pk, sidrap.pk])  # one version of both offices
    version = office_dik_version(pinrang)
    assert office_dik_version(sidrap) == version
    pinrang_page = client.get(reverse("kantor_dik", args=[pinrang.slug])).content.decode()
    sidrap_page = client.get(reverse("kantor_dik", args=[SIDRAP])).content.decode()
    assert "Arsip Pinrang" in pinrang_page and "Arsip Sidrap" not in pinrang_page
    assert "Arsip Sidrap" in sidrap_page and "Arsip Pinrang" not in sidrap_page
    assert cache.get(row_key(version, sidrap.pk, "id", own.pk)) is None
    assert cache.get(row_key(version, pinrang.pk, "id", other.pk)) is None
    # asked for another office's entry, the rows read leave it out (and keep nothing of it)
    assert public_rows([other.pk], kantor=pinrang, version=version) == []
    assert cache.get(row_key(version, pinrang.pk, "id", other.pk)) is None


def test_nothing_of_the_request_is_in_a_row(client, admin_user):
    entri = in_force("Arsip tanpa tanda")
    client.force_login(admin_user)  # a page with the visitor's own CSRF token and CSP nonce
    html = client.get(reverse("publikasi:dik")).content.decode()
    nonce = re.search(r'nonce="([^"]+)"', html)
    row = cache.get(row_key(office_dik_version(entri.kantor), entri.kantor_id, "id", entri.pk))
    assert row and "Arsip tanpa tanda" in row
    assert "nonce" not in row and "csrf" not in row.lower()
    if nonce:
        assert nonce.group(1) not in row


def test_the_page_around_the_list_is_shared_only_by_visitors_without_cookies(
    client, admin_user, django_assert_max_num_queries
):
    in_force("Arsip bersama")
    anonymous = client.get(reverse("publikasi:dik")).content.decode()
    assert reverse("logout") not in anonymous
    # another list for another visitor without cookies: the page around it from the cache
    with django_assert_max_num_queries(3):
        other = client.get(reverse("publikasi:dik"), {"halaman": "01"}).content.decode()
    assert other == anonymous
    # a signed-in visitor gets their own page (navigation, CSRF token) around the same list
    client.force_login(admin_user)
    own = client.get(reverse("publikasi:dik"), {"halaman": "001"}).content.decode()
    assert reverse("logout") in own and "csrfmiddlewaretoken" in own
    assert "Arsip bersama" in own
    client.logout()
    client.cookies.clear()
    again = client.get(reverse("publikasi:dik"), {"halaman": "0001"}).content.decode()
    assert reverse("logout") not in again and "csrfmiddlewaretoken" not in again


def test_the_filter_options_are_kept_per_version_with_the_visitors_choice_selected(client):
    """The two filters' options (with their counts) are rendered once per version, office,
    language and choice: a chosen type is selected, an unknown code selects nothing, and a
    change of the DIK shows the new counts."""
    jenis = JenisDokumen.objects.filter(active=True).order_by("pk").first()
    in_force("Arsip pertama", document_type=jenis)
    url = reverse("publikasi:dik")

    def selects(body):
        return re.findall(r'<option value="([^"]*)" selected>', body)

    body = client.get(url, {"jenis": jenis.code}).content.decode()
    assert selects(body) == [jenis.code]
    assert f"{jenis.name} (1)" in body
    version = office_dik_version(Kantor.default())
    assert cache.get(
        f"publikasi:options:{version}:{Kantor.default().pk}:{translation.get_language()}"
        f":jenis:{jenis.code}"
    )
    assert selects(client.get(url, {"jenis": "tidak-ada"}).content.decode()) == []
    assert selects(client.get(url, {"jenis": jenis.code, "halaman": "2"}).content.decode()) == [
        jenis.code
    ]

    in_force("Arsip kedua", document_type=jenis)
    public_dik_changed()
    assert f"{jenis.name} (2)" in client.get(url, {"halaman": "3"}).content.decode()


def test_a_change_in_one_office_keeps_the_rows_of_every_other(client, rendered):
    pinrang, sidrap = Kantor.default(), Kantor.objects.get(slug=SIDRAP)
    in_force("Arsip Pinrang", kantor=pinrang)
    kept = in_force("Arsip Sidrap", kantor=sidrap)
    client.get(reverse("kantor_dik", args=[SIDRAP]))
    assert rendered == [kept.pk]
    rendered.clear()
    public_dik_changed([pinrang.pk])  # Pinrang's DIK changed: the whole DIK's version too
    page = client.get(reverse("kantor_dik", args=[SIDRAP])).content.decode()
    assert "Arsip Sidrap" in page and rendered == []  # the page again, its row as it was
    public_dik_changed([sidrap.pk])
    client.get(reverse("kantor_dik", args=[SIDRAP]))
    assert rendered == [kept.pk]


def test_the_worker_renders_the_rows_of_a_changed_office_before_anyone_asks(
    client, rendered, django_capture_on_commit_callbacks, settings
):
    """After a change is committed, the worker renders every row of the office's DIK in force
    in every language under the new version (tests run tasks at once): the first visitor of
    any page, search or filter renders none."""
    settings.LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
    office = Kantor.default()
    entries = [in_force(f"Arsip hangat {n}") for n in range(3)]
    other = in_force("Arsip kantor lain", kantor=Kantor.objects.get(slug=SIDRAP))
    with django_capture_on_commit_callbacks(execute=True):
        public_dik_changed([office.pk])
    assert sorted(rendered) == sorted([e.pk for e in entries] * 2)  # Indonesian, English
    version = office_dik_version(office)
    for entri in entries:
        assert entri.title in cache.get(row_key(version, office.pk, "en", entri.pk))
    assert cache.get(row_key(version, other.kantor_id, "id", other.pk)) is None  # not changed
    rendered.clear()
    assert (
        "Arsip hangat 2" in client.get(reverse("publikasi:dik"), {"q": "hangat"}).content.decode()
    )
    assert rendered == []


def test_the_worker_renders_in_chunks_and_never_twice(monkeypatch):
    monkeypatch.setattr(rows_module, "WARM_CHUNK", 2)
    office = Kantor.default()
    entries = [in_force(f"Arsip bertahap {n}") for n in range(5)]
    ended = in_force("Arsip yang berakhir")
    ended.state = State.TIDAK_BERLAKU
    ended.save()
    public_dik_changed([office.pk])
    reads = []
    real = rows_module.public_rows
    monkeypatch.setattr(
        rows_module, "public_rows", lambda ids, **kw: reads.append(list(ids)) or real(ids, **kw)
    )
    assert rows_module.warm_public_rows.call([office.pk]) == 5
    assert [len(ids) for ids in reads] == [2, 2, 1]
    assert sorted(pk for ids in reads for pk in ids) == sorted(e.pk for e in entries)
    assert rows_module.warm_public_rows.call([office.pk]) == 0  # all kept: nothing rendered
