import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.test.utils import override_settings

from tests import factories, snapshot


@pytest.fixture(autouse=True)
def _private_media_in_tmp(request, settings, tmp_path):
    """Uploads go to the test's own folder; on a demo loaded once, to where its photos are."""
    if "demo_once" in request.fixturenames:
        settings.PRIVATE_MEDIA_ROOT = request.getfixturevalue("demo_once") / "private"
    else:
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """The manifest storage needs collectstatic; tests serve static files as they are."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Tests hash demo and factory passwords by the dozen: PBKDF2 made that a third of the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    """Tasks (the notification e-mails) run in the test itself, not in a worker; a test of
    retries swaps in a backend that keeps what it is given."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, stopped before the test database is dropped: its thread's
    connection would otherwise still hold the database when the run ends."""
    return live_server


@pytest.fixture
def street():
    return factories.StreetFactory()


@pytest.fixture
def area(street):
    return factories.AreaFactory(street=street)


@pytest.fixture
def other_area(street):
    return factories.AreaFactory(street=street)


@pytest.fixture
def street_staff(street):
    return factories.street_staff(street)


@pytest.fixture
def secretary(area):
    return factories.secretary(area)


@pytest.fixture
def other_secretary(other_area):
    return factories.secretary(other_area)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory) -> snapshot.Snapshot:
    """The demo street as ``load_demo`` builds it, built once per test process
    (tests/snapshot.py); the ``demo`` and ``demo_once`` fixtures copy it in."""
    media = tmp_path_factory.mktemp("demo-snapshot") / "private"
    with (
        django_db_blocker.unblock(),
        override_settings(
            PRIVATE_MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        ),
    ):
        street = snapshot.build(media)
    cache.clear()
    return street


@pytest.fixture
def demo(request, db, demo_snapshot, settings):
    """The demo street: copied in for the test, or once for a module that says every one of its
    tests runs on it (``pytestmark = pytest.mark.usefixtures("demo_once")``)."""
    if "demo_once" in request.fixturenames:
        return
    demo_snapshot.restore(settings.PRIVATE_MEDIA_ROOT)


@pytest.fixture(scope="module")
def demo_once(demo_snapshot, django_db_blocker, tmp_path_factory):
    """The demo street, copied in once for a module and rolled back after it: each test's own
    transaction (the ``db`` fixture) nests inside, so what a test writes is undone and the next
    test sees the demo as loaded. Every test of such a module sees the demo, so a test that needs
    an empty database lives elsewhere."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        atomics = {alias: transaction.atomic(using=alias) for alias in connections}
        for atomic in atomics.values():
            atomic.__enter__()
        try:
            demo_snapshot.restore(media / "private")
            yield media
        finally:
            for alias, atomic in atomics.items():
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The booking throttle counts in the cache: every test starts with no attempts counted."""
    cache.clear()


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Tests read pages after moving the clock: nothing is kept unless a test turns the cache on
    (tests/caching)."""
    settings.PAGE_CACHE_SECONDS = 0
