"""Backing up and restoring the portal's database, with a manifest to check a restore against.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (Debian's postgresql-client), given the
connection through ``PG*`` environment variables so that the password is never on a command line.
SQLite: the online backup API (``sqlite3.Connection.backup``) in both directions.

Beside every backup ``<file>`` lies ``<file>.manifest.json``: the backup file's sha256 and, for
every table, its row count and a sha256 over its rows in primary-key order. The rows are turned
into text by the database itself (``ROW(t.*)::text`` with fixed output settings on PostgreSQL,
``quote()`` on SQLite), so the checksum does not depend on Python's type conversions. Only table
names, counts and checksums are ever printed: never a row.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction

MANIFEST_FORMAT = 1
FETCH_SIZE = 2000
SQLITE_PAGES_PER_STEP = 1024

Progress = Callable[[int, int], None]  # (done, total)
Say = Callable[[str], None]


class BackupError(Exception):
    """A backup, restore or check that cannot go on; the message holds no row data."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


def media_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".media.tar.gz")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Table checksums -------------------------------------------------------------------------------


def _sqlite_tables(cursor) -> list[tuple[str, list[str]]]:
    """Every table with the columns to order it by: its primary key, else its rowid."""
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    )
    tables = []
    for (name,) in cursor.fetchall():
        cursor.execute(f"PRAGMA table_info({_quote(name)})")
        key = sorted((row[5], row[1]) for row in cursor.fetchall() if row[5])
        tables.append((name, [_quote(column) for _, column in key] or ["rowid"]))
    return tables


def _postgres_tables(cursor) -> list[tuple[str, list[str]]]:
    """Every ordinary table of the search path, ordered by its primary key (text in the "C"
    collation, so that a database created with another locale orders it the same way)."""
    cursor.execute(
        """
        SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = ANY (current_schemas(false))
        ORDER BY c.relname
        """
    )
    tables = []
    for oid, name in cursor.fetchall():
        cursor.execute(
            """
            SELECT a.attname, a.attcollation <> 0
            FROM pg_index i
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = %s AND i.indisprimary
            ORDER BY k.position
            """,
            [oid],
        )
        key = [_quote(column) + (' COLLATE "C"' if text else "") for column, text in cursor]
        if not key:
            # No primary key: the whole row, as text, orders it.
            key = ['(ROW(t.*)::text) COLLATE "C"']
        tables.append((name, key))
    return tables


def _row_texts(cursor, vendor: str, table: str, order: list[str]) -> Iterator[str]:
    if vendor == "sqlite":
        cursor.execute(f"PRAGMA table_info({_quote(table)})")
        columns = [row[1] for row in cursor.fetchall()]
        expression = " || ',' || ".join(f"quote({_quote(c)})" for c in columns) or "''"
    else:
        expression = "ROW(t.*)::text"
    cursor.execute(
        f"SELECT {expression} FROM {_quote(table)} AS t ORDER BY {', '.join(order)}"  # noqa: S608
    )
    while rows := cursor.fetchmany(FETCH_SIZE):
        for (text,) in rows:
            yield text


def _checksums(
    cursor, vendor: str, progress: Progress | None, row_cursor=None
) -> dict[str, TableSum]:
    """``row_cursor`` (default ``cursor``) reads the rows: on PostgreSQL a server-side cursor,
    so that a table of a million cases is streamed rather than held in memory."""
    tables = _sqlite_tables(cursor) if vendor == "sqlite" else _postgres_tables(cursor)
    row_cursor = row_cursor or cursor
    sums = {}
    for done, (table, order) in enumerate(tables, start=1):
        digest = hashlib.sha256()
        rows = 0
        for text in _row_texts(row_cursor, vendor, table, order):
            digest.update(text.encode())
            digest.update(b"\n")
            rows += 1
        sums[table] = TableSum(rows=rows, sha256=digest.hexdigest())
        if progress:
            progress(done, len(tables))
    return sums


def _set_postgres_text_output(cursor) -> None:
    """Fixed output settings, so a row reads as the same text on any server and session."""
    for name, value in [
        ("TimeZone", "UTC"),
        ("DateStyle", "ISO, YMD"),
        ("IntervalStyle", "iso_8601"),
        ("extra_float_digits", "3"),
        ("bytea_output", "hex"),
    ]:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def database_checksums(
    alias: str = "default", progress: Progress | None = None
) -> dict[str, TableSum]:
    """Row count and checksum of every table of a database, read in one snapshot."""
    connection = connections[alias]
    with transaction.atomic(using=alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                _set_postgres_text_output(cursor)
        with connection.cursor() as cursor, connection.chunked_cursor() as row_cursor:
            return _checksums(cursor, connection.vendor, progress, row_cursor)


def sqlite_file_checksums(path: Path, progress: Progress | None = None) -> dict[str, TableSum]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _checksums(db.cursor(), "sqlite", progress)
    finally:
        db.close()


def is_empty(alias: str = "default") -> bool:
    """Whether the database has no table at all (a new, never migrated database)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view')")
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') "
                "AND n.nspname = ANY (current_schemas(false))"
            )
        return cursor.fetchone()[0] == 0


# Manifest -------------------------------------------------------------------------------------


def write_manifest(backup: Path, vendor: str, tables: dict[str, TableSum], media=None) -> Path:
    manifest = {
        "format": MANIFEST_FORMAT,
        "vendor": vendor,
        "created": datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds"),
        "file": backup.name,
        "sha256": file_sha256(backup),
        "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in tables.items()},
    }
    if media:
        manifest["media"] = media
    path = manifest_path(backup)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path


def read_manifest(backup: Path) -> dict:
    path = manifest_path(backup)
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"No manifest beside the backup: {path}") from None
    except ValueError:
        raise BackupError(f"The manifest is not valid JSON: {path}") from None
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"Unknown manifest format: {path}")
    return manifest


def check_file(backup: Path, manifest: dict) -> None:
    """Refuse a backup file that is not the one the manifest describes (truncated, altered)."""
    if not backup.is_file():
        raise BackupError(f"No backup file: {backup}")
    if file_sha256(backup) != manifest["sha256"]:
        raise BackupError(f"{backup} does not match its manifest's checksum: it is damaged.")


def compare(manifest: dict, tables: dict[str, TableSum]) -> list[str]:
    """The differences between the manifest and a database, one line per table (no row data)."""
    problems = []
    for name, expected in sorted(manifest["tables"].items()):
        found = tables.get(name)
        if found is None:
            problems.append(f"{name}: missing")
        elif found.rows != expected["rows"]:
            problems.append(f"{name}: {found.rows} rows, the backup has {expected['rows']}")
        elif found.sha256 != expected["sha256"]:
            problems.append(f"{name}: same row count ({found.rows}), different contents")
    return problems


# PostgreSQL -----------------------------------------------------------------------------------

# libpq reads these from the environment; the password never appears on a command line.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def libpq_environment(settings_dict: dict) -> dict[str, str]:
    """The environment for pg_dump and pg_restore: the parent's, plus the connection."""
    # PG* variables already set stay, as they do for the portal's own connection.
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for option, variable in _LIBPQ_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(option):
            env[variable] = str(settings_dict["OPTIONS"][option])
    return env


_TABLE_DATA = re.compile(r'(?:dumping contents of|processing data for) table "(?:[^"]+\.)?([^"]+)"')


def _run_pg_tool(command: list[str], env: dict, tables: int, progress: Progress | None) -> None:
    """Run pg_dump or pg_restore --verbose, turning its lines about table data into progress.
    Its other lines stay unprinted; on failure only its error lines are shown, without the
    DETAIL lines that can quote a row."""
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed program, arguments are not a shell line
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: apt-get install postgresql-client"
        ) from None
    errors, done = [], 0
    assert process.stderr is not None  # noqa: S101 - stderr=PIPE above
    for line in process.stderr:
        if _TABLE_DATA.search(line):
            done += 1
            if progress:
                progress(min(done, tables), tables)
        elif ("error:" in line or "FATAL" in line) and "DETAIL" not in line:
            errors.append(line.strip())
    if process.wait() != 0:
        raise BackupError(
            f"{command[0]} failed:\n" + "\n".join(errors[-10:] or ["(no error message)"])
        )


def _postgres_backup(alias: str, path: Path, progress: Progress | None, say: Say):
    """Dump and checksum in one snapshot: pg_dump runs on the snapshot that the checksums read,
    so the manifest describes exactly the dump even while the portal keeps writing."""
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        _set_postgres_text_output(cursor)
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        table_count = len(_postgres_tables(cursor))
        say(f"Dumping {table_count} tables with pg_dump")
        _run_pg_tool(
            [
                "pg_dump",
                "--format=custom",
                "--verbose",
                f"--snapshot={snapshot}",
                f"--file={path}",
            ],
            libpq_environment(connection.settings_dict),
            table_count,
            progress,
        )
        say("Counting and checksumming every table")
        with connection.chunked_cursor() as row_cursor:
            return _checksums(cursor, "postgresql", progress, row_cursor)


def _postgres_restore(alias: str, path: Path, replace: bool, tables: int, progress) -> None:
    connection = connections[alias]
    command = [
        "pg_restore",
        "--verbose",
        "--exit-on-error",
        "--single-transaction",
        # The restoring role owns what it restores: roles and grants differ between servers.
        "--no-owner",
        "--no-privileges",
        f"--dbname={connection.settings_dict['NAME']}",
    ]
    if replace:
        command += ["--clean", "--if-exists"]
    connection.close()  # the restore must not wait for a lock this process holds
    environment = libpq_environment(connection.settings_dict)
    _run_pg_tool([*command, str(path)], environment, tables, progress)


# SQLite ---------------------------------------------------------------------------------------


def _sqlite_progress(progress: Progress | None):
    if progress is None:
        return None

    def pages(status, remaining, total):
        progress(total - remaining, total)

    return pages


def _sqlite_backup(alias: str, path: Path, progress: Progress | None, say: Say):
    connection = connections[alias]
    connection.ensure_connection()
    say("Copying the database with SQLite's online backup")
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(
            target, pages=SQLITE_PAGES_PER_STEP, progress=_sqlite_progress(progress)
        )
        # The copy of a database in WAL mode is in WAL mode too: make it one self-contained file.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    say("Counting and checksumming every table")
    # The copy, not the live database, is what the manifest must describe.
    return sqlite_file_checksums(path, progress)


def _sqlite_restore(alias: str, path: Path, progress: Progress | None) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(
            connection.connection,
            pages=SQLITE_PAGES_PER_STEP,
            progress=_sqlite_progress(progress),
        )
    finally:
        source.close()
    connection.close()  # a new connection reads the new schema


# Private media ----------------------------------------------------------------------------------


def _media_backup(path: Path) -> dict:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    with tarfile.open(path, "w:gz") as tar:
        for file in files:
            tar.add(file, arcname=str(file.relative_to(root)), recursive=False)
    return {"file": path.name, "files": len(files), "sha256": file_sha256(path)}


def _media_check(path: Path, manifest: dict, replace: bool) -> None:
    """Refuse before anything is restored: no archive, a damaged one, or a folder in use."""
    media = manifest.get("media")
    if not media:
        raise BackupError("This backup was made without --media.")
    if not path.is_file() or file_sha256(path) != media["sha256"]:
        raise BackupError(f"{path} is missing or does not match its manifest's checksum.")
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    if root.is_dir() and any(root.iterdir()) and not replace:
        raise BackupError(f"{root} is not empty: restore with --force to write over it.")


def _media_restore(path: Path) -> None:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "r:gz") as tar:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        tar.extractall(root, filter="data")


# What the commands call -----------------------------------------------------------------------


def backup_database(
    *,
    path: Path,
    alias: str = "default",
    media: bool = False,
    progress: Progress | None = None,
    say: Say = lambda message: None,
) -> dict:
    """Write a backup of the database to ``path`` and its manifest beside it; return the
    manifest. The file appears under its name only once it is complete."""
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    # The files hold residents' personal data: only the portal's user may read them.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    try:
        if vendor == "postgresql":
            tables = _postgres_backup(alias, partial, progress, say)
        else:
            tables = _sqlite_backup(alias, partial, progress, say)
        partial.chmod(0o600)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    media_manifest = None
    if media:
        say(f"Archiving the private media folder to {media_path(path).name}")
        media_path(path).unlink(missing_ok=True)
        media_path(path).touch(mode=0o600)
        media_manifest = _media_backup(media_path(path))
    write_manifest(path, vendor, tables, media_manifest)
    return read_manifest(path)


def restore_database(
    *,
    path: Path,
    alias: str = "default",
    replace: bool = False,
    media: bool = False,
    progress: Progress | None = None,
    say: Say = lambda message: None,
) -> list[str]:
    """Restore ``path`` into the database (which must be empty unless ``replace``) and compare
    it with the manifest; return the differences (none when the restore is faithful)."""
    manifest = read_manifest(path)
    vendor = connections[alias].vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"This is a {manifest['vendor']} backup; the database is {vendor}.")
    say("Checking the backup file against its manifest")
    check_file(path, manifest)
    if not replace and not is_empty(alias):
        raise BackupError("The database is not empty: restore with --force to write over it.")
    if media:
        _media_check(media_path(path), manifest, replace)
    say("Restoring")
    if vendor == "postgresql":
        _postgres_restore(alias, path, replace, len(manifest["tables"]), progress)
    else:
        _sqlite_restore(alias, path, progress)
    if media:
        say("Restoring the private media folder")
        _media_restore(media_path(path))
    say("Comparing every table with the manifest")
    return compare(manifest, database_checksums(alias, progress))


def verify_backup(
    *, path: Path, alias: str = "default", database: bool = True, progress=None, say=None
) -> list[str]:
    """Check the backup file (and its media archive) against its manifest and, unless
    ``database`` is false, the database against it; return the differences."""
    say = say or (lambda message: None)
    manifest = read_manifest(path)
    say("Checking the backup file against its manifest")
    check_file(path, manifest)
    problems = []
    if manifest.get("media"):
        archive = media_path(path)
        if not archive.is_file() or file_sha256(archive) != manifest["media"]["sha256"]:
            problems.append(f"{archive.name}: missing or damaged")
    if manifest["vendor"] == "sqlite":
        say("Reading the backup file's tables")
        problems += compare(manifest, sqlite_file_checksums(path))
    if database:
        vendor = connections[alias].vendor
        if manifest["vendor"] != vendor:
            raise BackupError(f"This is a {manifest['vendor']} backup; the database is {vendor}.")
        say("Comparing every table of the database with the manifest")
        problems += compare(manifest, database_checksums(alias, progress))
    return problems
