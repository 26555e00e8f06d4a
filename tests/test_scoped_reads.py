"""A forgotten office scope fails here: the rows that belong to an office are read straight
from their model's manager only in the modules listed below (the selectors, the services that
write under a row lock read through a selector, the system's own commands and tasks). Any
other module must read them through a selector of dokumen/, persetujuan/ or publikasi/
selectors.py; a new module that needs an exception is added here, deliberately, in review."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCOPED = {
    "Entri",
    "Berkas",
    "TeksBerkas",
    "TeksEntri",
    "TempatSimpan",
    "Keputusan",
    "Putaran",
    "Persetujuan",
    "AccessLog",
    "SaluranPublikasi",
    "TransitionLog",
    "Usulan",
    "UsulanEntri",
    "Lampiran",
    "LangkahUsulan",
    "Pengumuman",
    "InformasiDibuka",
    "Surel",
    "Impor",
    "BarisImpor",
    "RetensiEntri",
    "PenahananHukum",
    "Pemusnahan",
    "LangkahPemusnahan",
    "SalinanSamaran",
}
ALLOWED = {
    # the selectors themselves
    "dokumen/selectors.py",
    "persetujuan/selectors.py",
    "publikasi/selectors.py",
    # writes: each locks what a selector (or lifecycle.lock) gave it, or creates a row
    "dokumen/lifecycle.py",
    "dokumen/berkas.py",
    "dokumen/samaran.py",
    "dokumen/delivery.py",
    "persetujuan/receivers.py",
    "persetujuan/services.py",
    "publikasi/services.py",
    "publikasi/models.py",
    # the admin: superusers see every office, other staff the selector's rows
    "dokumen/admin.py",
    # prefetches of rows below entries a selector already gave (rounds, decisions)
    "persetujuan/sheet.py",
    "persetujuan/views.py",
    # empty querysets, filled from a selector by the view
    "dokumen/forms.py",
    "publikasi/forms.py",
    # the system's own work: tasks, commands, demo and benchmark data
    "dokumen/thumbnails.py",
    "dokumen/file_text.py",
    "persetujuan/notifications.py",
    "dokumen/demo.py",
    "persetujuan/demo.py",
    "publikasi/demo.py",
    "publikasi/demo_nasional.py",
    "publikasi/pengumuman.py",
    # proposals: the selectors, the table that writes the log, the services, the demo
    "usulan/selectors.py",
    "usulan/lifecycle.py",
    "usulan/services.py",
    "usulan/demo.py",
    # the outbox: writing, sending (the system's task) and the failed mail of the PPID's offices
    "ppid/surel.py",
    # imports of existing lists: the selectors, the services that create the entries, the demo
    "impor/selectors.py",
    "impor/services.py",
    "impor/demo.py",
    # retention: the selectors, the services that write under the entry's lock, the demo
    "retensi/selectors.py",
    "retensi/services.py",
    "retensi/demo.py",
}


def manager_reads(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in SCOPED
        ):
            lines.append(node.lineno)
    return lines


def test_office_rows_are_read_through_the_selectors():
    unexpected = []
    for app in ("dokumen", "persetujuan", "publikasi", "ppid", "usulan", "impor", "retensi"):
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or "/management/commands/" in relative:
                continue
            if relative in ALLOWED:
                continue
            unexpected += [f"{relative}:{line}" for line in manager_reads(path)]
    assert unexpected == []
