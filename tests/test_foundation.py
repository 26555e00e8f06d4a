import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from dokumen.models import DasarHukum, JenisDokumen, JenisJangkaWaktu, Regulasi
from ppid.models import SiteProfile
from ppid.roles import Role, roles_of


@pytest.mark.django_db
def test_roles_are_seeded_as_groups_whose_rules_are_the_lifecycle_table():
    names = set(Group.objects.values_list("name", flat=True))
    assert {r.value for r in Role} <= names
    # no model permission that nothing checks (and that would open the admin to a role member)
    for role in Role:
        assert not Group.objects.get(name=role).permissions.exists()


@pytest.mark.django_db
def test_reference_data_is_seeded():
    grounds = DasarHukum.objects.filter(is_ground=True)
    assert set(grounds.values_list("letter", flat=True)) == set("abcdefghij")
    h2 = DasarHukum.objects.get(code="17h2")
    assert h2.citation == "Pasal 17 huruf h angka 2 UU 14/2008"
    assert not DasarHukum.objects.get(code="17a").may_be_unlimited
    assert DasarHukum.objects.get(code="17j").may_be_unlimited
    cited = set(DasarHukum.objects.filter(is_ground=False).values_list("article", flat=True))
    assert {"18", "19", "20"} <= cited
    assert Regulasi.objects.get(code="pkpu-1-2015").replaced_by.code == "pkpu-22-2023"
    assert Regulasi.objects.get(code="perki-1-2010").replaced_by.code == "perki-1-2021"
    assert (
        Regulasi.objects.filter(code__in=["pp-61-2010", "perki-1-2021", "pkpu-22-2023"]).count()
        == 3
    )
    assert JenisDokumen.objects.filter(code="pencalonan-pilpres").exists()
    assert JenisJangkaWaktu.objects.count() == 4


@pytest.mark.django_db
def test_site_profile_default_office():
    assert SiteProfile.current().office_name == "Komisi Pemilihan Umum Kabupaten Pinrang"


def test_language_timezone_and_date_format():
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Makassar"
    with translation.override("id"):
        rendered = Template("{{ d|date }}").render(Context({"d": datetime.date(2022, 3, 14)}))
        assert rendered == "14 Maret 2022"
        # our own catalogue is compiled and active: an English msgid comes out in Indonesian
        assert translation.gettext("Staff login") == "Masuk petugas"


@pytest.mark.django_db
def test_login_page_is_indonesian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Masuk petugas" in html
    assert "Komisi Pemilihan Umum Kabupaten Pinrang" in html


@pytest.mark.django_db
def test_each_role_sees_its_navigation(client, desk, ppid, pembina, no_role):
    client.force_login(desk)
    html = client.get(reverse("meja:beranda")).content.decode()
    assert "Meja Layanan" in html and "Petugas Desk Layanan Informasi" in html
    client.force_login(pembina)
    html = client.get(reverse("persetujuan:antrean")).content.decode()
    assert reverse("persetujuan:antrean") in html
    assert reverse("meja:beranda") not in html
    client.force_login(no_role)
    assert client.get(reverse("meja:beranda")).status_code == 403


@pytest.mark.django_db
def test_roles_of_ignores_inactive_users(desk):
    assert roles_of(desk) == {Role.DESK}
    desk.is_active = False
    desk._dik_roles = None
    assert roles_of(desk) == frozenset()


@pytest.mark.django_db
def test_password_reset_sends_mail(client, desk, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": desk.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert desk.email in mailoutbox[0].to


@pytest.mark.django_db
def test_demo_command_is_idempotent(django_user_model):
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    count = django_user_model.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert django_user_model.objects.count() == count
    assert django_user_model.objects.get(username="ppid").check_password("ppid-pinrang")
