import io

import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, tmp_path):
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


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the demo's photos are written
        call_command("load_demo", force=True, stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _empty_cache():
    """The booking throttle counts in the cache: every test starts with no attempts counted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Tests read pages after moving the clock: nothing is kept unless a test turns the cache on
    (tests/caching)."""
    settings.PAGE_CACHE_SECONDS = 0
