"""What the apps tell people about, as each registers it from its own ``notifications`` module
(imported in its ``AppConfig.ready()``): the page a notification leads to. inbox imports none
of those apps."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet

User = get_user_model()


@dataclass(frozen=True)
class Target:
    """The queryset of the object's own page, scoped to the user, and the address to go to."""

    scoped: Callable[[User], QuerySet]
    url: Callable[[User, Model], str]


targets: dict[type[Model], Target] = {}


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
