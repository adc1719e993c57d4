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
    pinyin_slug,
    publication_correct,
    publication_transition,
    speech_correct,
    speech_review,
    speech_save,
)

__all__ = [
    "booking_cancel",
    "booking_check_in",
    "booking_create",
    "booking_find",
    "bookings_forget",
    "pinyin_slug",
    "publication_correct",
    "publication_transition",
    "session_update",
    "speech_correct",
    "speech_review",
    "speech_save",
    "waitlist_promote",
]
