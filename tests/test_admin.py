import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from governance.models import Agreement, Organization, Post
from residents.models import BuildingGroup, Compound, Person, ResidentialArea, Street, User
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]
MODELS = [
    Street,
    ResidentialArea,
    Compound,
    BuildingGroup,
    Person,
    User,
    Organization,
    Post,
    Agreement,
]


@pytest.fixture
def street_admin(client, demo):
    """The demo's street-office superuser, logged in."""
    client.force_login(User.objects.get(username="admin"))
    return client


def _admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_render_in_chinese(street_admin, model):
    changelist = street_admin.get(_admin_url(model, "changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert changelist.status_code == 200
    assert str(model._meta.verbose_name_plural) in changelist.text or model is User
    assert street_admin.get(_admin_url(model, "add")).status_code == 200
    obj = model._default_manager.first()
    assert street_admin.get(_admin_url(model, "change", obj.pk)).status_code == 200


def test_admin_searches_and_filters_organisations(street_admin):
    response = street_admin.get(
        _admin_url(Organization, "changelist"), {"q": "业主委员会", "tier": "3"}
    )
    names = {o.name for o in response.context["cl"].result_list}
    assert "崂山三村业主委员会" in names
    assert all("业主委员会" in name for name in names)
    expiring = street_admin.get(_admin_url(Organization, "changelist"), {"term": "expiring"})
    assert {o.name for o in expiring.context["cl"].result_list} >= {"崂山三村业主委员会"}


def test_admin_shows_posts_inline_in_their_organisation(street_admin):
    organization = Organization.objects.get(name="崂三居民区党总支")
    response = street_admin.get(_admin_url(Organization, "change", organization.pk))
    assert "posts-TOTAL_FORMS" in response.text
    assert "赵子正" in response.text


@pytest.fixture
def other_street_staff(client):
    """Street staff of another street, with the admin permissions the street office gets."""
    user = factories.street_staff(factories.StreetFactory())
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["residents", "governance", "wishes", "brands"]
        )
    )
    client.force_login(user)
    return user


def test_admin_changelists_and_choices_are_scoped_to_the_users_street(
    client, demo, other_street_staff
):
    for model in (ResidentialArea, Person, Organization, Post, Agreement):
        response = client.get(_admin_url(model, "changelist"))
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [], model
    laosan_org = Organization.objects.get(name="崂三居民区党总支")
    assert client.get(_admin_url(Organization, "change", laosan_org.pk)).status_code == 302
    add = client.get(_admin_url(Organization, "add"))
    assert list(add.context["adminform"].form.fields["area"].queryset) == []


def test_non_staff_secretary_is_kept_out_of_the_admin(client, demo):
    client.force_login(User.objects.get(username="laosan"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_street_staff_without_explicit_permissions_keep_their_street_in_the_admin(client, demo):
    staff = factories.street_staff(Street.objects.get(slug="lujiazui"))
    client.force_login(staff)
    response = client.get(_admin_url(Organization, "changelist"))
    assert response.status_code == 200
    assert {o.street.slug for o in response.context["cl"].result_list} == {"lujiazui"}
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_street_staff_cannot_make_anyone_a_superuser(client, demo):
    staff = factories.street_staff(Street.objects.get(slug="lujiazui"))
    client.force_login(staff)
    laosan = User.objects.get(username="laosan")
    form = client.get(_admin_url(User, "change", laosan.pk)).context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields


def test_street_staff_cannot_reach_the_superusers_login(client, demo):
    staff = factories.street_staff(Street.objects.get(slug="lujiazui"))
    client.force_login(staff)
    superuser = User.objects.get(username="admin")
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert client.get(password_url).status_code == 404
    response = client.post(
        password_url, {"password1": "taken-over-2026", "password2": "taken-over-2026"}
    )
    assert response.status_code == 404
    superuser.refresh_from_db()
    assert superuser.check_password("demo-pass-2026")
    assert client.get(_admin_url(User, "change", superuser.pk)).status_code == 302


def test_only_a_superuser_sets_up_streets(client, demo):
    staff = factories.street_staff(Street.objects.get(slug="lujiazui"))
    client.force_login(staff)
    response = client.post(
        _admin_url(Street, "add"),
        {"name": "外滩街道", "slug": "waitan", "code": "WT", "district": "黄浦区"},
    )
    assert response.status_code == 403
    assert not Street.objects.filter(slug="waitan").exists()


def test_organisation_change_page_query_count_does_not_grow_with_posts(
    street_admin, django_assert_max_num_queries
):
    organization = Organization.objects.get(name="崂三居民区党总支")
    for _ in range(20):
        factories.PostFactory(organization=organization, person__area=organization.area)
    with django_assert_max_num_queries(40):
        assert (
            street_admin.get(_admin_url(Organization, "change", organization.pk)).status_code == 200
        )


def test_a_case_history_page_in_the_admin_has_no_inline_style(client, area):
    """The Content-Security-Policy blocks style attributes, so the history page has none."""
    client.force_login(factories.street_staff(area.street, is_superuser=True))
    case = factories.case(area)
    response = client.get(reverse("admin:governance_case_history", args=[case.pk]))
    assert response.status_code == 200
    assert 'class="paginator"' in response.text
    assert " style=" not in response.text


def test_the_icon_browsers_ask_for_on_admin_pages_is_the_portals(client):
    """The admin's pages link no icon, so browsers ask for /favicon.ico: it is not a 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("/img/favicon.svg")
