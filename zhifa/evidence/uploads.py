"""Streaming upload: each uploaded file goes straight into a staging file, hashed as it arrives.

With this handler first in request.upload_handlers, a multi-GB body-camera video is never held
in memory or copied to a second temporary file: Django hands it over chunk by chunk, and the
view receives a StagedUpload whose `staged` is ready for zhifa.evidence.services.evidence_add.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from zhifa.evidence.storage import Staged, Stager


class StagedUpload(UploadedFile):
    def __init__(self, staged: Staged, name: str, content_type: str) -> None:
        super().__init__(open(staged.path, "rb"), name, content_type, staged.size)  # noqa: SIM115
        self.staged = staged

    def discard(self) -> None:
        """Drop the staging file when the upload was refused (evidence_add consumes it otherwise)."""
        self.close()
        self.staged.path.unlink(missing_ok=True)


class StagingUploadHandler(FileUploadHandler):
    stager: Stager | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.stager = Stager()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        assert self.stager is not None
        self.stager.write(raw_data)
        return None  # consumed: later handlers never see the bytes

    def file_complete(self, file_size: int) -> StagedUpload | None:
        assert self.stager is not None
        staged = self.stager.finish()
        self.stager = None
        return StagedUpload(staged, self.file_name or "upload", self.content_type or "")

    def upload_interrupted(self) -> None:
        if self.stager is not None:
            self.stager.abort()
            self.stager = None
