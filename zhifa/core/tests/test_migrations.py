"""Migrations match the models and can be reversed (DESIGN.md §3.11)."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader


@pytest.mark.django_db
def test_no_missing_migrations():
    # --check exits with SystemExit(1) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_migration_operation_is_reversible():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    labels = {c.label for c in apps.get_app_configs() if c.name.startswith("zhifa.")}
    checked = 0
    for (app_label, name), migration in loader.disk_migrations.items():
        if app_label not in labels:
            continue
        for operation in migration.operations:
            assert operation.reversible, f"{app_label}.{name}: {operation.describe()} is not reversible"
            checked += 1
    assert checked > 0
