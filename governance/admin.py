from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.models import (
    KINDS_BY_TIER,
    Agreement,
    Organization,
    Post,
    TermState,
    Tier,
)
from residents.admin import ScopedAdmin, ScopedAdminMixin


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


@admin.register(Agreement)
class AgreementAdmin(ScopedAdmin):
    list_display = ["title", "partner", "area", "start_date", "end_date"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["partner", "area"]
    search_fields = ["title", "partner__name", "area__name"]
    autocomplete_fields = ["partner"]
