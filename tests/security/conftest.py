import io

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.test.utils import override_settings


@pytest.fixture(scope="module")
def demo_street(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo street, loaded once for a module and rolled back after it: each test's own
    transaction (the `db` fixture) nests inside, so a test sees the demo as loaded."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        ),
    ):
        atomics = {alias: transaction.atomic(using=alias) for alias in connections}
        for atomic in atomics.values():
            atomic.__enter__()
        try:
            call_command("load_demo", force=True, stdout=io.StringIO())
            yield
        finally:
            for alias, atomic in atomics.items():
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)
