"""One export served in a process of its own: the time to its first byte and the growth of the
process's peak memory (VmHWM) while it is served. Run by bench/measures.py as

    python -m bench.export_probe /data/dik.csv

with the runner's environment (bench settings, the bench database); prints one JSON line.
"""

import contextlib
import json
import os
import sys
import time
from pathlib import Path


def _memory_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/self/status")


def main(url: str) -> dict:
    import django

    django.setup()
    from django.test import Client

    client = Client()
    client.get("/bench/bare/")  # imports, the connection, the first request's set-up
    # the peak back to the current RSS, so that only the export counts (where the kernel lets)
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    before = _memory_kb("VmHWM")
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    pieces = iter(response.streaming_content) if response.streaming else iter([response.content])
    size = len(next(pieces, b""))
    first_byte = time.perf_counter() - started
    for piece in pieces:
        size += len(piece)
    total = time.perf_counter() - started
    return {
        "url": url,
        "first_byte_s": first_byte,
        "total_s": total,
        "bytes": size,
        "growth_mb": (_memory_kb("VmHWM") - before) / 1024,
        "streaming": response.streaming,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    print(json.dumps(main(sys.argv[1])))
