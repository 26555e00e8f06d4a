"""The review queue: only what the user's role should decide, in a fixed number of queries."""

import pytest
from django.urls import reverse

from dokumen.models import State
from persetujuan import services
from persetujuan.selectors import queue_for, review_count, rounds_visible_to
from ppid.models import SiteProfile
from ppid.roles import Role, roles_of
from tests.factories import EntriFactory, UserFactory
from tests.persetujuan_setup import ATASAN, PEMBINA, TIM, approve_as, submitted_entry

pytestmark = pytest.mark.django_db


def test_the_queue_holds_what_the_role_has_not_decided(ppid, pembina, tim, atasan):
    waiting = submitted_entry(ppid, title="Menunggu semua peran")
    decided_by_pembina = submitted_entry(ppid, title="Sudah diputus Pembina")
    services.approve(entri_id=decided_by_pembina.pk, by=pembina, role=PEMBINA)
    EntriFactory(classified=True, state=State.DIKLASIFIKASI, title="Belum diajukan")

    assert list(queue_for(pembina)) == [waiting]
    assert set(queue_for(tim)) == {waiting, decided_by_pembina}
    assert set(queue_for(atasan)) == {waiting, decided_by_pembina}


def test_another_team_member_no_longer_sees_what_the_team_decided(ppid, user_with):
    tim1, tim2 = user_with(Role.TIM), user_with(Role.TIM)
    entri = submitted_entry(ppid)
    assert list(queue_for(tim2)) == [entri]
    services.approve(entri_id=entri.pk, by=tim1, role=TIM)
    assert list(queue_for(tim2)) == []


def test_the_opener_never_sees_their_own_round(user_with, ppid):
    opener = user_with(Role.PPID, Role.PEMBINA)
    own = submitted_entry(opener)
    other = submitted_entry(ppid)
    assert list(queue_for(opener)) == [other]
    assert own not in queue_for(opener)


def test_a_person_who_decided_in_one_role_is_done_with_the_round(ppid, user_with):
    both = user_with(Role.PEMBINA, Role.TIM)
    entri = submitted_entry(ppid)
    assert list(queue_for(both)) == [entri]
    services.approve(entri_id=entri.pk, by=both, role=PEMBINA)
    assert list(queue_for(both)) == []


def test_approved_returned_and_void_rounds_leave_the_queue(ppid, pembina, tim):
    approved = submitted_entry(ppid)
    approve_as(approved, Role.PEMBINA, Role.TIM, Role.ATASAN)
    returned = submitted_entry(ppid)
    services.return_entri(entri_id=returned.pk, by=tim, role=TIM, reason="Kurang lengkap.")
    withdrawn = submitted_entry(ppid)
    services.entri_withdraw(entri_id=withdrawn.pk, by=ppid)
    assert list(queue_for(pembina)) == []


def test_roles_that_are_not_required_see_nothing(ppid, pembina, desk, no_role, settings):
    settings.DIK_REQUIRED_APPROVER_ROLES = [TIM, ATASAN]
    submitted_entry(ppid)
    for user in (pembina, desk, no_role, ppid):
        assert list(queue_for(user)) == []
        assert review_count(user) == 0


def test_review_count_is_one_query(ppid, atasan, django_assert_num_queries):
    for _ in range(3):
        submitted_entry(ppid)
    roles_of(atasan)  # the request has its roles already (the context processor)
    with django_assert_num_queries(1):
        assert review_count(atasan) == 3


def test_review_count_asks_nothing_for_roles_that_never_decide(
    ppid, desk, settings, django_assert_num_queries
):
    submitted_entry(ppid)
    roles_of(ppid), roles_of(desk)
    with django_assert_num_queries(0):
        assert review_count(ppid) == 0 and review_count(desk) == 0
    # a PPID made an approver by configuration is counted again
    settings.DIK_REQUIRED_APPROVER_ROLES = [Role.PPID.value]
    other = UserFactory(roles=[Role.PPID.value])
    submitted_entry(ppid)
    assert review_count(other) >= 1


def test_rounds_visible_to(ppid, pembina, no_role):
    entri = submitted_entry(ppid)
    assert list(rounds_visible_to(pembina)) == list(entri.rounds.all())
    assert list(rounds_visible_to(no_role)) == []


def test_queue_page_shows_entries_classification_and_counts(client, ppid, pembina):
    entri = submitted_entry(ppid, title="Daftar pemilih dengan NIK utuh")
    other = submitted_entry(ppid, title="Sudah diputus oleh Pembina")
    services.approve(entri_id=other.pk, by=pembina, role=PEMBINA)
    client.force_login(pembina)
    response = client.get(reverse("persetujuan:antrean"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Daftar pemilih dengan NIK utuh" in html
    assert "Sudah diputus oleh Pembina" not in html
    assert reverse("meja:entri_detail", args=[entri.pk]) in html
    assert "Pasal 17 huruf h UU 14/2008" in html  # the legal ground of the classification
    assert "Mengungkap rahasia pribadi." in html  # the harm of the consequence test
    assert "menunggu Pembina PPID" in html
    # the count next to "Persetujuan" in the navigation
    assert (
        '<span class="count" aria-hidden="true">1</span><span class="visually-hidden"> (1 menunggu)</span>'
        in html
    )


def test_the_queue_is_forbidden_without_an_approving_role(client, desk):
    client.force_login(desk)
    assert client.get(reverse("persetujuan:antrean")).status_code == 403


# session, user, groups, queue, grounds, regulations, open rounds, decisions + deciders,
# site profile, review count
QUEUE_PAGE_QUERIES = 10


@pytest.mark.parametrize("n", [2, 20])
def test_queue_page_query_count_does_not_grow(
    client, ppid, pembina, atasan, n, django_assert_num_queries
):
    for _ in range(n):
        entri = submitted_entry(ppid)
        services.approve(entri_id=entri.pk, by=pembina, role=PEMBINA)
    SiteProfile.current()  # created once; not part of every page
    client.force_login(atasan)
    with django_assert_num_queries(QUEUE_PAGE_QUERIES):
        response = client.get(reverse("persetujuan:antrean"))
    html = response.content.decode()
    assert html.count('name="entri"') == n
    assert html.count("Pasal 17 huruf h UU 14/2008") == n
