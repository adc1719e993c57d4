import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests import factories
from tests.markup import elements
from wishes import services
from wishes.models import Wish, WishStatus

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "secretary", "other_secretary", "liaison", "outside_liaison", "street_staff"]


@pytest.fixture
def world(area, other_area, secretary):
    """Wishes of the area in several states, a partner unit with a liaison and one without."""
    unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    outsider = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    liaison = factories.liaison(unit)
    return {
        "unit": unit,
        "liaison": liaison,
        "outside_liaison": factories.liaison(outsider),
        "submitted": factories.wish(area, secretary, title="尚未发布的心愿"),
        "published": factories.wish(area, secretary, status="published", title="已发布的心愿"),
        "claimed": factories.wish(
            area, secretary, status="claimed", unit=unit, claimer=liaison, title="已认领的心愿"
        ),
        "withdrawn": factories.wish(area, secretary, status="withdrawn", title="已撤回的心愿"),
        "elsewhere": factories.wish(other_area, status="published", title="别处的心愿"),
    }


@pytest.fixture
def login(client, secretary, other_secretary, street_staff, world):
    def as_role(role):
        users = {
            "secretary": secretary,
            "other_secretary": other_secretary,
            "liaison": world["liaison"],
            "outside_liaison": world["outside_liaison"],
            "street_staff": street_staff,
        }
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return as_role


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


# The public wall and pages


def test_wish_wall_shows_public_wishes_only(client, world):
    response = client.get(reverse("wishes:wish_wall"))

    assert response.status_code == 200
    html = response.text
    assert "已发布的心愿" in html and "已认领的心愿" in html and "别处的心愿" in html
    assert "尚未发布的心愿" not in html
    assert "已撤回的心愿" not in html


def test_wish_wall_filters_by_area_category_and_state(client, world, area):
    url = reverse("wishes:wish_wall")

    by_area = client.get(url, {"area": area.pk}).text
    by_state = client.get(url, {"status": WishStatus.CLAIMED}).text
    by_category = client.get(url, {"category": "learning"}).text

    assert "别处的心愿" not in by_area and "已发布的心愿" in by_area
    assert "已认领的心愿" in by_state and "已发布的心愿" not in by_state
    assert "已发布的心愿" not in by_category


def test_wish_wall_refuses_a_state_that_is_not_public(client, world):
    response = client.get(reverse("wishes:wish_wall"), {"status": WishStatus.SUBMITTED})

    assert "尚未发布的心愿" not in response.text


def test_area_wish_wall_shows_that_area_only(client, world, area):
    response = client.get(reverse("wishes:area_wish_wall", kwargs={"slug": area.slug}))

    assert response.status_code == 200
    assert "已发布的心愿" in response.text
    assert "别处的心愿" not in response.text


def test_area_wish_wall_of_an_unknown_area_is_404(client, db):
    assert client.get("/areas/nowhere/wishes/").status_code == 404


def test_wish_wall_names_the_claiming_unit_and_hides_a_claiming_person(client, area, secretary):
    unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    factories.wish(area, secretary, status="claimed", unit=unit, title="单位认领")
    factories.wish(area, secretary, status="claimed", title="个人认领")

    html = client.get(reverse("wishes:wish_wall")).text

    assert unit.name in html
    assert "测试志愿者乙" not in html
    assert "13955550002" not in html


def test_wish_wall_counts_fulfilled_wishes_per_partner_unit(client, area, secretary):
    unit = factories.OrganizationFactory(
        area=None, street=area.street, partner=True, name="热心共建单位"
    )
    factories.wish(area, secretary, status="fulfilled", unit=unit)
    factories.wish(area, secretary, status="thanked", unit=unit)

    response = client.get(reverse("wishes:wish_wall"))

    assert [(org.name, org.wishes_fulfilled) for org in response.context["units"]] == [
        ("热心共建单位", 2)
    ]


@pytest.mark.parametrize(
    ("state", "code"),
    [("submitted", 404), ("published", 200), ("claimed", 200), ("withdrawn", 404)],
)
def test_public_wish_detail_is_404_unless_public(client, world, state, code):
    assert client.get(world[state].get_absolute_url()).status_code == code


def test_public_wish_detail_shows_the_thanks(client, area, secretary):
    wish = factories.wish(area, secretary, status="thanked")

    html = client.get(wish.get_absolute_url()).text

    assert "谢谢热心的志愿者！" in html
    assert "已上门换好阀芯" not in html  # the fulfilment note stays on the staff page


def test_a_wish_looking_for_help_says_so_plainly_and_how_to_help(client, world, area):
    station = factories.StationFactory(area=area, phone="021-5888 1234")
    wish = world["published"]

    response = client.get(wish.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")

    html = response.text
    badges = [e.words for e in elements(html, "span") if "status" in e.classes]
    assert badges == ["正在征集"]
    assert 'id="help"' in html
    assert "021-5888 1234" in html and station.get_absolute_url() in html
    assert reverse("wishes:wish_claim_list") in html
    assert not {wish.resident_phone, wish.resident_name, wish.resident_address} & {
        word for word in _private_values() if word in html
    }


def test_public_wish_words_come_from_the_status_in_the_readers_language(client, world):
    english = client.get(world["claimed"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text
    chinese = client.get(world["claimed"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").text
    wall = client.get(reverse("wishes:wish_wall"), HTTP_ACCEPT_LANGUAGE="en").text

    assert "someone is helping" in english and 'id="help"' not in english
    assert "已有人认领" in chinese
    assert "looking for help" in wall and "someone is helping" in wall
    assert f"{world['published'].get_absolute_url()}#help" in wall


def test_the_wish_walls_state_filter_offers_a_residents_words(client, world):
    form = client.get(reverse("wishes:wish_wall"), HTTP_ACCEPT_LANGUAGE="en").context["filter"]
    labels = [str(label) for value, label in form.form.fields["status"].choices if value]
    assert labels == [
        "looking for help",
        "someone is helping",
        "came true",
        "came true, resident said thanks",
    ]


def test_staff_pages_keep_the_workflow_words(login, world):
    client = login("secretary")
    html = client.get(world["published"].get_manage_url(), HTTP_ACCEPT_LANGUAGE="en").text
    assert "published" in html and "looking for help" not in html


def test_nav_and_area_page_link_to_the_walls(client, area):
    html = client.get(area.get_absolute_url()).text

    assert reverse("wishes:wish_wall") in html
    assert reverse("wishes:area_wish_wall", kwargs={"slug": area.slug}) in html


# Staff pages: who sees what

STAFF_PAGE = {
    "anonymous": 302,
    "secretary": 200,
    "other_secretary": 404,
    "liaison": 200,
    "outside_liaison": 200,
    "street_staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_staff_page_of_a_published_wish_by_role(login, world, role):
    response = login(role).get(world["published"].get_manage_url())

    assert response.status_code == STAFF_PAGE[role]


@pytest.mark.parametrize("role", ROLES)
def test_staff_page_of_a_submitted_wish_by_role(login, world, role):
    response = login(role).get(world["submitted"].get_manage_url())

    expected = {**STAFF_PAGE, "liaison": 404, "outside_liaison": 404}
    assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_staff_page_shows_the_resident_only_to_managers(login, world, role):
    response = login(role).get(world["claimed"].get_manage_url())

    if response.status_code != 200:
        return
    shows_resident = "测试居民甲" in response.text
    shows_contact = "13955550002" in response.text
    assert shows_resident is (role in ("secretary", "street_staff"))
    assert shows_contact is (role in ("secretary", "street_staff", "liaison"))


def test_manage_list_shows_the_users_areas_with_private_fields(login, world):
    response = login("secretary").get(reverse("wishes:wish_manage_list"))

    html = response.text
    assert "尚未发布的心愿" in html and "已撤回的心愿" in html
    assert "测试居民甲" in html
    assert "别处的心愿" not in html


def test_manage_list_sends_a_liaison_to_the_claim_page(login, world):
    response = login("liaison").get(reverse("wishes:wish_manage_list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("wishes:wish_claim_list")


def test_claim_list_shows_claimable_and_claimed_wishes(login, world):
    response = login("liaison").get(reverse("wishes:wish_claim_list"))

    html = response.text
    assert "已发布的心愿" in html and "已认领的心愿" in html
    assert "尚未发布的心愿" not in html
    assert "测试居民甲" not in html


def test_record_form_is_404_for_a_liaison(login, world):
    assert login("liaison").get(reverse("wishes:wish_create")).status_code == 404


# Staff pages: steps


def test_secretary_records_a_wish_from_the_form(login, area):
    response = login("secretary").post(
        reverse("wishes:wish_create"),
        {
            "area": area.pk,
            "category": "visits",
            "title": "周末陪老人下棋",
            "text": "一位老人想找人下棋。",
            "wanted_by": "2099-01-01",
            "resident_name": "测试居民丁",
            "resident_phone": "13955550003",
            "resident_address": "",
        },
    )

    wish = Wish.objects.get(title="周末陪老人下棋")
    assert response.status_code == 302
    assert response["Location"] == wish.get_manage_url()
    assert wish.status == WishStatus.SUBMITTED


def test_secretary_cannot_record_a_wish_in_another_area(login, other_area):
    response = login("secretary").post(
        reverse("wishes:wish_create"),
        {
            "area": other_area.pk,
            "category": "visits",
            "title": "越界",
            "text": "越界",
            "wanted_by": "2099-01-01",
            "resident_name": "某人",
        },
    )

    assert response.status_code == 200  # the form refuses the choice
    assert not Wish.objects.filter(title="越界").exists()


@pytest.mark.parametrize(
    ("role", "code", "published"),
    [
        ("anonymous", 302, False),
        ("secretary", 302, True),
        ("other_secretary", 404, False),
        ("liaison", 404, False),
        ("street_staff", 302, True),
    ],
)
def test_publish_by_role(login, world, role, code, published):
    wish = world["submitted"]

    response = login(role).post(reverse("wishes:wish_publish", kwargs={"pk": wish.pk}))

    wish.refresh_from_db()
    assert response.status_code == code
    assert (wish.status == WishStatus.PUBLISHED) is published


def test_publish_is_post_only(login, world):
    url = reverse("wishes:wish_publish", kwargs={"pk": world["submitted"].pk})
    assert login("secretary").get(url).status_code == 405


def test_liaison_claims_from_the_staff_page(login, world):
    wish = world["published"]
    client = login("liaison")

    response = client.post(
        reverse("wishes:wish_claim", kwargs={"pk": wish.pk}),
        {"organization": world["unit"].pk, "contact": "13955550004"},
        follow=True,
    )

    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED
    assert wish.claimed_by_organization == world["unit"]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_second_claim_comes_back_as_a_message(login, world):
    wish = world["claimed"]

    response = login("secretary").post(
        reverse("wishes:wish_claim", kwargs={"pk": wish.pk}),
        {"person_name": "某人", "contact": "1"},
        follow=True,
    )

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    wish.refresh_from_db()
    assert wish.claimed_by_organization == world["unit"]


def test_a_claim_after_another_units_claim_is_told_so_on_the_wish_public_page(login, world):
    """The wish was claimed after this liaison loaded it: they are told it is already claimed,
    on a page they may see, not sent to a 404."""
    wish = world["claimed"]
    outsider = world["outside_liaison"].person.posts.get().organization

    response = login("outside_liaison").post(
        reverse("wishes:wish_claim", kwargs={"pk": wish.pk}),
        {"organization": outsider.pk, "contact": "13955550005"},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain == [(wish.get_absolute_url(), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    wish.refresh_from_db()
    assert wish.claimed_by_organization == world["unit"]


def test_a_user_of_no_partner_unit_cannot_reach_the_claim_step(client, world, area):
    client.force_login(factories.UserFactory(street=area.street))

    response = client.post(
        reverse("wishes:wish_claim", kwargs={"pk": world["published"].pk}),
        {"person_name": "某人", "contact": "1"},
    )

    assert response.status_code == 404


def test_outside_liaison_cannot_claim_for_another_unit(login, world):
    wish = world["published"]

    login("outside_liaison").post(
        reverse("wishes:wish_claim", kwargs={"pk": wish.pk}),
        {"organization": world["unit"].pk, "contact": "1"},
    )

    wish.refresh_from_db()
    assert wish.status == WishStatus.PUBLISHED


@pytest.mark.parametrize(
    ("role", "fulfilled"),
    [
        ("anonymous", False),
        ("secretary", True),
        ("other_secretary", False),
        ("liaison", True),
        ("outside_liaison", False),
        ("street_staff", True),
    ],
)
def test_fulfil_by_role(login, world, role, fulfilled):
    wish = world["claimed"]

    login(role).post(
        reverse("wishes:wish_fulfil", kwargs={"pk": wish.pk}),
        {"note": "已送到。", "photo": SimpleUploadedFile("done.png", _photo())},
    )

    wish.refresh_from_db()
    assert (wish.status == WishStatus.FULFILLED) is fulfilled


def test_fulfilment_photo_is_served_only_to_those_who_work_on_the_wish(
    login, client, world, django_capture_on_commit_callbacks
):
    wish = world["claimed"]
    with django_capture_on_commit_callbacks(execute=True):
        services.wish_fulfil(
            wish=wish,
            actor=world["liaison"],
            note="已送到。",
            photo=SimpleUploadedFile("done.png", _photo()),
        )
    url = reverse("wishes:wish_photo", kwargs={"pk": wish.pk})

    assert client.get(url).status_code == 302  # anonymous: to the login
    assert login("outside_liaison").get(url).status_code == 404
    client.logout()
    response = login("liaison").get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    client.logout()
    assert login("secretary").get(url).status_code == 200
    client.logout()
    assert login("other_secretary").get(url).status_code == 404


def test_thank_from_the_staff_page(login, area, secretary):
    wish = factories.wish(area, secretary, status="fulfilled")

    login("secretary").post(
        reverse("wishes:wish_thank", kwargs={"pk": wish.pk}), {"note": "谢谢大家！"}
    )

    wish.refresh_from_db()
    assert wish.status == WishStatus.THANKED


def test_withdraw_asks_for_confirmation_first(login, world):
    wish = world["published"]
    client = login("secretary")

    page = client.get(reverse("wishes:wish_withdraw", kwargs={"pk": wish.pk}))
    wish.refresh_from_db()
    assert page.status_code == 200
    assert wish.status == WishStatus.PUBLISHED

    response = client.post(
        reverse("wishes:wish_withdraw", kwargs={"pk": wish.pk}), {"reason": "已解决。"}
    )
    wish.refresh_from_db()
    assert response.status_code == 302
    assert wish.status == WishStatus.WITHDRAWN


def test_withdraw_without_reason_stays_on_the_confirmation_page(login, world):
    wish = world["published"]

    response = login("secretary").post(
        reverse("wishes:wish_withdraw", kwargs={"pk": wish.pk}), {"reason": ""}
    )

    wish.refresh_from_db()
    assert response.status_code == 200
    assert wish.status == WishStatus.PUBLISHED


@pytest.mark.parametrize("role", ["other_secretary", "liaison", "outside_liaison"])
def test_withdraw_is_404_for_those_who_do_not_manage_the_wish(login, world, role):
    url = reverse("wishes:wish_withdraw", kwargs={"pk": world["published"].pk})
    assert login(role).get(url).status_code == 404


def test_edit_from_the_staff_page(login, world):
    wish = world["published"]

    login("secretary").post(
        reverse("wishes:wish_edit", kwargs={"pk": wish.pk}),
        {
            "category": wish.category,
            "title": "改过的标题",
            "text": wish.text,
            "wanted_by": wish.wanted_by.isoformat(),
            "resident_name": wish.resident_name,
            "resident_phone": wish.resident_phone,
            "resident_address": wish.resident_address,
        },
    )

    wish.refresh_from_db()
    assert wish.title == "改过的标题"


# Query counts


def test_wish_wall_queries_are_bounded(client, area, secretary, django_assert_max_num_queries):
    unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    for _ in range(6):
        factories.wish(area, secretary, status="fulfilled", unit=unit)
        factories.wish(area, secretary, status="claimed")

    with django_assert_max_num_queries(5):
        response = client.get(reverse("wishes:wish_wall"), {"category": "small_repairs"})
    assert len(response.context["page_obj"]) == 12


def test_area_wish_wall_queries_are_bounded(client, area, secretary, django_assert_max_num_queries):
    unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    for _ in range(6):
        factories.wish(area, secretary, status="thanked", unit=unit)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("wishes:area_wish_wall", kwargs={"slug": area.slug}))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 6


def test_public_wish_detail_queries_are_bounded(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(world["claimed"].get_absolute_url())
    assert response.status_code == 200
    assert response.context["wish"] == world["claimed"]


def test_staff_pages_queries_are_bounded(login, world, django_assert_max_num_queries):
    client = login("secretary")
    with django_assert_max_num_queries(10):
        listed = client.get(reverse("wishes:wish_manage_list"))
    with django_assert_max_num_queries(10):
        detail = client.get(world["published"].get_manage_url())
    assert listed.status_code == detail.status_code == 200
    assert world["published"] in listed.context["page_obj"]


# No personal data on a public page


def _private_values() -> set[str]:
    values = set()
    for row in Wish.objects.values_list(
        "resident_name", "resident_phone", "resident_address", "claimer_contact", "claimed_by_name"
    ):
        values.update(value for value in row if value)
    return values


def test_no_personal_data_on_any_public_wish_page(client, demo):
    from residents.models import ResidentialArea

    private = _private_values()
    assert len(private) > 50  # the demo does record names, phones, addresses and claimers
    pages = [reverse("wishes:wish_wall")]
    wall = client.get(pages[0])
    pages += [
        f"{pages[0]}?page={number}" for number in wall.context["page_obj"].paginator.page_range
    ]
    pages += [
        reverse("wishes:area_wish_wall", kwargs={"slug": slug})
        for slug in ResidentialArea.objects.values_list("slug", flat=True)
    ]
    pages += [wish.get_absolute_url() for wish in Wish.objects.public()]
    for status in ("claimed", "fulfilled", "thanked"):
        pages.append(f"{reverse('wishes:wish_wall')}?status={status}")

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        leaked = [value for value in private if value in response.text]
        assert not leaked, (page, leaked)


def test_demo_has_wishes_in_every_state_across_the_five_areas(demo):
    wishes = Wish.objects.all()

    assert set(wishes.values_list("status", flat=True)) == set(WishStatus.values)
    assert set(wishes.values_list("area__slug", flat=True)) == {
        "laosan",
        "shixin",
        "ruwu",
        "dongyi",
        "renheng",
    }
    assert wishes.filter(claimed_by_organization__isnull=True).exclude(claimed_by_name="").exists()
    assert wishes.filter(claimed_by_user__username="chengguan").exists()


# Admin


def test_admin_lists_the_users_wishes_and_publishes_through_the_service(
    client, street_staff, world
):
    client.force_login(street_staff)
    url = reverse("admin:wishes_wish_changelist")

    listing = client.get(url)
    response = client.post(
        url,
        {"action": "publish_wishes", "_selected_action": [world["submitted"].pk]},
    )

    assert listing.status_code == 200
    assert "尚未发布的心愿" in listing.text
    assert response.status_code == 302
    world["submitted"].refresh_from_db()
    assert world["submitted"].status == WishStatus.PUBLISHED
    assert world["submitted"].published_at is not None


def test_admin_never_edits_the_status(client, street_staff, world):
    client.force_login(street_staff)
    wish = world["claimed"]

    page = client.get(reverse("admin:wishes_wish_change", args=[wish.pk]))

    assert page.status_code == 200
    assert 'name="status"' not in page.text
    assert 'name="title"' not in page.text  # claimed: nothing is editable any more


@pytest.mark.parametrize(("state", "status"), [("published", 200), ("claimed", 404)])
def test_another_units_liaison_sees_a_wish_staff_page_only_while_it_can_be_claimed(
    login, world, state, status
):
    client = login("outside_liaison")

    response = client.get(world[state].get_manage_url())

    assert response.status_code == status
