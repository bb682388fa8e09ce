"""Flow charts of the case procedures (《行政处罚法》第三十九条: 执法程序 is published), drawn from
`cases.workflow` itself: statuses are boxes, steps that move a case are labelled arrows, the
steps taken within a status are listed in its box, each with who takes it.

The SVG is vertical and narrow so it reads on a phone; no script, no external assets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from django.urls import reverse

from zhifa.cases import workflow
from zhifa.cases.models import ENDED_WITHOUT_DECISION, Case, Procedure, Status

WIDTH = 360
MARGIN = 12
FONT = 13
SMALL = 12
LINE = 18
HEADER = 30
GAP = 14
ARROW_X = 40
_MARKER = "fc-arrowhead"


@dataclass(frozen=True)
class Move:
    label: str
    who: str
    target: str


@dataclass(frozen=True)
class Stage:
    status: str
    label: str
    within: list[tuple[str, str]]  # (step label, who) that leave the status as it is
    onward: list[Move]  # to the next stage on the main line
    branches: list[Move]  # to any other status


@dataclass(frozen=True)
class Chart:
    procedure: str
    title: str
    entry: workflow.Entry
    stages: list[Stage]

    @property
    def step_labels(self) -> set[str]:
        labels = {label for s in self.stages for label, _ in s.within}
        labels |= {m.label for s in self.stages for m in (*s.onward, *s.branches)}
        return labels


def _steps(procedure: str) -> list[workflow.Step[Case]]:
    return [s for s in workflow.CASES.steps.values() if s.variants is None or procedure in s.variants]


def _reachable(procedure: str) -> list[str]:
    """Statuses a case of this procedure can reach, in the order Status declares them."""
    steps = _steps(procedure)
    seen = set(workflow.ENTRIES[procedure].leads_to)
    grown = True
    while grown:
        grown = False
        for step in steps:
            for a, b in step.transitions():
                if a in seen and b not in seen:
                    seen.add(b)
                    grown = True
    return [s for s in Status.values if s in seen]


def chart(procedure: str) -> Chart:
    statuses = _reachable(procedure)
    # The main line: the statuses a case passes through to 已结案; other ends are branches.
    main = [s for s in statuses if s not in ENDED_WITHOUT_DECISION]
    ends = [s for s in statuses if s not in main]
    stages = []
    for status in [*main, *ends]:
        nxt = main[main.index(status) + 1] if status in main[:-1] else None
        within: list[tuple[str, str]] = []
        onward: list[Move] = []
        branches: list[Move] = []
        for step in _steps(procedure):
            if status not in step.statuses:
                continue
            who = step.who.label
            moves = [b for a, b in step.transitions() if a == status]
            if not moves:
                within.append((step.label, who))
            for target in moves:
                (onward if target == nxt else branches).append(Move(step.label, who, target))
        stages.append(Stage(status, Status(status).label, within, onward, branches))
    title = f"{Procedure(procedure).label}流程图"
    return Chart(procedure, title, workflow.ENTRIES[procedure], stages)


# ── SVG ─────────────────────────────────────────────────────────────────────────────────


def _width(text: str, size: int) -> float:
    return sum(size if ord(c) > 0x2E80 else size * 0.55 for c in text)


def _wrap(text: str, size: int, width: float) -> list[str]:
    lines, line = [], ""
    for c in text:
        if line and _width(line + c, size) > width:
            lines.append(line)
            line = ""
        line += c
    return [*lines, line] if line else lines


def _text(x: float, y: float, text: str, *, size: int = FONT, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}"{attr}>{escape(text)}</text>'


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" class="fc-arrow" '
        f'marker-end="url(#{_MARKER})"/>'
    )


def _lines_block(
    x: float, y: float, texts: list[str], size: int, width: float, cls: str = ""
) -> tuple[list[str], float]:
    out = []
    for t in texts:
        for i, line in enumerate(_wrap(t, size, width)):
            out.append(_text(x + (size if i else 0), y + size, line, size=size, cls=cls))
            y += LINE
    return out, y


def render_svg(procedure: str) -> str:
    c = chart(procedure)
    inner = WIDTH - 2 * MARGIN
    parts: list[str] = []
    y: float = MARGIN
    # Entry: how the case comes into being.
    entry = f"{c.entry.label}（{c.entry.who.label}）"
    parts.append(f'<rect x="{MARGIN}" y="{y}" width="{inner}" height="{HEADER}" rx="15" class="fc-entry"/>')
    parts.append(_text(WIDTH / 2, y + 20, entry, cls="fc-center"))
    y += HEADER
    targets = "或".join(Status(s).label for s in c.entry.leads_to)
    parts.append(_arrow(ARROW_X, y, ARROW_X, y + 2 * GAP + 6))
    parts.append(_text(ARROW_X + 10, y + GAP + 4, f"进入：{targets}", size=SMALL, cls="fc-note"))
    y += 2 * GAP + 8
    for stage in c.stages:
        top = y
        body: list[str] = []
        y += HEADER + 6
        if stage.within:
            body.append(_text(MARGIN + 10, y + SMALL, "本阶段办理：", size=SMALL, cls="fc-note"))
            y += LINE
            lines, y = _lines_block(
                MARGIN + 10, y, [f"· {label}（{who}）" for label, who in stage.within], SMALL, inner - 20
            )
            body += lines
        for move in stage.branches:
            label = f"{move.label}（{move.who}）"
            lines, y = _lines_block(MARGIN + 10, y, [label], SMALL, inner - 20, "fc-branch")
            body += lines
            target = Status(move.target).label
            body.append(_arrow(MARGIN + 24, y + 8, MARGIN + 60, y + 8))
            body.append(_text(MARGIN + 68, y + 13, f"转入“{target}”", size=SMALL, cls="fc-branch"))
            y += LINE + 2
        y += 6
        parts.append(
            f'<rect x="{MARGIN}" y="{top}" width="{inner}" height="{y - top:.0f}" rx="6" class="fc-box"/>'
        )
        parts.append(
            f'<rect x="{MARGIN}" y="{top}" width="{inner}" height="{HEADER}" rx="6" class="fc-head"/>'
        )
        parts.append(_text(WIDTH / 2, top + 20, stage.label, size=14, cls="fc-center fc-title"))
        parts += body
        if stage.onward:
            labels = [f"{m.label}（{m.who}）" for m in stage.onward]
            start = y
            lines, y = _lines_block(ARROW_X + 12, y + 4, labels, SMALL, inner - ARROW_X - 8, "fc-note")
            y = max(y + 4, start + 2 * GAP)
            parts.append(_arrow(ARROW_X, start, ARROW_X, y))
            parts += lines
        else:
            y += GAP
    height = y + MARGIN
    # Its colours and fonts are in disclosure/disclosure.css (.fc): the CSP refuses inline styles.
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fc" viewBox="0 0 {WIDTH} {height:.0f}" width="100%" '
        f'role="img" aria-label="{escape(c.title)}">'
        f"<title>{escape(c.title)}</title>"
        f'<defs><marker id="{_MARKER}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0L10,5L0,10z" fill="#1f4e8c"/></marker></defs>' + "".join(parts) + "</svg>"
    )


@cache
def svg(procedure: str) -> str:
    """The chart of a procedure; the workflow table is code, so one rendering per process."""
    return render_svg(procedure)


PROCEDURES = (Procedure.GENERAL, Procedure.ON_THE_SPOT)


def flowchart_path(procedure: str) -> str:
    return reverse("portal:flowchart", args=[procedure])
