"""Every step of the case procedure, declared once in the module of its phase.

A declaration names the step's code, label, who takes it, the statuses it starts from and the
one it leads to, its guard, its form and its `perform` (zhifa.core.workflow.Step). The order
here is the order of the case page and of the published flow chart.
"""

from zhifa.cases.steps import decision, execution, filing, investigation, notice, on_the_spot
from zhifa.cases.workflow import CASES


def register() -> None:
    """Called once by the app's ready()."""
    if not CASES.steps:
        CASES.add(
            [
                *filing.STEPS,
                *investigation.STEPS,
                *notice.STEPS,
                *decision.STEPS,
                *execution.STEPS,
                *on_the_spot.STEPS,
            ]
        )
