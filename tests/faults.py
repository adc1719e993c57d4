"""Helpers of the fault tests."""

import contextlib
from unittest import mock

from django.db.backends.utils import CursorWrapper


@contextlib.contextmanager
def database_gone(error: str = "OperationalError"):
    """Every query fails as it does when the server has gone, through Django's error wrapper."""

    def fail(self, *args, **kwargs):
        with self.db.wrap_database_errors:
            raise getattr(self.db.Database, error)("server closed the connection unexpectedly")

    with mock.patch.object(CursorWrapper, "_execute_with_wrappers", fail):
        yield
