"""Login pages: the lockout after too many failed attempts."""

from axes.helpers import get_cool_off, get_failure_limit
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """django-axes' lockout answer: says when to try again. Every refused attempt during the
    lockout starts the cool-off again, so it ends a cool-off from now."""
    cool_off = get_cool_off(request)
    context = {
        "limit": get_failure_limit(request, credentials),
        "try_again_at": timezone.localtime() + cool_off if cool_off else None,
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
