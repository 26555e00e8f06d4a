"""The review queue: only what the user's role should decide, in a fixed number of queries."""

import pytest
from django.urls import reverse

from dokumen.models import State
from persetujuan import services
from persetujuan.selectors import queue_counts, queue_for, review_count, rounds_visible_to
from persetujuan.views import QUEUE_PAGE_SIZE
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
    assert "<dt>b. Potensi konsekuensi bahaya" in html and "<dt>Jangka waktu</dt>" in html
    assert "menunggu Pembina PPID" in html
    # the count next to "Persetujuan" in the navigation
    assert (
        '<span class="count" aria-hidden="true">1</span><span class="visually-hidden"> (1 menunggu)</span>'
        in html
    )


def test_the_queue_is_forbidden_without_an_approving_role(client, desk):
    client.force_login(desk)
    assert client.get(reverse("persetujuan:antrean")).status_code == 403


# session, user, groups, the queue's size and counts per role (also the list's count and the
# navigation's number: the whole queue is shown), the page's queue, grounds, regulations, open
# rounds, decisions + deciders, site profile, the filter's document types and legal grounds
QUEUE_PAGE_QUERIES = 12


@pytest.mark.parametrize("n", [2, 30])
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
    shown = min(n, QUEUE_PAGE_SIZE)
    assert html.count('name="entri"') == shown
    assert html.count("Pasal 17 huruf h UU 14/2008") == shown + 1  # + the filter's choice
    assert f"{n} entri ditemukan." in html
    assert f'<div class="stat">{n}</div>' in html  # the whole queue's count, not the page's
    assert f'<span class="count" aria-hidden="true">{n}</span>' in html  # the navigation's


def test_a_filtered_queue_leaves_the_navigation_counting_the_whole_queue(client, ppid, pembina):
    submitted_entry(ppid, title="Daftar pemilih Pinrang")
    submitted_entry(ppid, title="Surat kesehatan calon")
    client.force_login(pembina)
    html = client.get(reverse("persetujuan:antrean"), {"q": "kesehatan"}).content.decode()
    assert "1 entri ditemukan." in html
    assert '<span class="count" aria-hidden="true">2</span>' in html


def _queue_titles(client, **params) -> list[str]:
    html = client.get(reverse("persetujuan:antrean"), params).content.decode()
    return [
        t for t in ("Daftar pemilih Pinrang", "Surat kesehatan calon", "Ijazah calon") if t in html
    ]


def test_the_queue_is_searched_and_filtered_like_the_staff_list(client, ppid, pembina):
    from dokumen.models import JenisDokumen

    submitted_entry(ppid, title="Daftar pemilih Pinrang")
    health = submitted_entry(ppid, title="Surat kesehatan calon", grounds=["17h2"])
    other_type = JenisDokumen.objects.exclude(code="data-pemilih").first()
    ijazah = submitted_entry(ppid, title="Ijazah calon", summary="Salinan ijazah bakal calon.")
    type(ijazah).objects.filter(pk=ijazah.pk).update(document_type=other_type)
    client.force_login(pembina)

    assert len(_queue_titles(client)) == 3
    assert _queue_titles(client, q="kesehatan") == ["Surat kesehatan calon"]
    assert _queue_titles(client, q="IJAZAH BAKAL") == ["Ijazah calon"]  # the summary too
    assert _queue_titles(client, document_type=other_type.pk) == ["Ijazah calon"]
    ground = health.legal_grounds.get()
    assert _queue_titles(client, legal_ground=ground.pk) == ["Surat kesehatan calon"]
    html = client.get(reverse("persetujuan:antrean"), {"q": "tidak ada"}).content.decode()
    assert "Tidak ada entri dalam antrean yang cocok dengan filter ini." in html
    assert "0 entri ditemukan." in html


def test_the_queue_is_paginated_and_pages_keep_the_filter(client, ppid, pembina):
    for n in range(QUEUE_PAGE_SIZE + 2):
        submitted_entry(ppid, title=f"Dokumen antrean {n:02d}")
    submitted_entry(ppid, title="Lain sama sekali")
    client.force_login(pembina)
    url = reverse("persetujuan:antrean")
    first = client.get(url, {"q": "antrean"}).content.decode()
    assert first.count('name="entri"') == QUEUE_PAGE_SIZE
    assert "Halaman 1 dari 2" in first
    assert 'href="?q=antrean&amp;page=2"' in first
    second = client.get(url, {"q": "antrean", "page": 2}).content.decode()
    assert second.count('name="entri"') == 2 and "Lain sama sekali" not in second
    # the batch form posts to the same filtered page
    assert f'action="{url}?q=antrean&amp;page=2"' in second


def test_batch_approve_on_a_filtered_page_returns_to_it(client, ppid, pembina):
    from persetujuan.models import Persetujuan

    wanted = submitted_entry(ppid, title="Surat kesehatan calon")
    other = submitted_entry(ppid, title="Daftar pemilih Pinrang")
    client.force_login(pembina)
    url = reverse("persetujuan:antrean") + "?q=kesehatan"
    response = client.post(url, {"entri": [wanted.pk], "confirm": "on", "role": PEMBINA})
    assert response.status_code == 302 and response["Location"] == url
    assert list(Persetujuan.objects.values_list("putaran__entri", flat=True)) == [wanted.pk]
    html = client.get(response["Location"]).content.decode()
    assert "1 entri disetujui sebagai Pembina PPID." in html
    assert "Surat kesehatan calon" not in html.split("</form>", 1)[-1]
    assert other in queue_for(pembina)


def test_queue_counts_are_the_whole_queue_per_role(ppid, pembina, user_with):
    both = user_with(Role.TIM, Role.ATASAN)
    for _ in range(3):
        submitted_entry(ppid)
    decided = submitted_entry(ppid)
    services.approve(entri_id=decided.pk, by=pembina, role=PEMBINA)
    assert queue_counts(pembina) == (3, {Role.PEMBINA: 3})
    assert queue_counts(both) == (4, {Role.TIM: 4, Role.ATASAN: 4})
    assert queue_counts(ppid) == (0, {})
    # who decided in a round in one role is not awaited in it in another (separation of duties)
    services.approve(entri_id=decided.pk, by=both, role=Role.TIM)
    assert queue_counts(both) == (3, {Role.TIM: 3, Role.ATASAN: 3})


def test_the_queue_size_counted_by_rounds_is_the_number_of_entries_in_the_queue(
    ppid, pembina, user_with
):
    """queue_counts and review_count count the rounds awaiting the user, not the entries of
    queue_for: the same number, since an entry has one open round at most."""
    both = user_with(Role.TIM, Role.ATASAN)
    entries = [submitted_entry(ppid) for _ in range(4)]
    services.approve(entri_id=entries[0].pk, by=pembina, role=PEMBINA)
    services.approve(entri_id=entries[1].pk, by=both, role=Role.TIM)
    services.return_entri(entri_id=entries[2].pk, by=both, role=Role.ATASAN, reason="Kurang.")
    for user in (pembina, both, ppid):
        assert queue_counts(user)[0] == queue_for(user).count() == review_count(user)
    # not the entry decided as Tim, nor the returned one (its round is closed)
    assert queue_counts(both)[0] == 2
