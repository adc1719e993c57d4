"""What governance tells people about, registered with inbox: the sentence each kind about a
case, a wish or an organisation reads as, and where its notification leads."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from governance.models import Case, Channel, Organization, PartyRole, Wish
from governance.permissions import wish_rights
from inbox.models import Kind
from inbox.registry import register_target, register_text
from residents.models import User

register_text(
    Kind.CASE_PARTY_ADDED,
    _("%(organization)s is now the %(role)s party of case %(number)s (%(area)s)."),
    choices={"role": PartyRole},
)
register_text(
    Kind.CASE_UPDATED,
    _("Case %(number)s (%(area)s) has a new update from %(party)s."),
    defaults={"party": _("the area's staff")},
)
register_text(Kind.CASE_RESOLVED, _("Case %(number)s (%(area)s) was resolved."))
register_text(Kind.CASE_REOPENED, _("Case %(number)s (%(area)s) was reopened."))
register_text(Kind.CASE_DUE_SOON, _("Case %(number)s (%(area)s) is due on %(due)s."))
register_text(Kind.CASE_OVERDUE, _("Case %(number)s (%(area)s) is overdue: it was due on %(due)s."))
register_text(
    Kind.CASE_LOGGED,
    _("Case %(number)s was logged in %(area)s (channel: %(channel)s)."),
    choices={"channel": Channel},
)
register_text(
    Kind.FOLLOW_UP_DUE,
    _(
        "Case %(number)s (%(area)s) was resolved on %(resolved)s: a follow-up with the "
        "resident is due."
    ),
)
register_text(Kind.WISH_CLAIMED, _("The wish “%(title)s” (%(area)s) was claimed."))
register_text(Kind.WISH_FULFILLED, _("The wish “%(title)s” (%(area)s) was fulfilled."))
register_text(
    Kind.TERM_EXPIRING,
    _("The term or contract of %(organization)s (%(area)s) ends on %(end)s."),
)


def _wish_url(user: User, wish: Wish) -> str:
    rights = wish_rights(user, wish)
    if not (rights.manage or rights.claim or rights.fulfil):
        raise Http404
    return wish.get_manage_url()


register_target(Case, Case.objects.visible_to)
register_target(Wish, Wish.objects.visible_to, url=_wish_url)
register_target(Organization, Organization.objects.visible_to)
