"""A test runs in a transaction that never commits, so what waits for the commit (an upload's
file, a queued task) never happens unless the test says so."""

from django.test import TestCase


def committed():
    """A block whose on-commit work runs when it ends, as if its transaction had committed;
    for helpers without pytest-django's ``django_capture_on_commit_callbacks`` fixture."""
    return TestCase.captureOnCommitCallbacks(execute=True)
