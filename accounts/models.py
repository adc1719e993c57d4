"""The login audit: who tried to log in, when, from where, and whether it worked."""

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from residents.models import User


class LoginOutcome(models.TextChoices):
    SUCCESS = "success", _("logged in")
    FAILURE = "failure", _("refused")


class LoginEventQuerySet(models.QuerySet["LoginEvent"]):
    def managed_by(self, user: "User | AnonymousUser") -> Self:
        """A superuser reads every attempt (unknown usernames too); street staff the attempts on
        the logins of their street."""
        from residents.models import User

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(user__in=User.objects.managed_by(user))


class LoginEvent(models.Model):
    """One login attempt. Holds no password, user agent or other personal data beyond the
    username as typed and the client's address."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    username = models.CharField(_("username"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login_events",
        verbose_name=_("login"),
        help_text=_("Empty when the username matches no login."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=LoginOutcome)

    objects = LoginEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username} {self.get_outcome_display()} {self.at:%Y-%m-%d %H:%M}"
