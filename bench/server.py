"""The server under measure (gunicorn, as `make serve` runs it) and the loopback load generator.

Traffic goes to 127.0.0.1 only, in a bounded number of requests, each with a timeout.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with the project's config (ppid/gunicorn_conf.py) on a free loopback port."""

    def __init__(self, *, workers: int, log_path: Path):
        self.workers = workers
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        env = {**os.environ, "WEB_CONCURRENCY": str(self.workers), "BIND": f"{HOST}:{self.port}"}
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(ROOT / "ppid" / "gunicorn_conf.py"),
                "ppid.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.__exit__()
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}: see {self.log_path}"
                )
            if len(self.worker_pids()) == self.workers and self._answers():
                return self
            time.sleep(0.2)
        self.__exit__()  # never leave a server behind
        raise RuntimeError(f"gunicorn did not answer within 60 s: see {self.log_path}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
            conn.request("GET", "/bench/bare/")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        """The worker processes: children of the gunicorn master."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid …: comm may hold spaces, so split after the last ')'
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)


# ---------------------------------------------------------------- memory of a process


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> bool:
    """Set the peak (VmHWM) back to the current RSS; False where the kernel does not allow it."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# ---------------------------------------------------------------- load generator


def _get(conn: http.client.HTTPConnection, path: str) -> float:
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    if response.will_close:  # gunicorn's sync workers close after each response
        conn.close()  # http.client opens a new connection on the next request
    return elapsed


def load(port: int, path: str, *, requests: int, concurrency: int) -> list[float]:
    """GET `path` `requests` times from `concurrency` threads; the latencies in seconds."""
    latencies: list[float] = []
    errors: list[BaseException] = []
    remaining = [requests]
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            while True:
                with lock:
                    if remaining[0] <= 0 or errors:
                        return
                    remaining[0] -= 1
                elapsed = _get(conn, path)
                with lock:
                    latencies.append(elapsed)
        except BaseException as exc:  # reported once all threads stopped
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return latencies


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def compare_latency(
    port: int, paths: dict[str, str], *, requests: int, concurrency: int, rounds: int = 5
) -> dict[str, list[float]]:
    """Latencies of each path, measured in alternating rounds so that noise falls on both."""
    for path in paths.values():  # warm-up: imports, connections, template caches
        load(port, path, requests=max(concurrency * 5, 10), concurrency=concurrency)
    result: dict[str, list[float]] = {name: [] for name in paths}
    per_round = max(requests // rounds, 1)
    for _ in range(rounds):
        for name, path in paths.items():
            result[name] += load(port, path, requests=per_round, concurrency=concurrency)
    return result
