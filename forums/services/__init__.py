"""Writes of record. Views, the admin and commands all go through these functions."""

from forums.services.bookings import (
    booking_cancel,
    booking_check_in,
    booking_create,
    booking_find,
    bookings_forget,
    session_update,
    waitlist_promote,
)
from forums.services.publishing import (
    forum_correct,
    news_item_correct,
    pinyin_slug,
    practice_correct,
    publication_transition,
)
from forums.services.search import (
    event_reindex,
    search_index_rebuild,
    service_reindex,
    wish_reindex,
)
from forums.services.speeches import (
    speech_correct,
    speech_create,
    speech_review,
    speech_update,
)

__all__ = [
    "booking_cancel",
    "booking_check_in",
    "booking_create",
    "booking_find",
    "bookings_forget",
    "event_reindex",
    "forum_correct",
    "news_item_correct",
    "pinyin_slug",
    "practice_correct",
    "publication_transition",
    "search_index_rebuild",
    "service_reindex",
    "session_update",
    "speech_correct",
    "speech_create",
    "speech_review",
    "speech_update",
    "waitlist_promote",
    "wish_reindex",
]
