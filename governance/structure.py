"""Read models of the 1+3+N structure: what the area page and the street overview show."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from governance.models import (
    Agreement,
    Organization,
    OrganizationKind,
    Post,
    PostTitle,
    TermState,
    Tier,
    with_structure_figures,
)
from residents.models import ResidentialArea, Street

_TITLE_ORDER = {title: index for index, title in enumerate(PostTitle.values)}


@dataclass
class AreaStructure:
    """An area's organisations by tier, each with ``current_posts``, and its cross-appointments."""

    area: ResidentialArea
    core: list[Organization] = field(default_factory=list)
    three: list[Organization] = field(default_factory=list)
    partners: list[Organization] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    cross_appointed_ids: set[int] = field(default_factory=set)
    cross_appointed_posts: list[Post] = field(default_factory=list)

    @property
    def residents_committees(self) -> list[Organization]:
        return [org for org in self.three if org.kind == OrganizationKind.RESIDENTS_COMMITTEE]

    @property
    def compound_bodies(self) -> list[Organization]:
        """Owners' committees and property companies: they serve a compound each."""
        return [org for org in self.three if org.kind != OrganizationKind.RESIDENTS_COMMITTEE]

    @property
    def cross_appointment_count(self) -> int:
        return len(self.cross_appointed_ids)


def area_structure(area: ResidentialArea, on: datetime.date | None = None) -> AreaStructure:
    """Everything the area diagram shows, in a fixed number of queries whatever the posts."""
    on = on or timezone.localdate()
    current_posts = Post.objects.current(on).select_related("person")
    organizations = (
        Organization.objects.serving(area, on)
        .select_related("compound", "building_group", "parent")
        .prefetch_related(Prefetch("posts", queryset=current_posts, to_attr="current_posts"))
        .order_by("name")
    )
    cross_posts = list(
        Post.objects.filter(organization__area=area)
        .cross_appointments(on)
        .select_related("person", "organization")
        .order_by("person__name", "organization__kind")
    )
    cross_ids = {post.person_id for post in cross_posts}
    structure = AreaStructure(
        area=area,
        agreements=list(Agreement.objects.current(on).filter(area=area).select_related("partner")),
        cross_appointed_ids=cross_ids,
        cross_appointed_posts=cross_posts,
    )
    for organization in organizations:
        organization.current_posts.sort(key=lambda post: (_TITLE_ORDER[post.title], post.pk))
        for post in organization.current_posts:
            post.is_cross_appointment = post.person_id in cross_ids
        {Tier.CORE: structure.core, Tier.THREE: structure.three, Tier.N: structure.partners}[
            organization.tier
        ].append(organization)
    # The general branch first, its branches and building party groups after it.
    structure.core.sort(key=lambda org: (org.parent_id is not None, org.name))
    structure.three.sort(key=lambda org: (org.compound_id or 0, org.kind, org.name))
    return structure


@dataclass
class StreetOverview:
    street: Street
    areas: list[ResidentialArea]
    expiring: list[Organization]
    expired: list[Organization]

    @property
    def areas_without_cross_appointment(self) -> list[ResidentialArea]:
        return [area for area in self.areas if area.cross_appointment_count == 0]

    @property
    def totals(self) -> dict[str, int]:
        figures = ["compound_count", "core_count", "three_count", "n_count"]
        totals = {figure: sum(getattr(area, figure) for area in self.areas) for figure in figures}
        totals["cross_appointment_count"] = sum(a.cross_appointment_count for a in self.areas)
        return totals


def street_overviews(
    streets: QuerySet[Street], on: datetime.date | None = None
) -> list[StreetOverview]:
    """Figures per street and area, and the terms and contracts that need attention."""
    on = on or timezone.localdate()
    streets = list(streets)
    areas = list(with_structure_figures(ResidentialArea.objects.filter(street__in=streets), on))
    horizon = on + datetime.timedelta(days=settings.TERM_EXPIRY_WARNING_DAYS)
    attention = list(
        Organization.objects.filter(street__in=streets, term_end__lte=horizon)
        .select_related("area", "compound")
        .order_by("term_end", "name")
    )
    return [
        StreetOverview(
            street=street,
            areas=[area for area in areas if area.street_id == street.pk],
            expiring=[
                o
                for o in attention
                if o.street_id == street.pk and o.term_state(on) == TermState.EXPIRING
            ],
            expired=[
                o
                for o in attention
                if o.street_id == street.pk and o.term_state(on) == TermState.EXPIRED
            ],
        )
        for street in streets
    ]
