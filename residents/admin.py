from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from residents.models import BuildingGroup, Compound, ResidentialArea, Street, User


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


class Refused(Exception):
    """A service refused a save asked for in the admin: its errors, by the prefix of the form
    they belong to (``None`` for the page's main form, ``posts-0`` for an inline row)."""

    def __init__(self, errors: dict[str | None, ValidationError]) -> None:
        super().__init__(errors)
        self.errors = errors


@contextmanager
def refusal_shown_on(form: forms.BaseForm) -> Iterator[None]:
    """A service's ValidationError within the block is shown on ``form``."""
    try:
        yield
    except ValidationError as error:
        raise Refused({form.prefix: error}) from error


def _show(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class _ShowsRefusals:
    refusals: dict = {}

    def clean(self):
        cleaned = super().clean()
        if self.prefix in self.refusals:
            _show(self, self.refusals[self.prefix])
        return cleaned


def _showing_refusals(form_class: type[forms.BaseForm], refusals: dict) -> type[forms.BaseForm]:
    """The form class, whose forms show the refusals meant for them when they are cleaned."""
    return type(form_class.__name__, (_ShowsRefusals, form_class), {"refusals": refusals})


def take_saved(obj: models.Model, saved: models.Model) -> None:
    """Give the admin's object what a service saved (its id, what the service filled in), so
    that the inlines, the change message and the next page use the saved record."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def changed_values(form: forms.BaseForm) -> dict:
    """The fields the user changed on an admin form, by name, for an update service's keyword
    arguments: a field left alone keeps what is stored."""
    return {name: form.cleaned_data[name] for name in form.changed_data}


class ServiceAdminMixin:
    """An admin whose saves go through the portal's services: ``create`` gets the acting user
    and every field of the form, ``update`` the record, the acting user and the fields the user
    changed (a change of nothing saves nothing); inlines may go through services in
    ``save_formset``. A service refusing a save (a ValidationError, or ``Refused`` from an
    inline) rolls the whole save back; the page is then shown again as posted, with the
    service's errors on the forms they belong to, as the forms' own errors are."""

    def create(self, actor: User, **fields) -> models.Model:
        raise NotImplementedError

    def update(self, obj: models.Model, actor: User, **changes) -> models.Model:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        with refusal_shown_on(form):
            if not change:
                saved = self.create(request.user, **form.cleaned_data)
            elif changes := changed_values(form):
                saved = self.update(obj, request.user, **changes)
            else:
                return
        take_saved(obj, saved)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            request.admin_refusals = refused.errors
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusals = getattr(request, "admin_refusals", None)
        return _showing_refusals(form, refusals) if refusals else form


class ServiceInlineMixin:
    """An inline of a ``ServiceAdminMixin`` admin: its rows show what a service refused too."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        refusals = getattr(request, "admin_refusals", None)
        if refusals:
            formset.form = _showing_refusals(formset.form, refusals)
        return formset


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
