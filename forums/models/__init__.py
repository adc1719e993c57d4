"""Forums and publishing: forums with their speeches, the practice library, news and events."""

from forums.models.events import (
    ACTIVE_STATUSES,
    CODE_ALPHABET,
    MAX_BOOKINGS_PER_PHONE,
    MAX_PARTY_SIZE,
    Booking,
    BookingStatus,
    Event,
    EventSession,
    normalise_code,
    normalise_mobile,
)
from forums.models.forums import (
    Attendee,
    AttendeeRole,
    Forum,
    ReviewState,
    Speech,
    SpeechKind,
    SpeechReview,
    Verdict,
)
from forums.models.library import NewsItem, Practice
from forums.models.publishing import (
    EDITABLE_STATUSES,
    PUBLICATION_TRANSITIONS,
    PublicationStatus,
    SearchEntry,
    SearchKind,
    Topic,
    Version,
)

__all__ = [
    "ACTIVE_STATUSES",
    "CODE_ALPHABET",
    "EDITABLE_STATUSES",
    "MAX_BOOKINGS_PER_PHONE",
    "MAX_PARTY_SIZE",
    "PUBLICATION_TRANSITIONS",
    "Attendee",
    "AttendeeRole",
    "Booking",
    "BookingStatus",
    "Event",
    "EventSession",
    "Forum",
    "NewsItem",
    "Practice",
    "PublicationStatus",
    "ReviewState",
    "SearchEntry",
    "SearchKind",
    "Speech",
    "SpeechKind",
    "SpeechReview",
    "Topic",
    "Verdict",
    "Version",
    "normalise_code",
    "normalise_mobile",
]
