"""Trigram indexes for search on PostgreSQL, on the pinyin and initials columns: they hold ASCII,
so they work whatever the database's LC_CTYPE (with plain C, pg_trgm extracts no trigrams from
Chinese). Chinese queries are narrowed through the pinyin index too (see
SearchEntryQuerySet.matching), which also serves two-character words. SQLite: nothing."""

from django.db import migrations

COLUMNS = ["pinyin", "initials"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS searchentry_{column}_trgm "  # noqa: S608
            f"ON forums_searchentry USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS searchentry_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
