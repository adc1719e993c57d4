"""What the apps tell people about, as each registers it from its own ``notifications`` module
(imported in its ``AppConfig.ready()``): the sentence each kind reads as, the page a
notification leads to and the reminders ``send_reminders`` sends. inbox imports none of those
apps."""

import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Choices, Model, QuerySet
from django.utils.functional import Promise

User = get_user_model()


@dataclass(frozen=True)
class Text:
    """A kind's sentence; parameters named in ``choices`` are stored as a choice's value and
    shown as its label, those in ``defaults`` stand in when a parameter is empty."""

    message: Promise
    choices: Mapping[str, type[Choices]]
    defaults: Mapping[str, Promise]


@dataclass(frozen=True)
class Target:
    """The queryset of the object's own page, scoped to the user, and the address to go to."""

    scoped: Callable[[User], QuerySet]
    url: Callable[[User, Model], str]


# Each yields, per object it reminds of, the number of people told.
Reminder = Callable[[datetime.date], Iterator[int]]

texts: dict[str, Text] = {}
targets: dict[type[Model], Target] = {}
reminders: list[tuple[str, Reminder]] = []


def register_text(
    kind: str,
    message: Promise,
    *,
    choices: Mapping[str, type[Choices]] | None = None,
    defaults: Mapping[str, Promise] | None = None,
) -> None:
    """The sentence a kind of notification reads as, a lazy translation with named parameters."""
    if str(kind) in texts:
        raise ImproperlyConfigured(f"The kind {kind!r} has a text already.")
    texts[str(kind)] = Text(message=message, choices=choices or {}, defaults=defaults or {})


def register_target(
    model: type[Model],
    scoped: Callable[[User], QuerySet],
    url: Callable[[User, Model], str] | None = None,
) -> None:
    """Where a notification about a ``model`` leads: the object's page (its
    ``get_absolute_url()`` unless ``url`` is given), if ``scoped(user)`` still holds it."""
    if model in targets:
        raise ImproperlyConfigured(f"{model.__name__} has a target already.")
    targets[model] = Target(scoped=scoped, url=url or (lambda user, obj: obj.get_absolute_url()))


def register_reminder(name: str, remind: Reminder) -> None:
    """A reminder ``send_reminders`` sends for the day, after those registered before it."""
    if any(known == name for known, _remind in reminders):
        raise ImproperlyConfigured(f"The reminder {name!r} is registered already.")
    reminders.append((name, remind))
