"""What governance tells people about, registered with inbox: where a notification about a
case, a wish or an organisation leads."""

from django.http import Http404

from governance.models import Case, Organization, Wish
from governance.permissions import wish_rights
from inbox.registry import register_target
from residents.models import User


def _wish_url(user: User, wish: Wish) -> str:
    rights = wish_rights(user, wish)
    if not (rights.manage or rights.claim or rights.fulfil):
        raise Http404
    return wish.get_manage_url()


register_target(Case, Case.objects.visible_to)
register_target(Wish, Wish.objects.visible_to, url=_wish_url)
register_target(Organization, Organization.objects.visible_to)
