"""Permissions follow the role: street office staff may change every record of the portal's apps
(their street's only, since every admin queryset is scoped); nobody else gets the admin."""

from django.contrib.auth.backends import ModelBackend

from residents.models import Role

PORTAL_APPS = {
    "residents",
    "governance",
    "wishes",
    "brands",
    "forums",
    "inbox",
    "doorstep",
    "accounts",
}


class RoleBackend(ModelBackend):
    def _is_street_staff(self, user) -> bool:
        return bool(user.is_active and user.is_staff and user.role == Role.STREET_STAFF)

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if self._is_street_staff(user_obj) and perm.split(".", 1)[0] in PORTAL_APPS:
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        if self._is_street_staff(user_obj) and app_label in PORTAL_APPS:
            return True
        return super().has_module_perms(user_obj, app_label)
