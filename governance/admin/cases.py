"""Cases in the admin: listed, filtered, exported and shown with their history (every change goes
through the case page); their categories, and the partner systems that post them (Open311)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from governance import services
from governance.export_tables import case_header, case_rows
from governance.exports import csv_response
from governance.models import (
    ApiClient,
    Case,
    CaseParty,
    Category,
    CategoryReplyTemplate,
    OrganizationKind,
)
from residents.admin import ReadOnlyAdminMixin, ScopedAdmin, ScopedAdminMixin
from residents.models import ResidentialArea


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue"))]

    def queryset(self, request, queryset):
        return queryset.overdue() if self.value() == "yes" else queryset


class ManagedAreaFilter(admin.SimpleListFilter):
    """The areas the user manages, without scanning the cases for the areas they use."""

    title = _("residential area")
    parameter_name = "area"

    def lookups(self, request, model_admin):
        return [(a.pk, a.name) for a in ResidentialArea.objects.managed_by(request.user)]

    def queryset(self, request, queryset):
        return queryset.filter(area_id=self.value()) if self.value() else queryset


class CasePartyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Shown, not edited: parties are set on the case page, where the area rule is kept."""

    model = CaseParty
    extra = 0
    fields = ["organization", "role", "added_at"]
    readonly_fields = fields


class CappedPaginator(Paginator):
    """Counts at most ADMIN_COUNT_CAP cases, so that a filter matching hundreds of thousands
    of cases is not counted on every page; the list then pages through the first ones."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[:ADMIN_COUNT_CAP].count()


ADMIN_COUNT_CAP = 10_000


@admin.register(Case)
class CaseAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    paginator = CappedPaginator
    show_full_result_count = False
    list_per_page = 50
    list_display = [
        "number",
        "title",
        "area",
        "category",
        "status",
        "priority",
        "due_date",
        "overdue",
    ]
    list_filter = [
        "status",
        OverdueFilter,
        "category",
        "priority",
        "channel",
        ManagedAreaFilter,
    ]
    list_select_related = ["area", "category"]
    search_fields = ["=number", "title"]
    ordering = ["-created_at", "-pk"]
    inlines = [CasePartyInline]
    change_list_template = "admin/governance/case/change_list.html"

    def get_queryset(self, request):
        return Case.objects.visible_to(request.user)

    # The admin lists, filters, exports and shows history. Every change of a case goes through
    # the case page and its services, which keep the rules, the timeline and the counts.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _in_scope_or_404(self, request, object_id) -> None:
        """django-simple-history falls back to stored rows for a case out of scope: refuse."""
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def has_delete_permission(self, request, obj=None):
        return False  # a case is a record: it is closed or rejected, never deleted

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, case: Case) -> bool:
        return case.is_overdue()

    def get_urls(self):
        return [
            path("export.csv", self.export_csv, name="governance_case_export"),
            *super().get_urls(),
        ]

    def export_csv(self, request):
        """The changelist as filtered now, as CSV; streamed, so a long list does not fill memory.
        Anyone without the admin gets a 404, not a redirect to its login."""
        if not (self.admin_site.has_permission(request) and self.has_view_permission(request)):
            raise Http404
        changelist = self.get_changelist_instance(request)
        cases = changelist.get_queryset(request)
        return csv_response(case_header(), case_rows(cases), filename="cases")


class ReplyTemplateInline(admin.TabularInline):
    model = CategoryReplyTemplate
    extra = 1


class CategoryForm(forms.ModelForm):
    assisting_kinds = forms.MultipleChoiceField(
        label=_("suggested assisting parties"),
        choices=OrganizationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Category
        fields = [
            "name",
            "name_en",
            "target_days",
            "lead_kind",
            "assisting_kinds",
            "checklist",
            "is_active",
            "service_code",
        ]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ["name", "name_en", "target_days", "lead_kind", "service_code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "service_code"]
    inlines = [ReplyTemplateInline]


@admin.register(ApiClient)
class ApiClientAdmin(ScopedAdmin):
    """Partner systems of the street that post cases through Open311. A new system's key is
    shown once, on the page after it is added; only its hash is stored."""

    list_display = ["name", "street", "key_prefix", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    list_select_related = ["street"]
    search_fields = ["name", "key_prefix"]
    readonly_fields = ["key_prefix", "account", "created_at", "last_used_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "street"]
        return ["name", "street", "is_active", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["street", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return False  # its cases keep their account: deactivate it instead

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            client, key = services.api_client_create(
                name=obj.name, street=obj.street, actor=request.user
            )
        except ValidationError as error:
            raise PermissionDenied from error  # the form has checked the name already
        for field in ["id", "account_id", "key_prefix", "key_hash", "created_at"]:
            setattr(obj, field, getattr(client, field))
        obj._state.adding = False
        request.open311_key = key

    def response_add(self, request, obj, post_url_continue=None):
        response = TemplateResponse(
            request,
            "admin/governance/apiclient/key_issued.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "client": obj,
                "key": request.open311_key,
                "title": _("The key of %(name)s") % {"name": obj.name},
            },
        )
        response["Cache-Control"] = "no-store"
        return response
