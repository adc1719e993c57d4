from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from brands import services
from brands.models import Brand, BrandAction, BrandActivity
from residents.admin import ScopedAdmin, ScopedAdminMixin


class BrandActionInline(ScopedAdminMixin, admin.TabularInline):
    model = BrandAction
    extra = 0
    fields = ["order", "name", "description"]
    ordering = ["order"]


@admin.register(Brand)
class BrandAdmin(ScopedAdmin):
    list_display = ["name", "area", "organization", "started_on", "is_public"]
    list_filter = ["is_public", ("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area", "organization"]
    search_fields = ["name", "motto", "area__name"]
    inlines = [BrandActionInline]


class BrandActivityAdminForm(forms.ModelForm):
    class Meta:
        # Brand photos have no storage URL (a brand not yet public keeps them unseen): the
        # current photo is linked to its page view instead of the file input showing it.
        widgets = {"photo": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}

    def clean(self):
        """The rules of the brand page apply here too (the service checks them again on save)."""
        cleaned = super().clean()
        photo = cleaned.get("photo") if "photo" in self.changed_data else None
        if cleaned.get("date"):
            try:
                services.brand_activity_check(
                    brand=self.instance.brand,
                    date=cleaned["date"],
                    action=cleaned.get("action"),
                    photo=photo,
                    photo_alt=cleaned.get("photo_alt", ""),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(BrandActivity)
class BrandActivityAdmin(ScopedAdmin):
    """Activities are recorded on the brand's page; here they are corrected or removed."""

    form = BrandActivityAdminForm
    list_display = ["title", "brand", "action", "date"]
    list_filter = [("brand__area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["brand", "action"]
    search_fields = ["title", "brand__name"]
    date_hierarchy = "date"
    fields = ["brand", "action", "date", "title", "text", "current_photo", "photo", "photo_alt"]
    readonly_fields = ["brand", "current_photo"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("current photo"))
    def current_photo(self, activity: BrandActivity) -> str:
        if not activity.photo:
            return "—"
        url = reverse("brands:brand_activity_photo", args=[activity.brand.slug, activity.pk])
        return format_html('<a href="{}">{}</a>', url, activity.photo_alt)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.brand_activity_edit(
            activity=obj,
            actor=request.user,
            date=data["date"],
            title=data["title"],
            text=data.get("text", ""),
            action=data.get("action"),
            photo=data["photo"] if "photo" in form.changed_data else None,
            photo_alt=data.get("photo_alt", ""),
        )

    def delete_model(self, request, obj):
        services.brand_activity_delete(activity=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for activity in queryset:
            services.brand_activity_delete(activity=activity, actor=request.user)
