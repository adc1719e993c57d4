"""Where a notification leads, checked again with the queryset the object's own page uses:
what the user may no longer see is a 404, as on that page. The apps register their targets
(``inbox.registry.register_target``)."""

from django.contrib.auth import get_user_model
from django.http import Http404

from inbox import registry
from inbox.models import Notification

User = get_user_model()


def target_url(user: User, notification: Notification) -> str:
    """The object's page, if the user may still see it; Http404 otherwise."""
    target = registry.targets.get(notification.content_type.model_class())
    if target is None:
        raise Http404
    obj = target.scoped(user).filter(pk=notification.object_id).first()
    if obj is None:
        raise Http404
    return target.url(user, obj)
