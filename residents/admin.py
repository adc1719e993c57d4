from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from residents.models import BuildingGroup, Compound, Person, ResidentialArea, Street, User


class ScopedAdminMixin:
    """Every changelist and every choice list shows only what the user manages."""

    def get_queryset(self, request):
        return super().get_queryset(request).managed_by(request.user)

    def _scoped(self, db_field, request, kwargs):
        queryset = kwargs.get("queryset", db_field.related_model._default_manager.all())
        if hasattr(queryset, "managed_by"):
            kwargs["queryset"] = queryset.managed_by(request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._scoped(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._scoped(db_field, request, kwargs)
        )


class ReadOnlyAdminMixin:
    """Records written only by the portal's services: the admin lists and shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    show_full_result_count = False
    list_per_page = 50


@admin.register(Street)
class StreetAdmin(ScopedAdmin):
    """Streets are set up by the installation's superuser; street staff only read theirs."""

    list_display = ["name", "code", "district"]
    search_fields = ["name", "code", "district"]
    prepopulated_fields = {"slug": ["code"]}

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class CompoundInline(ScopedAdminMixin, admin.TabularInline):
    model = Compound
    extra = 0


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "street", "slug"]
    list_filter = [("street", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "slug"]
    inlines = [CompoundInline]


class BuildingGroupInline(ScopedAdminMixin, admin.TabularInline):
    model = BuildingGroup
    extra = 0
    autocomplete_fields = ["leader"]


@admin.register(Compound)
class CompoundAdmin(ScopedAdmin):
    list_display = ["name", "area", "address"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area"]
    search_fields = ["name", "address", "area__name"]
    inlines = [BuildingGroupInline]


@admin.register(BuildingGroup)
class BuildingGroupAdmin(ScopedAdmin):
    list_display = ["name", "compound", "leader"]
    list_filter = [("compound__area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["compound", "leader"]
    search_fields = ["name", "compound__name"]
    autocomplete_fields = ["leader"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("compound")


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["name", "area", "street", "phone"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area", "street"]
    search_fields = ["name", "phone"]


@admin.register(User)
class UserAdmin(ScopedAdminMixin, BaseUserAdmin):
    show_full_result_count = False
    list_display = ["username", "role", "street", "is_staff", "is_active"]
    list_filter = ["role", "is_staff", "is_active"]
    list_select_related = ["street"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["areas", "groups", "user_permissions"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Where the user works"), {"fields": ["role", "street", "areas", "person"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Where the user works"), {"fields": ["role", "street", "areas", "person"]}),
    ]
    superuser_only_fields = {"is_superuser", "groups", "user_permissions"}

    def get_queryset(self, request):
        """A superuser's login is out of reach (a 404) for anyone but a superuser."""
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        """Street staff manage their street's logins but cannot hand out superuser rights."""
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in self.superuser_only_fields],
                },
            )
            for name, options in fieldsets
        ]
