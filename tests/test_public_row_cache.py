"""The rows of the public DIK lists (publikasi.public_rows): each rendered once per version of
the DIK, office and language, shared by `/` and `/<office>/`, and never stale after a change."""

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
from publikasi.selectors import published_dik_version
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
    version = published_dik_version()
    office = Kantor.default()
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
    version = published_dik_version()
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
    row = cache.get(row_key(published_dik_version(), entri.kantor_id, "id", entri.pk))
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
    version = published_dik_version()
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
