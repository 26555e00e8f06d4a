"""Upload handlers that hash a file's bytes while Django receives them: one pass over the bytes.

The SHA-256 is set on the uploaded file as `received_sha256`; dokumen.berkas then moves a
temporary file into local storage instead of reading it again (issue 9: a 500 MB upload).
"""

import collections
import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

# Django reads the request body in the smallest chunk size of the handlers (64 KiB by default):
# 1 MiB means sixteen times fewer rounds through the multipart parser and the handlers.
CHUNK_SIZE = 1024 * 1024


def upload_temp_dir() -> Path:
    """The private folder of temporary upload files (FILE_UPLOAD_TEMP_DIR), made if missing."""
    path = Path(settings.FILE_UPLOAD_TEMP_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


class HashingMemoryFileUploadHandler(MemoryFileUploadHandler):
    """Small files, kept in memory (up to FILE_UPLOAD_MAX_MEMORY_SIZE), hashed as they come."""

    chunk_size = CHUNK_SIZE
    discarded = False

    def new_file(self, *args, **kwargs):
        self.sha256 = hashlib.sha256()  # before super(): it stops the other handlers
        self.discarded = False
        return super().new_file(*args, **kwargs)

    def discard(self) -> None:
        """Forget the current file (refused as too large while it arrived)."""
        self.discarded = True
        if self.activated:
            self.file = None

    def receive_data_chunk(self, raw_data, start):
        passed_on = super().receive_data_chunk(raw_data, start)
        if passed_on is None:  # kept in memory: these bytes are the file's
            self.sha256.update(raw_data)
        return passed_on

    def file_complete(self, file_size):
        if self.discarded:
            return None
        upload = super().file_complete(file_size)
        if upload is not None:
            upload.received_sha256 = self.sha256.hexdigest()
        return upload


class HashingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Larger files: written to a temporary file and hashed by a thread of their own, in
    order, while the request goes on being read (writing and hashing release the GIL).
    At most IN_FLIGHT chunks wait for it, so memory stays flat whatever the size."""

    chunk_size = CHUNK_SIZE
    IN_FLIGHT = 4
    _writer = None

    _receiving = False

    def new_file(self, *args, **kwargs):
        upload_temp_dir()
        super().new_file(*args, **kwargs)
        self._stop_writer()  # a file skipped before (too large) may have left one
        self._receiving = True
        self.sha256 = hashlib.sha256()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload")
        self._pending = collections.deque()

    def _write(self, data: bytes) -> None:
        self.file.write(data)
        self.sha256.update(data)

    def receive_data_chunk(self, raw_data, start):
        while len(self._pending) >= self.IN_FLIGHT:
            self._pending.popleft().result()  # raises what the write raised (disk full)
        self._pending.append(self._writer.submit(self._write, raw_data))
        return None

    def _stop_writer(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True, cancel_futures=True)
            self._writer = None

    def discard(self) -> None:
        """Drop the current file (refused as too large while it arrived): its temporary file
        goes now, not when the request ends."""
        if not self._receiving:
            return
        self._receiving = False
        self._stop_writer()
        self.file.close()  # a NamedTemporaryFile: closing removes it

    def file_complete(self, file_size):
        if not self._receiving:
            return None  # discarded, or never started (a smaller file kept in memory)
        self._receiving = False
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._stop_writer()
        upload = super().file_complete(file_size)
        upload.received_sha256 = self.sha256.hexdigest()
        return upload

    def upload_interrupted(self):
        self._stop_writer()
        super().upload_interrupted()

    def upload_complete(self):
        self._stop_writer()
