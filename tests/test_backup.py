"""Backup and restore: a backup restored into an empty database has every table's rows."""

import io
import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from governance.models import Case
from lujiazui import backup
from residents.models import Person
from tests import factories

# pg_dump reads the data from its own session: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

RESTORED = "restored"
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the suite runs on SQLite")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the suite runs on PostgreSQL"
)


@pytest.fixture
def restored(transactional_db, tmp_path):
    """The alias of a new, empty database of the suite's kind: a temporary SQLite file, or a
    throwaway PostgreSQL database beside the test database."""
    source = connections["default"].settings_dict
    if connection.vendor == "postgresql":
        import psycopg

        name = f"{source['NAME']}_restored"
        params = {
            "dbname": "postgres",
            "host": source["HOST"] or None,
            "port": source["PORT"] or None,
            "user": source["USER"] or None,
            "password": source["PASSWORD"] or None,
        }
        with psycopg.connect(autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    else:
        name = str(tmp_path / "restored.sqlite3")
    # A connection made here and then dropped from the settings is, to Django's test case, a
    # dynamically created one, which every test may use.
    connections.settings[RESTORED] = {**source, "NAME": name}
    connections[RESTORED]
    del connections.settings[RESTORED]
    yield RESTORED
    connections[RESTORED].close()
    del connections[RESTORED]
    if connection.vendor == "postgresql":
        with psycopg.connect(autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def small_set(transactional_db):
    area = factories.AreaFactory()
    factories.PersonFactory(area=area)
    factories.case(area)
    return area


def run(command: str, *args, **options) -> str:
    out = io.StringIO()
    call_command(command, *[str(a) for a in args], stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def assert_round_trip_of_the_demo(tmp_path: Path, restored: str) -> None:
    call_command("load_demo", force=True, stdout=io.StringIO())
    personal = [
        value
        for person in Person.objects.all()
        for value in (person.name, person.phone, person.address)
        if value
    ]
    source = backup.database_checksums()
    file = tmp_path / "nightly" / "portal.dump"

    output = run("backup_database", file)

    manifest = json.loads(backup.manifest_path(file).read_text())
    assert {name: backup.TableSum(**t) for name, t in manifest["tables"].items()} == source
    assert manifest["tables"]["governance_case"]["rows"] == Case.objects.count() > 0
    assert manifest["sha256"] == backup.file_sha256(file)
    assert file.stat().st_mode & 0o077 == 0
    assert backup.is_empty(restored)

    output += run("restore_database", file, database=restored)

    assert backup.database_checksums(restored) == source
    output += run("verify_backup", file, database=restored)
    assert "matches its manifest" in output
    assert not [value for value in personal if value in output]


@on_sqlite
def test_sqlite_backup_restores_the_demo_into_an_empty_file(tmp_path, restored):
    assert_round_trip_of_the_demo(tmp_path, restored)


@on_postgresql
def test_postgresql_backup_restores_the_demo_into_an_empty_database(
    tmp_path, restored, monkeypatch
):
    commands = []
    popen = subprocess.Popen

    def spy(command, **kwargs):
        commands.append((command, kwargs["env"]))
        return popen(command, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)

    assert_round_trip_of_the_demo(tmp_path, restored)

    assert [command[0] for command, _ in commands] == ["pg_dump", "pg_restore"]
    assert "--format=custom" in commands[0][0]
    for command, env in commands:
        assert not any("password" in argument.lower() for argument in command)
        assert env["PGDATABASE"]


def test_libpq_environment_carries_the_password_for_the_child_only():
    env = backup.libpq_environment(
        {"NAME": "portal", "USER": "portal", "PASSWORD": "s3cret", "HOST": "db", "PORT": 5432}
    )

    assert env["PGPASSWORD"] == "s3cret"
    assert env["PGHOST"] == "db"
    assert env["PGPORT"] == "5432"


def test_restore_refuses_a_database_that_is_not_empty(small_set, tmp_path):
    file = tmp_path / "portal.dump"
    run("backup_database", file)
    factories.case(small_set)

    with pytest.raises(CommandError, match="not empty"):
        run("restore_database", file, interactive=False)

    assert Case.objects.count() == 2


def test_restore_asks_before_writing_over_a_database(small_set, tmp_path, restored, monkeypatch):
    file = tmp_path / "portal.dump"
    run("backup_database", file)
    run("restore_database", file, database=restored)
    Case.objects.using(restored).update(title="改过的标题")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    output = run("restore_database", file, database=restored, force=True)

    assert "cancelled" in output
    with pytest.raises(CommandError, match="governance_case: same row count"):
        run("verify_backup", file, database=restored)


def test_restore_with_force_writes_over_a_changed_database(small_set, tmp_path, restored):
    file = tmp_path / "portal.dump"
    run("backup_database", file)
    run("restore_database", file, database=restored)
    Case.objects.using(restored).update(title="改过的标题")
    Person.objects.using(restored).update(phone="13912345678")

    run("restore_database", file, database=restored, force=True, interactive=False)

    assert run("verify_backup", file, database=restored)
    assert backup.database_checksums(restored) == backup.database_checksums()


def test_verify_backup_names_the_table_that_differs_without_its_rows(small_set, tmp_path):
    file = tmp_path / "portal.dump"
    run("backup_database", file)
    person = Person.objects.get()
    Person.objects.filter(pk=person.pk).update(phone="13912345678")

    with pytest.raises(CommandError) as refused:
        run("verify_backup", file)

    assert "residents_person: same row count (1), different contents" in str(refused.value)
    assert "13912345678" not in str(refused.value)
    assert person.name not in str(refused.value)


def test_a_damaged_backup_is_not_restored(small_set, tmp_path, restored):
    file = tmp_path / "portal.dump"
    run("backup_database", file)
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="damaged"):
        run("restore_database", file, database=restored)
    with pytest.raises(CommandError, match="damaged"):
        run("verify_backup", file, file_only=True)

    assert backup.is_empty(restored)


def test_a_backup_without_its_manifest_is_not_restored(small_set, tmp_path, restored):
    file = tmp_path / "portal.dump"
    run("backup_database", file)
    backup.manifest_path(file).unlink()

    with pytest.raises(CommandError, match="No manifest"):
        run("restore_database", file, database=restored)


def test_media_is_archived_and_restored_with_the_database(small_set, tmp_path, restored, settings):
    photo = Path(settings.PRIVATE_MEDIA_ROOT) / "case-attachments" / "1" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 not really a photo")
    file = tmp_path / "portal.dump"
    output = run("backup_database", file, media=True)
    assert "Archived 1 private files" in output
    assert backup.media_path(file).stat().st_mode & 0o077 == 0
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "new-private-media"

    run("restore_database", file, database=restored, media=True)

    restored_photo = tmp_path / "new-private-media" / "case-attachments" / "1" / "photo.jpg"
    assert restored_photo.read_bytes() == photo.read_bytes()
    assert run("verify_backup", file, file_only=True)
