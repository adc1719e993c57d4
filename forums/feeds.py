"""Atom 1.0 feeds of published forums and news, for feed readers and the street's other sites.

An entry's summary is typed html in Atom: its plain text is escaped, so that markup typed into a
summary reaches a feed reader as text, as it does on the site's own pages."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from forums.markdown import plain_text
from forums.models import Forum, NewsItem

FEED_LENGTH = 30


class ForumFeed(Feed):
    feed_type = Atom1Feed
    title = _("Lujiazui co-governance forums")
    subtitle = _("Published summaries of the street's co-governance forums.")
    link = reverse_lazy("forums:forum_list")
    author_name = _("Lujiazui Street")

    def items(self):
        return Forum.objects.published().order_by("-published_at")[:FEED_LENGTH]

    def item_title(self, item: Forum) -> str:
        return item.title

    def item_description(self, item: Forum) -> str:
        return escape(plain_text(item.summary, length=400))

    def item_pubdate(self, item: Forum):
        return item.published_at

    def item_updateddate(self, item: Forum):
        return item.corrected_at or item.published_at


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Lujiazui co-governance news")
    subtitle = _("News from the street and the district.")
    link = reverse_lazy("forums:news_list")
    author_name = _("Lujiazui Street")

    def items(self):
        return NewsItem.objects.published().order_by("-published_at")[:FEED_LENGTH]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return escape(item.summary)

    def item_author_name(self, item: NewsItem) -> str:
        return item.source

    def item_pubdate(self, item: NewsItem):
        return item.published_at

    def item_updateddate(self, item: NewsItem):
        return item.corrected_at or item.published_at
