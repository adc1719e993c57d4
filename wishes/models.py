"""Micro-wishes (微心愿): a resident's small wish, published without the resident's identity and
fulfilled by the partner unit or the person who claims it."""

from typing import Self

from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.history import HistoricalTrail
from caching.versions import InvalidatingQuerySet
from governance.models.cases import private_storage
from governance.models.organizations import Organization, Tier
from residents.models import ResidentialArea, Street, User


class WishCategory(models.TextChoices):
    DAILY_NECESSITIES = "daily_necessities", _("daily necessities")
    MOBILITY_AIDS = "mobility_aids", _("mobility aids")
    SMALL_REPAIRS = "small_repairs", _("small repairs")
    VISITS = "visits", _("visits and company")
    LEARNING = "learning", _("learning supplies")
    OTHER = "other", _("other")


class WishStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    PUBLISHED = "published", _("published")
    CLAIMED = "claimed", _("claimed")
    FULFILLED = "fulfilled", _("fulfilled")
    THANKED = "thanked", _("thanked")
    WITHDRAWN = "withdrawn", _("withdrawn")


WISH_TRANSITIONS: dict[str, set[str]] = {
    WishStatus.SUBMITTED: {WishStatus.PUBLISHED, WishStatus.WITHDRAWN},
    WishStatus.PUBLISHED: {WishStatus.CLAIMED, WishStatus.WITHDRAWN},
    WishStatus.CLAIMED: {WishStatus.FULFILLED, WishStatus.WITHDRAWN},
    WishStatus.FULFILLED: {WishStatus.THANKED},
    WishStatus.THANKED: set(),
    WishStatus.WITHDRAWN: set(),
}
# A wish in one of these may still be withdrawn; once fulfilled it stays in the record.
OPEN_STATUSES = [WishStatus.SUBMITTED, WishStatus.PUBLISHED, WishStatus.CLAIMED]
# What the wall shows to everyone.
PUBLIC_STATUSES = [
    WishStatus.PUBLISHED,
    WishStatus.CLAIMED,
    WishStatus.FULFILLED,
    WishStatus.THANKED,
]
# The words residents read on public pages, from the status code; staff pages keep the
# workflow's words (``get_status_display``).
PUBLIC_STATUS_LABELS = {
    WishStatus.PUBLISHED: _("looking for help"),
    WishStatus.CLAIMED: _("someone is helping"),
    WishStatus.FULFILLED: _("came true"),
    WishStatus.THANKED: _("came true, resident said thanks"),
}
# A wish in one of these has a claimer: exactly one partner unit or one named person.
CLAIMED_STATUSES = [WishStatus.CLAIMED, WishStatus.FULFILLED, WishStatus.THANKED]
# Fulfilled wishes, thanked or not: what counts for a partner unit.
DONE_STATUSES = [WishStatus.FULFILLED, WishStatus.THANKED]


class WishQuerySet(InvalidatingQuerySet["Wish"]):
    def public(self) -> Self:
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible_to(self, user: User) -> Self:
        """Public wishes for everyone; all wishes of the areas the user manages; and the wishes
        claimed by the units in which the user holds a current post."""
        in_scope = Q(status__in=PUBLIC_STATUSES)
        if user.is_authenticated and user.is_active:
            in_scope |= Q(area__in=ResidentialArea.objects.managed_by(user))
            if user.person_id:
                in_scope |= Q(claimed_by_organization__in=Organization.objects.held_by(user))
        return self.filter(in_scope)

    def managed_by(self, user: User) -> Self:
        """Area secretaries manage their areas' wishes, street staff their street's."""
        return self.filter(area__in=ResidentialArea.objects.managed_by(user))

    def claimable_by(self, user: User) -> Self:
        """Published wishes of the streets where the user holds a current post in a partner unit."""
        if not (user.is_authenticated and user.is_active and user.person_id):
            return self.none()
        units = Organization.objects.held_by(user).in_tier(Tier.N)
        return self.filter(status=WishStatus.PUBLISHED, street__in=units.values("street"))

    def claimed_by_units_of(self, user: User) -> Self:
        if not (user.is_authenticated and user.is_active and user.person_id):
            return self.none()
        return self.filter(claimed_by_organization__in=Organization.objects.held_by(user))

    def in_area(self, area: ResidentialArea) -> Self:
        return self.filter(area=area)

    def with_wall_data(self) -> Self:
        return self.select_related("area", "claimed_by_organization")

    def with_manage_data(self) -> Self:
        return self.select_related("area", "claimed_by_organization", "recorded_by")


def fulfilled_per_partner_unit(
    street: Street | None = None, area: ResidentialArea | None = None
) -> models.QuerySet[Organization]:
    """Partner units with how many wishes they claimed were fulfilled (thanked or not), most
    first; units with none are left out. Without a street: every street's units; with an area:
    that area's wishes only."""
    units = Organization.objects.in_tier(Tier.N)
    if street is not None:
        units = units.filter(street=street)
    done = Q(claimed_wishes__status__in=DONE_STATUSES)
    if area is not None:
        done &= Q(claimed_wishes__area=area)
    return (
        units.annotate(wishes_fulfilled=Count("claimed_wishes", filter=done))
        .filter(wishes_fulfilled__gt=0)
        .order_by("-wishes_fulfilled", "name")
    )


def wish_photo_path(wish: "Wish", filename: str) -> str:
    # The stored name never carries the uploader's file name (it may hold personal data).
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"wishes/{wish.pk}/{stamp}.{extension}"


class Wish(models.Model):
    """A resident's micro-wish, recorded by area staff on the resident's behalf."""

    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("street"),
        editable=False,
    )
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("residential area"),
    )
    category = models.CharField(_("category"), max_length=30, choices=WishCategory)
    title = models.CharField(
        _("public title"),
        max_length=80,
        help_text=_("Shown on the wish wall: nothing that identifies the resident."),
    )
    text = models.TextField(
        _("public text"),
        help_text=_("Shown on the wish wall: describe the wish without name, address or flat."),
    )
    wanted_by = models.DateField(_("wanted by"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=WishStatus,
        default=WishStatus.SUBMITTED,
        editable=False,
    )
    resident_name = models.CharField(_("resident's name (private)"), max_length=40)
    resident_phone = models.CharField(_("resident's phone (private)"), max_length=30, blank=True)
    resident_address = models.CharField(
        _("resident's address (private)"), max_length=200, blank=True
    )
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="recorded_wishes",
        verbose_name=_("recorded by"),
        editable=False,
    )
    claimed_by_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_wishes",
        verbose_name=_("claimed by partner unit"),
        editable=False,
    )
    claimed_by_name = models.CharField(
        _("claimed by person (private name)"), max_length=40, blank=True, editable=False
    )
    claimer_contact = models.CharField(
        _("claimer's phone (private)"), max_length=30, blank=True, editable=False
    )
    claimed_by_user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_wishes",
        verbose_name=_("claim recorded by"),
        editable=False,
    )
    fulfilment_note = models.TextField(_("fulfilment note"), blank=True, editable=False)
    fulfilment_photo = models.ImageField(
        _("fulfilment photo"),
        storage=private_storage,
        upload_to=wish_photo_path,
        blank=True,
        editable=False,
    )
    thanks_note = models.TextField(
        _("thanks (public)"),
        blank=True,
        editable=False,
        help_text=_("The resident's thanks, written without their identity."),
    )
    withdrawal_reason = models.CharField(
        _("reason for withdrawal"), max_length=200, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, editable=False)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True, editable=False)
    thanked_at = models.DateTimeField(_("thanked at"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = WishQuerySet.as_manager()
    # The tables keep the names they had when wishes were part of governance.
    history = HistoricalTrail(
        excluded_fields=["updated_at"], table_name="governance_historicalwish"
    )
    # The resident's and the claimer's contacts: the audit trail never shows them.
    personal_fields = frozenset(
        {
            "resident_name",
            "resident_phone",
            "resident_address",
            "claimed_by_name",
            "claimer_contact",
        }
    )

    class Meta:
        db_table = "governance_wish"
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=WishStatus.WITHDRAWN)
                | (~Q(withdrawal_reason="") & Q(withdrawn_at__isnull=False)),
                name="wish_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=CLAIMED_STATUSES)
                | (
                    Q(claimed_by_organization__isnull=False, claimed_by_name="")
                    | (Q(claimed_by_organization__isnull=True) & ~Q(claimed_by_name=""))
                )
                & Q(claimed_at__isnull=False),
                name="wish_claim_has_exactly_one_claimer",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CLAIMED_STATUSES)
                | Q(status=WishStatus.WITHDRAWN)
                | Q(claimed_by_organization__isnull=True, claimed_by_name="", claimer_contact=""),
                name="wish_unclaimed_has_no_claimer",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DONE_STATUSES)
                | (~Q(fulfilment_note="") & Q(fulfilled_at__isnull=False)),
                name="wish_fulfilment_has_note",
            ),
            models.CheckConstraint(
                condition=~Q(status=WishStatus.THANKED)
                | (~Q(thanks_note="") & Q(thanked_at__isnull=False)),
                name="wish_thanks_has_note",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES) | Q(published_at__isnull=False),
                name="wish_public_has_publication_time",
            ),
            models.CheckConstraint(
                condition=(Q(published_at__isnull=True) | Q(published_at__gte=F("created_at")))
                & (Q(claimed_at__isnull=True) | Q(claimed_at__gte=F("published_at")))
                & (Q(fulfilled_at__isnull=True) | Q(fulfilled_at__gte=F("claimed_at")))
                & (Q(thanked_at__isnull=True) | Q(thanked_at__gte=F("fulfilled_at"))),
                name="wish_steps_in_order",
            ),
        ]
        # The wall's filters: the public states by area, category or state, newest first.
        indexes = [
            # The staff list, newest first, of every state of the street's areas.
            models.Index(fields=["-created_at", "-id"], name="wish_created"),
            models.Index(fields=["status", "-created_at", "-id"], name="wish_status_created"),
            models.Index(
                fields=["area", "status", "-created_at", "-id"], name="wish_area_status_created"
            ),
            models.Index(
                fields=["category", "status", "-created_at", "-id"],
                name="wish_category_created",
            ),
            models.Index(
                fields=["claimed_by_organization", "status"],
                condition=Q(claimed_by_organization__isnull=False),
                name="wish_claimed_by_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("wishes:wish_detail", kwargs={"pk": self.pk})

    def get_manage_url(self) -> str:
        return reverse("wishes:wish_manage_detail", kwargs={"pk": self.pk})

    @property
    def public_label(self) -> str:
        """The status in a resident's words (正在征集, not 已发布)."""
        return str(PUBLIC_STATUS_LABELS.get(self.status, self.get_status_display()))

    @property
    def looks_for_help(self) -> bool:
        return self.status == WishStatus.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_claimed(self) -> bool:
        return self.status in CLAIMED_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in (WishStatus.SUBMITTED, WishStatus.PUBLISHED)

    def may_become(self, to: str) -> bool:
        return to in WISH_TRANSITIONS[self.status]
