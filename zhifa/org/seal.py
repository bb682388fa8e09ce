"""The agency's 电子印章 image: the one its administrator uploaded, or a round red seal drawn here.

The image is what a reader sees over the 落款 (as GB/T 38540 electronic seals appear); the proof
of origin is the PAdES signature, not the picture. An uploaded seal must be a PNG with a
transparent background, so that the agency name and date under it stay legible.
"""

from __future__ import annotations

import functools
import io
import math
import subprocess

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from zhifa.core.errors import InvalidInput

SEAL_MAX_BYTES = 1024 * 1024
SEAL_MIN_PX, SEAL_MAX_PX = 200, 2000
RED = (206, 17, 38, 255)
SIZE = 600  # px of the generated seal; printed 42 mm wide (the diameter of an agency's seal)


def seal_png_validate(data: bytes) -> bytes:
    """The uploaded seal as given, or InvalidInput with the reason in a sentence."""
    if not data:
        raise InvalidInput("请上传电子印章图像（PNG 格式，透明背景）。")
    if len(data) > SEAL_MAX_BYTES:
        raise InvalidInput("电子印章图像不能超过 1 MB。")
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise InvalidInput("电子印章图像须为 PNG 格式的图片文件。") from None
    if image.format != "PNG":
        raise InvalidInput(f"电子印章图像须为 PNG 格式，上传的是 {image.format} 格式。")
    width, height = image.size
    if not (min(width, height) >= SEAL_MIN_PX and max(width, height) <= SEAL_MAX_PX):
        raise InvalidInput(f"电子印章图像的边长须在 {SEAL_MIN_PX} 至 {SEAL_MAX_PX} 像素之间。")
    if max(width, height) > 1.25 * min(width, height):
        raise InvalidInput("电子印章图像须大致为正方形（印章居中）。")
    alpha = image.convert("RGBA").getchannel("A")
    low, _high = alpha.getextrema()
    if low == 255:
        raise InvalidInput("电子印章图像须为透明背景，否则会遮住落款的机关名称和日期。")
    return data


def _font_path() -> tuple[str, int]:
    # The same Noto CJK fonts the documents use (fonts-noto-cjk); fc-match finds the SC face.
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}:%{index}", "Noto Serif CJK SC:bold"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
        path, _, index = found.rpartition(":")
        return path, int(index or 0)
    except (OSError, subprocess.SubprocessError, ValueError):
        return "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2


def _star(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    inner = outer * 0.382
    return [
        (
            cx + (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / 5),
            cy - (outer if i % 2 == 0 else inner) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]


@functools.lru_cache(maxsize=32)
def generated_seal_png(name: str) -> bytes:
    """A round red seal: a ring, the agency name along the upper arc, a five-pointed star."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = SIZE / 2
    ring = SIZE * 0.035
    draw.ellipse((ring / 2, ring / 2, SIZE - ring / 2, SIZE - ring / 2), outline=RED, width=round(ring))
    draw.polygon(_star(c, c, SIZE * 0.17), fill=RED)
    path, index = _font_path()
    chars = list(name) or ["印"]
    # The name runs clockwise over the top, across at most 240° of arc, larger for short names.
    span = min(240.0, 22.0 * len(chars))
    size = round(min(SIZE * 0.12, SIZE * 0.8 * math.radians(span) / len(chars) * 0.5))
    font = ImageFont.truetype(path, size, index=index)
    radius = c - ring * 1.5 - size * 0.62
    step = span / len(chars)
    for i, char in enumerate(chars):
        angle = -span / 2 + step * (i + 0.5)  # degrees clockwise from the top
        glyph = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size, size), char, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC)
        x = c + radius * math.sin(math.radians(angle)) - size
        y = c - radius * math.cos(math.radians(angle)) - size
        image.alpha_composite(glyph, (round(x), round(y)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def seal_png_for(*, name: str, uploaded: bytes | memoryview) -> bytes:
    """The seal a document of the agency shows: its uploaded one, else the generated one."""
    return bytes(uploaded) if uploaded else generated_seal_png(name)
