"""Display preferences kept in the browser, read on every page without touching the database."""

from django.http import HttpRequest

# Not personal: it says only how big this browser wants the text, and no account is involved.
LARGE_TEXT_COOKIE = "large_text"


def large_text(request: HttpRequest) -> dict:
    return {"large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "on"}
