"""Forums and publishing: forums with their speeches, the practice library and news."""

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
    "EDITABLE_STATUSES",
    "PUBLICATION_TRANSITIONS",
    "Attendee",
    "AttendeeRole",
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
]
