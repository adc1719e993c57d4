"""What governance tells people about: the one-line hooks the case services call inside their own
transaction, and, registered with inbox, the sentence each kind reads as, where a notification
about a case or an organisation leads, and the reminders of the day."""

from django.utils.translation import gettext_lazy as _

from governance import audiences, reminders
from governance.models import Case, CaseUpdate, Channel, Organization, PartyRole
from governance.permissions import user_organizations
from inbox.models import Kind
from inbox.registry import register_reminder, register_target, register_text
from inbox.services import notify
from residents.models import User

# Hooks: each is one line in the service whose change it tells.


def _case_params(case: Case) -> dict:
    return {"number": case.number, "area": case.area.name}


def case_party_set(*, case: Case, organization_id: int, role: str, actor: User, at=None) -> None:
    """An organisation was made lead or assisting party: its people are told."""
    organization = Organization.objects.only("name").get(pk=organization_id)
    notify(
        kind=Kind.CASE_PARTY_ADDED,
        about=case,
        recipients=audiences.organization_people([organization_id]),
        params={**_case_params(case), "organization": organization.name, "role": role},
        actor=actor,
        at=at,
    )


def case_updated(*, update: CaseUpdate) -> None:
    """Another party reported on a case: every other party's people are told. An update that
    names no party counts as one by the author's own organisation among the parties, if any."""
    case = update.case
    party = update.party
    if party is None:
        held = case.parties.filter(organization__in=user_organizations(update.author))
        party = next((p.organization for p in held.select_related("organization")[:1]), None)
    notify(
        kind=Kind.CASE_UPDATED,
        about=case,
        recipients=audiences.case_people(case, exclude_organization_id=party and party.pk),
        params={**_case_params(case), "party": party.name if party else ""},
        actor=update.author,
        at=update.created_at,
    )


def case_transitioned(*, case: Case, to: str, actor: User, at=None) -> None:
    """A case was resolved or reopened: its parties' people are told."""
    kind = {"resolved": Kind.CASE_RESOLVED, "reopened": Kind.CASE_REOPENED}.get(str(to))
    if kind is not None:
        notify(
            kind=kind,
            about=case,
            recipients=audiences.case_people(case),
            params=_case_params(case),
            actor=actor,
            at=at,
        )


def case_logged(*, case: Case, actor: User) -> None:
    """A case was logged in an area by someone else: the area's secretaries are told."""
    notify(
        kind=Kind.CASE_LOGGED,
        about=case,
        recipients=audiences.area_secretaries(case.area_id),
        params={**_case_params(case), "channel": case.channel},
        actor=actor,
        at=case.created_at,
    )


# What the inbox shows: each kind's sentence, the page a notification leads to, and the
# reminders send_reminders sends, in this order.

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
register_text(
    Kind.TERM_EXPIRING,
    _("The term or contract of %(organization)s (%(area)s) ends on %(end)s."),
)


register_target(Case, Case.objects.visible_to)
register_target(Organization, Organization.objects.visible_to)

register_reminder("due in two days", reminders.due_soon)
register_reminder("overdue", reminders.overdue)
register_reminder("follow-ups due", reminders.follow_ups_due)
register_reminder("terms and contracts expiring", reminders.terms_expiring)
