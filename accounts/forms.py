"""The login forms: username and password, then the code of the authenticator app for the
logins that turned two-step login on."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.services import totp_device_for_login


def token_field(*, required: bool, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=_("Code from the authenticator app"),
        required=required,
        max_length=8,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class TwoStepLoginMixin:
    """After the password, a login with a confirmed TOTP device must give a current code. A
    wrong code counts as a failed login (audited, and toward the lockout)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "token_required": _("This login uses two-step login: enter the code from your app."),
        "invalid_token": _("The code is wrong or has expired. Enter the current code."),
        "throttled": _("Too many wrong codes: wait a little, then enter the current code."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's login form sets the username's max_length after the field is built, so it
        # never checks it: a name longer than any login would reach authenticate() and overflow
        # the lockout's record of it (django-axes keeps 255 characters).
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned_data
        device = totp_device_for_login(user=user)
        if device is None:
            return cleaned_data
        token = (cleaned_data.get("otp_token") or "").strip()
        if not token:
            raise ValidationError(self.error_messages["token_required"], code="token_required")
        # django-otp waits longer after each wrong code (1, 2, 4... seconds) before it checks one.
        allowed, _details = device.verify_is_allowed()
        if not (allowed and device.verify_token(token)):
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username()},
                request=self.request,
            )
            code = "invalid_token" if allowed else "throttled"
            raise ValidationError(self.error_messages[code], code=code)
        # django-otp marks the session as verified with this device when the login completes.
        user.otp_device = device
        return cleaned_data


class LoginForm(TwoStepLoginMixin, AuthenticationForm):
    otp_token = token_field(
        required=False, help_text=_("Only if you turned on two-step login for your account.")
    )


class AdminLoginForm(TwoStepLoginMixin, AdminAuthenticationForm):
    otp_token = token_field(
        required=False, help_text=_("Only if you turned on two-step login for your account.")
    )


class TokenForm(forms.Form):
    otp_token = token_field(required=True)
