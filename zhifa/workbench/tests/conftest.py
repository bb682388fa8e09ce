"""The workbench tests' world: the disclosure factories' two agencies and their staff."""

from __future__ import annotations

import pytest
from django.test import Client

from zhifa.disclosure.tests.factories import make_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_world()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
