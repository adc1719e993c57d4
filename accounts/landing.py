"""Where a login lands: on its work, unless it asked for a page of this site."""

from django.urls import reverse

from inbox.models import Notification
from residents.models import Role, User


def landing_url(user: User) -> str:
    """Street staff and superusers land on the dashboard; an area secretary or a partner-unit
    liaison on the inbox while it holds unread notifications, else on the case workbench;
    any other login on the home page."""
    if user.is_street_staff:
        return reverse("reports:dashboard")
    if user.role in (Role.AREA_STAFF, Role.PARTNER_LIAISON):
        if Notification.objects.for_user(user).unread().exists():
            return reverse("inbox:inbox")
        return reverse("governance:case_list")
    return reverse("home")
