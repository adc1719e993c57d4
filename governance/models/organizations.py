"""The 1+3+N structure of each residential area: organisations, posts and co-construction."""

import datetime
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.history import HistoricalTrail
from caching.versions import InvalidatingQuerySet
from residents.models import (
    BuildingGroup,
    Compound,
    Person,
    ResidentialArea,
    Street,
    User,
)


class OrganizationKind(models.TextChoices):
    PARTY = "party", _("party organisation")
    RESIDENTS_COMMITTEE = "residents_committee", _("residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("owners' committee")
    PROPERTY_COMPANY = "property_company", _("property company")
    REGIONAL_UNIT = "regional_unit", _("regional unit")
    SOCIAL_ORGANIZATION = "social_organization", _("social organisation")
    MASS_ORGANIZATION = "mass_organization", _("mass organisation")
    VOLUNTEER_TEAM = "volunteer_team", _("volunteer team")


class Tier(models.TextChoices):
    CORE = "1", _("1: the party organisation at the core")
    THREE = "3", _("3: the three carriages")
    N = "N", _("N: partner units")


TIER_BY_KIND: dict[str, Tier] = {
    OrganizationKind.PARTY: Tier.CORE,
    OrganizationKind.RESIDENTS_COMMITTEE: Tier.THREE,
    OrganizationKind.OWNERS_COMMITTEE: Tier.THREE,
    OrganizationKind.PROPERTY_COMPANY: Tier.THREE,
    OrganizationKind.REGIONAL_UNIT: Tier.N,
    OrganizationKind.SOCIAL_ORGANIZATION: Tier.N,
    OrganizationKind.MASS_ORGANIZATION: Tier.N,
    OrganizationKind.VOLUNTEER_TEAM: Tier.N,
}
KINDS_BY_TIER: dict[Tier, list[str]] = {
    tier: [kind.value for kind, kind_tier in TIER_BY_KIND.items() if kind_tier == tier]
    for tier in Tier
}
# Kinds that serve one compound for a term (owners' committee) or a contract (property company).
TERM_KINDS = [OrganizationKind.OWNERS_COMMITTEE.value, OrganizationKind.PROPERTY_COMPANY.value]


class TermState(models.TextChoices):
    NONE = "none", _("no term")
    VALID = "valid", _("valid")
    EXPIRING = (
        "expiring",
        format_lazy(_("expires within {days} days"), days=settings.TERM_EXPIRY_WARNING_DAYS),
    )
    EXPIRED = "expired", _("expired")


def _today() -> datetime.date:
    return timezone.localdate()


class OrganizationQuerySet(InvalidatingQuerySet["Organization"]):
    def visible_to(self, user: User) -> Self:
        """The 1+3+N structure is public; what is private lives on Person."""
        return self.all()

    def managed_by(self, user: User) -> Self:
        """Organisations of the areas the user works for, and street-level units of their street."""
        return self.filter(
            Q(area__in=ResidentialArea.objects.managed_by(user))
            | Q(area__isnull=True, street__in=Street.objects.managed_by(user))
        )

    def held_by(self, user: User) -> Self:
        """The organisations in which the user's person holds a current post."""
        if not (user.is_authenticated and user.person_id):
            return self.none()
        return self.filter(
            pk__in=Post.objects.current().filter(person_id=user.person_id).values("organization")
        )

    def available_to(self, area: ResidentialArea) -> Self:
        """Organisations that may be a party to the area's cases: its own and the street's."""
        return self.filter(Q(area=area) | Q(area__isnull=True, street_id=area.street_id))

    def in_tier(self, tier: Tier) -> Self:
        return self.filter(kind__in=KINDS_BY_TIER[Tier(tier)])

    def serving(self, area: ResidentialArea, on: datetime.date | None = None) -> Self:
        """The area's own organisations and the partners with a current agreement with it."""
        on = on or _today()
        agreements = Agreement.objects.current(on).filter(area=area, partner=OuterRef("pk"))
        return self.filter(Q(area=area) | Exists(agreements))

    def term_expiring(self, on: datetime.date | None = None) -> Self:
        on = on or _today()
        horizon = on + datetime.timedelta(days=settings.TERM_EXPIRY_WARNING_DAYS)
        return self.filter(term_end__gte=on, term_end__lte=horizon)

    def term_expired(self, on: datetime.date | None = None) -> Self:
        return self.filter(term_end__lt=on or _today())


class Organization(models.Model):
    """One party of the 1+3+N: its tier follows from its kind and is never entered."""

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("street")
    )
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("residential area"),
        help_text=_("Empty only for a partner unit that serves the whole street."),
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("compound"),
    )
    building_group = models.ForeignKey(
        BuildingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_groups",
        verbose_name=_("building group"),
        help_text=_("For a building party group only."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
        help_text=_("Party organisations nest: a branch under the general branch."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    term_start = models.DateField(_("term or contract start"), null=True, blank=True)
    term_end = models.DateField(_("term or contract end"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalTrail()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["street", "area", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="organization_name_unique"),
            models.CheckConstraint(
                condition=Q(area__isnull=False) | Q(kind__in=KINDS_BY_TIER[Tier.N]),
                name="organization_core_and_three_have_area",
            ),
            models.CheckConstraint(
                condition=Q(compound__isnull=False) | ~Q(kind__in=TERM_KINDS),
                name="organization_committee_and_property_have_compound",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, building_group__isnull=True)
                | Q(kind=OrganizationKind.PARTY),
                name="organization_only_party_nests",
            ),
            models.CheckConstraint(
                condition=Q(term_start__isnull=True, term_end__isnull=True)
                | Q(kind__in=TERM_KINDS),
                name="organization_term_only_for_committee_and_property",
            ),
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gt=F("term_start")),
                name="organization_term_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["area", "kind"]), models.Index(fields=["term_end"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:organization_detail", kwargs={"pk": self.pk})

    @property
    def tier(self) -> Tier:
        return TIER_BY_KIND[self.kind]

    @property
    def has_term(self) -> bool:
        return self.kind in TERM_KINDS

    @property
    def term_label(self) -> str:
        """An owners' committee is elected for a term; a property company serves under contract."""
        if self.kind == OrganizationKind.OWNERS_COMMITTEE:
            return _("Term")
        return _("Service contract")

    @property
    def term_warning_days(self) -> int:
        return settings.TERM_EXPIRY_WARNING_DAYS

    def term_state(self, on: datetime.date | None = None) -> TermState:
        """Whether the owners' committee term or property contract is valid, ending soon or over."""
        if not self.term_end:
            return TermState.NONE
        on = on or _today()
        if self.term_end < on:
            return TermState.EXPIRED
        if (self.term_end - on).days <= settings.TERM_EXPIRY_WARNING_DAYS:
            return TermState.EXPIRING
        return TermState.VALID

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.area_id and self.street_id and self.area.street_id != self.street_id:
            errors["area"] = ValidationError(
                _("The residential area must belong to the organisation's street."),
                code="area_outside_street",
            )
        if self.compound_id and self.compound.area_id != self.area_id:
            errors["compound"] = ValidationError(
                _("The compound must belong to the organisation's residential area."),
                code="compound_outside_area",
            )
        if self.building_group_id and self.building_group.compound.area_id != self.area_id:
            errors["building_group"] = ValidationError(
                _("The building group must belong to the organisation's residential area."),
                code="building_group_outside_area",
            )
        if self.parent_id:
            if self.parent_id == self.pk or self.parent.kind != OrganizationKind.PARTY:
                errors["parent"] = ValidationError(
                    _("The parent must be another party organisation."), code="invalid_parent"
                )
            elif self.parent.area_id != self.area_id:
                errors["parent"] = ValidationError(
                    _("The parent must be in the same residential area."),
                    code="parent_outside_area",
                )
        if self.kind and self.kind not in TERM_KINDS and (self.term_start or self.term_end):
            errors["term_end"] = ValidationError(
                _("Only an owners' committee or a property company has a term or contract."),
                code="term_not_allowed",
            )
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            errors["term_end"] = ValidationError(
                _("The term must end after it starts."), code="term_ends_before_start"
            )
        if errors:
            raise ValidationError(errors)


class PostTitle(models.TextChoices):
    SECRETARY = "secretary", _("secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("committee member")
    DIRECTOR = "director", _("director")
    DEPUTY_DIRECTOR = "deputy_director", _("deputy director")
    PROJECT_MANAGER = "project_manager", _("project manager")
    GROUP_LEADER = "group_leader", _("group leader")
    LIAISON = "liaison", _("liaison")
    MEMBER = "member", _("member")


class PostQuerySet(InvalidatingQuerySet["Post"]):
    def visible_to(self, user: User) -> Self:
        """Who holds which post (name and title) is public; contacts stay on Person."""
        return self.all()

    def managed_by(self, user: User) -> Self:
        return self.filter(organization__in=Organization.objects.managed_by(user))

    def current(self, on: datetime.date | None = None) -> Self:
        """Posts started on or before the day and not ended before it (the end day is the last)."""
        on = on or _today()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)

    def cross_appointments(self, on: datetime.date | None = None) -> Self:
        """Current posts in the core or the three carriages held by people who hold current posts
        both in their area's party organisation and in one of its three carriages."""
        on = on or _today()
        same_person_and_area = Post.objects.current(on).filter(
            person=OuterRef("person"), organization__area=OuterRef("organization__area")
        )
        return (
            self.current(on)
            .filter(organization__kind__in=KINDS_BY_TIER[Tier.CORE] + KINDS_BY_TIER[Tier.THREE])
            .filter(
                Exists(
                    same_person_and_area.filter(organization__kind__in=KINDS_BY_TIER[Tier.CORE])
                ),
                Exists(
                    same_person_and_area.filter(organization__kind__in=KINDS_BY_TIER[Tier.THREE])
                ),
            )
        )


class Post(models.Model):
    """A person's post in an organisation (任职), from a date to a date."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="posts", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="posts", verbose_name=_("organisation")
    )
    title = models.CharField(pgettext_lazy("post", "title"), max_length=30, choices=PostTitle)
    part_time = models.BooleanField(_("part-time"), default=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("The last day in the post.")
    )

    objects = PostQuerySet.as_manager()
    history = HistoricalTrail()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["organization", "title", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="post_ends_on_or_after_start",
            ),
        ]
        indexes = [models.Index(fields=["person", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.organization} · {self.get_title_display()}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or _today()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {
                    "end_date": ValidationError(
                        _("A post cannot end before it starts."), code="post_ends_before_start"
                    )
                }
            )
        if (
            self.person_id
            and self.organization_id
            and self.person.street_id != self.organization.street_id
        ):
            raise ValidationError(
                {
                    "person": ValidationError(
                        _("The person must be registered in the organisation's street."),
                        code="person_outside_street",
                    )
                }
            )


class AgreementQuerySet(InvalidatingQuerySet["Agreement"]):
    def visible_to(self, user: User) -> Self:
        """Co-construction agreements are published."""
        return self.all()

    def managed_by(self, user: User) -> Self:
        return self.filter(area__in=ResidentialArea.objects.managed_by(user))

    def current(self, on: datetime.date | None = None) -> Self:
        on = on or _today()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class Agreement(models.Model):
    """A co-construction agreement (党建联建) between a partner unit and a residential area."""

    partner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("partner unit"),
    )
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("residential area"),
    )
    title = models.CharField(_("title"), max_length=120)
    partner_offers = models.TextField(_("what the partner offers"))
    area_offers = models.TextField(_("what the area offers"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = AgreementQuerySet.as_manager()
    history = HistoricalTrail()

    class Meta:
        verbose_name = _("co-construction agreement")
        verbose_name_plural = _("co-construction agreements")
        ordering = ["area", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="agreement_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["partner", "area", "start_date"], name="agreement_unique_per_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or _today()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.partner_id and self.partner.tier != Tier.N:
            errors["partner"] = ValidationError(
                _("Only a partner unit (the N) signs a co-construction agreement."),
                code="partner_not_n",
            )
        elif self.partner_id and self.area_id and self.partner.street_id != self.area.street_id:
            errors["partner"] = ValidationError(
                _("The partner unit must belong to the area's street."),
                code="partner_outside_street",
            )
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = ValidationError(
                _("The agreement must end after it starts."), code="agreement_ends_before_start"
            )
        if errors:
            raise ValidationError(errors)


class SubqueryCount(Subquery):
    """The number of rows a subquery returns, as an integer annotation."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = models.IntegerField()


def with_structure_figures(
    areas: models.QuerySet[ResidentialArea], on: datetime.date | None = None
) -> models.QuerySet[ResidentialArea]:
    """Annotate areas with their compounds, their organisations per tier (partners with a current
    agreement count among the N) and the number of cross-appointed people."""
    on = on or _today()
    # Without the models' default orders: a count needs none, and they join the street.
    own = Organization.objects.filter(area=OuterRef("pk")).order_by().values("pk")
    agreement_with_area = Agreement.objects.current(on).filter(
        area=OuterRef(OuterRef("pk")), partner=OuterRef("pk")
    )
    partners = (
        Organization.objects.in_tier(Tier.N)
        .filter(Q(area=OuterRef("pk")) | Exists(agreement_with_area))
        .order_by()
        .values("pk")
    )
    cross_people = (
        Post.objects.cross_appointments(on)
        .filter(organization__area=OuterRef("pk"))
        .order_by()
        .values("person")
        .distinct()
    )
    return areas.annotate(
        compound_count=SubqueryCount(
            Compound.objects.filter(area=OuterRef("pk")).order_by().values("pk")
        ),
        core_count=SubqueryCount(own.filter(kind__in=KINDS_BY_TIER[Tier.CORE])),
        three_count=SubqueryCount(own.filter(kind__in=KINDS_BY_TIER[Tier.THREE])),
        n_count=SubqueryCount(partners),
        cross_appointment_count=SubqueryCount(cross_people),
    )
