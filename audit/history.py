"""Who did it: every audited model keeps its history rows through ``HistoricalTrail``, and each
row names the acting user.

In a request the user is the request's (django-simple-history's middleware); a service called
from a command or a task says who acts with ``@audited``, which takes it from the service's
``actor`` argument. Nothing else writes who changed a record.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from simple_history.models import HistoricalRecords

_actor: ContextVar = ContextVar("audit_actor", default=None)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def acting(actor) -> Iterator[None]:
    """Within the block, the history rows written name ``actor``."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    """Who acts in the service being run, for history rows written in bulk."""
    return _actor.get()


def audited(service: Callable[P, R]) -> Callable[P, R]:
    """A service whose writes are recorded as its ``actor`` argument's (a keyword argument)."""

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with acting(kwargs.get("actor")):
            return service(*args, **kwargs)

    return wrapper


def acting_user(instance, request, **kwargs):
    """django-simple-history's ``get_user``: the service's actor, else the request's user."""
    actor = _actor.get()
    if actor is not None:
        return actor
    return request.user if request is not None else None


class _Trail(HistoricalRecords):
    """django-simple-history's records, without a row for a save that changed nothing it
    keeps (loading the demo street again, a form saved as it was)."""

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw", False) and self._unchanged(instance, using):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _unchanged(self, instance, using) -> bool:
        names = [f.attname for f in self.fields_included(type(instance))]
        last = (
            getattr(instance, self.manager_name)
            .using(using)
            .order_by("-history_date", "-history_id")
            .values(*names)
            .first()
        )
        return last is not None and all(last[n] == getattr(instance, n) for n in names)


def HistoricalTrail(**options) -> HistoricalRecords:
    """The history of an audited model: every save that changed it and every delete, with the
    acting user."""
    return _Trail(get_user=acting_user, **options)
