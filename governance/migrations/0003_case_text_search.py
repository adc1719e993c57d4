"""Trigram indexes for the case workbench's substring search (icontains) on PostgreSQL.

Django's icontains is UPPER(col) LIKE UPPER('%q%') on PostgreSQL, so the index is on UPPER(col).
SQLite has no such index; the migration does nothing there.
"""

from django.db import migrations

COLUMNS = ["title", "description", "location"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS case_{column}_trgm "  # noqa: S608
            f"ON governance_case USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS case_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_cases")]

    operations = [migrations.RunPython(create, drop)]
