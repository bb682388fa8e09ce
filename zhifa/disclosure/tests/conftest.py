"""Fixtures for 公示 tests; the rows come from zhifa.disclosure.tests.factories."""

from __future__ import annotations

import pytest

from zhifa.disclosure.tests.factories import World, make_decided_case, make_world


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    # The ledger signs checkpoints with a key kept under VAR_DIR.
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_world()


@pytest.fixture
def decided_case(world):
    """A citizen's case decided 2025-09-26 (before 国庆+中秋) with a 5000-yuan fine and its 文号."""
    return make_decided_case(world)
