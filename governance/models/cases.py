"""Co-governance cases (治理案件): logged by an area, resolved by its 1+3+N parties together."""

import datetime
import os
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from audit.history import HistoricalTrail
from caching.versions import InvalidatingQuerySet
from governance.models.indicators import Indicator
from governance.models.organizations import Organization, OrganizationKind, Post
from residents.models import BuildingGroup, Compound, ResidentialArea, Street, User


class CaseStatus(models.TextChoices):
    NEW = "new", _("new")
    ACCEPTED = "accepted", _("accepted")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")
    REOPENED = "reopened", _("reopened")


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.NEW: {CaseStatus.ACCEPTED, CaseStatus.REJECTED},
    CaseStatus.ACCEPTED: {CaseStatus.IN_PROGRESS, CaseStatus.REJECTED},
    CaseStatus.IN_PROGRESS: {CaseStatus.RESOLVED},
    CaseStatus.RESOLVED: {CaseStatus.CLOSED, CaseStatus.REOPENED},
    CaseStatus.CLOSED: {CaseStatus.REOPENED},
    CaseStatus.REOPENED: {CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED},
    CaseStatus.REJECTED: set(),
}
# A case in one of these needs nothing more from the parties: it cannot be overdue.
FINISHED_STATUSES = [CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.REJECTED]
ENDED_STATUSES = [CaseStatus.CLOSED, CaseStatus.REJECTED]


class Channel(models.TextChoices):
    RESIDENT_REPORT = "resident_report", _("resident report")
    PATROL = "patrol", _("patrol")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline")
    BUILDING_LEADER = "building_leader", _("building-group leader")
    JOINT_DUTY_STATION = "joint_duty_station", _("joint duty station")
    ON_BEHALF = "on_behalf", _("on behalf of a resident")
    PARTNER_SYSTEM = "partner_system", _("partner system (Open311)")


class Priority(models.IntegerChoices):
    LOW = 1, _("low")
    NORMAL = 2, _("normal")
    HIGH = 3, _("high")
    URGENT = 4, _("urgent")


class ClosureReason(models.TextChoices):
    NOT_OUR_RESPONSIBILITY = "not_ours", _("not our responsibility")
    DUPLICATE = "duplicate", _("duplicate of another case")
    NO_FURTHER_ACTION = "no_action", _("no further action")


class PartyRole(models.TextChoices):
    LEAD = "lead", _("lead")
    ASSISTING = "assisting", _("assisting")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
    UNSATISFIED = "unsatisfied", _("unsatisfied")


class UpdateKind(models.TextChoices):
    NOTE = "note", _("update")
    MEETING = "meeting", _("coordination meeting")
    TRANSITION = "transition", _("status change")
    DUE_DATE = "due_date", _("due date change")
    FOLLOW_UP = "follow_up", _("follow-up")


class AttachmentKind(models.TextChoices):
    BEFORE = "before", _("photo before")
    AFTER = "after", _("photo after")
    DOCUMENT = "document", _("document")


class Category(models.Model):
    """A kind of problem, with its target time and the parties that usually handle it."""

    name = models.CharField(_("name in Chinese"), max_length=60, unique=True)
    name_en = models.CharField(_("name in English"), max_length=80)
    target_days = models.PositiveSmallIntegerField(_("target days"))
    lead_kind = models.CharField(
        _("suggested lead"), max_length=30, choices=OrganizationKind, blank=True
    )
    assisting_kinds = models.JSONField(_("suggested assisting parties"), default=list, blank=True)
    checklist = models.TextField(_("checklist"), blank=True, help_text=_("One step per line."))
    is_active = models.BooleanField(_("in use"), default=True)
    service_code = models.SlugField(
        _("Open311 service code"),
        max_length=40,
        blank=True,
        help_text=_(
            "A stable code partner systems use for this category (e.g. lpg-cylinders). "
            "Categories without one are not offered through Open311. Do not change it once "
            "partner systems use it."
        ),
    )

    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_days__gt=0), name="category_target_days_positive"
            ),
            models.UniqueConstraint(
                fields=["service_code"],
                condition=~Q(service_code=""),
                name="category_service_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return (
            self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name
        )

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]

    def suggested_parties(
        self, area: ResidentialArea
    ) -> tuple[Organization | None, list[Organization]]:
        """The lead and assisting parties this category suggests for a case in the area: the
        area's own organisations of the suggested kinds first, then the street's."""
        available = list(
            Organization.objects.available_to(area)
            .filter(kind__in=[self.lead_kind, *self.assisting_kinds])
            .order_by("area", "name")
        )
        own_first = sorted(available, key=lambda org: org.area_id != area.pk)
        lead = next((org for org in own_first if org.kind == self.lead_kind), None)
        assisting = [org for org in own_first if org.kind in self.assisting_kinds and org != lead]
        return lead, assisting


class CategoryReplyTemplate(models.Model):
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="reply_templates",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=60)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title


class CaseNumberSequence(models.Model):
    """The last case number given out per street and year; its row is locked to give the next."""

    street = models.ForeignKey(Street, on_delete=models.CASCADE, verbose_name=_("street"))
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["street", "year"], name="case_sequence_per_street_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street.code}-{self.year}: {self.last}"


def _today() -> datetime.date:
    return timezone.localdate()


# What `units_beyond_managed_areas` finds on a user whose request has not looked it up yet.
NOT_LOOKED_UP = object()
# What a row of the workbench reads (`CaseQuerySet.with_list_data`).
LIST_FIELDS = [
    "number",
    "title",
    "status",
    "priority",
    "due_date",
    "area__short_name",
    "compound__name",
    "category__name",
    "category__name_en",
]


class CaseQuerySet(InvalidatingQuerySet["Case"]):
    def visible_to(self, user: User) -> Self:
        """Cases of the areas the user works for, and cases where an organisation in which the
        user holds a current post is a party (how partner-unit liaisons see theirs)."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        in_scope = Q(area__in=ResidentialArea.objects.managed_by(user))
        units = units_beyond_managed_areas(user)
        if units is not None:
            in_scope |= Q(
                Exists(CaseParty.objects.filter(case=OuterRef("pk"), organization__in=units))
            )
        return self.filter(in_scope)

    def open(self) -> Self:
        return self.exclude(status__in=ENDED_STATUSES)

    def overdue(self, on: datetime.date | None = None) -> Self:
        return self.exclude(status__in=FINISHED_STATUSES).filter(due_date__lt=on or _today())

    def reopened(self) -> Self:
        """Cases reopened at least once (after a resolution or a closure)."""
        return self.filter(pk__in=reopened_case_ids())

    def search(self, text: str) -> Self:
        """Substring search: right for one- and two-character Chinese words (钢瓶, 液化气钢瓶)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(number__iexact=text)
            | Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(location__icontains=text)
        )

    def with_list_data(self) -> Self:
        """The columns a workbench row shows, with its lead party's name (``lead_name``) in the
        same query: a case has one lead at most."""
        lead = CaseParty.objects.filter(case=OuterRef("pk"), role=PartyRole.LEAD)
        return (
            self.select_related("area", "category", "compound")
            .only(*LIST_FIELDS)
            .annotate(lead_name=Subquery(lead.values("organization__name")[:1]))
        )

    def efficiency_by_area(self, since: datetime.datetime, on: datetime.date | None = None):
        """Per area, for cases logged since a moment: how many, how fast they were accepted and
        resolved, how many were resolved by their due date, and how many are open or overdue."""
        on = on or _today()
        accept_time = ExpressionWrapper(
            F("accepted_at") - F("created_at"), output_field=DurationField()
        )
        resolve_time = ExpressionWrapper(
            F("resolved_at") - F("created_at"), output_field=DurationField()
        )
        return (
            self.filter(created_at__gte=since)
            .order_by()
            .values("area")
            .annotate(
                logged=Count("*"),
                accepted=Count("accepted_at"),
                time_to_accept=Avg(accept_time),
                resolved=Count("resolved_at"),
                time_to_resolve=Avg(resolve_time),
                resolved_on_time=Count(
                    "pk", filter=Q(resolved_at__isnull=False, resolved_at__date__lte=F("due_date"))
                ),
                still_open=Count("pk", filter=~Q(status__in=FINISHED_STATUSES)),
                overdue=Count("pk", filter=~Q(status__in=FINISHED_STATUSES) & Q(due_date__lt=on)),
            )
        )

    def possible_duplicates(
        self, *, category: Category, compound: Compound | None, area: ResidentialArea
    ) -> Self:
        """Open cases of the same category and compound (or area) logged in the last 30 days."""
        since = timezone.now() - datetime.timedelta(days=30)
        place = Q(compound=compound) if compound else Q(area=area)
        return self.open().filter(place, category=category, created_at__gte=since)


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, outside every served folder: they have no URL, and a
    view sends them only after checking that the user may see the case."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files are served by the case attachment view only.")


PRIVATE_STORAGE = PrivateStorage()


def reopened_case_ids() -> models.QuerySet:
    """The cases reopened at least once, as a subquery: the database reads the few reopenings
    once (through their partial index) instead of looking each case up."""
    return CaseUpdate.objects.filter(to_status=CaseStatus.REOPENED).values("case")


def units_beyond_managed_areas(user: User) -> models.QuerySet | None:
    """The organisations in which the user holds a current post, outside the areas they manage.
    A case's parties come from its own area or the street, so only these can show a user a case
    beyond their areas; None when there are none (then areas alone decide)."""
    if not user.person_id:
        return None
    # A request's scope (governance.permissions.CaseScope) keeps the answer on its user, so that
    # one request asks once however many querysets it builds.
    kept = getattr(user, "units_beyond_managed_areas", NOT_LOOKED_UP)
    if kept is not NOT_LOOKED_UP:
        return kept
    units = (
        Post.objects.current()
        .filter(person_id=user.person_id)
        .exclude(organization__area__in=ResidentialArea.objects.managed_by(user))
        .values("organization")
    )
    return units if units.exists() else None


class CaseCountQuerySet(InvalidatingQuerySet["CaseCount"]):
    def per_status(self, areas: models.QuerySet[ResidentialArea]) -> dict[str, int]:
        rows = self.filter(area__in=areas).values("status").annotate(n=models.Sum("count"))
        return {row["status"]: row["n"] for row in rows}

    def rebuild(self) -> int:
        """Count every case again (after a bulk load or a repair); returns the cases counted."""
        self.all().delete()
        grouped = Case.objects.order_by().values("area", "status").annotate(n=models.Count("*"))
        self.bulk_create(
            CaseCount(area_id=row["area"], status=row["status"], count=row["n"]) for row in grouped
        )
        return sum(row["n"] for row in grouped)


class CaseCount(models.Model):
    """How many cases an area has in each status, kept by the case services in the same
    transaction as the change, so that the workbench never counts a million rows."""

    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("residential area"),
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus)
    count = models.PositiveIntegerField(_("count"), default=0)

    objects = CaseCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("case count")
        verbose_name_plural = _("case counts")
        constraints = [
            models.UniqueConstraint(fields=["area", "status"], name="case_count_per_area_status"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.status} {self.count}"

    @classmethod
    def add(cls, *, area_id: int, status: str, delta: int) -> None:
        counter, _created = cls.objects.get_or_create(area_id=area_id, status=status)
        cls.objects.filter(pk=counter.pk).update(count=models.F("count") + delta)


def private_storage() -> PrivateStorage:
    """The storage of every private file (case attachments, wish and brand photos)."""
    return PRIVATE_STORAGE


_private_storage = private_storage  # the name migration 0002 refers to


class Case(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("street"),
        editable=False,
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category")
    )
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("residential area"),
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("compound"),
    )
    building_group = models.ForeignKey(
        BuildingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("building group"),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=30, choices=Channel)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.NORMAL
    )
    reporter_name = models.CharField(_("reporting resident's name"), max_length=40, blank=True)
    reporter_phone = models.CharField(_("reporting resident's phone"), max_length=30, blank=True)
    logged_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="logged_cases",
        verbose_name=_("logged by"),
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus, default=CaseStatus.NEW, editable=False
    )
    due_date = models.DateField(_("due date"))
    due_date_reason = models.CharField(_("reason for the due date"), max_length=200, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("counts toward"),
    )
    created_at = models.DateTimeField(_("logged at"), default=timezone.now, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Counts saves of the edit form's fields: a form loaded at an older version is stale.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = CaseQuerySet.as_manager()
    history = HistoricalTrail(excluded_fields=["updated_at"])
    # The reporting resident: the audit trail never shows them.
    personal_fields = frozenset({"reporter_name", "reporter_phone"})

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "year", "sequence"], name="case_number_unique_per_street_year"
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.REJECTED) | ~Q(closure_reason=""),
                name="case_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(closure_reason=ClosureReason.DUPLICATE)
                | Q(duplicate_of__isnull=False),
                name="case_duplicate_names_the_original",
            ),
        ]
        # One index per order the workbench offers, each ending in the primary key (the pages'
        # tie-breaker), so that a page is read from the index, not sorted from the table.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="case_created"),
            models.Index(fields=["status", "-created_at", "-id"], name="case_status_created"),
            models.Index(fields=["area", "-created_at", "-id"], name="case_area_created"),
            models.Index(fields=["due_date", "id"], name="case_due"),
            models.Index(fields=["-priority", "-id"], name="case_priority"),
            models.Index(fields=["category", "-created_at", "-id"], name="case_category_created"),
            models.Index(
                fields=["due_date"],
                condition=~Q(status__in=["resolved", "closed", "rejected"]),
                name="case_unfinished_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:case_detail", kwargs={"number": self.number})

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return self.status not in FINISHED_STATUSES and self.due_date < (on or _today())

    @property
    def awaits_follow_up(self) -> bool:
        """A follow-up with the resident comes once the case is resolved (or closed)."""
        return self.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED)

    @property
    def is_pressing(self) -> bool:
        return self.priority >= Priority.HIGH

    def allowed_transitions(self) -> list[str]:
        return [
            status for status in CaseStatus.values if status in ALLOWED_TRANSITIONS[self.status]
        ]

    @property
    def lead(self) -> "CaseParty | None":
        parties = getattr(self, "lead_parties", None)
        if parties is None:
            parties = [party for party in self.parties.all() if party.role == PartyRole.LEAD]
        return parties[0] if parties else None

    def clean(self) -> None:
        errors = {}
        if self.compound_id and self.compound.area_id != self.area_id:
            errors["compound"] = ValidationError(
                _("The compound must belong to the case's residential area."),
                code="compound_outside_area",
            )
        if self.building_group_id and self.building_group.compound.area_id != self.area_id:
            errors["building_group"] = ValidationError(
                _("The building group must belong to the case's residential area."),
                code="building_group_outside_area",
            )
        elif (
            self.building_group_id
            and self.compound_id
            and self.building_group.compound_id != self.compound_id
        ):
            errors["building_group"] = ValidationError(
                _("The building group must belong to the case's compound."),
                code="building_group_outside_compound",
            )
        if self.indicator_id and self.indicator.area_id != self.area_id:
            errors["indicator"] = ValidationError(
                _("The indicator must belong to the case's residential area."),
                code="indicator_outside_area",
            )
        if errors:
            raise ValidationError(errors)


class CaseParty(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="parties", verbose_name=_("case")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="case_parties",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    history = HistoricalTrail()

    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("case party")
        verbose_name_plural = _("case parties")
        ordering = ["case", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(role="lead"), name="case_exactly_one_lead_party"
            ),
            models.UniqueConstraint(fields=["case", "organization"], name="case_party_once"),
        ]
        indexes = [models.Index(fields=["organization", "case"], name="case_party_org")]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class CaseUpdate(models.Model):
    """One entry of a case's timeline: what a party did, a meeting, or a status change."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="updates", verbose_name=_("case")
    )
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="case_updates", verbose_name=_("author")
    )
    party = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_updates",
        verbose_name=_("acting party"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UpdateKind, default=UpdateKind.NOTE)
    text = models.TextField(_("text"))
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public updates may be told to the resident.")
    )
    attendees = models.TextField(
        _("attendees"), blank=True, help_text=_("For a coordination meeting.")
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=CaseStatus, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=CaseStatus, blank=True)
    # A follow-up's outcome is kept as a code and worded in the reader's language when shown.
    satisfaction = models.CharField(
        _("follow-up outcome"),
        max_length=20,
        choices=Satisfaction,
        blank=True,
        help_text=_("For a follow-up, and for the reopening an unsatisfied follow-up causes."),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    history = HistoricalTrail()

    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("case update")
        verbose_name_plural = _("case updates")
        ordering = ["case", "created_at", "pk"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="case_update_timeline"),
            # The few reopenings, read whole by the dashboard's reopen rate.
            models.Index(
                fields=["case"], condition=Q(to_status="reopened"), name="case_update_reopened"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.get_kind_display()}"

    @property
    def outcome(self) -> str:
        """The follow-up's outcome in the reader's language; "" for any other update."""
        if not self.satisfaction:
            return ""
        if self.kind == UpdateKind.FOLLOW_UP:
            return capfirst(self.get_satisfaction_display())
        return gettext("The resident was not satisfied.")


def attachment_path(attachment: "Attachment", filename: str) -> str:
    # The stored name never carries the uploader's file name (it may hold personal data).
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"cases/{attachment.case.year}/{attachment.case.number}/{stamp}.{extension}"


class Attachment(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind)
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="case_attachments",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["case", "created_at"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:case_attachment", kwargs={"number": self.case.number, "pk": self.pk}
        )

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def download_name(self) -> str:
        """The name a download gets: the case number, never the uploader's file name."""
        return f"{self.case.number}-{self.pk}.{self.file.name.rsplit('.', 1)[-1]}"


class FollowUp(models.Model):
    """The call back to the resident (回访) after a case is resolved."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("case")
    )
    satisfaction = models.CharField(_("satisfaction"), max_length=30, choices=Satisfaction)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="case_follow_ups",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["case", "created_at"]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.get_satisfaction_display()}"
