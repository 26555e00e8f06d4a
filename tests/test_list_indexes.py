"""Each list's order is served by an index: the queries the main list pages really send (public
DIK, national page, staff list, review queue), at a realistic size and after ANALYZE, are planned
as index scans of dokumen_entri in the list's order — no sequential scan, no sort of the table —
on the first page and on page 50."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dokumen.models import Entri, JenisDokumen, State
from persetujuan.models import Putaran
from ppid.models import Kantor
from ppid.roles import Role, required_approver_roles

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]

ENTRIES = 30_000  # over the 553 offices; the default office holds 2,000 of them, like at 1M
OWN = 2_000
STATES = [State.DITETAPKAN] * 6 + [State.DIKUMPULKAN, State.DIAJUKAN]


@pytest.fixture
def register(ppid):
    offices = list(Kantor.objects.values_list("pk", flat=True))
    default = Kantor.default().pk
    others = [pk for pk in offices if pk != default]
    now = timezone.now()
    types = list(JenisDokumen.objects.order_by("pk").values_list("pk", flat=True)[:2])
    entries = [
        Entri(
            kantor_id=default if i < OWN else others[i % len(others)],
            title=f"Dokumen arsip nomor {ENTRIES - i}",
            summary="Ringkasan",
            document_type_id=types[i % 2],
            holding_unit="Subbagian Teknis",
            collected_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 1500),
            collected_by=ppid,
            state=STATES[i % len(STATES)],
            state_changed_at=now - datetime.timedelta(minutes=i),
        )
        for i in range(ENTRIES)
    ]
    Entri.objects.bulk_create(entries, batch_size=5000)
    roles = [role.value for role in required_approver_roles()]
    Putaran.objects.bulk_create(
        [
            Putaran(entri=e, number=1, content_hash="0" * 64, required_roles=roles, opened_by=ppid)
            for e in entries
            if e.state == State.DIAJUKAN
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dokumen_entri")
        cursor.execute("ANALYZE persetujuan_putaran")


def list_queries(client, url: str) -> list[str]:
    """The page's queries of rows of dokumen_entri (a LIMIT: the page itself)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "dokumen_entri"' in q["sql"] and re.search(r"ORDER BY .* LIMIT\b", q["sql"])
    ]


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def assert_index_ordered(client, url: str, index: str, *, deep=False) -> None:
    """The first page: an index scan of `index` in the list's order, nothing sorts the entries.
    A deep page: read through an index too; the planner may then prefer to sort the office's
    rows (a bitmap scan of its index, a sort of ~1,500 rows) over walking the ordered index."""
    queries = list_queries(client, url)
    assert queries, f"{url}: no page query of entries"
    for sql in queries:
        plan = explain(sql)
        assert "Seq Scan on dokumen_entri" not in plan, plan
        assert re.search(
            r"Index (Only )?Scan( Backward)? (using|on) \w+( on dokumen_entri)?", plan
        ), plan
        if not deep:
            assert f"using {index} on dokumen_entri" in plan, plan
            assert "Sort" not in plan.split(f"using {index}")[0], plan


def test_the_public_dik_is_read_in_index_order(client, register):
    dik = reverse("publikasi:dik")
    assert_index_ordered(client, dik, "entri_in_force_order")
    assert_index_ordered(client, f"{dik}?halaman=50", "entri_in_force_order", deep=True)
    url = f"{dik}?jenis=data-pemilih&halaman=50"
    assert_index_ordered(client, url, "entri_in_force_order", deep=True)


def test_the_national_page_is_read_in_index_order(client, register):
    national = reverse("nasional")
    assert_index_ordered(client, national, "entri_in_force_order")
    assert_index_ordered(client, f"{national}?halaman=50", "entri_in_force_order", deep=True)


def test_the_staff_list_is_read_in_index_order(client, register, ppid):
    client.force_login(ppid)
    staff = reverse("meja:entri_list")
    assert_index_ordered(client, staff, "entri_office_collected")
    assert_index_ordered(client, f"{staff}?page=50", "entri_office_collected", deep=True)


def test_the_review_queue_is_read_through_its_index(client, register, user_with):
    """The queue of an office is its submitted entries (~1/8 of them): the planner reads them
    through their partial index and orders the few it finds."""
    client.force_login(user_with(Role.PEMBINA))
    queue = reverse("persetujuan:antrean")
    for url in (queue, f"{queue}?page=5"):
        assert_index_ordered(client, url, "entri_submitted_order", deep=True)
        assert all("entri_submitted_order" in explain(sql) for sql in list_queries(client, url))
