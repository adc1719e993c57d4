"""Roster imports run in the background: the uploaded file waits in the private storage until
a worker has checked or imported its rows, and the page follows its progress."""

import datetime
import uuid
from typing import Self

from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models.cases import private_storage
from residents.models import Street, User

# How long the count of rows done stays in the cache after the last row: beyond the longest run.
PROGRESS_TIMEOUT = 60 * 60


class RosterImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


ACTIVE_STATUSES = [RosterImportStatus.QUEUED, RosterImportStatus.RUNNING]


def roster_import_path(instance: "RosterImport", filename: str) -> str:
    """A random name that keeps only the suffix: the original name may name people."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    suffix = suffix if suffix.isalnum() and len(suffix) <= 5 else "bin"
    return f"roster-imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


# A queued import not started after this long is shown as stuck, and its page stops refreshing.
QUEUE_PATIENCE = datetime.timedelta(minutes=10)


class RosterImportQuerySet(models.QuerySet["RosterImport"]):
    def managed_by(self, user: User) -> Self:
        """The imports into the streets whose office the user works for."""
        return self.filter(street__in=Street.objects.managed_by(user))

    def visible_to(self, user: User) -> Self:
        """The user's own imports, and every import into a street whose office they work for."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(actor=user) | Q(street__in=Street.objects.managed_by(user)))

    def with_page_data(self) -> Self:
        return self.select_related("street")


class RosterImport(models.Model):
    """One uploaded roster, checked (dry run) or imported by a background task."""

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="roster_imports", verbose_name=_("street")
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="roster_imports",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to=roster_import_path,
        blank=True,
        help_text=_("Deleted once the run ends."),
    )
    original_name = models.CharField(_("file name"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=10,
        help_text=_("The uploader's language, which the problems are written in."),
    )
    dry_run = models.BooleanField(_("check only"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RosterImportStatus, default=RosterImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    organizations_created = models.PositiveIntegerField(_("organisations created"), default=0)
    people_created = models.PositiveIntegerField(_("people created"), default=0)
    posts_created = models.PositiveIntegerField(_("posts created"), default=0)
    posts_on_record = models.PositiveIntegerField(_("posts already on record"), default=0)
    written = models.BooleanField(_("written"), default=False)
    problems = models.JSONField(
        _("problems"),
        default=list,
        blank=True,
        help_text=_("Each problem's row, column key, code and message."),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RosterImportStatus.values), name="roster_import_status"
            ),
            models.CheckConstraint(
                condition=Q(written=False) | Q(dry_run=False, status=RosterImportStatus.DONE),
                name="roster_import_written_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("governance:roster_import_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_stuck(self) -> bool:
        """Queued for longer than any queue should take: no worker picks tasks up."""
        return (
            self.status == RosterImportStatus.QUEUED
            and timezone.now() - self.created_at > QUEUE_PATIENCE
        )

    @property
    def progress_key(self) -> str:
        return progress_key(self.pk)

    def rows_done(self) -> int:
        """Rows worked through so far: the running task counts them in the cache, since its
        transaction hides what it writes from other connections until the end."""
        if self.status == RosterImportStatus.DONE:
            return self.rows_total
        done = cache.get(self.progress_key, 0)
        return min(done, self.rows_total) if self.rows_total else done


def progress_key(import_id: int) -> str:
    return f"roster-import:{import_id}:done"


def progress_save(import_id: int, done: int) -> None:
    cache.set(progress_key(import_id), done, PROGRESS_TIMEOUT)
