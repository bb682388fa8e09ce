"""演示驾驶舱: brings the supervision cockpit's projection up to date with the demo's cases.

The cockpit reads a projection of the cases (zhifa.supervision.cockpit_projection) that the task
worker keeps current from the case events; the demo reads every event it wrote, so the cockpit
shows the demo's figures at once, before the worker has run. A second run reads only the few
events behind the cursor again and changes no figure.
"""

from __future__ import annotations

from zhifa.org.models import Agency
from zhifa.supervision.cockpit_projection import OVERLAP, cockpit_refresh
from zhifa.supervision.models_cockpit import CaseFact


def load(agencies: dict[str, Agency]) -> str:
    """Read the case events since the last refresh; the sentence the demo prints."""
    cases = 0
    while True:
        done = cockpit_refresh()
        cases += done.cases
        if done.events <= OVERLAP:
            break
    bureau = agencies.get("justice")
    region = bureau.region.path if bureau is not None else ""
    shown = CaseFact.objects.filter(agency__region__path__startswith=region).count()
    return f"执法监督驾驶舱已更新：读取案件 {cases} 件，{bureau.name if bureau else '本县司法局'}辖区 {shown} 件。"
