"""Fixtures shared by every app's tests. Factories: zhifa.testing.factories.

django-axes (login throttling) stays enabled: `force_login` does not go through it, a login
posted to the login page does, and `Client.login` needs `zhifa.testing.password_login`, which
gives axes the request it requires.
"""

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from huey.contrib.djhuey import HUEY

# The suite runs every task at once, in the caller's transaction; the commands it starts as
# subprocesses do the same. One test runs a real worker on Redis (zhifa/core/tests/test_tasks.py).
os.environ["ZHIFA_TASKS_IMMEDIATE"] = "1"
HUEY.immediate = True


# The fixtures through which a test reaches the suite's database.
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server"})
# Markers (pyproject.toml) of the tests that the PostgreSQL pass leaves to the SQLite pass.
SQLITE_PASS_ONLY = ("own_database", "browser", "full_demo")


def pytest_collection_modifyitems(config, items):
    """`make test`'s second pass, on PostgreSQL (ZHIFA_TEST_DATABASE_PASS=1), runs the tests that
    reach the database; the rest (pure functions, commands run against their own SQLite file)
    ran in the SQLite pass just before and would prove nothing new. So did the browser tests and
    the full demo: they check what people see and what `make run` loads, over services whose
    every query the PostgreSQL pass runs in their own tests."""
    if os.environ.get("ZHIFA_TEST_DATABASE_PASS") != "1":
        return
    skip = pytest.mark.skip(reason="不涉及所测数据库，已在 SQLite 轮次运行。")
    for item in items:
        reaches = item.get_closest_marker("django_db") is not None or DATABASE_FIXTURES & set(
            item.fixturenames
        )
        if not reaches or any(item.get_closest_marker(name) for name in SQLITE_PASS_ONLY):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Hashing strength is Django's business; the suite only needs passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Callable[[Path], Path]:
    """A migrated SQLite file for the tests that run `zhifa` in a subprocess (the test database is
    invisible to it): migrated once per worker, copied for each use, as a migrate takes seconds."""
    template = tmp_path_factory.mktemp("migrated") / "zhifa.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{template}",
        "ZHIFA_VAR_DIR": str(template.parent),
        "ZHIFA_SECRET_KEY": "test-only-secret",
    }
    done = subprocess.run(
        [sys.executable, "-m", "zhifa", "migrate", "--noinput", "-v0"],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr

    def copy(target: Path) -> Path:
        # The backup API, not a file copy: a WAL file left beside the template is read too.
        with sqlite3.connect(template) as source, sqlite3.connect(target) as copied:
            source.backup(copied)
        return target

    return copy


@pytest.fixture
def laws_dir() -> Path:
    """The shared statute texts (../shared/laws next to the checkout, or $ZHIFA_LAWS_DIR)."""
    path = Path(
        os.environ.get("ZHIFA_LAWS_DIR") or Path(django_settings.CHECKOUT_DIR).parent / "shared" / "laws"
    )
    if not path.is_dir():
        pytest.skip(f"statute texts not found at {path}")
    return path


@pytest.fixture(autouse=True)
def _empty_cache():
    # The local-memory cache outlives a test: throttle counts must not carry over to the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The hashed manifest exists only after collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _evidence_storage(settings, _plain_static_storage, tmp_path_factory):
    # Evidence files of a test go to a fresh directory, never to the checkout's var/.
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("evidence"))},
        },
    }


@pytest.fixture
def browser(live_server):
    """Headless Chromium against the live server (zhifa.testing.chromium)."""
    from zhifa.testing import chromium

    with chromium.launch() as launched:
        yield launched
