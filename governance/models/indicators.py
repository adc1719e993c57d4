"""Counted targets of an area or compound (治理指标), e.g. LPG cylinders down to zero."""

from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from caching.versions import InvalidatingQuerySet
from residents.models import Compound, ResidentialArea, User


class IndicatorQuerySet(InvalidatingQuerySet["Indicator"]):
    def visible_to(self, user: User) -> Self:
        """Indicators are published figures of the areas."""
        return self.all()

    def managed_by(self, user: User) -> Self:
        return self.filter(area__in=ResidentialArea.objects.managed_by(user))

    def with_latest_reading(self) -> Self:
        """Annotate the latest reading's value and date (None before the first reading)."""
        latest = IndicatorReading.objects.filter(indicator=OuterRef("pk")).order_by("-date")
        return self.select_related("compound").annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_date=Subquery(latest.values("date")[:1]),
        )


class Indicator(models.Model):
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("residential area"),
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("compound"),
    )
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("E.g. cylinders, points."))
    baseline = models.PositiveIntegerField(_("baseline"))
    goal = models.PositiveIntegerField(_("goal"), help_text=_("Often zero (清零)."))
    description = models.TextField(_("description"), blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["area", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(baseline=F("goal")), name="indicator_goal_differs_from_baseline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compound or self.area} · {self.name}"

    def clean(self) -> None:
        if self.compound_id and self.compound.area_id != self.area_id:
            raise ValidationError(
                {
                    "compound": ValidationError(
                        _("The compound must belong to the indicator's residential area."),
                        code="compound_outside_area",
                    )
                }
            )
        if self.baseline is not None and self.baseline == self.goal:
            raise ValidationError(
                {
                    "goal": ValidationError(
                        _("The goal must differ from the baseline."), code="goal_is_baseline"
                    )
                }
            )

    @property
    def latest_progress(self) -> int:
        """Needs ``with_latest_reading()``."""
        return self.progress(self.latest_value)

    @property
    def is_reached(self) -> bool:
        """Needs ``with_latest_reading()``."""
        return self.reached(self.latest_value)

    def progress(self, value: int | None) -> int:
        """Per cent of the way from baseline to goal (0 to 100) for a reading's value."""
        if value is None:
            return 0
        done = (self.baseline - value) / (self.baseline - self.goal)
        return max(0, min(100, round(done * 100)))

    def reached(self, value: int | None) -> bool:
        if value is None:
            return False
        return value <= self.goal if self.goal < self.baseline else value >= self.goal


class IndicatorReading(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="readings", verbose_name=_("indicator")
    )
    date = models.DateField(_("date"))
    value = models.PositiveIntegerField(_("value"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="reading_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.value}"
