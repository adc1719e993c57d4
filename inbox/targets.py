"""Where a notification leads, checked again with the queryset the object's own page uses:
what the user may no longer see is a 404, as on that page."""

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import reverse

from forums.models import Event, EventSession, Forum, Speech
from governance.models import Case, Organization, Wish
from governance.permissions import wish_rights
from inbox.models import Notification
from residents.models import User


def _wish_url(user: User, wish: Wish) -> str:
    rights = wish_rights(user, wish)
    if not (rights.manage or rights.claim or rights.fulfil):
        raise Http404
    return wish.get_manage_url()


# Per model: the scoped queryset of its page, and the address to send the user to.
TARGETS: dict[type[Model], tuple[Callable[[User], QuerySet], Callable[[User, Model], str]]] = {
    Case: (Case.objects.visible_to, lambda user, case: case.get_absolute_url()),
    Wish: (Wish.objects.visible_to, _wish_url),
    Organization: (Organization.objects.visible_to, lambda user, org: org.get_absolute_url()),
    Forum: (Forum.objects.visible_to, lambda user, forum: forum.get_absolute_url()),
    Speech: (
        lambda user: Speech.objects.filter(forum__in=Forum.objects.visible_to(user)),
        lambda user, speech: speech.get_absolute_url(),
    ),
    EventSession: (
        lambda user: EventSession.objects.filter(event__in=Event.objects.managed_by(user)),
        lambda user, session: reverse("forums:event_manage", kwargs={"slug": session.event.slug}),
    ),
}


def target_url(user: User, notification: Notification) -> str:
    """The object's page, if the user may still see it; Http404 otherwise."""
    model = notification.content_type.model_class()
    if model not in TARGETS:
        raise Http404
    scoped, url = TARGETS[model]
    obj = scoped(user).filter(pk=notification.object_id).first()
    if obj is None:
        raise Http404
    return url(user, obj)
