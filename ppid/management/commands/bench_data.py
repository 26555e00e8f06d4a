"""Generate N entries for the benchmarks, with bulk inserts, into a benchmark database only.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/dik_bench manage.py bench_data --entries 10000
"""

import datetime
import itertools
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from dokumen.models import DasarHukum, Entri, JenisDokumen, JenisJangkaWaktu, State
from persetujuan.models import Putaran
from ppid.models import Kantor, Penugasan
from ppid.roles import Role, required_approver_roles
from publikasi.models import Keputusan

BATCH = 2000


class Command(BaseCommand):
    help = "Fill a benchmark database (its name must contain 'bench') with N entries."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=10_000)

    def handle(self, *args, entries: int, **options):
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name.rsplit("/", 1)[-1]:
            raise CommandError(
                f"Refusing to write benchmark data into {name!r}: use a database whose name contains 'bench'."
            )
        started = time.perf_counter()
        with transaction.atomic():
            self._generate(entries)
        if connection.vendor == "postgresql":
            # what autovacuum does soon after on a live database: the planner knows the sizes,
            # and index-only scans need no visit to the table
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{entries} entries in {elapsed:.1f} s")

    def _generate(self, n: int) -> None:
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
        types = list(JenisDokumen.objects.all())
        grounds = list(DasarHukum.objects.filter(is_ground=True))
        kind = JenisJangkaWaktu.objects.get(behaviour="tahun_tetap")
        # most of a real register is in force; the rest spreads over the other steps
        states = [State.DITETAPKAN] * 6 + [
            State.DIKUMPULKAN,
            State.DIKLASIFIKASI,
            State.DIAJUKAN,
            State.DISETUJUI,
        ]
        today = timezone.localdate()
        start = Entri.objects.count()
        rows = []
        for i, state in zip(range(n), itertools.cycle(states), strict=False):
            number = start + i + 1
            rows.append(
                Entri(
                    title=f"Dokumen persyaratan calon nomor urut {number}",
                    summary="Pindaian dokumen yang memuat data pribadi calon dan pemilih.",
                    holding_unit="Subbagian Teknis Penyelenggaraan Pemilu",
                    collected_on=today - datetime.timedelta(days=i % 700),
                    collected_by=users[Role.DESK],
                    document_type=types[i % len(types)],
                    test_material="Data pribadi.",
                    test_harm="Mengungkap rahasia pribadi.",
                    test_law="UU 14/2008 Pasal 17 huruf h.",
                    test_public_interest="Transparansi.",
                    test_weighing="Kerugian lebih besar.",
                    test_conclusion="dikecualikan",
                    period_kind=kind,
                    period_years=5,
                    period_wording="5 (lima) tahun sejak ditetapkan",
                    period_start=today,
                    period_end=today.replace(year=today.year + 5),
                    state=state,
                )
            )
        created = Entri.objects.bulk_create(rows, batch_size=BATCH)
        Through = Entri.legal_grounds.through
        Through.objects.bulk_create(
            [
                Through(entri_id=e.pk, dasarhukum_id=grounds[k % len(grounds)].pk)
                for k, e in enumerate(created)
            ],
            batch_size=BATCH,
        )
        submitted = [e for e in created if e.state == State.DIAJUKAN]
        Putaran.objects.bulk_create(
            [
                Putaran(
                    entri=e,
                    number=1,
                    content_hash="0" * 64,
                    required_roles=[r.value for r in required_approver_roles()],
                    opened_by=users[Role.PPID],
                )
                for e in submitted
            ],
            batch_size=BATCH,
        )
        keputusan = Keputusan.objects.create(
            number=f"Bench {start + 1} Tahun 2026",
            date=today,
            title="Penetapan informasi yang dikecualikan (data benchmark)",
            status=Keputusan.Status.PUBLISHED,
            published_at=timezone.now(),
            recorded_by=users[Role.PPID],
        )
        KThrough = Keputusan.entries.through
        KThrough.objects.bulk_create(
            [
                KThrough(keputusan_id=keputusan.pk, entri_id=e.pk)
                for e in created
                if e.state == State.DITETAPKAN
            ],
            batch_size=BATCH,
        )
