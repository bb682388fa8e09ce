"""Content-addressed, write-once file storage for evidence, through Django's storage API.

A file is received into a staging file while SHA-256 and SM3 are computed in the same pass
(`Stager`), and only when it is complete is it put at its content address (`sha256/ab/cd/<hex>`):
on the local file system by an atomic rename, on object storage by one upload, which S3 makes
visible only when complete. A killed process therefore leaves at most a staging file, never
a partial file at a content address, and the database is written only after the move. The
staging files such a process leaves are removed by `remove_stale_staging` (the
`evidence_staging_clean` service, `zhifa evidence clean-staging`).
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages

CHUNK = 1024 * 1024
STAGING_SUFFIX = ".part"


def evidence_storage() -> Storage:
    return storages["evidence"]


def content_name(sha256: str) -> str:
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def staging_dir() -> Path:
    """Staging on the same file system as the store, so the final move is a rename."""
    storage = evidence_storage()
    if isinstance(storage, FileSystemStorage):
        path = Path(storage.location) / "staging"
    else:
        path = Path(settings.VAR_DIR) / "evidence-staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Staged:
    path: Path
    sha256: str
    sm3: str
    size: int


class _SecondThread:
    """Feeds one hash in a thread of its own, in order, a few chunks behind the caller.

    hashlib releases the GIL while it hashes a chunk, so SM3 (the slower of the two) runs beside
    SHA-256 and the write on another core instead of after them. At most `AHEAD` chunks wait,
    so memory does not grow with the file.
    """

    AHEAD = 2

    def __init__(self, hash_: Any) -> None:
        self.hash = hash_
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhifa-hash")
        self._pending: deque[Future[None]] = deque()

    def update(self, chunk: bytes) -> None:
        self._pending.append(self._pool.submit(self.hash.update, chunk))
        while len(self._pending) > self.AHEAD:
            self._pending.popleft().result()

    def hexdigest(self) -> str:
        self.close()
        return str(self.hash.hexdigest())

    def close(self) -> None:
        while self._pending:
            self._pending.popleft().result()
        self._pool.shutdown()


class Stager:
    """Receives a file chunk by chunk: writes it to a staging file and hashes it once."""

    def __init__(self) -> None:
        self.path = staging_dir() / f"{uuid.uuid4().hex}{STAGING_SUFFIX}"
        self._file: IO[bytes] = open(self.path, "xb")  # noqa: SIM115 — closed by finish/abort
        self._sha256 = hashlib.sha256()
        self._sm3 = _SecondThread(hashlib.new("sm3"))
        self.size = 0

    def write(self, chunk: bytes) -> None:
        chunk = bytes(chunk)  # the other thread reads it later: never a buffer the caller reuses
        self._sm3.update(chunk)
        self._file.write(chunk)
        self._sha256.update(chunk)
        self.size += len(chunk)

    def finish(self) -> Staged:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return Staged(self.path, self._sha256.hexdigest(), self._sm3.hexdigest(), self.size)

    def abort(self) -> None:
        self._sm3.close()
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)


def remove_stale_staging(cutoff: float) -> tuple[int, int]:
    """Remove the staging files last written before `cutoff` (a POSIX time): (files, bytes).

    Only regular `*.part` files directly in the staging directory; an upload in progress
    writes its file chunk by chunk, so its modification time stays recent.
    """
    files = size = 0
    for path in staging_dir().glob(f"*{STAGING_SUFFIX}"):
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_mtime >= cutoff:
                continue
            path.unlink()
        except FileNotFoundError:
            continue  # put in place or dropped by its upload meanwhile
        files += 1
        size += info.st_size
    return files, size


def stage_stream(stream: IO[bytes], progress: object = None) -> Staged:
    """Stage everything `stream` yields; `progress.update(n)` (tqdm) after each chunk."""
    stager = Stager()
    try:
        while chunk := stream.read(CHUNK):
            stager.write(chunk)
            if progress is not None:
                progress.update(len(chunk))  # type: ignore[attr-defined]
        return stager.finish()
    except BaseException:
        stager.abort()
        raise


def hash_stream(stream: IO[bytes]) -> tuple[str, str, int]:
    """SHA-256 and SM3 of a stream in one pass, with its size."""
    sha256, sm3, size = hashlib.sha256(), _SecondThread(hashlib.new("sm3")), 0
    try:
        while chunk := stream.read(CHUNK):
            chunk = bytes(chunk)
            sm3.update(chunk)
            sha256.update(chunk)
            size += len(chunk)
    finally:
        sm3.close()
    return sha256.hexdigest(), sm3.hexdigest(), size


def put_in_place(staged: Staged) -> str:
    """Move a complete staging file to its content address; returns the storage name.

    The same content already stored is kept as it is (it is the same bytes) and the staging
    file is dropped.
    """
    storage = evidence_storage()
    name = content_name(staged.sha256)
    try:
        if storage.exists(name):
            return name
        if isinstance(storage, FileSystemStorage):
            target = Path(storage.path(name))
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(staged.path, 0o440)
            os.replace(staged.path, target)
            _fsync_dir(target.parent)
        else:
            with open(staged.path, "rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:  # a storage that renames instead of overwriting: never for ours
                raise RuntimeError(f"evidence storage saved {name} as {saved}")
        return name
    finally:
        staged.path.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_blob(name: str) -> IO[bytes]:
    return evidence_storage().open(name, "rb")


def iter_range(name: str, start: int, length: int) -> Iterator[bytes]:
    """Stream `length` bytes of a stored file from `start`, chunk by chunk."""
    with open_blob(name) as handle:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk


def save_derivative(name: str, data: bytes) -> str:
    storage = evidence_storage()
    if storage.exists(name):
        storage.delete(name)
    with tempfile.SpooledTemporaryFile() as handle:
        handle.write(data)
        handle.seek(0)
        return storage.save(name, File(handle, name=name))


def delete(names: Iterable[str]) -> None:
    storage = evidence_storage()
    for name in names:
        if storage.exists(name):
            if isinstance(storage, FileSystemStorage):
                os.chmod(storage.path(name), 0o640)
            storage.delete(name)


def copy_to_staging(path: Path, progress: object = None) -> Staged:
    """Stage a local file (the CLI's bulk imports)."""
    with open(path, "rb") as handle:
        return stage_stream(handle, progress)
