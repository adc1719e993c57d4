"""The practice library (经验做法) and news items (新闻)."""

from typing import Self

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.history import HistoricalTrail
from forums.markdown import markdown_to_text
from forums.models.forums import Speech
from forums.models.publishing import (
    Publishable,
    PublishableQuerySet,
    SearchEntry,
    SearchKind,
    Topic,
)
from governance.models import Case, Category
from residents.models import ResidentialArea, User


class PracticeQuerySet(PublishableQuerySet):
    def preview_rights(self, user: User) -> Q:
        """Street staff, and the secretaries of the area the practice comes from."""
        return super().preview_rights(user) | Q(area__in=ResidentialArea.objects.managed_by(user))

    def for_category(self, category: Category) -> Self:
        return self.filter(categories=category)

    def with_list_data(self) -> Self:
        return self.select_related("area").prefetch_related("categories", "topics")


class Practice(Publishable):
    """A replicable practice: which problem it solves, what was done and what came of it."""

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Used in the page address.")
    )
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("residential area"),
        help_text=_("The area it comes from; empty for a practice of the whole street."),
    )
    categories = models.ManyToManyField(
        Category,
        related_name="practices",
        verbose_name=_("problems it solves"),
        help_text=_("The case categories: a case of these shows the practice."),
    )
    summary = models.CharField(_("in one sentence"), max_length=200)
    problem = models.TextField(_("the problem"), help_text=_("Markdown."))
    actions = models.TextField(_("what was done"), help_text=_("Markdown."))
    results = models.TextField(_("what came of it"), help_text=_("Markdown."))
    speeches = models.ManyToManyField(
        Speech, blank=True, related_name="practices", verbose_name=_("source speeches")
    )
    cases = models.ManyToManyField(
        Case,
        blank=True,
        related_name="+",
        verbose_name=_("source cases"),
        help_text=_("Shown only to those who may see the case; the public sees how many."),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="practices", verbose_name=_("topics")
    )

    objects = PracticeQuerySet.as_manager()
    history = HistoricalTrail(excluded_fields=["updated_at"])
    search_kind = SearchKind.PRACTICE

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:practice_detail", kwargs={"slug": self.slug})

    def snapshot(self) -> dict:
        return {
            "title": self.title,
            "lead": self.summary,
            "sections": [
                {"key": "problem", "body": self.problem},
                {"key": "actions", "body": self.actions},
                {"key": "results", "body": self.results},
            ],
        }

    def search_entries(self) -> list[SearchEntry]:
        return [
            SearchEntry(
                street_id=self.street_id,
                kind=SearchKind.PRACTICE,
                object_id=self.pk,
                area_id=self.area_id,
                url=self.get_absolute_url(),
                title=self.title,
                text="\n".join(
                    [
                        self.title,
                        self.summary,
                        *map(markdown_to_text, [self.problem, self.actions, self.results]),
                    ]
                ),
                published_at=self.published_at,
                dated=self.published_at,
            )
        ]


class NewsItemQuerySet(PublishableQuerySet):
    pass


class NewsItem(Publishable):
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Used in the page address.")
    )
    source = models.CharField(
        _("source"), max_length=60, help_text=_("Who reported it, e.g. 陆家嘴党建 or 浦东党建.")
    )
    dated = models.DateTimeField(_("time"), help_text=_("When the news happened or was issued."))
    summary = models.CharField(_("in one sentence"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))

    objects = NewsItemQuerySet.as_manager()
    history = HistoricalTrail(excluded_fields=["updated_at"])
    search_kind = SearchKind.NEWS

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-dated", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:news_detail", kwargs={"slug": self.slug})

    def snapshot(self) -> dict:
        dated = timezone.localtime(self.dated).strftime("%Y-%m-%d")
        return {
            "title": self.title,
            "lead": self.summary,
            "meta": [dated, self.source],
            "sections": [{"heading": "", "body": self.body}],
        }

    def search_entries(self) -> list[SearchEntry]:
        return [
            SearchEntry(
                street_id=self.street_id,
                kind=SearchKind.NEWS,
                object_id=self.pk,
                url=self.get_absolute_url(),
                title=self.title,
                text="\n".join(
                    [self.title, self.source, self.summary, markdown_to_text(self.body)]
                ),
                published_at=self.published_at,
                dated=self.dated,
            )
        ]
