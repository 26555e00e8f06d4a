"""The public DIK PDF of one office rendered in a process of its own, as the worker renders it
(publikasi.dik_pdf.write_public_dik: parts of 1,000 rows joined): the time and the growth of the
process's peak memory (VmHWM). Run by bench/measures.py with DIK_DEFAULT_OFFICE set to the office;
prints one JSON line.
"""

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path

from bench.export_probe import _memory_kb


def main() -> dict:
    import django

    django.setup()
    from publikasi.dik_pdf import write_public_dik

    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    before = _memory_kb("VmHWM")
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        parts = write_public_dik(out)
        size = out.tell()
    return {
        "total_s": time.perf_counter() - started,
        "parts": parts,
        "bytes": size,
        "growth_mb": (_memory_kb("VmHWM") - before) / 1024,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    print(json.dumps(main()))
