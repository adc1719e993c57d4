from functools import cached_property

from django.http import HttpRequest

from inbox.models import Notification


class UnreadNotifications:
    """The unread count beside the inbox link: one indexed count, made only when a page shows
    it and only once per page; never cached across requests."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        return Notification.objects.for_user(self.user).unread().count()


def unread_count(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": UnreadNotifications(user)}
