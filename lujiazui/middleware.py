"""The maintenance page while the database is away."""

import logging

from django.http import HttpRequest, HttpResponse

from lujiazui.errors import DATABASE_UNAVAILABLE, database_unavailable

logger = logging.getLogger("lujiazui.faults")


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers 503 with the maintenance page, never a traceback.

    Nothing needs restarting when the database returns: Django closes a connection that had
    errors at the end of the request (and CONN_HEALTH_CHECKS tests a kept one before reuse), so
    the next request connects afresh.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error(
            "database unavailable: %s: %s",
            type(exception).__name__,
            exception,
            extra={"request": request, "status_code": 503},
        )
        response = database_unavailable(request)
        # The line above is this request's one log line: Django's own "Service Unavailable"
        # line would repeat it without the cause, and mail the ADMINS once per request of an
        # outage (watch /healthz/ for that instead).
        response._has_been_logged = True
        return response
