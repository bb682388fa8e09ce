"""core sits below every other app (DESIGN §2): none of its modules imports one of them."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent


def _imports(source: str, package: str) -> list[tuple[int, str]]:
    """Every module a file imports, wherever the statement sits (functions, TYPE_CHECKING blocks)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            found.append((node.lineno, ".".join(p for p in (base, node.module or "") if p)))
    return sorted(found)


def _above_core(module: str) -> bool:
    return (module == "zhifa" or module.startswith("zhifa.")) and not (
        module == "zhifa.core" or module.startswith("zhifa.core.")
    )


def test_core_imports_no_app_above_it():
    modules = sorted(p for p in CORE.rglob("*.py") if "tests" not in p.relative_to(CORE).parts)
    assert CORE / "workflow.py" in modules and CORE / "templatetags" / "zhifa.py" in modules
    outside = []
    for path in modules:
        package = ".".join(["zhifa", "core", *path.parent.relative_to(CORE).parts])
        for line, module in _imports(path.read_text(encoding="utf-8"), package):
            if _above_core(module):
                outside.append(f"{path.relative_to(CORE.parent.parent)}:{line} imports {module}")
    assert not outside, "core must not depend on the apps above it:\n" + "\n".join(outside)


def test_the_walk_counts_every_kind_of_import():
    # The check above is only as good as the walk: type-only, function-level and relative imports count.
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from zhifa.accounts.models import User\n"
        "def f():\n    import zhifa.cases.models\n"
        "from ...org import models\n"
        "from . import errors\n"
        "from .calendar import today\n"
    )
    modules = [m for _, m in _imports(source, "zhifa.core.templatetags")]
    assert modules == [
        "typing",
        "zhifa.accounts.models",
        "zhifa.cases.models",
        "zhifa.org",
        "zhifa.core.templatetags",
        "zhifa.core.templatetags.calendar",
    ]
    assert [m for m in modules if _above_core(m)] == [
        "zhifa.accounts.models",
        "zhifa.cases.models",
        "zhifa.org",
    ]
