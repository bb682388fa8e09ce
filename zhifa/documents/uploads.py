"""Hash an uploaded file while it streams in: nothing is kept in memory or written to disk."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class HashedUpload(UploadedFile):
    """What is left of an upload: its name, size and SHA-256 (the content itself is discarded)."""

    def __init__(self, *, name: str, size: int, sha256: str, too_large: bool) -> None:
        super().__init__(file=io.BytesIO(), name=name, size=size)
        self.sha256 = sha256
        self.too_large = too_large


class Sha256UploadHandler(FileUploadHandler):
    """Replaces Django's memory and temporary-file handlers for the verification upload."""

    def __init__(self, *args: Any, limit: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = MAX_UPLOAD_BYTES if limit is None else limit
        self.digest = hashlib.sha256()
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received <= self.limit:
            self.digest.update(raw_data)
        # Returning None keeps the chunk from any later handler: nothing is stored.

    def file_complete(self, file_size: int) -> HashedUpload:
        return HashedUpload(
            name=self.file_name or "",
            size=file_size,
            sha256=self.digest.hexdigest(),
            too_large=file_size > self.limit,
        )
