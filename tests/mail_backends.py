"""Mail servers for the outbox tests: one that fails a given number of times, one that blocks."""

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

# how many sends the flaky server still refuses (per test process; tests set it)
refusals = {"left": 0}


class FlakyBackend(LocmemBackend):
    """Refuses while refusals["left"] > 0 (like a mail server that is down), then delivers
    into django.core.mail.outbox like the test backend."""

    def send_messages(self, messages):
        if refusals["left"] > 0:
            refusals["left"] -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


class FlagFileBackend(BaseEmailBackend):
    """For the real worker: says it started (a file per process), waits until the test drops
    the file `go`, then records each message as a line of sent.txt."""

    def __init__(self, *, directory: str, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(directory)

    def send_messages(self, messages):
        (self.directory / f"started-{os.getpid()}").touch()
        deadline = time.monotonic() + 60
        while not (self.directory / "go").exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the test never said go")
            time.sleep(0.05)
        with open(self.directory / "sent.txt", "a") as fh:
            for message in messages:
                fh.write(message.subject + "\n")
        return len(messages)
