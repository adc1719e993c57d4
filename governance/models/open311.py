"""Partner systems that post cases through the Open311 GeoReport v2 interface."""

import hashlib
from typing import Self

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residents.models import Street, User


def hash_api_key(key: str) -> str:
    """Keys are long random strings, so one SHA-256 is enough; only this hash is stored."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiClientQuerySet(models.QuerySet["ApiClient"]):
    def managed_by(self, user: User) -> Self:
        """The partner systems of the streets whose office the user works for."""
        return self.filter(street__in=Street.objects.managed_by(user))

    def with_key(self, key: str) -> Self:
        """The active client that holds this key (none for an empty or unknown key)."""
        if not key:
            return self.none()
        return self.filter(key_hash=hash_api_key(key), is_active=True)


class ApiClient(models.Model):
    """A partner system (e.g. the 12345 hotline's platform) allowed to post cases in a street.
    Its cases are logged by its own account, which cannot log in."""

    name = models.CharField(_("name"), max_length=80)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="api_clients", verbose_name=_("street")
    )
    account = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("account"),
        editable=False,
        help_text=_("The account the partner system's cases are logged by."),
    )
    key_prefix = models.CharField(
        _("key begins with"),
        max_length=8,
        editable=False,
        help_text=_("The first characters of the key, to tell keys apart."),
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive partner system's key is refused.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("Open311 partner system")
        verbose_name_plural = _("Open311 partner systems")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="api_client_name_per_street"),
        ]

    def __str__(self) -> str:
        return self.name
