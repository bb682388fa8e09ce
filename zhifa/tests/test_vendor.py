"""The vendored Swagger UI (scripts/vendor-assets.sh) is complete enough for collectstatic: the
manifest storage follows every sourceMappingURL and fails the deployment on a missing one."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "zhifa" / "core" / "static" / "vendor" / "swagger-ui"


def test_the_vendored_files_are_the_locked_version_and_their_maps_are_beside_them():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/swagger-ui-dist"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned["version"]) and pinned["integrity"].startswith("sha512-")
    assert (
        json.loads((ROOT / "package.json").read_text())["dependencies"]["swagger-ui-dist"]
        == pinned["version"]
    )
    assert VENDOR.is_dir(), "Swagger UI is not vendored: run `make setup` (scripts/vendor-assets.sh)"
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        text = (VENDOR / name).read_text(encoding="utf-8")
        for target in re.findall(r"sourceMappingURL=([^\s*]+)", text):
            assert (VENDOR / target).is_file(), f"{name} names {target}, which was not copied"
