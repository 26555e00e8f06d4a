"""Load the demo data: users per role, places, and entries in every step that exists.

Idempotent: run it again and nothing is duplicated. Each app adds its part in its demo module.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from dokumen import demo as dokumen_demo
from impor import demo as impor_demo
from persetujuan import demo as persetujuan_demo
from ppid import demo as ppid_demo
from publikasi import demo as publikasi_demo
from publikasi import demo_nasional
from retensi import demo as retensi_demo
from usulan import demo as usulan_demo


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent) and print the demo users' passwords."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="address of the running site, printed at the end")

    def handle(self, *args, **options):
        with transaction.atomic():
            users = ppid_demo.load(self.stdout)
            dokumen_demo.load(users, self.stdout)
            persetujuan_demo.load(users, self.stdout)
            # after every other demo: it archives and publishes the approved entries they leave
            publikasi_demo.load(users, self.stdout)
            # the national decree of KPU RI, followed by Pinrang and Sidrap
            demo_nasional.load(users, self.stdout)
            # after publikasi: a Pinrang proposal of an approved entry, up to KPU RI and decided
            usulan_demo.load(users, self.stdout)
            # after publikasi: Pinrang's old list names its published decree
            impor_demo.load(users, self.stdout)
            # after every entry has found its step: retention, a hold, a disposal waiting
            retensi_demo.load(users, self.stdout)
            dokumen_demo.spread_step_dates()
        ppid_demo.print_users(self.stdout, options["url"])
