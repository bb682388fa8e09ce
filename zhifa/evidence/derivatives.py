"""Derived copies for display (a photo's thumbnail, a video's poster frame), stored as separate
objects. The original is never touched; a derivative that cannot be made is simply absent.
"""

from __future__ import annotations

import io
import logging
from typing import IO

import av
from PIL import Image, UnidentifiedImageError

from zhifa.evidence import storage
from zhifa.evidence.models import Blob, Derivative, DerivativeKind

log = logging.getLogger(__name__)
THUMBNAIL_SIZE = (480, 480)
# Larger photos are not decoded for a thumbnail (a decompression bomb guard as well).
MAX_PIXELS = 80_000_000


def _first_frame(handle: IO[bytes]) -> Image.Image | None:
    """The first video frame (PyAV bundles FFmpeg); None when it is no video it can decode."""
    try:
        with av.open(handle, mode="r") as container:
            if not container.streams.video:
                return None
            for frame in container.decode(video=0):
                return frame.to_image()
    except Exception:  # any decoder error: no poster, the original stays as it is
        return None
    return None


def make_for(blob: Blob, content_type: str = "") -> Derivative | None:
    if Derivative.objects.filter(blob=blob, kind=DerivativeKind.THUMBNAIL).exists():
        return None
    try:
        with storage.open_blob(blob.name) as handle:
            if content_type.startswith("video/"):
                image = _first_frame(handle)
                if image is None:
                    return None
            else:
                image = Image.open(handle)
                if image.width * image.height > MAX_PIXELS:
                    return None
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None  # not an image: no thumbnail
    data = out.getvalue()
    name = storage.save_derivative(f"derived/{blob.sha256[:2]}/{blob.sha256}-thumbnail.jpg", data)
    derivative, _ = Derivative.objects.get_or_create(
        blob=blob,
        kind=DerivativeKind.THUMBNAIL,
        defaults={"name": name, "content_type": "image/jpeg", "size": len(data)},
    )
    return derivative
