from django.urls import path

from forums import feeds
from forums.views import events, forums, publishing, search

app_name = "forums"

urlpatterns = [
    path("forums/", forums.forum_list, name="forum_list"),
    path("forums/feed/", feeds.ForumFeed(), name="forum_feed"),
    path("forums/<slug:slug>/", forums.forum_detail, name="forum_detail"),
    path("forums/<slug:slug>/cover/", forums.forum_cover, name="forum_cover"),
    path(
        "forums/<slug:slug>/versions/<int:number>/",
        publishing.version_detail,
        {"kind": "forum"},
        name="forum_version",
    ),
    path(
        "forums/<slug:slug>/transition/",
        publishing.publication_transition,
        {"kind": "forum"},
        name="forum_transition",
    ),
    path("forums/<slug:slug>/correct/", forums.forum_correct, name="forum_correct"),
    path("forums/<slug:slug>/speeches/new/", forums.speech_edit, name="speech_create"),
    path("forums/<slug:slug>/speeches/<int:pk>/edit/", forums.speech_edit, name="speech_edit"),
    path(
        "forums/<slug:slug>/speeches/<int:pk>/review/",
        forums.speech_review,
        name="speech_review",
    ),
    path(
        "forums/<slug:slug>/speeches/<int:pk>/correct/",
        forums.speech_correct,
        name="speech_correct",
    ),
    path("practices/", publishing.practice_list, name="practice_list"),
    path("practices/<slug:slug>/", publishing.practice_detail, name="practice_detail"),
    path(
        "practices/<slug:slug>/versions/<int:number>/",
        publishing.version_detail,
        {"kind": "practice"},
        name="practice_version",
    ),
    path(
        "practices/<slug:slug>/transition/",
        publishing.publication_transition,
        {"kind": "practice"},
        name="practice_transition",
    ),
    path("news/", publishing.news_list, name="news_list"),
    path("news/feed/", feeds.NewsFeed(), name="news_feed"),
    path("news/<slug:slug>/", publishing.news_detail, name="news_detail"),
    path(
        "news/<slug:slug>/versions/<int:number>/",
        publishing.version_detail,
        {"kind": "news"},
        name="news_version",
    ),
    path(
        "news/<slug:slug>/transition/",
        publishing.publication_transition,
        {"kind": "news"},
        name="news_transition",
    ),
    path("search/", search.search, name="search"),
]

urlpatterns += [
    path("calendar.ics", events.calendar_feed, name="calendar_feed"),
    path("events/", events.event_list, name="event_list"),
    path("events/bookings/", events.booking_lookup, name="booking_lookup"),
    path("events/bookings/<str:code>/", events.booking_detail, name="booking_detail"),
    path("events/bookings/<str:code>/calendar.ics", events.booking_ics, name="booking_ics"),
    path("events/bookings/<str:code>/cancel/", events.booking_cancel, name="booking_cancel"),
    path("events/<slug:slug>/", events.event_detail, name="event_detail"),
    path("events/<slug:slug>/sessions/<int:pk>/book/", events.session_book, name="session_book"),
    path("events/<slug:slug>/manage/", events.event_manage, name="event_manage"),
    path(
        "events/<slug:slug>/sessions/<int:pk>/attendees/",
        events.session_attendees,
        name="session_attendees",
    ),
    path("events/<slug:slug>/check-in/", events.event_check_in, name="event_check_in"),
    path("events/<slug:slug>/bookings.csv", events.event_export, name="event_export"),
    path(
        "events/<slug:slug>/bookings.xlsx",
        events.event_export,
        {"fmt": "xlsx"},
        name="event_export_xlsx",
    ),
]
