"""Evidence on the demo cases: the body-camera recordings the AV-recording list asks for (added
by the stories just before the step they record), and photos and scanned documents.

Everything is generated: a short WebM clip (PyAV, VP8: plays in every browser) with a caption,
JPEG photos with a caption (Pillow), and a one-page PDF scan. The clip is encoded once per run
and shared (the same bytes are one stored file), so the demo stays fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from pathlib import Path
from typing import TYPE_CHECKING

import av
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from zhifa.cases import recording_gate
from zhifa.cases.models import Case, Status
from zhifa.catalog.models import Stage
from zhifa.evidence import storage
from zhifa.evidence.models import EvidenceItem, EvidenceKind
from zhifa.evidence.services import Metadata, evidence_add

if TYPE_CHECKING:
    from zhifa.accounts.models import User

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEVICE = "执法记录仪 DSJ-V9-0{n}"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(FONT), size)
    except OSError:
        return ImageFont.load_default()


def _captioned(size: tuple[int, int], colour: tuple[int, int, int], lines: list[str]) -> Image.Image:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    font = _font(max(12, size[1] // 14))
    for row, text in enumerate(lines):
        draw.text((12, 10 + row * (size[1] // 10)), text, fill=(255, 255, 255), font=font)
    return image


@functools.cache
def clip() -> bytes:
    """Two seconds of 320×180 VP8 video in WebM (PyAV, a pinned dependency, bundles FFmpeg)."""
    out = io.BytesIO()
    with av.open(out, "w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=10)
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        for index in range(20):
            shade = 40 + index * 4
            frame = _captioned(
                (320, 180), (shade, 60, 90), ["执法记录仪（演示）", f"00:00:{index // 10:02d}"]
            )
            for packet in stream.encode(av.VideoFrame.from_image(frame)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def _add(
    case: Case, actor: User, content: bytes, name: str, meta: Metadata, content_type: str
) -> EvidenceItem:
    return evidence_add(
        actor=actor,
        case=case,
        staged=storage.stage_stream(io.BytesIO(content)),
        meta=meta,
        original_name=name,
        content_type=content_type,
    )


def recording_before(
    case: Case, actor: User, stage: str, *, started: dt.datetime, ended: dt.datetime, place: str
) -> EvidenceItem | None:
    """The body-camera recording of a step, when the AV-recording list asks for one."""
    if recording_gate.coverage(case, stage).met:
        return None
    officer = actor.officer
    content, name, kind = clip(), "recording.webm", "video/webm"
    return _add(
        case,
        actor,
        content,
        f"{Stage(stage).label}-{started:%Y%m%d-%H%M}-{name}",
        Metadata(
            kind=EvidenceKind.AUDIOVISUAL,
            title=f"{Stage(stage).label}执法记录仪视频",
            proves=f"{Stage(stage).label}过程（全程记录）",
            collected_at=ended,
            place=place,
            collector=officer,
            device=DEVICE.format(n=officer.pk % 10),
            stage=stage,
            recording_started_at=started,
            recording_ended_at=ended,
        ),
        kind,
    )


def _photo(case: Case, when: dt.datetime) -> bytes:
    image = _captioned(
        (800, 600),
        (70, 90, 80),
        ["现场照片（演示）", case.number, case.cause[:18], f"{when.astimezone():%Y-%m-%d %H:%M}"],
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _scan(case: Case) -> bytes:
    page = Image.new("RGB", (595, 842), (250, 250, 245))
    draw = ImageDraw.Draw(page)
    font = _font(22)
    for row, text in enumerate(
        ["工资支付记录（复印件，演示）", case.number, "当事人提供，经核对与原件一致。"]
    ):
        draw.text((60, 80 + row * 40), text, fill=(20, 20, 20), font=font)
    out = io.BytesIO()
    page.save(out, "PDF", resolution=72)
    return out.getvalue()


def attach_documents(cases: list[Case]) -> int:
    """A photo and a scanned document on each open filed case that has none yet (idempotent)."""
    added = 0
    for case in cases:
        if case.status in (Status.CLUE, Status.FILING, Status.NOT_FILED) or not case.is_open:
            continue
        if case.evidence_items.exclude(kind=EvidenceKind.AUDIOVISUAL).exists():
            continue
        handler = case.handlers.filter(active=True, is_lead=True).select_related("officer__user").first()
        if handler is None or handler.officer.user is None:
            continue
        user, officer = handler.officer.user, handler.officer
        when = min(timezone.now(), case.created_at + dt.timedelta(days=2))
        base = dict(collected_at=when, collector=officer, place=case.party_address or "当事人经营场所")
        _add(
            case,
            user,
            _photo(case, when),
            "现场照片.jpg",
            Metadata(kind=EvidenceKind.PHYSICAL, title="现场照片", proves="违法行为发生场所的现状", **base),  # type: ignore[arg-type]
            "image/jpeg",
        )
        _add(
            case,
            user,
            _scan(case),
            "工资支付记录.pdf",
            Metadata(
                kind=EvidenceKind.DOCUMENTARY,
                title="工资支付记录（复印件）",
                proves="工资支付情况",
                source="当事人提供",
                **base,  # type: ignore[arg-type]
            ),
            "application/pdf",
        )
        added += 2
    return added
