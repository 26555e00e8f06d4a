"""Upload handlers that hash a file's bytes while Django receives them: one pass over the bytes.

The SHA-256 is set on the uploaded file as `received_sha256`; dokumen.berkas then moves a
temporary file into local storage instead of reading it again (issue 9: a 500 MB upload).
"""

import hashlib

from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

# Django reads the request body in the smallest chunk size of the handlers (64 KiB by default):
# 1 MiB means sixteen times fewer rounds through the multipart parser and the handlers.
CHUNK_SIZE = 1024 * 1024


class _Hashing:
    chunk_size = CHUNK_SIZE

    def new_file(self, *args, **kwargs):
        self.sha256 = hashlib.sha256()  # before super(): the memory handler may stop the others
        return super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        passed_on = super().receive_data_chunk(raw_data, start)
        if passed_on is None:  # this handler kept the bytes: they are the file's
            self.sha256.update(raw_data)
        return passed_on

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        if upload is not None:
            upload.received_sha256 = self.sha256.hexdigest()
        return upload


class HashingMemoryFileUploadHandler(_Hashing, MemoryFileUploadHandler):
    """Small files, kept in memory (up to FILE_UPLOAD_MAX_MEMORY_SIZE)."""


class HashingTemporaryFileUploadHandler(_Hashing, TemporaryFileUploadHandler):
    """Larger files, written to a temporary file as they arrive."""
