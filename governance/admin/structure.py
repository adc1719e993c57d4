"""The 1+3+N structure in the admin: organisations with their posts, posts, co-construction
agreements, and the roster imports that filled them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.models import (
    KINDS_BY_TIER,
    Agreement,
    Organization,
    Post,
    RosterImport,
    TermState,
    Tier,
)
from residents.admin import ReadOnlyAdminMixin, ScopedAdmin, ScopedAdminMixin


class TierFilter(admin.SimpleListFilter):
    title = _("tier")
    parameter_name = "tier"

    def lookups(self, request, model_admin):
        return Tier.choices

    def queryset(self, request, queryset):
        if self.value() in Tier.values:
            return queryset.filter(kind__in=KINDS_BY_TIER[Tier(self.value())])
        return queryset


class TermStateFilter(admin.SimpleListFilter):
    title = _("term or contract")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [(state.value, state.label) for state in (TermState.EXPIRING, TermState.EXPIRED)]

    def queryset(self, request, queryset):
        if self.value() == TermState.EXPIRING:
            return queryset.term_expiring()
        if self.value() == TermState.EXPIRED:
            return queryset.term_expired()
        return queryset


class PostInline(ScopedAdminMixin, admin.TabularInline):
    model = Post
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "title", "part_time", "start_date", "end_date"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organization")


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "tier_display", "area", "compound", "term_end", "term_display"]
    list_filter = [
        TierFilter,
        "kind",
        TermStateFilter,
        ("area", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["area", "compound"]
    search_fields = ["name", "area__name", "compound__name"]
    autocomplete_fields = ["parent", "compound", "building_group"]
    inlines = [PostInline]

    @admin.display(description=_("tier"))
    def tier_display(self, organization: Organization) -> str:
        return organization.tier.label

    @admin.display(description=_("term or contract"))
    def term_display(self, organization: Organization) -> str:
        state = organization.term_state()
        return "" if state == TermState.NONE else state.label


@admin.register(Post)
class PostAdmin(ScopedAdmin):
    list_display = ["person", "title", "organization", "part_time", "start_date", "end_date"]
    list_filter = ["title", "part_time", ("organization__area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "organization"]
    search_fields = ["person__name", "organization__name"]
    autocomplete_fields = ["person", "organization"]
    date_hierarchy = "start_date"


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """Uploaded rosters and what their runs found or wrote; the import page starts them."""

    list_display = [
        "created_at",
        "original_name",
        "street",
        "actor",
        "dry_run",
        "status",
        "rows_total",
        "written",
    ]
    list_filter = ["status", "dry_run", "written"]
    list_select_related = ["street", "actor"]
    search_fields = ["original_name"]
    date_hierarchy = "created_at"
    # The file has no URL (private storage) and is gone once the run ends.
    exclude = ["file"]


@admin.register(Agreement)
class AgreementAdmin(ScopedAdmin):
    list_display = ["title", "partner", "area", "start_date", "end_date"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["partner", "area"]
    search_fields = ["title", "partner__name", "area__name"]
    autocomplete_fields = ["partner"]
