"""Login pages: the lockout after too many failed attempts, and two-step login."""

import base64
from base64 import b32encode

import qrcode
from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from qrcode.image.svg import SvgPathFillImage

from accounts.forms import LoginForm, TokenForm
from accounts.landing import landing_url
from accounts.services import (
    totp_device_confirm,
    totp_device_for_login,
    totp_device_remove,
    totp_device_start,
)


class LoginView(auth_views.LoginView):
    """Django's login (with the two-step code where it is on), landing on the login's work. A
    ``next`` of this site wins (Django checks its host), except the home page, which the
    header's login link sends from the home page itself."""

    authentication_form = LoginForm

    def get_redirect_url(self) -> str:
        url = super().get_redirect_url()
        return "" if url == reverse("home") else url

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


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


def _qr_code_data_uri(text: str) -> str:
    """The QR code of `text` as an SVG drawn on the server, for an <img> (no script, no CDN)."""
    image = qrcode.make(text, image_factory=SvgPathFillImage, box_size=10, border=4)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


@login_required
def two_step(request: HttpRequest) -> HttpResponse:
    """Two-step login for one's own account: set up an authenticator app with a QR code and a
    code from it, or turn it off with a current code."""
    device = totp_device_for_login(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"]
        try:
            if device is None:
                totp_device_confirm(user=request.user, token=token)
                messages.success(
                    request, _("Two-step login is on. Logging in now asks for a code.")
                )
            else:
                totp_device_remove(user=request.user, token=token)
                messages.success(request, _("Two-step login is off."))
        except ValidationError as error:
            form.add_error("otp_token", error)
        else:
            return redirect("two_step")
    context = {"form": form, "enabled": device is not None}
    if device is None:
        pending = totp_device_start(user=request.user)
        context["qr_code"] = _qr_code_data_uri(pending.config_url)
        secret = b32encode(pending.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "registration/two_step.html", context)
