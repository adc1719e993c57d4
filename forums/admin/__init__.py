"""The forums app's admin: forums, speeches, practices, news and topics (publishing.py); events,
their time slots and bookings (events.py). Importing both registers their models."""

from forums.admin import events, publishing  # noqa: F401 - registers the models
