"""The full-text index over Publication.search_text (zhifa.disclosure.search), per back end.

SQLite: an FTS5 external-content table (the text stays in disclosure_publication) kept in sync by
triggers. The text is already segmented into space-separated words, so the unicode61 tokenizer
only splits at spaces (and drops nothing, as search_text holds letters and digits only).
PostgreSQL: a stored generated column search_vector = to_tsvector('simple', search_text) (not in
the Django model) with a GIN index; 'simple' keeps every word as it is.

SQLite drops a table's triggers when Django rebuilds the table in a later migration;
search_index.after_migrate (run after every migrate) puts them back.
"""

from django.db import migrations

from zhifa.disclosure.search_index import drop_index, ensure_index


def forwards(apps, schema_editor):
    ensure_index(schema_editor.connection)


def backwards(apps, schema_editor):
    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
