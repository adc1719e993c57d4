import copy
from typing import ClassVar

import django_filters
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from governance import widgets
from governance.models import (
    Case,
    CaseCount,
    CaseParty,
    CaseStatus,
    Category,
    Channel,
    Organization,
    Post,
    Priority,
)
from governance.permissions import CaseScope, case_scope
from residents.models import Person, ResidentialArea


def managed_areas(request):
    """The areas the request's user manages, for an area filter's choices."""
    return (
        ResidentialArea.objects.managed_by(request.user)
        if request
        else ResidentialArea.objects.none()
    )


def visible_areas(request):
    """The areas the request's user may see, for an area filter's choices."""
    user = getattr(request, "user", None)
    return ResidentialArea.objects.visible_to(user) if user else ResidentialArea.objects.all()


def _day_filter(
    label: str, field_name: str, lookup: str, widget=django_filters.widgets.forms.DateInput
) -> django_filters.DateFilter:
    """A day picked in a date input, against a date-and-time field (on or after: gte)."""
    return django_filters.DateFilter(
        label=label,
        field_name=field_name,
        lookup_expr=f"date__{lookup}",
        widget=widget(attrs={"type": "date"}),
    )


def _case_day_filter(label: str, field_name: str, lookup: str) -> django_filters.DateFilter:
    return _day_filter(label, field_name, lookup, widget=widgets.DateInput)


# Beyond this many matches a list says "1,000+" instead of counting them all.
COUNT_CAP = 1000


def _categories(request):
    # A function rather than a queryset: each request's copy of the filters then copies no
    # query (a queryset is deep-copied with its whole query). A category is named by these.
    return Category.objects.only("name", "name_en")


def _party_choices(request):
    if request is None:
        return Organization.objects.none()
    from governance.permissions import user_organizations

    return (
        Organization.objects.managed_by(request.user) | user_organizations(request.user)
    ).order_by("name")


class PersonFilter(django_filters.FilterSet):
    """Filters the people directory; built on the already-scoped queryset."""

    q = django_filters.CharFilter(label=_("name contains"), method="filter_q")
    area = django_filters.ModelChoiceFilter(
        label=_("residential area"), queryset=managed_areas, empty_label=_("all areas")
    )
    holds_post = django_filters.ChoiceFilter(
        label=_("holds a current post"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        empty_label=_("any"),
        method="filter_holds_post",
    )

    class Meta:
        model = Person
        fields = ["q", "area", "holds_post"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_holds_post(self, queryset, name, value):
        current = Exists(Post.objects.current().filter(person=OuterRef("pk")))
        return queryset.filter(current) if value == "yes" else queryset.exclude(current)


class _NameRowsIterator(django_filters.fields.ModelChoiceIterator):
    """The choices as (id, name) rows read in one plain query: no model instance per option
    and no server-side cursor (the workbench offers some 200 parties)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        yield from self.queryset.values_list("pk", "name")


class _NameRowsField(django_filters.fields.ModelChoiceField):
    iterator = _NameRowsIterator


class NamedChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice filter for models named by their ``name`` (``__str__`` returns it)."""

    field_class = _NameRowsField


class _PlainRowsIterator(django_filters.fields.ModelChoiceIterator):
    """The choices as model instances read in one plain query, not through the server-side
    cursor of ``iterator()`` (a declare, a fetch and a close on PostgreSQL)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class _PlainRowsField(django_filters.fields.ModelChoiceField):
    iterator = _PlainRowsIterator


class PlainRowsChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice filter whose choices are read in one plain query."""

    field_class = _PlainRowsField


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ends every order with the primary key, so that pages neither repeat nor skip a case."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            last = value[-1]
            qs = qs.order_by(*qs.query.order_by, "-pk" if last.startswith("-") else "pk")
        return qs


# The workbench's orders, the one source of their choices: each direction worded for itself (not
# django-filter's "X (descending)"), the labels lazy so that each reader gets them in their own
# language. The first is the list's own order.
CASE_SORT_FIELDS = {
    "created": "created_at",
    "due": "due_date",
    "priority": "priority",
    "number": "number",
}
CASE_SORT_CHOICES = [
    ("-created", _("newest first")),
    ("created", _("oldest first")),
    ("due", _("due soonest first")),
    ("-due", _("due latest first")),
    ("-priority", _("most urgent first")),
    ("priority", _("least urgent first")),
    ("number", _("case number, low to high")),
    ("-number", _("case number, high to low")),
]


class _DeclaredFilters(dict):
    """A filter set's declared filters, which each filter set deep-copies for itself: copied
    instead as a shallow copy of each filter with its own ``extra`` (which ``field`` writes the
    request's queryset into). The declared labels, widgets and choices are only read, and a
    deep copy of them all cost more than the rest of building the filters."""

    def __deepcopy__(self, memo) -> dict:
        copies = {}
        for name, declared in self.items():
            copied = copies[name] = copy.copy(declared)
            copied.extra = dict(declared.extra)
            if declared.method is not None:
                # A filter method is looked up on the copy's own filter set.
                copied.method = declared.method
        return copies


class CaseFilter(django_filters.FilterSet):
    """The workbench filters, applied to ``Case.objects.visible_to(user)``."""

    q = django_filters.CharFilter(
        label=_("text or number"), method="filter_q", widget=widgets.TextInput
    )
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=CaseStatus.choices,
        empty_label=_("all statuses"),
        widget=widgets.Select,
    )
    category = PlainRowsChoiceFilter(
        label=_("category"),
        queryset=_categories,
        empty_label=_("all categories"),
        widget=widgets.Select,
    )
    area = NamedChoiceFilter(
        label=_("residential area"),
        queryset=managed_areas,
        empty_label=_("all areas"),
        widget=widgets.Select,
    )
    priority = django_filters.ChoiceFilter(
        label=_("priority"),
        choices=Priority.choices,
        empty_label=_("any priority"),
        widget=widgets.Select,
    )
    channel = django_filters.ChoiceFilter(
        label=_("channel"),
        choices=Channel.choices,
        empty_label=_("any channel"),
        widget=widgets.Select,
    )
    party = NamedChoiceFilter(
        label=_("party"),
        queryset=_party_choices,
        method="filter_party",
        empty_label=_("any party"),
        widget=widgets.Select,
    )
    overdue = django_filters.BooleanFilter(
        label=_("overdue only"),
        method="filter_overdue",
        widget=widgets.CheckboxInput,
    )
    open = django_filters.BooleanFilter(
        label=_("open only"),
        method="filter_open",
        widget=widgets.CheckboxInput,
    )
    closed_after = _case_day_filter(_("closed on or after"), "closed_at", "gte")
    closed_before = _case_day_filter(_("closed on or before"), "closed_at", "lte")
    resolved_after = _case_day_filter(_("resolved on or after"), "resolved_at", "gte")
    resolved_before = _case_day_filter(_("resolved on or before"), "resolved_at", "lte")
    reopened = django_filters.BooleanFilter(
        label=_("reopened at least once"),
        method="filter_reopened",
        widget=widgets.CheckboxInput,
    )
    logged_after = _case_day_filter(_("logged on or after"), "created_at", "gte")
    logged_before = _case_day_filter(_("logged on or before"), "created_at", "lte")
    sort = StableOrderingFilter(
        label=_("sort by"),
        fields={field: choice for choice, field in CASE_SORT_FIELDS.items()},
        choices=CASE_SORT_CHOICES,
        empty_label=None,  # no empty choice: the first choice is the list's own order
        widget=widgets.Select,
    )

    class Meta:
        model = Case
        fields = [
            "q",
            "status",
            "category",
            "area",
            "priority",
            "channel",
            "party",
            "overdue",
            "open",
            "logged_after",
            "logged_before",
            "closed_after",
            "closed_before",
            "resolved_after",
            "resolved_before",
            "reopened",
        ]

    # The filters' form class, made once per set of filters (with or without the area) instead
    # of for every request from 17 new fields; its choice fields read no rows of their own: each
    # request's form is given its user's (see ``form``).
    _form_classes: ClassVar[dict[tuple[str, ...], type]] = {}
    _ROWS_PER_REQUEST = ("category", "area", "party")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.request is None or not case_scope(self.request).manages_a_street:
            # Only street staff work across areas; a secretary's list is one area already.
            del self.filters["area"]

    def get_form_class(self):
        key = tuple(self.filters)
        form_class = self._form_classes.get(key)
        if form_class is None:
            form_class = super().get_form_class()
            for name in self._ROWS_PER_REQUEST:
                if name in form_class.base_fields:
                    field = form_class.base_fields[name]
                    field.queryset = field.queryset.none()
            self._form_classes[key] = form_class
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name in self._ROWS_PER_REQUEST:
                if name in form.fields:
                    form.fields[name].queryset = self.filters[name].get_queryset(self.request)
        return self._form

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_party(self, queryset, name, value):
        return queryset.filter(
            Exists(CaseParty.objects.filter(case=OuterRef("pk"), organization=value))
        )

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset

    def filter_reopened(self, queryset, name, value):
        return queryset.reopened() if value else queryset

    def _active(self) -> dict:
        data = self.form.cleaned_data if self.is_valid() else {}
        return {
            name: value
            for name, value in data.items()
            if name not in ("status", "sort") and value not in (None, "", [], False)
        }

    def without_status(self):
        """The filtered cases before the status filter: what the counts per status count."""
        queryset = self.queryset
        for name, value in self._active().items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def status_counts(self, scope: CaseScope) -> tuple[dict[str, int], bool]:
        """Cases per status under the filters in force, and whether the figures are exact.
        Exact from the kept counters when only the area narrows a user's own areas; otherwise
        counted over at most COUNT_CAP + 1 cases, so that no page counts a million rows."""
        active = self._active()
        if set(active) <= {"area"} and scope.areas_alone_decide:
            areas = ResidentialArea.objects.managed_by(scope.user)
            if "area" in active:
                areas = areas.filter(pk=active["area"].pk)
            return CaseCount.objects.per_status(areas), True
        sample = self.without_status().order_by().values("pk")[: COUNT_CAP + 1]
        rows = Case.objects.filter(pk__in=sample).order_by().values("status").annotate(n=Count("*"))
        counts = {row["status"]: row["n"] for row in rows}
        return counts, sum(counts.values()) <= COUNT_CAP


CaseFilter.base_filters = _DeclaredFilters(CaseFilter.base_filters)
