"""Read models of the 1+3+N structure: what the area page and the street overview show."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    KINDS_BY_TIER,
    TIER_BY_KIND,
    Agreement,
    Organization,
    OrganizationKind,
    Post,
    PostTitle,
    TermState,
    Tier,
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


def _label(choices: type[models.TextChoices], value: str) -> str:
    """What ``get_<field>_display()`` shows, without translating every choice to find it (it
    hashes each lazy label of the field's choices)."""
    try:
        return choices(value).label
    except ValueError:
        return value


def area_structure(area: ResidentialArea, on: datetime.date | None = None) -> AreaStructure:
    """Everything the area diagram shows, in three queries whatever the posts: the
    organisations, their current posts (the cross-appointments are found among them) and the
    agreements (their partners are among the organisations)."""
    on = on or timezone.localdate()
    agreements = list(Agreement.objects.current(on).filter(area=area).order_by("-start_date"))
    # The organisations serving the area (``Organization.objects.serving``): its own and the
    # partners of those agreements, named in a list, cheaper to build than an EXISTS.
    partner_ids = sorted({agreement.partner_id for agreement in agreements})
    organizations = list(
        Organization.objects.filter(Q(area=area) | Q(pk__in=partner_ids))
        .select_related("compound", "building_group")
        .order_by("name")
    )
    by_pk = {organization.pk: organization for organization in organizations}
    posts = (
        list(
            Post.objects.current(on)
            .filter(organization__in=list(by_pk))
            .select_related("person")
            .order_by("person__name", "organization__kind", "pk")
        )
        if by_pk
        else []
    )
    # Cross-appointed: a current post in the area's party organisation and one in its three.
    holders: dict[str, set[int]] = {Tier.CORE: set(), Tier.THREE: set()}
    own_posts = []
    for organization in organizations:
        organization.current_posts = []
        organization.kind_label = _label(OrganizationKind, organization.kind)
    for post in posts:
        post.title_label = _label(PostTitle, post.title)
        organization = post.organization = by_pk[post.organization_id]
        organization.current_posts.append(post)
        if organization.area_id == area.pk and organization.tier != Tier.N:
            holders[organization.tier].add(post.person_id)
            own_posts.append(post)
    cross_ids = holders[Tier.CORE] & holders[Tier.THREE]
    for agreement in agreements:
        agreement.partner = by_pk[agreement.partner_id]
    structure = AreaStructure(
        area=area,
        agreements=agreements,
        cross_appointed_ids=cross_ids,
        cross_appointed_posts=[post for post in own_posts if post.person_id in cross_ids],
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


def areas_with_figures(
    areas: QuerySet[ResidentialArea], on: datetime.date
) -> list[ResidentialArea]:
    """The areas with the figures of ``with_structure_figures`` (compounds, organisations per
    tier, partners with a current agreement among the N, cross-appointed people), from grouped
    queries: far cheaper to build and to run than a correlated subquery per area and figure.
    The areas are read ``with_compound_count()``; each also gets its address as ``url``."""
    return _areas_with_figures(areas, on)[0]


def _areas_with_figures(
    areas: QuerySet[ResidentialArea], on: datetime.date
) -> tuple[list[ResidentialArea], dict[int, datetime.date]]:
    """``areas_with_figures``, and the term or contract end of each of the areas'
    organisations that has one, read with the figures. The areas come with their
    ``compound_count`` (``ResidentialAreaQuerySet.with_compound_count``)."""
    areas = list(areas)
    ids = [area.pk for area in areas]
    tiers = {area.pk: Counter() for area in areas}
    partners: dict[int, set[int]] = {area.pk: set() for area in areas}
    term_ends: dict[int, datetime.date] = {}
    organizations = Organization.objects.filter(area__in=ids).order_by()
    for area_id, kind, pk, term_end in organizations.values_list("area", "kind", "pk", "term_end"):
        if term_end:
            term_ends[pk] = term_end
        if TIER_BY_KIND[kind] == Tier.N:
            partners[area_id].add(pk)
        else:
            tiers[area_id][TIER_BY_KIND[kind]] += 1
    agreements = (
        Agreement.objects.current(on)
        .filter(area__in=ids, partner__kind__in=KINDS_BY_TIER[Tier.N])
        .order_by()
        .values_list("area", "partner")
    )
    for area_id, partner_id in agreements:
        partners[area_id].add(partner_id)
    # Who holds a current post in the party organisation, and who in the three carriages.
    holders: dict[tuple[int, str], set[int]] = defaultdict(set)
    posts = (
        Post.objects.current(on)
        .filter(
            organization__area__in=ids,
            organization__kind__in=KINDS_BY_TIER[Tier.CORE] + KINDS_BY_TIER[Tier.THREE],
        )
        .order_by()
        .values_list("organization__area", "organization__kind", "person")
        .distinct()
    )
    for area_id, kind, person_id in posts:
        holders[area_id, TIER_BY_KIND[kind]].add(person_id)
    # One reverse() for every area's address: an ASCII slug needs no quoting in a path.
    head, tail = reverse("governance:area_detail", kwargs={"slug": "slug"}).rsplit("slug", 1)
    for area in areas:
        area.url = f"{head}{area.slug}{tail}" if area.slug.isascii() else area.get_absolute_url()
        area.core_count = tiers[area.pk][Tier.CORE]
        area.three_count = tiers[area.pk][Tier.THREE]
        area.n_count = len(partners[area.pk])
        area.cross_appointment_count = len(
            holders[area.pk, Tier.CORE] & holders[area.pk, Tier.THREE]
        )
    return areas, term_ends


@dataclass
class StreetOverview:
    street: Street
    areas: list[ResidentialArea]
    expiring: list[Organization]
    expired: list[Organization]

    @cached_property
    def areas_without_cross_appointment(self) -> list[ResidentialArea]:
        return [area for area in self.areas if area.cross_appointment_count == 0]

    @cached_property
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
    # Ordered by id, without joining the street for its name: each street takes its own areas.
    areas, term_ends = _areas_with_figures(
        ResidentialArea.objects.filter(street__in=streets).with_compound_count().order_by("pk"), on
    )
    horizon = on + datetime.timedelta(days=settings.TERM_EXPIRY_WARNING_DAYS)
    # Only owners' committees and property companies have terms, and each serves a compound of
    # one of these areas: their ends came with the figures, so most days need no query here.
    due = sorted(pk for pk, term_end in term_ends.items() if term_end <= horizon)
    attention = (
        list(
            Organization.objects.filter(pk__in=due, street__in=streets)
            .select_related("area")
            .order_by("term_end", "name")
        )
        if due
        else []
    )
    states = {organization.pk: organization.term_state(on) for organization in attention}
    return [
        StreetOverview(
            street=street,
            areas=[area for area in areas if area.street_id == street.pk],
            expiring=[
                o
                for o in attention
                if o.street_id == street.pk and states[o.pk] == TermState.EXPIRING
            ],
            expired=[
                o
                for o in attention
                if o.street_id == street.pk and states[o.pk] == TermState.EXPIRED
            ],
        )
        for street in streets
    ]
