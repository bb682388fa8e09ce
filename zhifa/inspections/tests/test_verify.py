"""Acceptance: `zhifa inspections verify-draw` and an independent recomputation (the stdlib
snippet of docs/inspections.md) agree on draws like the demo's, and a changed byte in any input
is caught."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from zhifa.inspections import services
from zhifa.inspections.selectors import draw_document, draw_public_get
from zhifa.inspections.tests.conftest import drawn
from zhifa.inspections.verify import BadDocument, recompute


def snippet() -> str:
    text = (Path(settings.CHECKOUT_DIR) / "docs" / "inspections.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- redo-draw -->\n```python\n(.*?)```", text, re.S)
    assert match, "docs/inspections.md lost its redo-draw snippet"
    return match.group(1)


def redo(document: dict, tmp_path: Path) -> int:
    """Run the documented snippet in a fresh interpreter (no Django, no zhifa) on the document."""
    script, data = tmp_path / "redo.py", tmp_path / "draw.json"
    script.write_text(snippet(), encoding="utf-8")
    data.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", str(script), str(data)], capture_output=True, text=True)
    assert done.stdout.strip() in ("一致", "不一致"), done.stderr
    return done.returncode


def verify_file(document: dict, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "check.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    try:
        out = call_command_output("verify-draw", "--file", str(path))
    except SystemExit as exit_:
        return int(exit_.code or 0), ""
    return 0, out


def call_command_output(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("inspections", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def joint_draw(world, time_machine):
    """A joint plan with a recusal before the draw and one after it (as in the demo)."""
    plan = drawn(world, time_machine, joint=True)
    assignment = plan.draw.assignments.order_by("position").first()
    slot = assignment.inspectors.filter(status="assigned").order_by("rank").first()
    services.recusal_declare(
        actor=world.head, officer=slot.officer, subject=assignment.subject, reason="亲属"
    )
    return plan.draw


def test_command_and_snippet_agree_on_a_draw(joint_draw, tmp_path, capsys):
    document = draw_document(draw_public_get(pk=joint_draw.pk))
    assert any(t["skipped"] for t in document["tasks"])
    assert recompute(document) == []
    assert "一致" in call_command_output("verify-draw", str(joint_draw.pk))
    assert verify_file(document, tmp_path)[0] == 0
    assert redo(document, tmp_path) == 0


def _population_code(d):
    code = d["strata"][0]["population"][0]
    d["strata"][0]["population"][0] = code[:-2] + ("0" if code[-2] != "0" else "1") + code[-1]


def _root(d):
    r = d["inputs"]["checkpoint"]["root"]
    d["inputs"]["checkpoint"]["root"] = ("0" if r[0] != "0" else "1") + r[1:]


def _witness(d):
    d["inputs"]["witness"] = d["inputs"]["witness"][:-1] + ("8" if d["inputs"]["witness"][-1] != "8" else "9")


def _ratio(d):
    d["strata"][3]["ratio"] = "0.6"  # 20 subjects: ceil(10) → ceil(12)


def _selected(d):
    stratum = d["strata"][3]
    extra = next(c for c in stratum["population"] if c not in stratum["selected"])
    stratum["selected"][0] = extra


def _inspector(d):
    task = d["tasks"][0]
    others = [c for c in d["pools"][0]["eligible"] if c not in task["inspectors"]]
    task["inspectors"][0] = others[0]


def _eligible(d):
    d["pools"][0]["eligible"].pop()


def _skipped(d):
    for task in d["tasks"]:
        if task["skipped"]:
            task["skipped"].pop()
            return
    raise AssertionError("no recusal in the draw")


@pytest.mark.parametrize(
    "change", [_population_code, _root, _witness, _ratio, _selected, _inspector, _eligible, _skipped]
)
def test_a_changed_input_is_caught_by_both(joint_draw, tmp_path, change):
    document = draw_document(draw_public_get(pk=joint_draw.pk))
    changed = copy.deepcopy(document)
    change(changed)
    assert changed != document
    assert recompute(changed), change.__name__
    assert verify_file(changed, tmp_path)[0] == 1
    assert redo(changed, tmp_path) == 1


def test_a_same_quota_ratio_change_is_caught_against_the_ledger(joint_draw, tmp_path):
    document = draw_document(draw_public_get(pk=joint_draw.pk))
    changed = copy.deepcopy(document)
    changed["strata"][0]["ratio"] = "0.04"  # 20 subjects: ceil(0.8) = ceil(1.0) = 1, the same one
    assert recompute(changed) == []  # the recomputation alone cannot see it
    assert verify_file(changed, tmp_path)[0] == 1  # the ledger's record of the draw can


def test_bad_input_exits_2(db, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("inspections", "verify-draw", "999")
    assert refused.value.returncode == 2
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("inspections", "verify-draw", "--file", str(path))
    assert refused.value.returncode == 2
    with pytest.raises(BadDocument):
        recompute({"plan": "x"})


@hsettings(max_examples=25, deadline=None)
@given(
    codes=st.sets(
        st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=18, max_size=18), min_size=1, max_size=40
    ),
    ratio=st.decimals(min_value=0, max_value=1, places=3),
    witness=st.text(alphabet="0123456789.", min_size=1, max_size=8),
    certs=st.sets(st.text(alphabet="ABCDEFG0123456789", min_size=4, max_size=6), min_size=2, max_size=8),
)
def test_any_document_built_by_the_rules_verifies(codes, ratio, witness, certs):
    from zhifa.inspections import drawing

    population = sorted(codes)
    snapshot = drawing.snapshot_sha256(population)
    root = "ab" * 32
    seed = drawing.seed_of(plan="P1", snapshot=snapshot, root=root, witness=witness)
    selected = [c for c, _ in drawing.select(seed, population, ratio)]
    eligible = sorted(certs)
    tasks = [
        {
            "subject": c,
            "inspectors": drawing.pick([x for x, _ in drawing.rank(seed, c, eligible)], []),
            "skipped": [],
        }
        for c in selected
    ]
    document = {
        "plan": "P1",
        "seed": seed.hex(),
        "inputs": {"snapshot_sha256": snapshot, "checkpoint": {"size": 3, "root": root}, "witness": witness},
        "strata": [{"class": "A", "ratio": str(ratio), "population": population, "selected": selected}],
        "pools": [{"agency": "甲", "eligible": eligible}],
        "tasks": tasks,
    }
    assert recompute(document) == []
    if selected:
        document["tasks"][0]["inspectors"] = document["tasks"][0]["inspectors"][::-1]
        assert recompute(document)
