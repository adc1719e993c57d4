"""The admin saves people, organisations (with their posts), posts and co-construction
agreements through the same services as the staff pages: their rules hold there too, a rule a
service keeps is shown on the form, and the audit trail names the user."""

import datetime
from collections import defaultdict

import pytest
from django.urls import reverse

from governance import services
from governance.models import Agreement, Organization, Post, PostTitle
from residents.models import Person, Role
from tests import factories
from tests.markup import form_data

pytestmark = pytest.mark.django_db

SERVICES = [
    "person_create",
    "person_update",
    "organization_create",
    "organization_update",
    "post_create",
    "post_update",
    "agreement_create",
    "agreement_update",
]


@pytest.fixture
def calls(monkeypatch) -> dict[str, list[dict]]:
    """The keyword arguments of each service call the admin makes; every call is passed on."""
    recorded = defaultdict(list)

    def spy(name):
        real = getattr(services, name)

        def recording(**kwargs):
            recorded[name].append(kwargs)
            return real(**kwargs)

        monkeypatch.setattr(services, name, recording)

    for name in SERVICES:
        spy(name)
    return recorded


@pytest.fixture
def staff(client, street_staff):
    client.force_login(street_staff)
    return street_staff


def _superuser(client, street=None):
    """A superuser (of ``street``'s office, or of no street office), logged in: they manage
    every street."""
    user = factories.UserFactory(
        role=Role.STREET_STAFF if street else "", street=street, is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return user


def _url(model, action, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _post_form(client, url, model, values):
    """Post the admin form at ``url`` as the page shows it, with ``values`` filled in."""
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content, form_id=f"{model._meta.model_name}_form")
    return client.post(url, {**data, **values})


def _add(client, model, **values):
    return _post_form(client, _url(model, "add"), model, values)


def _change(client, obj, **values):
    return _post_form(client, _url(type(obj), "change", obj.pk), type(obj), values)


def _saved(response) -> None:
    errors = response.context["errors"] if response.status_code == 200 else None
    assert response.status_code == 302, errors


def _form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    return {field: [e.code for e in field_errors] for field, field_errors in errors.items()}


def _last_row(obj):
    row = obj.history.latest()
    return row.history_type, row.history_user


# People


def test_a_person_added_in_the_admin_is_registered_in_their_areas_street(
    client, staff, area, calls
):
    _saved(_add(client, Person, name="王阿姨", area=area.pk, phone="13900000000"))

    person = Person.objects.get(name="王阿姨")
    assert (person.area, person.street, person.phone) == (area, area.street, "13900000000")
    [created] = calls["person_create"]
    assert (created["actor"], created["area"]) == (staff, area)
    assert _last_row(person) == ("+", staff)


def test_a_person_the_service_cannot_place_is_an_error_on_the_admin_form(client):
    _superuser(client, street=None)

    response = _add(client, Person, name="王阿姨")

    assert _form_errors(response) == {"area": ["area_required"]}
    assert not Person.objects.exists()


def test_a_person_changed_in_the_admin_passes_only_what_changed(client, staff, area, calls):
    person = factories.PersonFactory(area=area, name="王阿姨")

    _saved(_change(client, person, phone="13800009999"))

    assert calls["person_update"] == [{"person": person, "actor": staff, "phone": "13800009999"}]
    person.refresh_from_db()
    assert (person.name, person.phone) == ("王阿姨", "13800009999")
    assert _last_row(person) == ("~", staff)


# Organisations and the posts on their page


def test_an_organisation_and_its_posts_added_in_the_admin_go_through_the_services(
    client, staff, area, calls
):
    person = factories.PersonFactory(area=area)

    _saved(
        _add(
            client,
            Organization,
            street=area.street.pk,
            area=area.pk,
            kind="party",
            name="东昌居民区党总支",
            description="每月第一个周三开放接待",
            **{
                "posts-TOTAL_FORMS": "1",
                "posts-0-person": person.pk,
                "posts-0-title": PostTitle.SECRETARY,
                "posts-0-start_date": "2026-01-05",
            },
        )
    )

    organization = Organization.objects.get(name="东昌居民区党总支")
    [created] = calls["organization_create"]
    assert (created["actor"], created["area"], created["kind"]) == (staff, area, "party")
    assert created["description"] == "每月第一个周三开放接待"
    [post_created] = calls["post_create"]
    assert (post_created["organization"], post_created["person"]) == (organization, person)
    assert _last_row(organization) == ("+", staff)
    assert _last_row(organization.posts.get()) == ("+", staff)


def test_a_post_refused_on_a_new_organisations_page_is_an_error_on_its_row(client, area):
    """On a new organisation's page the form cannot check a post's holder against the
    organisation's street (the organisation is not saved yet): post_create does."""
    _superuser(client, street=area.street)
    stranger = factories.PersonFactory(area=factories.AreaFactory())

    response = _add(
        client,
        Organization,
        street=area.street.pk,
        area=area.pk,
        kind="party",
        name="东昌居民区党总支",
        **{
            "posts-TOTAL_FORMS": "1",
            "posts-0-person": stranger.pk,
            "posts-0-title": PostTitle.SECRETARY,
            "posts-0-start_date": "2026-01-05",
        },
    )

    assert response.status_code == 200
    [posts] = response.context["inline_admin_formsets"]
    row_errors = posts.formset.forms[0].errors.as_data()
    assert [e.code for e in row_errors["person"]] == ["person_outside_street"]
    assert not Organization.objects.exists() and not Post.objects.exists()


def test_an_organisation_changed_in_the_admin_passes_only_what_changed(client, staff, area, calls):
    organization = factories.OrganizationFactory(area=area)

    _saved(_change(client, organization, description="每月第一个周三开放接待"))

    assert calls["organization_update"] == [
        {"organization": organization, "actor": staff, "description": "每月第一个周三开放接待"}
    ]
    assert _last_row(organization) == ("~", staff)


def test_a_change_the_organisation_service_refuses_is_an_error_on_the_admin_form(
    client, staff, area, other_area
):
    partner = factories.AgreementFactory(partner__area=area, area=other_area).partner

    response = _change(client, partner, kind="party")

    assert _form_errors(response) == {"kind": ["partner_has_agreements"]}
    partner.refresh_from_db()
    assert partner.kind == "regional_unit"


def test_a_post_changed_on_its_organisations_page_goes_through_post_update(
    client, staff, area, calls
):
    post = factories.PostFactory(organization__area=area)

    _saved(_change(client, post.organization, **{"posts-0-part_time": "on"}))

    assert calls["post_update"] == [{"post": post, "actor": staff, "part_time": True}]
    assert calls["organization_update"] == []  # nothing of the organisation itself changed
    post.refresh_from_db()
    assert post.part_time is True
    assert _last_row(post) == ("~", staff)


def test_a_post_removed_on_its_organisations_page_is_deleted_in_the_users_name(client, staff, area):
    post = factories.PostFactory(organization__area=area)

    _saved(_change(client, post.organization, **{"posts-0-DELETE": "on"}))

    assert not Post.objects.filter(pk=post.pk).exists()
    row = Post.history.filter(id=post.pk).latest()
    assert (row.history_type, row.history_user) == ("-", staff)


# Posts


def test_a_post_added_in_the_admin_goes_through_post_create(client, staff, area, calls):
    organization = factories.OrganizationFactory(area=area)
    person = factories.PersonFactory(area=area)

    _saved(
        _add(
            client,
            Post,
            person=person.pk,
            organization=organization.pk,
            title=PostTitle.SECRETARY,
            start_date="2026-01-05",
        )
    )

    post = Post.objects.get()
    [created] = calls["post_create"]
    assert (created["actor"], created["organization"], created["person"]) == (
        staff,
        organization,
        person,
    )
    assert created["start_date"] == datetime.date(2026, 1, 5)
    assert _last_row(post) == ("+", staff)


def test_a_post_changed_in_the_admin_passes_only_what_changed(client, staff, area, calls):
    post = factories.PostFactory(organization__area=area, title=PostTitle.COMMITTEE_MEMBER)

    _saved(_change(client, post, title=PostTitle.SECRETARY))

    assert calls["post_update"] == [{"post": post, "actor": staff, "title": PostTitle.SECRETARY}]
    post.refresh_from_db()
    assert post.title == PostTitle.SECRETARY
    assert _last_row(post) == ("~", staff)


# Co-construction agreements


@pytest.fixture
def partner(area):
    return factories.OrganizationFactory(area=None, street=area.street, partner=True)


def _agreement_values(partner, area, start, end="") -> dict:
    return {
        "partner": partner.pk,
        "area": area.pk,
        "title": "共建协议",
        "partner_offers": "法治讲座",
        "start_date": start,
        "end_date": end,
    }


def test_an_agreement_added_in_the_admin_goes_through_agreement_create(
    client, staff, area, partner
):
    factories.AgreementFactory(
        partner=partner,
        area=area,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )

    overlapping = _add(client, Agreement, **_agreement_values(partner, area, "2025-12-31"))
    renewal = _add(client, Agreement, **_agreement_values(partner, area, "2026-01-01"))

    assert _form_errors(overlapping) == {"__all__": ["agreement_overlaps"]}
    _saved(renewal)
    added = Agreement.objects.get(start_date=datetime.date(2026, 1, 1))
    assert _last_row(added) == ("+", staff)
    assert Agreement.objects.count() == 2


def test_an_agreement_changed_in_the_admin_passes_only_what_changed(
    client, staff, area, partner, calls
):
    first = factories.AgreementFactory(
        partner=partner,
        area=area,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    factories.AgreementFactory(partner=partner, area=area, start_date=datetime.date(2026, 1, 1))

    running_on = _change(client, first, end_date="")
    _saved(_change(client, first, area_offers="党群服务站场地"))

    assert _form_errors(running_on) == {"__all__": ["agreement_overlaps"]}
    assert calls["agreement_update"][-1] == {
        "agreement": first,
        "actor": staff,
        "area_offers": "党群服务站场地",
    }
    first.refresh_from_db()
    assert (first.end_date, first.area_offers) == (datetime.date(2025, 12, 31), "党群服务站场地")
    assert _last_row(first) == ("~", staff)
