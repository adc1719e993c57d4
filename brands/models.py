"""Party-building brands (党建品牌): "one branch, one brand", a named programme of an area with
its actions in order and the activities done under it."""

import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.history import HistoricalTrail
from caching.versions import InvalidatingQuerySet
from governance.models.cases import private_storage
from governance.models.organizations import Organization, OrganizationKind
from residents.models import ResidentialArea, User


def brand_photo_path(activity: "BrandActivity", filename: str) -> str:
    return f"brand-photos/{activity.brand_id}/{filename}"


class BrandQuerySet(InvalidatingQuerySet["Brand"]):
    def visible_to(self, user: User) -> Self:
        """Public brands for everyone; a brand not yet public only to those who manage its area."""
        return self.filter(Q(is_public=True) | Q(area__in=ResidentialArea.objects.managed_by(user)))

    def managed_by(self, user: User) -> Self:
        return self.filter(area__in=ResidentialArea.objects.managed_by(user))

    def with_list_data(self) -> Self:
        return self.select_related("area__street").prefetch_related("actions")

    def with_page_data(self) -> Self:
        """The brand with its area and party organisation, and each action's activity count."""
        return self.select_related("area__street", "organization").prefetch_related(
            Prefetch(
                "actions",
                queryset=BrandAction.objects.annotate(activity_count=Count("activities")),
            )
        )


class Brand(models.Model):
    """A brand programme of a residential area, owned by one of its party organisations."""

    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        related_name="brands",
        verbose_name=_("residential area"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brands",
        limit_choices_to={"kind": OrganizationKind.PARTY},
        verbose_name=_("party organisation"),
        help_text=_("The party organisation of the area that carries the brand."),
    )
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(
        _("slug"), max_length=60, unique=True, help_text=_("Used in the page address.")
    )
    motto = models.CharField(
        _("motto"), max_length=120, help_text=_("One line that says what the brand stands for.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Plain text; an empty line starts a paragraph.")
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown to residents on the brand pages.")
    )

    objects = BrandQuerySet.as_manager()
    # The tables keep the names they had when brands were part of governance.
    history = HistoricalTrail(table_name="governance_historicalbrand")

    class Meta:
        db_table = "governance_brand"
        verbose_name = _("party-building brand")
        verbose_name_plural = _("party-building brands")
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="brand_name_unique_in_area"),
            # 一支部一品牌: one brand per party organisation.
            models.UniqueConstraint(fields=["organization"], name="brand_one_per_organization"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("brands:brand_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.organization_id and self.area_id:
            if self.organization.kind != OrganizationKind.PARTY:
                raise ValidationError(
                    {
                        "organization": ValidationError(
                            _("A brand is carried by a party organisation."),
                            code="organization_not_party",
                        )
                    }
                )
            if self.organization.area_id != self.area_id:
                raise ValidationError(
                    {
                        "organization": ValidationError(
                            _("The party organisation must belong to the brand's area."),
                            code="organization_outside_area",
                        )
                    }
                )


class BrandActionQuerySet(InvalidatingQuerySet["BrandAction"]):
    def visible_to(self, user: User) -> Self:
        return self.filter(brand__in=Brand.objects.visible_to(user))

    def managed_by(self, user: User) -> Self:
        return self.filter(brand__in=Brand.objects.managed_by(user))


class BrandAction(models.Model):
    """One of a brand's actions (e.g. 和谐美), in the brand's own order."""

    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="actions", verbose_name=_("brand")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=30)
    description = models.TextField(_("description"), blank=True)

    objects = BrandActionQuerySet.as_manager()

    class Meta:
        db_table = "governance_brandaction"
        verbose_name = _("brand action")
        verbose_name_plural = _("brand actions")
        ordering = ["brand", "order"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "order"], name="brand_action_order_unique"),
            models.UniqueConstraint(fields=["brand", "name"], name="brand_action_name_unique"),
            models.CheckConstraint(condition=Q(order__gte=1), name="brand_action_order_positive"),
        ]

    def __str__(self) -> str:
        return self.name


def _today() -> datetime.date:
    return timezone.localdate()


class BrandActivityQuerySet(InvalidatingQuerySet["BrandActivity"]):
    def visible_to(self, user: User) -> Self:
        return self.filter(brand__in=Brand.objects.visible_to(user))

    def managed_by(self, user: User) -> Self:
        return self.filter(brand__area__in=ResidentialArea.objects.managed_by(user))

    def newest_first(self) -> Self:
        return self.order_by("-date", "-pk")


class BrandActivity(models.Model):
    """Something done under a brand, on a day, optionally under one of its actions."""

    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="activities", verbose_name=_("brand")
    )
    action = models.ForeignKey(
        BrandAction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("action"),
    )
    date = models.DateField(_("date"), default=_today)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), blank=True)
    photo = models.ImageField(
        _("photo"), storage=private_storage, upload_to=brand_photo_path, blank=True
    )
    photo_alt = models.CharField(
        _("photo description"),
        max_length=200,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = BrandActivityQuerySet.as_manager()
    history = HistoricalTrail(table_name="governance_historicalbrandactivity")

    class Meta:
        db_table = "governance_brandactivity"
        verbose_name = _("brand activity")
        verbose_name_plural = _("brand activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""),
                name="brand_activity_photo_has_description",
                violation_error_code="photo_needs_description",
                violation_error_message=_("Describe what the photo shows."),
            ),
        ]
        indexes = [models.Index(fields=["brand", "-date"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.action_id and self.brand_id and self.action.brand_id != self.brand_id:
            raise ValidationError(
                {
                    "action": ValidationError(
                        _("The action must be one of the brand's own."),
                        code="action_outside_brand",
                    )
                }
            )
