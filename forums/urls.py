from django.urls import path

from forums import feeds, views

app_name = "forums"

urlpatterns = [
    path("forums/", views.forum_list, name="forum_list"),
    path("forums/feed/", feeds.ForumFeed(), name="forum_feed"),
    path("forums/<slug:slug>/", views.forum_detail, name="forum_detail"),
    path("forums/<slug:slug>/cover/", views.forum_cover, name="forum_cover"),
    path(
        "forums/<slug:slug>/versions/<int:number>/",
        views.version_detail,
        {"kind": "forum"},
        name="forum_version",
    ),
    path(
        "forums/<slug:slug>/transition/",
        views.publication_transition,
        {"kind": "forum"},
        name="forum_transition",
    ),
    path("forums/<slug:slug>/correct/", views.forum_correct, name="forum_correct"),
    path("forums/<slug:slug>/speeches/new/", views.speech_edit, name="speech_create"),
    path("forums/<slug:slug>/speeches/<int:pk>/edit/", views.speech_edit, name="speech_edit"),
    path("forums/<slug:slug>/speeches/<int:pk>/review/", views.speech_review, name="speech_review"),
    path(
        "forums/<slug:slug>/speeches/<int:pk>/correct/",
        views.speech_correct,
        name="speech_correct",
    ),
    path("practices/", views.practice_list, name="practice_list"),
    path("practices/<slug:slug>/", views.practice_detail, name="practice_detail"),
    path(
        "practices/<slug:slug>/versions/<int:number>/",
        views.version_detail,
        {"kind": "practice"},
        name="practice_version",
    ),
    path(
        "practices/<slug:slug>/transition/",
        views.publication_transition,
        {"kind": "practice"},
        name="practice_transition",
    ),
    path("news/", views.news_list, name="news_list"),
    path("news/feed/", feeds.NewsFeed(), name="news_feed"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path(
        "news/<slug:slug>/versions/<int:number>/",
        views.version_detail,
        {"kind": "news"},
        name="news_version",
    ),
    path(
        "news/<slug:slug>/transition/",
        views.publication_transition,
        {"kind": "news"},
        name="news_transition",
    ),
    path("search/", views.search, name="search"),
]
