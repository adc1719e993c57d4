"""The 1+3+N structure in the admin: organisations with their posts, posts, co-construction
agreements, people, and the roster imports that filled them.

Organisations, posts, agreements and people are saved through the same services as on the staff
pages and in the roster import, so an admin edit keeps the same rules and is recorded the same
way; a change passes only the fields the user changed. Deletes stay the admin's own (the audit
trail records them with the user)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance import services
from governance.models import (
    KINDS_BY_TIER,
    Agreement,
    Organization,
    Post,
    RosterImport,
    TermState,
    Tier,
)
from residents.admin import (
    ReadOnlyAdminMixin,
    Refused,
    ScopedAdmin,
    ScopedAdminMixin,
    ServiceAdminMixin,
    ServiceInlineMixin,
    changed_values,
    take_saved,
)
from residents.models import Person


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


class PostInline(ServiceInlineMixin, ScopedAdminMixin, admin.TabularInline):
    model = Post
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "title", "part_time", "start_date", "end_date"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organization")


@admin.register(Organization)
class OrganizationAdmin(ServiceAdminMixin, ScopedAdmin):
    list_display = ["name", "kind", "tier_display", "area", "compound", "term_end", "term_display"]
    list_filter = [
        TierFilter,
        "kind",
        TermStateFilter,
        ("area", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["area", "compound"]
    search_fields = ["name", "area__name", "compound__name"]
    fields = [
        "street",
        "area",
        "compound",
        "building_group",
        "parent",
        "kind",
        "name",
        "description",
        "term_start",
        "term_end",
    ]
    autocomplete_fields = ["parent", "compound", "building_group"]
    inlines = [PostInline]

    @admin.display(description=_("tier"))
    def tier_display(self, organization: Organization) -> str:
        return organization.tier.label

    @admin.display(description=_("term or contract"))
    def term_display(self, organization: Organization) -> str:
        state = organization.term_state()
        return "" if state == TermState.NONE else state.label

    def create(self, actor, **fields):
        return services.organization_create(actor=actor, **fields)

    def update(self, organization, actor, **changes):
        return services.organization_update(organization=organization, actor=actor, **changes)

    def save_formset(self, request, form, formset, change):
        """The posts added or changed on the organisation's page go through the post services;
        every row the services refuse is shown with its errors."""
        if formset.model is not Post:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # sorts the rows into new, changed and deleted posts
        rows = {id(row.instance): row for row in formset.forms}
        refusals = {}
        for post in formset.deleted_objects:
            post.delete()
        for post in formset.new_objects:
            row = rows[id(post)]
            data = row.cleaned_data
            try:
                saved = services.post_create(
                    actor=request.user,
                    organization=form.instance,
                    person=data["person"],
                    title=data["title"],
                    part_time=data["part_time"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                )
            except ValidationError as error:
                refusals[row.prefix] = error
            else:
                take_saved(post, saved)
        for post, _changed in formset.changed_objects:
            row = rows[id(post)]
            try:
                services.post_update(post=post, actor=request.user, **changed_values(row))
            except ValidationError as error:
                refusals[row.prefix] = error
        if refusals:
            raise Refused(refusals)


@admin.register(Post)
class PostAdmin(ServiceAdminMixin, ScopedAdmin):
    list_display = ["person", "title", "organization", "part_time", "start_date", "end_date"]
    list_filter = ["title", "part_time", ("organization__area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "organization"]
    search_fields = ["person__name", "organization__name"]
    fields = ["person", "organization", "title", "part_time", "start_date", "end_date"]
    autocomplete_fields = ["person", "organization"]
    date_hierarchy = "start_date"

    def create(self, actor, **fields):
        return services.post_create(actor=actor, **fields)

    def update(self, post, actor, **changes):
        return services.post_update(post=post, actor=actor, **changes)


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
class AgreementAdmin(ServiceAdminMixin, ScopedAdmin):
    list_display = ["title", "partner", "area", "start_date", "end_date"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["partner", "area"]
    search_fields = ["title", "partner__name", "area__name"]
    fields = [
        "partner",
        "area",
        "title",
        "partner_offers",
        "area_offers",
        "start_date",
        "end_date",
    ]
    autocomplete_fields = ["partner"]

    def create(self, actor, **fields):
        return services.agreement_create(actor=actor, **fields)

    def update(self, agreement, actor, **changes):
        return services.agreement_update(agreement=agreement, actor=actor, **changes)


@admin.register(Person)
class PersonAdmin(ServiceAdminMixin, ScopedAdmin):
    """A person's street is not chosen: it is their area's, or with no area the street office of
    whoever registers them (as on the staff pages)."""

    list_display = ["name", "area", "street", "phone"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area", "street"]
    search_fields = ["name", "phone"]
    fields = ["street", "area", "name", "phone", "address", "note"]
    readonly_fields = ["street"]

    def create(self, actor, **fields):
        return services.person_create(actor=actor, **fields)

    def update(self, person, actor, **changes):
        return services.person_update(person=person, actor=actor, **changes)
