"""The sentence each kind of notification reads as, in the language active when it is shown.

Parameters are the case number, area, organisation, wish, speech, forum and event titles and
dates: what staff see on the portal anyway, never a resident's name, phone or address."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.models import Channel, PartyRole

MESSAGES = {
    "case_party_added": _(
        "%(organization)s is now the %(role)s party of case %(number)s (%(area)s)."
    ),
    "case_updated": _("Case %(number)s (%(area)s) has a new update from %(party)s."),
    "case_resolved": _("Case %(number)s (%(area)s) was resolved."),
    "case_reopened": _("Case %(number)s (%(area)s) was reopened."),
    "case_due_soon": _("Case %(number)s (%(area)s) is due on %(due)s."),
    "case_overdue": _("Case %(number)s (%(area)s) is overdue: it was due on %(due)s."),
    "case_logged": _("Case %(number)s was logged in %(area)s (channel: %(channel)s)."),
    "follow_up_due": _(
        "Case %(number)s (%(area)s) was resolved on %(resolved)s: a follow-up with the "
        "resident is due."
    ),
    "wish_claimed": _("The wish “%(title)s” (%(area)s) was claimed."),
    "wish_fulfilled": _("The wish “%(title)s” (%(area)s) was fulfilled."),
    "term_expiring": _("The term or contract of %(organization)s (%(area)s) ends on %(end)s."),
    "speech_review": _("Your speech “%(title)s” at “%(forum)s” waits for your review."),
    "forum_approval": _("The forum “%(forum)s” waits for approval."),
    "session_full": _("The session of %(start)s of “%(event)s” is full."),
    "waitlist_grew": _("Someone joined the waitlist of the session of %(start)s of “%(event)s”."),
}
# Parameters stored as a choice's value and shown as its label in the reader's language.
CHOICES = {"role": PartyRole, "channel": Channel}


def render(kind: str, params: dict) -> str:
    values = {}
    for name, value in params.items():
        choices = CHOICES.get(name)
        values[name] = str(choices(value).label) if choices and value in choices.values else value
    if kind == "case_updated" and not values.get("party"):
        values["party"] = gettext("the area's staff")
    try:
        return str(MESSAGES[kind]) % values
    except (KeyError, ValueError, TypeError):
        return str(MESSAGES.get(kind, kind))
