"""What the wishes tell people about: the one-line hook the wish services call inside their own
transaction, and, registered with inbox, the sentence each kind reads as and where a notification
about a wish leads."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from governance import audiences
from inbox.models import Kind
from inbox.registry import register_target, register_text
from inbox.services import notify
from residents.models import User
from wishes.models import Wish
from wishes.permissions import wish_rights


def wish_moved(*, wish: Wish, actor: User, at=None) -> None:
    """A wish of the area was claimed or fulfilled: the area's secretaries are told."""
    kind = {"claimed": Kind.WISH_CLAIMED, "fulfilled": Kind.WISH_FULFILLED}[wish.status]
    notify(
        kind=kind,
        about=wish,
        recipients=audiences.area_secretaries(wish.area_id),
        params={"title": wish.title, "area": wish.area.name},
        actor=actor,
        at=at,
    )


# What the inbox shows: each kind's sentence and the page a notification leads to.

register_text(Kind.WISH_CLAIMED, _("The wish “%(title)s” (%(area)s) was claimed."))
register_text(Kind.WISH_FULFILLED, _("The wish “%(title)s” (%(area)s) was fulfilled."))


def _wish_url(user: User, wish: Wish) -> str:
    rights = wish_rights(user, wish)
    if not (rights.manage or rights.claim or rights.fulfil):
        raise Http404
    return wish.get_manage_url()


register_target(Wish, Wish.objects.visible_to, url=_wish_url)
