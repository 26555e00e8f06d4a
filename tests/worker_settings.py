"""Settings of a real worker started by tests/test_worker.py: production's, with the mail
server of tests/mail_backends.FlagFileBackend (in DIK_TEST_MAIL_DIR)."""

import os

from ppid.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "tests.mail_backends.FlagFileBackend",
        "OPTIONS": {"directory": os.environ["DIK_TEST_MAIL_DIR"]},
    }
}
