"""The database side of the full-text index (migration 0002 and the post-migrate check).

SQLite: FTS5 external-content table + three triggers. Django rebuilds a SQLite table (and so
drops its triggers) when a later migration alters it, so `ensure_index` runs after every migrate
and restores missing triggers, then rebuilds the index from the table.
PostgreSQL: a stored generated column `search_vector` = to_tsvector('simple', search_text) with
a GIN index. The column is the database's own (not in the Django model, which never selects or
writes it): ranking reads the stored vector instead of parsing the text of every match again,
which measured 5-10 times faster than an expression index at 200,000 rows (docs/opendata.md).
"""

from __future__ import annotations

from typing import Any

TABLE = "disclosure_publication"
FTS_TABLE = "disclosure_publication_fts"
PG_INDEX = "disclosure_publication_search_gin"
PG_COLUMN = "search_vector"

_FTS_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    f"search_text, content='{TABLE}', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
)
_TRIGGERS = {
    f"{FTS_TABLE}_ai": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    f"{FTS_TABLE}_ad": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"
    ),
    f"{FTS_TABLE}_au": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}
_PG_CREATE = (
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector"
    f" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING gin ({PG_COLUMN})",
)


def ensure_index(connection: Any) -> bool:
    """Create what is missing; True when something was (re)created."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name = %s OR (type = 'trigger' AND tbl_name = %s)",
                [FTS_TABLE, TABLE],
            )
            present = {row[0] for row in cursor.fetchall()}
            missing = ({FTS_TABLE} | set(_TRIGGERS)) - present
            if not missing:
                return False
            cursor.execute(_FTS_CREATE)
            for sql in _TRIGGERS.values():
                cursor.execute(sql)
            # Rows written while a trigger was missing are indexed again from the table.
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
            return True
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM pg_indexes i JOIN information_schema.columns c ON c.table_name = i.tablename"
                " WHERE i.indexname = %s AND c.table_name = %s AND c.column_name = %s",
                [PG_INDEX, TABLE, PG_COLUMN],
            )
            if cursor.fetchone():
                return False
            # An index of that name without the column (an earlier expression index) is replaced.
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
            for sql in _PG_CREATE:
                cursor.execute(sql)
            return True
    return False


def drop_index(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in _TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
            cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}")


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: restore the index a later table rebuild dropped, once 0002 is applied."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return
    if ("disclosure", "0002_search_index") in recorder.applied_migrations():
        ensure_index(connection)
