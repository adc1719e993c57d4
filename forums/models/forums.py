"""Forums (论坛) and their speeches (发言), recorded as said on the day and reviewed by speakers."""

from typing import Self

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.history import HistoricalTrail
from caching.versions import InvalidatingQuerySet
from forums.markdown import markdown_to_text
from forums.models.publishing import (
    Publishable,
    PublishableQuerySet,
    SearchEntry,
    SearchKind,
    Topic,
)
from governance.models.cases import PRIVATE_STORAGE
from residents.models import Person, ResidentialArea, User


def _cover_storage():
    return PRIVATE_STORAGE


def cover_path(forum: "Forum", filename: str) -> str:
    return f"forum-covers/{forum.street_id}/{filename}"


class ForumQuerySet(PublishableQuerySet):
    def preview_rights(self, user: User) -> Q:
        """Street staff, the secretaries of the areas taking part, and the speakers themselves."""
        rights = super().preview_rights(user) | Q(
            pk__in=Forum.areas.through.objects.filter(
                residentialarea__in=ResidentialArea.objects.managed_by(user)
            ).values("forum")
        )
        if user.person_id:
            rights |= Q(pk__in=Speech.objects.filter(speaker=user.person_id).values("forum"))
        return rights

    def with_list_data(self) -> Self:
        return (
            self.prefetch_related("areas", "topics")
            .annotate(
                speech_count=models.Count("speeches", filter=Q(speeches__kind=SpeechKind.SPEECH))
            )
            .order_by("-starts_at", "pk")
        )

    def with_page_data(self, *, reviews: bool = True) -> Self:
        """What the forum's page shows; the speeches' reviews only with ``reviews`` (only those
        who may edit a speech see them, so the public page need not read them)."""
        # Each related list in its model's order within one forum or speech: the default orders
        # begin with the forum or the speech, which would join them (and the forum's own order)
        # for nothing.
        speeches = Speech.objects.select_related("area").order_by("order", "pk")
        if reviews:
            speeches = speeches.prefetch_related(
                models.Prefetch(
                    "reviews",
                    queryset=SpeechReview.objects.select_related("reviewer").order_by(
                        "created_at", "pk"
                    ),
                )
            )
        return self.select_related("street").prefetch_related(
            "areas",
            "topics",
            models.Prefetch(
                "attendees",
                queryset=Attendee.objects.select_related("person").order_by("order", "pk"),
            ),
            models.Prefetch("speeches", queryset=speeches),
        )


class Forum(Publishable):
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Used in the page address.")
    )
    theme = models.CharField(_("theme"), max_length=200)
    starts_at = models.DateTimeField(_("start time"))
    venue = models.CharField(_("venue"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=120)
    areas = models.ManyToManyField(
        ResidentialArea,
        blank=True,
        related_name="forums",
        verbose_name=_("participating areas"),
    )
    summary = models.TextField(
        _("summary"), help_text=_("What residents read first. Markdown: **bold**, lists, links.")
    )
    cover = models.ImageField(
        _("cover image"), storage=_cover_storage, upload_to=cover_path, blank=True
    )
    cover_alt = models.CharField(
        _("cover description"),
        max_length=200,
        blank=True,
        help_text=_("What the cover image shows, for readers who cannot see it."),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="forums", verbose_name=_("topics")
    )

    objects = ForumQuerySet.as_manager()
    history = HistoricalTrail(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["status", "-starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cover="") | ~Q(cover_alt=""), name="forum_cover_has_description"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:forum_detail", kwargs={"slug": self.slug})

    @property
    def host(self) -> "Attendee | None":
        return next((a for a in self.attendees.all() if a.role == AttendeeRole.HOST), None)

    @property
    def guests(self) -> list["Attendee"]:
        return [a for a in self.attendees.all() if a.role != AttendeeRole.HOST]

    @property
    def presentations(self) -> list["Speech"]:
        return [s for s in self.speeches.all() if s.kind != SpeechKind.CLOSING]

    @property
    def closing_remarks(self) -> "Speech | None":
        return next((s for s in self.speeches.all() if s.kind == SpeechKind.CLOSING), None)

    def snapshot(self) -> dict:
        starts_at = timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M")
        people = [f"{a.affiliation} {a.name}" for a in self.attendees.all()]
        sections = [{"key": "summary", "body": self.summary}]
        for speech in self.speeches.all():
            heading = f"{speech.speaker_name}（{speech.speaker_post}）：{speech.full_title}"
            sections.append({"heading": heading, "body": speech.body})
        return {
            "title": self.title,
            "lead": self.theme,
            "meta": [starts_at, self.venue, self.organiser, *people],
            "sections": sections,
        }

    def search_entries(self) -> list[SearchEntry]:
        # A speech is dated by its forum: the day it was given.
        common = {
            "street_id": self.street_id,
            "published_at": self.published_at,
            "dated": self.starts_at,
        }
        entries = [
            SearchEntry(
                kind=SearchKind.FORUM,
                object_id=self.pk,
                url=self.get_absolute_url(),
                title=self.title,
                text=f"{self.title}\n{self.theme}\n{self.venue}\n{markdown_to_text(self.summary)}",
                **common,
            )
        ]
        for speech in self.speeches.all():
            entries.append(
                SearchEntry(
                    kind=SearchKind.SPEECH,
                    object_id=speech.pk,
                    area_id=speech.area_id,
                    url=speech.get_absolute_url(),
                    title=f"{speech.speaker_name}：{speech.full_title}",
                    text=f"{speech.full_title}\n{speech.speaker_name}\n"
                    f"{markdown_to_text(speech.body)}",
                    **common,
                )
            )
        return entries


class AttendeeRole(models.TextChoices):
    HOST = "host", _("host")
    OFFICIAL = "official", _("official")
    GUEST = "guest", _("invited guest")


class Attendee(models.Model):
    """The host, an official or a guest, with the affiliation as it was shown on the day."""

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="attendees", verbose_name=_("forum")
    )
    role = models.CharField(_("role"), max_length=10, choices=AttendeeRole)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_attendances",
        verbose_name=_("person"),
        help_text=_("Optional: the person's record, if the street keeps one."),
    )
    name = models.CharField(_("name as shown"), max_length=40)
    affiliation = models.CharField(
        _("post or affiliation as shown"),
        max_length=120,
        help_text=_("As printed on the day; not changed when the post changes later."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("host or guest")
        verbose_name_plural = _("host and guests")
        ordering = ["forum", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum"],
                condition=Q(role="host"),
                name="forum_has_one_host",
                violation_error_message=_("A forum has one host."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.affiliation} {self.name}"


class SpeechKind(models.TextChoices):
    PRESENTATION = "presentation", _("presentation")
    SPEECH = "speech", _("speech")
    CLOSING = "closing", _("closing remarks")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("awaiting the speaker")
    CONFIRMED = "confirmed", _("confirmed by the speaker")
    CHANGES_REQUESTED = "changes_requested", _("speaker asked for changes")


class Speech(models.Model):
    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="speeches", verbose_name=_("forum")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=SpeechKind, default=SpeechKind.SPEECH)
    speaker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speeches",
        verbose_name=_("speaker"),
        help_text=_("The speaker's record: with a login, the speaker confirms the text."),
    )
    speaker_name = models.CharField(_("speaker's name as shown"), max_length=40)
    speaker_post = models.CharField(
        _("speaker's post on the day"),
        max_length=120,
        help_text=_("As said on the day; not changed when the post changes later."),
    )
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speeches",
        verbose_name=_("residential area"),
    )
    title = models.CharField(_("title"), max_length=120)
    subtitle = models.CharField(_("subtitle"), max_length=120, blank=True)
    body = models.TextField(_("text"), help_text=_("Markdown: **bold**, lists, links."))
    review_state = models.CharField(
        _("speaker's review"),
        max_length=20,
        choices=ReviewState,
        default=ReviewState.PENDING,
        editable=False,
    )

    objects = InvalidatingQuerySet.as_manager()
    history = HistoricalTrail()

    class Meta:
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        ordering = ["forum", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "order"],
                name="speech_order_unique",
                violation_error_message=_("Another speech of this forum has this place."),
            ),
            models.UniqueConstraint(
                fields=["forum"],
                condition=Q(kind="closing"),
                name="forum_one_closing_remarks",
                violation_error_message=_("This forum already has its closing remarks."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker_name}：{self.full_title}"

    def get_absolute_url(self) -> str:
        return f"{self.forum.get_absolute_url()}#speech-{self.pk}"

    @property
    def full_title(self) -> str:
        return f"{self.title}——{self.subtitle}" if self.subtitle else self.title


class Verdict(models.TextChoices):
    CONFIRM = "confirm", _("confirmed")
    REQUEST_CHANGES = "request_changes", _("asked for changes")


class SpeechReview(models.Model):
    """A speaker's answer to the text of their speech: confirmed, or a comment asking for
    changes."""

    speech = models.ForeignKey(
        Speech, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("speech")
    )
    verdict = models.CharField(_("answer"), max_length=20, choices=Verdict)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("speaker's review")
        verbose_name_plural = _("speakers' reviews")
        ordering = ["speech", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict="confirm") | ~Q(comment=""),
                name="review_change_request_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speech} · {self.get_verdict_display()}"
