"""The workbench and a case's page render cheaply and exactly as before: widgets written in
Python give the markup of Django's widget templates, the user's scope is looked up once a
request, and the queries are bounded per role."""

import datetime

import pytest
from django import forms
from django.db import connection
from django.forms.renderers import get_default_renderer
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from governance import services, widgets
from governance.forms.cases import CasePartiesForm, CaseUpdateForm
from governance.models import CaseStatus, ClosureReason, Post
from tests import factories

pytestmark = pytest.mark.django_db

CHOICES = [
    ("", gettext_lazy("all statuses")),
    ("new", "new"),
    ("a&b", 'Tom\'s "<b>" & co'),
    (7, "数字"),
    ("safe", mark_safe("<em>already safe</em>")),
]
ATTRS = [
    None,
    {"id": "id_status"},
    {"id": "id_x", "aria-invalid": "true", "aria-describedby": "id_x_error", "required": True},
    {"id": "id_x", "disabled": False, "class": "a<b"},
]


def _both(widget_class, django_class, *args, name="status", value=None, attrs=None, **kwargs):
    """The widget's own rendering and Django's template rendering of the same widget."""
    widget = widget_class(*args, **kwargs)
    renderer = get_default_renderer()
    return (
        widget.render(name, value, attrs, renderer),
        django_class.render(widget, name, value, attrs, renderer),
    )


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", "new", "a&b", 7, "7", "unknown", ["new", "7"]])
def test_the_select_writes_the_select_templates_markup(value, attrs):
    mine, django = _both(widgets.Select, forms.Select, value=value, attrs=attrs, choices=CHOICES)
    assert mine == django


def test_the_select_leaves_grouped_choices_to_the_template():
    grouped = [("Group", [("a", "A"), ("b", "B")]), ("c", "C")]
    mine, django = _both(widgets.Select, forms.Select, value="b", choices=grouped)
    assert mine == django
    assert "<optgroup" in mine


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize(
    ("widget_class", "django_class", "value"),
    [
        (widgets.TextInput, forms.TextInput, None),
        (widgets.TextInput, forms.TextInput, ""),
        (widgets.TextInput, forms.TextInput, 'a "quoted" <word> & 钢瓶'),
        (widgets.DateInput, forms.DateInput, "2026-01-05"),
        (widgets.CheckboxInput, forms.CheckboxInput, True),
        (widgets.CheckboxInput, forms.CheckboxInput, False),
        (widgets.CheckboxInput, forms.CheckboxInput, "on"),
        (widgets.Textarea, forms.Textarea, None),
        (widgets.Textarea, forms.Textarea, "第一行\n<script>&"),
        (widgets.ClearableFileInput, forms.ClearableFileInput, None),
    ],
)
def test_the_inputs_write_the_input_templates_markup(widget_class, django_class, value, attrs):
    mine, django = _both(widget_class, django_class, name="q", value=value, attrs=attrs)
    assert mine == django


def test_a_date_input_of_type_date_keeps_its_type_and_format():
    mine, django = _both(
        widgets.DateInput,
        forms.DateInput,
        name="due_date",
        value="2026-02-03",
        attrs={"id": "id_due_date"},
        format="%Y-%m-%d",
    )
    assert mine == django


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, [], ["new"], ["new", "7"], "a&b"])
@pytest.mark.parametrize(
    ("widget_class", "django_class"),
    [
        (widgets.CheckboxSelectMultiple, forms.CheckboxSelectMultiple),
        (widgets.RadioSelect, forms.RadioSelect),
    ],
)
def test_checkboxes_and_radio_buttons_write_their_templates_markup(
    widget_class, django_class, value, attrs
):
    mine, django = _both(widget_class, django_class, value=value, attrs=attrs, choices=CHOICES[1:])
    assert mine == django


def test_the_widgets_keep_djangos_widget_type_names():
    """form_fields.html lays a checkbox out by the bound field's widget_type (its class name)."""
    assert widgets.CheckboxInput.__name__ == "CheckboxInput"
    assert widgets.Select.__name__ == "Select"


def test_the_case_forms_render_as_with_djangos_templates(area, secretary):
    lead = factories.OrganizationFactory(area=area, property_company=True)
    team = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    case = factories.case(area, secretary)
    services.case_set_parties(case=case, actor=secretary, lead=lead, assisting=[team])
    form = CasePartiesForm(case=case, initial={"lead": lead, "assisting": [team]})
    renderer = get_default_renderer()
    for name, django_class in (
        ("lead", forms.Select),
        ("assisting", forms.CheckboxSelectMultiple),
    ):
        bound = form[name]
        widget = bound.field.widget
        attrs = bound.build_widget_attrs({"id": bound.auto_id}, widget)
        value = bound.value()
        assert widget.render(bound.html_name, value, attrs, renderer) == django_class.render(
            widget, bound.html_name, value, attrs, renderer
        )
    assert f'value="{lead.pk}" selected' in str(form["lead"])
    assert "checked" in str(form["assisting"])


def test_the_party_form_reads_its_organisations_once(area, secretary, django_assert_num_queries):
    factories.OrganizationFactory(area=area, property_company=True)
    case = factories.case(area, secretary)
    form = CasePartiesForm(case=case)
    with django_assert_num_queries(1):
        str(form["lead"])
        str(form["assisting"])
        str(form["lead"])


def _case_with_a_partner(area, secretary):
    """A case led by a property company and assisted by a street-level partner unit: the case,
    both parties and the partner's liaison."""
    lead = factories.OrganizationFactory(area=area, property_company=True)
    team = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    case = factories.case(area, secretary)
    services.case_set_parties(case=case, actor=secretary, lead=lead, assisting=[team])
    return case, lead, team, factories.liaison(team)


def test_the_update_form_starts_with_the_actors_own_party(area, secretary):
    case, lead, team, liaison = _case_with_a_partner(area, secretary)

    theirs = CaseUpdateForm(case=case, actor=liaison)
    nobodys = CaseUpdateForm(case=case, actor=secretary)

    assert theirs.initial["party"] == team
    assert f'value="{team.pk}" selected' in str(theirs["party"])
    assert nobodys.initial["party"] is None
    assert {org.pk for org in theirs.fields["party"].queryset} == {lead.pk, team.pk}


def _units_lookups(queries) -> int:
    """The queries that ask which organisations a user holds a post in, on their own."""
    return sum(
        query["sql"].startswith('SELECT 1 AS "a" FROM "governance_post"') for query in queries
    )


def test_the_workbench_looks_the_users_units_up_once(client, area, secretary):
    team = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    case = factories.case(area, secretary)
    services.case_set_parties(case=case, actor=secretary, lead=team, assisting=[])
    client.force_login(factories.liaison(team))

    for query in ({}, {"q": case.title[:2]}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("governance:case_list"), query)
        assert case.number in response.text
        assert _units_lookups(queries.captured_queries) == 1


@pytest.fixture
def cases_of_every_kind(area, secretary):
    lead = factories.OrganizationFactory(area=area, residents_committee=True)
    for number in range(30):
        case = factories.case(area, secretary, title=f"案件{number}")
        services.case_set_parties(case=case, actor=secretary, lead=lead, assisting=[])
    return lead


@pytest.mark.parametrize(("role", "most"), [("secretary", 8), ("street_staff", 10)])
def test_the_workbench_queries_are_bounded_per_role(
    request, client, cases_of_every_kind, role, most, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    for query in ({}, {"status": "new"}, {"q": "案件"}, {"sort": "due"}, {"page": "2"}):
        with django_assert_max_num_queries(most):
            response = client.get(reverse("governance:case_list"), query)
        assert response.status_code == 200


def test_a_workbench_row_shows_the_lead_party_and_the_place(
    client, area, secretary, cases_of_every_kind
):
    client.force_login(secretary)
    rows = client.get(reverse("governance:case_list")).text.split('class="case-row"')[1:]
    assert len(rows) == 25
    assert all(cases_of_every_kind.name in row and f"{area.short_name} · " in row for row in rows)


def test_a_post_that_ends_hides_its_units_cases_from_the_next_request(client, area, secretary):
    team = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    case = factories.case(area, secretary)
    services.case_set_parties(case=case, actor=secretary, lead=team, assisting=[])
    liaison = factories.liaison(team)
    client.force_login(liaison)
    assert case.number in client.get(reverse("governance:case_list")).text

    Post.objects.filter(person_id=liaison.person_id).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )

    assert case.number not in client.get(reverse("governance:case_list")).text
    assert client.get(case.get_absolute_url()).status_code == 404


class _EveryLayoutForm(forms.Form):
    """A field of each layout form_fields.html knows: hidden, fieldset, checkbox and plain."""

    token = forms.CharField(widget=forms.HiddenInput, initial='a"b')
    kind = forms.ChoiceField(
        label='kind <"&">', choices=[("a", "A & B"), ("b", "B")], widget=widgets.RadioSelect
    )
    tags = forms.MultipleChoiceField(
        label="tags",
        choices=[("x", "X")],
        required=False,
        help_text="pick <any>",
        widget=widgets.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="agree & go", required=False, widget=widgets.CheckboxInput)
    note = forms.CharField(
        label="note", required=False, help_text=mark_safe("<b>short</b>"), widget=widgets.Textarea
    )
    due = forms.DateField(label="due", widget=widgets.DateInput(attrs={"type": "date"}))


def _template_fields(form, filters=False) -> str:
    from django.template.loader import render_to_string

    return render_to_string("includes/form_fields.html", {"form": form, "filters": filters})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("filters", [False, True])
@pytest.mark.parametrize(
    "data", [None, {"kind": "a", "due": "2026-01-05", "note": "x"}, {"kind": "zz"}]
)
def test_form_fields_are_written_as_the_template_lays_them_out(language, filters, data):
    from django.utils import translation

    with translation.override(language):
        form = _EveryLayoutForm(data)
        assert widgets.form_fields(form, filters=filters) == _template_fields(form, filters)


def test_the_case_pages_forms_are_written_as_the_template_lays_them_out(area, secretary):
    from governance.forms.cases import AttachmentForm, DueDateForm, FollowUpForm

    lead = factories.OrganizationFactory(area=area, property_company=True)
    team = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    case = factories.case(area, secretary)
    services.case_set_parties(case=case, actor=secretary, lead=lead, assisting=[team])
    for form in (
        CasePartiesForm(case=case, initial={"lead": lead, "assisting": [team]}),
        CaseUpdateForm(case=case, actor=secretary),
        AttachmentForm(auto_id="attachment_%s"),
        FollowUpForm(),
        DueDateForm(initial={"due_date": case.due_date}),
    ):
        assert widgets.form_fields(form) == _template_fields(form)


def test_the_update_form_given_the_parties_offers_what_it_would_read(area, secretary):
    case, _lead, team, liaison = _case_with_a_partner(area, secretary)
    rows = list(CaseUpdateForm(case=case, actor=liaison).fields["party"].queryset)
    for row in rows:
        row.held = row.pk == team.pk

    given = CaseUpdateForm(case=case, actor=liaison, parties=rows)

    assert given.initial["party"] == team
    assert str(given["party"]) == str(CaseUpdateForm(case=case, actor=liaison)["party"])


@pytest.mark.parametrize("role", ["secretary", "street_staff"])
def test_the_first_workbench_page_reads_its_rows_in_one_query(
    request, client, cases_of_every_kind, role
):
    """The first page has no row to skip: its rows come in the list's own query, while a later
    page reads its ids first (an index-only scan past the skipped rows), then those rows."""
    client.force_login(request.getfixturevalue(role))
    counted = {}
    for page in ("1", "2"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("governance:case_list"), {"page": page})
        counted[page] = len(queries.captured_queries)
        rows = response.text.split('class="case-row"')[1:]
        assert len(rows) == (25 if page == "1" else 5)
    assert counted["1"] == counted["2"] - 1


def test_each_workbench_request_has_filters_of_its_own(rf, area, secretary, street_staff):
    """The filters are copied shallowly for each request: a request's choices (written into
    its filters' ``extra``) and filter methods belong to that request's filter set only."""
    from django.db.models import QuerySet

    from governance.filters import CaseFilter
    from governance.models import Case

    other_street = factories.StreetFactory()
    elsewhere = factories.OrganizationFactory(area=None, street=other_street, partner=True)
    filter_sets = []
    for user in (street_staff, secretary):
        request = rf.get("/cases/", {"overdue": "on"})
        request.user = user
        filter_sets.append(CaseFilter(request.GET, queryset=Case.objects.all(), request=request))
    street_set, secretary_set = filter_sets
    assert street_set.filters["overdue"].filter.method.__self__ is street_set
    assert secretary_set.filters["overdue"].filter.method.__self__ is secretary_set
    street_set.qs  # noqa: B018  (builds the street's filters and form first)
    secretary_set.qs  # noqa: B018
    for name in ("party", "overdue", "category"):
        assert street_set.filters[name] is not secretary_set.filters[name]
        assert street_set.filters[name].extra is not secretary_set.filters[name].extra
        # The declared filter keeps its own arguments, never a request's queryset.
        assert not isinstance(CaseFilter.base_filters[name].extra.get("queryset"), QuerySet)
    secretary_choices = [str(label) for _value, label in secretary_set.form.fields["party"].choices]
    assert elsewhere.name not in secretary_choices


def test_a_case_page_names_what_the_case_refers_to_from_a_query_of_few_joins(
    client, area, secretary
):
    """The compound, building group, recorder and original are named by subqueries, not
    joined: each further join made PostgreSQL plan the page's query for milliseconds."""
    compound = factories.CompoundFactory(area=area, name="东园小区")
    group = factories.BuildingGroupFactory(compound=compound, name="3号楼")
    recorder = factories.secretary(area, first_name="老三")
    original = factories.case(area, secretary)
    case = factories.case(area, recorder, compound=compound, building_group=group)
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
    services.case_transition(
        case=case,
        to=CaseStatus.REJECTED,
        actor=secretary,
        note="重复",
        closure_reason=ClosureReason.DUPLICATE,
        duplicate_of=original,
    )
    unnamed = factories.case(area, secretary)
    client.force_login(secretary)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(case.get_absolute_url()).text
    assert "东园小区 · 3号楼" in page
    assert "· 老三</dd>" in page
    assert f'<a href="{original.get_absolute_url()}">{original.number}</a>' in page
    own = next(q["sql"] for q in queries.captured_queries if "duplicate_number" in q["sql"])
    for joined in ("residents_compound", "residents_buildinggroup", "residents_user"):
        assert f'JOIN "{joined}"' not in own
    assert 'JOIN "governance_case"' not in own

    page = client.get(unnamed.get_absolute_url()).text
    assert f"· {secretary.username}</dd>" in page
    assert "东园小区" not in page
