"""Generate N entries for the benchmarks into a benchmark database only.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/dik_bench manage.py bench_data --entries 10000

On PostgreSQL every table is filled by COPY (psycopg 3 `cursor.copy`), in one transaction,
with ids assigned here so that the rows of the other tables (legal grounds, the transition
log, rounds, the decree's entries) need no round trip; elsewhere (SQLite, the smoke test) the
same rows go through bulk_create. An entry's columns are one table (`_entry_columns`): a new
column of Entri is one line there.
"""

import datetime
import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from dokumen.models import (
    Action,
    DasarHukum,
    Entri,
    JenisDokumen,
    JenisJangkaWaktu,
    State,
    TransitionLog,
)
from persetujuan.models import Putaran
from ppid.models import Kantor, Penugasan
from ppid.roles import Role, required_approver_roles
from publikasi.dik_pdf import public_dik_changed
from publikasi.models import Keputusan

BATCH = 2000  # rows per INSERT of the bulk_create fallback
COPY_BLOCK = 50_000  # entries generated per block: memory stays bounded, whatever N

# most of a real register is in force; the rest spreads over the other steps
STATES = [State.DITETAPKAN] * 6 + [
    State.DIKUMPULKAN,
    State.DIKLASIFIKASI,
    State.DIAJUKAN,
    State.DISETUJUI,
]
# the main path of the lifecycle (dokumen/lifecycle.py ACTIONS): the log rows of an entry
# that reached the step, each with the action that took it there
PATH = [
    (Action.COLLECT, "", State.DIKUMPULKAN),
    (Action.CLASSIFY, State.DIKUMPULKAN, State.DIKLASIFIKASI),
    (Action.SUBMIT, State.DIKLASIFIKASI, State.DIAJUKAN),
    (Action.APPROVED, State.DIAJUKAN, State.DISETUJUI),
    (Action.ARCHIVE, State.DISETUJUI, State.DIARSIPKAN),
    (Action.ESTABLISH, State.DIARSIPKAN, State.DITETAPKAN),
]
STEPS_TO = {to: PATH[: n + 1] for n, (_a, _f, to) in enumerate(PATH)}
# who takes each action of the path
ACTOR = {
    Action.COLLECT: Role.DESK,
    Action.CLASSIFY: Role.PPID,
    Action.SUBMIT: Role.PPID,
    Action.APPROVED: Role.ATASAN,
    Action.ARCHIVE: Role.PPID,
    Action.ESTABLISH: Role.PPID,
}


class Command(BaseCommand):
    help = "Fill a benchmark database (its name must contain 'bench') with N entries."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=10_000)
        parser.add_argument(
            "--office",
            help="every new entry in this office (slug), in force: one office's long DIK "
            "(its PDF, its exports); without it, entries spread over every office",
        )

    def handle(self, *args, entries: int, office: str | None = None, **options):
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name.rsplit("/", 1)[-1]:
            raise CommandError(
                f"Refusing to write benchmark data into {name!r}: use a database whose name contains 'bench'."
            )
        self.office = Kantor.objects.get(slug=office) if office else None
        self.states = [State.DITETAPKAN] if office else STATES
        started = time.perf_counter()
        with transaction.atomic():
            dropped = self._generate(entries)
        _build_indexes(dropped)
        if connection.vendor == "postgresql":
            # what autovacuum does soon after on a live database: the planner knows the sizes,
            # and index-only scans need no visit to the table
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{entries} entries in {elapsed:.1f} s")

    # ------------------------------------------------------------ what is generated

    def _users(self) -> dict[Role, models.Model]:
        User = get_user_model()
        users = {}
        for username, role in [
            ("bench-desk", Role.DESK),
            ("bench-ppid", Role.PPID),
            ("bench-pembina", Role.PEMBINA),
            ("bench-tim", Role.TIM),
            ("bench-atasan", Role.ATASAN),
        ]:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@bench.example"}
            )
            Penugasan.objects.get_or_create(user=user, kantor=Kantor.default(), role=role.value)
            users[role] = user
        return users

    def _entry_columns(self, start: int) -> dict[str, Callable[[int], object]]:
        """Entri's field (attname) → its value in the i-th new entry; other fields get their
        default. One line per column: entries spread over offices will be one line more."""
        users = self.users
        # spread over all 553 offices, the default one (the bench users') first: each office's
        # pages then cost what they cost in a national deployment of that size
        default = Kantor.default().pk
        offices = [
            default,
            *Kantor.objects.exclude(pk=default).order_by("pk").values_list("pk", flat=True),
        ]
        types = [t.pk for t in JenisDokumen.objects.order_by("pk")]
        kind = JenisJangkaWaktu.objects.get(behaviour="tahun_tetap").pk
        today = self.today
        end = today.replace(year=today.year + 5)
        return {
            "id": lambda i: start + i + 1,
            # a run of one entry per state to each office in turn
            "kantor_id": (
                (lambda i: self.office.pk)
                if self.office
                else (lambda i: offices[(start + i) // len(STATES) % len(offices)])
            ),
            "title": lambda i: f"Dokumen persyaratan calon nomor urut {start + i + 1}",
            "summary": lambda i: "Pindaian dokumen yang memuat data pribadi calon dan pemilih.",
            "holding_unit": lambda i: "Subbagian Teknis Penyelenggaraan Pemilu",
            "collected_on": lambda i: today - datetime.timedelta(days=i % 700),
            "collected_by_id": lambda i: users[Role.DESK].pk,
            "document_type_id": lambda i: types[i % len(types)],
            "test_material": lambda i: "Data pribadi.",
            "test_harm": lambda i: "Mengungkap rahasia pribadi.",
            "test_law": lambda i: "UU 14/2008 Pasal 17 huruf h.",
            "test_public_interest": lambda i: "Transparansi.",
            "test_weighing": lambda i: "Kerugian lebih besar.",
            "test_conclusion": lambda i: "dikecualikan",
            "period_kind_id": lambda i: kind,
            "period_years": lambda i: 5,
            "period_wording": lambda i: "5 (lima) tahun sejak ditetapkan",
            "period_start": lambda i: today,
            "period_end": lambda i: end,
            "state": lambda i: self.states[i % len(self.states)],
            "state_action": lambda i: STEPS_TO[self.states[i % len(self.states)]][-1][0],
            "state_changed_at": lambda i: self.now,
            "created_at": lambda i: self.now,
            "updated_at": lambda i: self.now,
        }

    def _generate(self, n: int) -> None:
        if connection.vendor == "postgresql":
            # the rows are consistent by construction: no per-row check of every foreign key
            # at commit (triggers), which took half the time (the benchmark's superuser only)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        self.users = self._users()
        self.today = timezone.localdate()
        self.now = timezone.now()
        grounds = [g.pk for g in DasarHukum.objects.filter(is_ground=True).order_by("pk")]
        roles = [r.value for r in required_approver_roles()]
        keputusan = Keputusan.objects.create(
            number=f"Bench {Entri.objects.count() + 1} Tahun 2026",
            date=self.today,
            title="Penetapan informasi yang dikecualikan (data benchmark)",
            status=Keputusan.Status.PUBLISHED,
            published_at=self.now,
            recorded_by=self.users[Role.PPID],
        )
        start = self._reserve_ids(Entri, n)
        columns = self._entry_columns(start)
        entry_fields = [f for f in Entri._meta.concrete_fields]
        defaults = {f.attname: f.get_default() for f in entry_fields}
        getters = [
            columns.get(f.attname) or (lambda i, name=f.attname: defaults[name])
            for f in entry_fields
        ]
        missing = set(columns) - {f.attname for f in entry_fields}
        if missing:
            raise CommandError(f"Entri has no field {sorted(missing)}")

        Grounds = Entri.legal_grounds.through
        Decreed = Keputusan.entries.through
        log_pk = self._reserve_ids(TransitionLog, n * len(PATH))
        dropped = self._drop_indexes([Entri, Grounds, TransitionLog, Putaran, Decreed], rows=n)
        self._blocks(n, start, log_pk, getters, entry_fields, grounds, roles, keputusan)
        self._advance_sequence(TransitionLog)
        # the DIK in force changed: its cached lists and counts are stale, and once this
        # commits the worker renders the offices' public rows (publikasi.public_rows)
        public_dik_changed([self.office.pk] if self.office else None)
        return dropped

    def _blocks(self, n, start, log_pk, getters, entry_fields, grounds, roles, keputusan):
        Grounds = Entri.legal_grounds.through
        Decreed = Keputusan.entries.through
        for block in range(0, n, COPY_BLOCK):
            indexes = range(block, min(block + COPY_BLOCK, n))
            self._insert(Entri, entry_fields, ([get(i) for get in getters] for i in indexes))
            self._insert(
                Grounds,
                ["entri_id", "dasarhukum_id"],
                ([start + i + 1, grounds[i % len(grounds)]] for i in indexes),
            )
            self._insert(
                TransitionLog,
                ["id", "entri_id", "action", "from_state", "to_state", "by_id", "at", "note"],
                self._log_rows(start, indexes, log_pk),
            )
            self._insert(
                Putaran,
                ["entri_id", "number", "content_hash", "required_roles", "opened_by_id"]
                + ["opened_at", "status", "closed_at", "close_note"],
                (
                    [start + i + 1, 1, "0" * 64, roles, self.users[Role.PPID].pk]
                    + [self.now, Putaran.Status.OPEN, None, ""]
                    for i in indexes
                    if self.states[i % len(self.states)] == State.DIAJUKAN
                ),
            )
            self._insert(
                Decreed,
                ["keputusan_id", "entri_id"],
                (
                    [keputusan.pk, start + i + 1]
                    for i in indexes
                    if self.states[i % len(self.states)] == State.DITETAPKAN
                ),
            )

    def _log_rows(self, start: int, indexes: range, log_pk: int) -> Iterator[list]:
        """Each entry's log: one row per action of the main path up to its state."""
        users = self.users
        for i in indexes:
            steps = STEPS_TO[self.states[i % len(self.states)]]
            for k, (action, from_state, to_state) in enumerate(steps):
                yield [
                    log_pk + i * len(PATH) + k + 1,
                    start + i + 1,
                    action.value,
                    from_state,
                    to_state,
                    users[ACTOR[action]].pk,
                    self.now,
                    "",
                ]

    # ------------------------------------------------------------ how it is written

    def _drop_indexes(self, models_: list, *, rows: int) -> list[str]:
        """For a large load on PostgreSQL: the indexes that back no constraint are dropped, to
        be built again once the rows are in (as pg_restore does: one sort instead of an insert
        into every index per row); their definitions. Constraints' indexes (keys, unique)
        stay."""
        if connection.vendor != "postgresql" or rows < 100_000:
            return []
        tables = [m._meta.db_table for m in models_]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid ="
                " (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _name, definition in indexes]

    def _reserve_ids(self, model, n: int) -> int:
        """The last id in use; ids after it up to +n are ours (the table is locked, and the
        sequence is moved past them at the end)."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
            last = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            # a concurrent insert elsewhere takes ids after ours, never one of them
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last + n + 1]
                )
        return last

    def _advance_sequence(self, model) -> None:
        if connection.vendor != "postgresql":
            return
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)',
                [table],
            )

    def _insert(self, model, fields: list, rows: Iterable[list]) -> None:
        """Rows (lists of values in the order of `fields`: Field objects or attnames)."""
        names = [f.attname if isinstance(f, models.Field) else f for f in fields]
        if connection.vendor == "postgresql":
            columns = [model._meta.get_field(n).column for n in names]
            json_at = [
                k
                for k, n in enumerate(names)
                if isinstance(model._meta.get_field(n), models.JSONField)
            ]
            sql = (
                f'COPY "{model._meta.db_table}" ({", ".join(f'"{c}"' for c in columns)}) FROM STDIN'
            )
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    for k in json_at:
                        row[k] = _json(row[k])
                    copy.write_row(row)
            return
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, BATCH)):
            model.objects.bulk_create(
                [model(**dict(zip(names, row, strict=True))) for row in chunk]
            )


def _build_indexes(definitions: list[str]) -> None:
    """The dropped indexes built again once the rows are committed, on a connection per core:
    a GIN index is built by one process (24 s for the search document at 1M), so the
    machine's cores build several at once. The biggest kinds first."""

    def build(definition: str) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                cursor.execute(definition)
        finally:
            connection.close()  # this thread's own connection

    definitions = sorted(definitions, key=lambda d: "USING gin" not in d)
    with ThreadPoolExecutor(max_workers=max(os.cpu_count() or 1, 1)) as pool:
        list(pool.map(build, definitions))


def _json(value) -> str:
    import json

    return json.dumps(value)
