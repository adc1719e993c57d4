"""Territory and people: streets, residential areas, compounds, building groups, persons, users.

Scoping lives here: ``ResidentialArea.objects.managed_by(user)`` and
``Street.objects.managed_by(user)`` say which part of the territory a user works for, and every
other ``visible_to(user)`` / ``managed_by(user)`` in the project is built on them.
"""

from typing import Self

from django.contrib.auth.models import AbstractUser, AnonymousUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.history import HistoricalTrail
from caching.versions import InvalidatingQuerySet


class Role(models.TextChoices):
    STREET_STAFF = "street_staff", _("street office staff")
    AREA_STAFF = "area_staff", _("area secretary or committee staff")
    PARTNER_LIAISON = "partner_liaison", _("partner-unit liaison")


def _works(user: "User | AnonymousUser") -> bool:
    return bool(user.is_authenticated and user.is_active)


class StreetQuerySet(InvalidatingQuerySet["Street"]):
    def visible_to(self, user: "User | AnonymousUser") -> Self:
        """Streets, their names and figures are public."""
        return self.all()

    def managed_by(self, user: "User | AnonymousUser") -> Self:
        """The streets whose office the user works for (a superuser: all of them)."""
        if not _works(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.role == Role.STREET_STAFF and user.street_id:
            return self.filter(pk=user.street_id)
        return self.none()


class Street(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("Short upper-case letters used in record numbers, e.g. LJZ."),
    )
    district = models.CharField(_("district"), max_length=60)

    objects = StreetQuerySet.as_manager()

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2,8}$"), name="street_code_upper_letters"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResidentialAreaQuerySet(InvalidatingQuerySet["ResidentialArea"]):
    def visible_to(self, user: "User | AnonymousUser") -> Self:
        """Residential areas and their 1+3+N structure are public."""
        return self.all()

    def managed_by(self, user: "User | AnonymousUser") -> Self:
        """The areas a user works for: street staff their street's, secretaries their own."""
        if not _works(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.role == Role.STREET_STAFF:
            return self.filter(street_id=user.street_id) if user.street_id else self.none()
        if user.role == Role.AREA_STAFF:
            return self.filter(staff=user)
        return self.none()

    def with_compound_count(self) -> Self:
        """Each area with ``compound_count``, counted in the same query."""
        return self.annotate(compound_count=models.Count("compounds"))


class ResidentialArea(models.Model):
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="areas", verbose_name=_("street")
    )
    name = models.CharField(_("name"), max_length=60)
    short_name = models.CharField(_("short name"), max_length=20)
    slug = models.SlugField(
        _("slug"), max_length=40, unique=True, help_text=_("Used in the page address.")
    )
    description = models.TextField(_("description"), blank=True)

    objects = ResidentialAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("residential area")
        verbose_name_plural = _("residential areas")
        ordering = ["street", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="area_name_unique_in_street"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:area_detail", kwargs={"slug": self.slug})


class CompoundQuerySet(InvalidatingQuerySet["Compound"]):
    def visible_to(self, user: "User | AnonymousUser") -> Self:
        return self.all()

    def managed_by(self, user: "User | AnonymousUser") -> Self:
        return self.filter(area__in=ResidentialArea.objects.managed_by(user))


class Compound(models.Model):
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        related_name="compounds",
        verbose_name=_("residential area"),
    )
    name = models.CharField(_("name"), max_length=60)
    address = models.CharField(_("address"), max_length=120, blank=True)

    objects = CompoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="compound_name_unique_in_area"),
        ]

    def __str__(self) -> str:
        return self.name


class BuildingGroupQuerySet(InvalidatingQuerySet["BuildingGroup"]):
    def visible_to(self, user: "User | AnonymousUser") -> Self:
        return self.all()

    def managed_by(self, user: "User | AnonymousUser") -> Self:
        return self.filter(compound__area__in=ResidentialArea.objects.managed_by(user))


class BuildingGroup(models.Model):
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        related_name="building_groups",
        verbose_name=_("compound"),
    )
    name = models.CharField(_("name"), max_length=40, help_text=_("E.g. Building 12."))
    leader = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_building_groups",
        verbose_name=_("group leader"),
    )

    objects = BuildingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("building group")
        verbose_name_plural = _("building groups")
        ordering = ["compound", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "name"], name="building_group_name_unique_in_compound"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.name}"


class PersonQuerySet(InvalidatingQuerySet["Person"]):
    def visible_to(self, user: "User | AnonymousUser") -> Self:
        """People and their contacts are private: a secretary sees the people of the areas they
        work for, street staff every person registered in their street.

        A person's area lies in their street (see ``clean``), so whoever manages a street sees
        its people by the street alone: an OR of the two subqueries kept PostgreSQL from using
        either index and read the whole table."""
        if _works(user) and (user.is_superuser or user.role == Role.STREET_STAFF):
            return self.filter(street__in=Street.objects.managed_by(user))
        return self.filter(area__in=ResidentialArea.objects.managed_by(user))

    def managed_by(self, user: "User | AnonymousUser") -> Self:
        return self.visible_to(user)

    def search(self, text: str) -> Self:
        return self.filter(name__icontains=text.strip()) if text.strip() else self


class Person(models.Model):
    """Anyone who holds a post or is a contact. Phone and address never reach a public page."""

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="people", verbose_name=_("street")
    )
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("residential area"),
        help_text=_("The area that keeps this person's record; empty for the street office."),
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalTrail(excluded_fields=["updated_at"])
    # Contacts: the audit trail says they changed, never to what.
    personal_fields = frozenset({"phone", "address"})

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["street", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:person_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.area_id and self.street_id and self.area.street_id != self.street_id:
            raise ValidationError(
                {
                    "area": ValidationError(
                        _("The residential area must belong to the person's street."),
                        code="area_outside_street",
                    )
                }
            )


class UserQuerySet(models.QuerySet["User"]):
    def managed_by(self, user: "User | AnonymousUser") -> Self:
        """Logins of the user's street: its office staff and the secretaries of its areas."""
        return (
            self.filter(
                Q(street__in=Street.objects.managed_by(user))
                | Q(areas__street__in=Street.objects.managed_by(user))
            ).distinct()
            if not (_works(user) and user.is_superuser)
            else self.all()
        )


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A login of the street office or of an area. Residents need no account."""

    role = models.CharField(_("role"), max_length=20, choices=Role, blank=True)
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("street"),
    )
    areas = models.ManyToManyField(
        ResidentialArea,
        blank=True,
        related_name="staff",
        verbose_name=_("residential areas"),
        help_text=_("The areas an area secretary works for."),
    )
    person = models.OneToOneField(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("person"),
    )

    objects = PortalUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="street_staff") | Q(street__isnull=False),
                name="street_staff_has_street",
            ),
        ]

    @property
    def is_street_staff(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.STREET_STAFF)

    def clean(self) -> None:
        super().clean()
        if self.role == Role.STREET_STAFF and not self.street_id:
            raise ValidationError(
                {
                    "street": ValidationError(
                        _("Street office staff must belong to a street."),
                        code="street_staff_without_street",
                    )
                }
            )
