"""The demo street, built by ``load_demo`` once per test process and copied back in by rows.

``load_demo`` plays the street's cases through the services, and costs 5 to 10 seconds; the
street it leaves is about 3,000 rows, which go back into the tables in a fraction of a second.
A test that asks for the demo gets those rows, and the demo's uploaded photos in its own media
folder, exactly as ``load_demo`` wrote them at the start of the run: what one test writes never
reaches the next. ``tests/test_snapshot.py`` checks that the copy is the street itself.
"""

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import TestCase


@dataclass(frozen=True)
class Table:
    """A table's rows: PostgreSQL's own COPY text, or SQLite's rows as the driver reads them."""

    name: str
    columns: list[str]
    rows: bytes | list[tuple]


@dataclass(frozen=True)
class Snapshot:
    tables: list[Table]
    media: Path

    def restore(self, media_root: Path) -> None:
        """Put the demo street back in the database, in place of what its tables hold, and its
        photos in ``media_root``. Inside the caller's transaction when there is one."""
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            # Foreign keys are checked at commit (Django declares them deferrable), so the
            # tables empty and fill in any order.
            for table in self.tables:
                cursor.execute(f"DELETE FROM {quote(table.name)}")  # noqa: S608
            for table in self.tables:
                if not table.rows:
                    continue
                names = ", ".join(quote(column) for column in table.columns)
                if isinstance(table.rows, bytes):
                    sql = f"COPY {quote(table.name)} ({names}) FROM STDIN"
                    with cursor.cursor.copy(sql) as copy:
                        copy.write(table.rows)
                else:
                    marks = ", ".join(["%s"] * len(table.columns))
                    cursor.executemany(
                        f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})",  # noqa: S608
                        table.rows,
                    )
            # PostgreSQL's sequences go on from the highest id copied in; SQLite's follow alone.
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        shutil.copytree(self.media, media_root, dirs_exist_ok=True)


def take(media_root: Path) -> Snapshot:
    """Every row of every table of the portal, as it is now, and a copy of ``media_root``."""
    tables = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.django_table_names(only_existing=True)):
            cursor.execute(f"SELECT * FROM {quote(name)} WHERE 1 = 0")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(name)} TO STDOUT") as copy:
                    rows = b"".join(bytes(block) for block in copy)
            else:
                # ``+column`` is the stored value itself: an expression has no declared type, so
                # the driver converts nothing (a time would come back as one it cannot write).
                raw = ", ".join(f"+{quote(column)}" for column in columns)
                cursor.execute(f"SELECT {raw} FROM {quote(name)}")  # noqa: S608
                rows = list(cursor.fetchall())
            tables.append(Table(name, columns, rows))
    return Snapshot(tables, media_root)


def build(media_root: Path) -> Snapshot:
    """Load the demo street with ``load_demo`` in a transaction, keep a snapshot of it, and roll
    the transaction back: the database is left as it was."""
    with transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):  # the demo's photos are written
            call_command("load_demo", force=True, stdout=io.StringIO())
        snapshot = take(media_root)
        transaction.set_rollback(True)
    return snapshot
