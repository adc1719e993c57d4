"""What forums, practices and news share: the publication workflow, versions and the search index.

A publishable record goes draft -> in review -> approved -> published (-> withdrawn). Its public
text is frozen once published: a correction makes a new ``Version`` with a note, and the page
says it was corrected and when. Only published text is in ``SearchEntry``, so a draft cannot be
found through search.
"""

import operator
import re
from functools import reduce
from typing import Self

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from audit.history import HistoricalTrail
from caching.versions import InvalidatingQuerySet
from forums import search
from residents.models import ResidentialArea, Street, User


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


PUBLICATION_TRANSITIONS: dict[str, set[str]] = {
    PublicationStatus.DRAFT: {PublicationStatus.IN_REVIEW},
    PublicationStatus.IN_REVIEW: {PublicationStatus.APPROVED, PublicationStatus.DRAFT},
    PublicationStatus.APPROVED: {PublicationStatus.PUBLISHED, PublicationStatus.DRAFT},
    PublicationStatus.PUBLISHED: {PublicationStatus.WITHDRAWN},
    # A withdrawn record goes back to work and through review again before it returns.
    PublicationStatus.WITHDRAWN: {PublicationStatus.DRAFT},
}
# Text may be changed in these states; afterwards only a correction (a new version) changes it.
EDITABLE_STATUSES = [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW]


# Headings of a version's sections, kept as keys so that a version reads in the reader's language.
SECTION_LABELS = {
    "summary": _("Summary"),
    "problem": _("The problem"),
    "actions": _("What was done"),
    "results": _("What came of it"),
}


def works(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


class Topic(models.Model):
    """A theme that forums and practices are filed under, e.g. 老旧小区治理."""

    name = models.CharField(_("name in Chinese"), max_length=40, unique=True)
    name_en = models.CharField(_("name in English"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)

    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return (
            self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name
        )


class PublishableQuerySet(InvalidatingQuerySet):
    def published(self) -> Self:
        return self.filter(status=PublicationStatus.PUBLISHED)

    def managed_by(self, user: User) -> Self:
        """Records of the streets whose office the user works for."""
        return self.filter(street__in=Street.objects.managed_by(user))

    def visible_to(self, user: User) -> Self:
        """Published records for everyone; drafts only to those who work on them (a preview)."""
        if not works(user):
            return self.published()
        return self.filter(Q(status=PublicationStatus.PUBLISHED) | self.preview_rights(user))

    def preview_rights(self, user: User) -> Q:
        return Q(street__in=Street.objects.managed_by(user))


class Publishable(models.Model):
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("street"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PublicationStatus,
        default=PublicationStatus.DRAFT,
        editable=False,
    )
    published_at = models.DateTimeField(_("first published"), null=True, editable=False)
    corrected_at = models.DateTimeField(_("last corrected"), null=True, editable=False)
    version = models.PositiveSmallIntegerField(
        _("version"), default=0, editable=False, help_text=_("Published versions so far.")
    )
    withdrawal_reason = models.CharField(
        _("reason for withdrawal"), max_length=200, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def allowed_transitions(self) -> list[str]:
        return [s for s in PublicationStatus.values if s in PUBLICATION_TRANSITIONS[self.status]]

    def snapshot(self) -> dict:
        """The public text of this record as a version keeps it: a title and headed sections."""
        raise NotImplementedError

    def search_entries(self) -> list["SearchEntry"]:
        """Unsaved search rows for the published text of this record."""
        raise NotImplementedError


class VersionQuerySet(InvalidatingQuerySet["Version"]):
    def of(self, item: models.Model) -> Self:
        return self.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        ).order_by("-number")


class Version(models.Model):
    """One published version of a forum, practice or news item, with why it was corrected."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("text as published"))
    note = models.CharField(_("correction note"), max_length=300, blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "Off once the record was withdrawn: the text is no longer shown to anyone "
            "but staff, even after the record is published again."
        ),
    )
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )

    objects = VersionQuerySet.as_manager()
    history = HistoricalTrail()

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["content_type", "object_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="version_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot.get('title', '')} v{self.number}"


class SearchKind(models.TextChoices):
    FORUM = "forum", _("forum")
    SPEECH = "speech", _("speech")
    PRACTICE = "practice", _("practice")
    NEWS = "news", _("news")
    EVENT = "event", _("event")
    SERVICE = "service", _("doorstep service")
    WISH = "wish", _("micro-wish")


class SearchEntryQuerySet(InvalidatingQuerySet["SearchEntry"]):
    def matching(self, query: str) -> Self:
        """Entries whose text has the query as a substring; a query of letters and digits
        also matches the pinyin and its initials (gangping, gp).

        On PostgreSQL the pinyin columns carry trigram indexes (Chinese text gets none: pg_trgm
        extracts no trigrams from it), so a Chinese query is first narrowed to the entries whose
        pinyin holds one of its readings, then checked against the text itself."""
        query = search.normalise(query)
        if not query:
            return self.none()
        latin = search.latin_query(query)
        if latin:
            # The pinyin keeps every Latin letter and digit of the text, lower-cased.
            return self.filter(Q(pinyin__contains=latin) | Q(initials__contains=latin))
        entries = self
        for term in query.split():  # 液化气 钢瓶: both words, anywhere
            # Chinese has no case: a plain LIKE is exact and cheaper than UPPER(text) LIKE.
            lookup = "text__icontains" if re.search(r"[A-Za-z]", term) else "text__contains"
            condition = Q(**{lookup: term})
            readings = search.query_readings(term)
            if readings:
                condition &= reduce(operator.or_, [Q(pinyin__contains=r) for r in readings])
            entries = entries.filter(condition)
        return entries


class SearchEntry(models.Model):
    """The public text of one forum, speech, practice, news item, event, doorstep service or
    micro-wish, as plain text (Markdown stripped), with its pinyin.

    Forums fills it for its own records and, reading down, for the doorstep services and the
    public wishes, which announce their changes through ``doorstep.signals`` and
    ``wishes.signals``: neither of those apps imports forums."""

    street = models.ForeignKey(Street, on_delete=models.CASCADE, verbose_name=_("street"))
    kind = models.CharField(_("kind"), max_length=10, choices=SearchKind)
    object_id = models.PositiveBigIntegerField()
    area = models.ForeignKey(
        ResidentialArea, on_delete=models.CASCADE, null=True, verbose_name=_("residential area")
    )
    url = models.CharField(_("address"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    pinyin = models.TextField(_("pinyin"))
    initials = models.TextField(_("pinyin initials"))
    published_at = models.DateTimeField(_("published at"))
    dated = models.DateTimeField(
        _("date"),
        null=True,
        help_text=_(
            "The item's own date: the day a forum was held, a news item's date, an event's "
            "first time slot. Empty for what has none, such as a doorstep service."
        ),
    )

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["-published_at", "kind", "object_id"]
        # Newest first: a common word's first page stops after twenty matches.
        indexes = [
            models.Index(fields=["-published_at", "kind", "object_id"], name="search_entry_newest")
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
        ]

    def __str__(self) -> str:
        return self.title
