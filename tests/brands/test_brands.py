import datetime
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from brands import services
from brands.models import Brand, BrandAction, BrandActivity
from brands.views import ACTIVITIES_PER_PAGE
from governance.models import OrganizationKind
from tests import factories
from tests.commits import committed

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _jpeg_with_gps(name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPS: latitude
    buffer = io.BytesIO()
    Image.new("RGB", (16, 8), "red").save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def brand(area):
    brand = factories.BrandFactory(area=area, name="最美地球村", slug="zuimei")
    for order, name in enumerate(["和谐美", "风采美", "素养美"], start=1):
        factories.BrandActionFactory(brand=brand, order=order, name=name)
    return brand


@pytest.fixture
def liaison(area):
    return factories.liaison(factories.OrganizationFactory(area=area, partner=True))


def _record(brand, actor, **kwargs):
    fields = {"date": TODAY() - datetime.timedelta(days=3), "title": "中秋共做月饼", **kwargs}
    with committed():  # the photo is written on commit
        return services.brand_activity_record(brand=brand, actor=actor, **fields)


# Models and constraints


def test_action_order_is_unique_within_a_brand(brand):
    with pytest.raises(IntegrityError), transaction.atomic():
        BrandAction.objects.create(brand=brand, order=1, name="文化美")
    BrandAction.objects.create(brand=factories.BrandFactory(), order=1, name="文化美")


def test_action_order_starts_at_one(brand):
    with pytest.raises(IntegrityError), transaction.atomic():
        BrandAction.objects.create(brand=brand, order=0, name="文化美")


def test_database_refuses_a_photo_without_description(brand, secretary):
    with pytest.raises(IntegrityError), transaction.atomic():
        BrandActivity.objects.create(
            brand=brand, title="活动", recorded_by=secretary, photo="brand-photos/x.jpg"
        )


def test_one_brand_per_party_organisation(area):
    party = factories.OrganizationFactory(area=area, kind=OrganizationKind.PARTY)
    factories.BrandFactory(area=area, organization=party)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.BrandFactory(area=area, organization=party)


def test_brand_organisation_must_be_a_party_organisation_of_its_area(area, other_area):
    brand = factories.BrandFactory.build(
        area=area, organization=factories.OrganizationFactory(area=other_area)
    )
    with pytest.raises(ValidationError) as error:
        brand.full_clean()
    assert error.value.error_dict["organization"][0].code == "organization_outside_area"

    brand.organization = factories.OrganizationFactory(area=area, residents_committee=True)
    with pytest.raises(ValidationError) as error:
        brand.full_clean()
    codes = {e.code for e in error.value.error_dict["organization"]}
    assert "organization_not_party" in codes


def test_activity_clean_refuses_an_action_of_another_brand(brand, secretary):
    foreign = factories.BrandActionFactory()
    activity = BrandActivity(brand=brand, action=foreign, title="活动", recorded_by=secretary)
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert error.value.error_dict["action"][0].code == "action_outside_brand"


# Scoping


def test_visible_to_shows_a_brand_not_yet_public_only_to_those_managing_its_area(
    area, secretary, other_secretary, street_staff, liaison
):
    public = factories.BrandFactory(area=area)
    draft = factories.BrandFactory(area=area, is_public=False)
    assert set(Brand.objects.visible_to(AnonymousUser())) == {public}
    assert set(Brand.objects.visible_to(other_secretary)) == {public}
    assert set(Brand.objects.visible_to(liaison)) == {public}
    assert set(Brand.objects.visible_to(secretary)) == {public, draft}
    assert set(Brand.objects.visible_to(street_staff)) == {public, draft}
    assert set(Brand.objects.managed_by(secretary)) == {public, draft}
    assert not Brand.objects.managed_by(other_secretary).exists()


# Services


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("secretary", True),
        ("other_secretary", False),
        ("liaison", False),
        ("street_staff", True),
    ],
)
def test_who_may_record_an_activity(brand, role, allowed, request):
    actor = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    if allowed:
        activity = _record(brand, actor, action=brand.actions.get(order=2))
        assert activity.recorded_by == actor
        assert activity.action.name == "风采美"
    else:
        with pytest.raises(PermissionDenied):
            _record(brand, actor)
        assert not BrandActivity.objects.exists()


def test_record_refuses_an_action_of_another_brand(brand, secretary):
    foreign = factories.BrandActionFactory(brand=factories.BrandFactory(area=brand.area))
    with pytest.raises(ValidationError) as error:
        _record(brand, secretary, action=foreign)
    assert error.value.code == "action_outside_brand"


def test_record_refuses_an_activity_in_the_future(brand, secretary):
    with pytest.raises(ValidationError) as error:
        _record(brand, secretary, date=TODAY() + datetime.timedelta(days=1))
    assert error.value.code == "activity_in_future"


def test_record_refuses_a_photo_without_description(brand, secretary):
    with pytest.raises(ValidationError) as error:
        _record(brand, secretary, photo=_jpeg_with_gps(), photo_alt="  ")
    assert error.value.code == "photo_needs_description"


def test_record_refuses_a_file_that_is_not_a_photo(brand, secretary):
    upload = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo")
    with pytest.raises(ValidationError) as error:
        _record(brand, secretary, photo=upload, photo_alt="照片")
    assert error.value.code == "not_a_photo"
    assert not BrandActivity.objects.exists()


def test_recorded_photo_has_no_camera_metadata_nor_upload_name(brand, secretary):
    upload = _jpeg_with_gps("张三家门口.jpg")
    assert Image.open(io.BytesIO(upload.read())).getexif()

    activity = _record(brand, secretary, photo=upload, photo_alt="居民一起做月饼")

    with activity.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
    assert "张三" not in activity.photo.name
    assert activity.photo.name.endswith(".jpg")


def test_delete_removes_the_activity_and_its_photo_after_commit(
    brand, secretary, django_capture_on_commit_callbacks
):
    activity = _record(brand, secretary, photo=_jpeg_with_gps(), photo_alt="照片")
    storage, name = activity.photo.storage, activity.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        services.brand_activity_delete(activity=activity, actor=secretary)
    assert not BrandActivity.objects.exists()
    assert not storage.exists(name)


@pytest.mark.parametrize("role", ["other_secretary", "liaison"])
def test_delete_refuses_those_outside_the_area(brand, secretary, role, request):
    activity = _record(brand, secretary)
    with pytest.raises(PermissionDenied):
        services.brand_activity_delete(activity=activity, actor=request.getfixturevalue(role))
    assert BrandActivity.objects.filter(pk=activity.pk).exists()


# Pages: the role x action matrix

ROLES = ["anonymous", "secretary", "other_secretary", "liaison", "street_staff"]
DRAFT_PAGE = {
    "anonymous": 404,
    "secretary": 200,
    "other_secretary": 404,
    "liaison": 404,
    "street_staff": 200,
}
MANAGE = {**DRAFT_PAGE, "anonymous": 302}


def _login(client, role, request):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_brand_pages(client, brand, secretary, role, request):
    draft = factories.BrandFactory(area=brand.area, is_public=False)
    draft_activity = factories.BrandActivityFactory(brand=draft)
    activity = factories.BrandActivityFactory(brand=brand)
    _login(client, role, request)
    expected = {
        reverse("brands:brand_list"): dict.fromkeys(ROLES, 200),
        brand.get_absolute_url(): dict.fromkeys(ROLES, 200),
        draft.get_absolute_url(): DRAFT_PAGE,
        reverse("brands:brand_activity_delete", args=[brand.slug, activity.pk]): MANAGE,
        reverse("brands:brand_activity_delete", args=[draft.slug, draft_activity.pk]): MANAGE,
    }
    for url, statuses in expected.items():
        assert client.get(url).status_code == statuses[role], (url, role)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_recording_an_activity(client, brand, role, request):
    _login(client, role, request)
    response = client.post(
        reverse("brands:brand_activity_create", args=[brand.slug]),
        {"date": TODAY().isoformat(), "title": "滨江清洁", "action": brand.actions.first().pk},
    )
    assert response.status_code == {**MANAGE, "secretary": 302, "street_staff": 302}[role]
    assert BrandActivity.objects.filter(title="滨江清洁").exists() == (
        role in ("secretary", "street_staff")
    )
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_removing_an_activity(client, brand, role, request):
    activity = factories.BrandActivityFactory(brand=brand)
    _login(client, role, request)
    response = client.post(reverse("brands:brand_activity_delete", args=[brand.slug, activity.pk]))
    removed = role in ("secretary", "street_staff")
    assert response.status_code == (302 if removed else MANAGE[role])
    assert BrandActivity.objects.filter(pk=activity.pk).exists() != removed


def test_recording_an_activity_says_so_and_goes_back_to_the_brand(client, brand, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("brands:brand_activity_create", args=[brand.slug]),
        {"date": TODAY().isoformat(), "title": "滨江清洁", "text": "捡拾垃圾"},
    )
    assert response.url == brand.get_absolute_url()
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_recording_with_a_photo_through_the_page(
    client, brand, secretary, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("brands:brand_activity_create", args=[brand.slug]),
            {
                "date": TODAY().isoformat(),
                "title": "中秋共做月饼",
                "photo": _jpeg_with_gps(),
                "photo_alt": "居民一起做月饼",
            },
        )
    assert response.status_code == 302
    activity = BrandActivity.objects.get()
    with activity.photo.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()


def test_a_refused_activity_comes_back_with_the_form_and_its_error(client, brand, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("brands:brand_activity_create", args=[brand.slug]),
        {"date": (TODAY() + datetime.timedelta(days=2)).isoformat(), "title": "明天的活动"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors().as_data()[0].code == "activity_in_future"
    assert not BrandActivity.objects.exists()


def test_removing_asks_for_confirmation_first(client, brand, secretary):
    activity = factories.BrandActivityFactory(brand=brand, title="要删除的活动")
    client.force_login(secretary)
    response = client.get(reverse("brands:brand_activity_delete", args=[brand.slug, activity.pk]))
    assert response.status_code == 200
    assert "要删除的活动" in response.content.decode()
    assert BrandActivity.objects.filter(pk=activity.pk).exists()


def test_an_activity_is_removed_only_under_its_own_brand_address(client, brand, secretary):
    other = factories.BrandFactory(area=brand.area)
    activity = factories.BrandActivityFactory(brand=other)
    client.force_login(secretary)
    url = reverse("brands:brand_activity_delete", args=[brand.slug, activity.pk])
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_area_staff_see_the_activity_form_and_remove_buttons(client, brand, role, request):
    activity = factories.BrandActivityFactory(brand=brand)
    _login(client, role, request)
    content = client.get(brand.get_absolute_url()).content.decode()
    manages = role in ("secretary", "street_staff")
    assert (reverse("brands:brand_activity_create", args=[brand.slug]) in content) == manages
    assert (
        reverse("brands:brand_activity_delete", args=[brand.slug, activity.pk]) in content
    ) == manages


# Public pages


def test_brand_list_shows_public_brands_with_motto_and_actions_by_area(client, brand, other_area):
    factories.BrandFactory(area=brand.area, name="未公开品牌", is_public=False)
    elsewhere = factories.BrandFactory(area=other_area, name="八心精神")
    content = client.get(reverse("brands:brand_list")).content.decode()
    assert "最美地球村" in content and "八心精神" in content
    assert brand.motto in content
    assert content.index("和谐美") < content.index("风采美") < content.index("素养美")
    assert "未公开品牌" not in content
    filtered = client.get(reverse("brands:brand_list"), {"area": other_area.slug})
    assert "八心精神" in filtered.content.decode()
    assert "最美地球村" not in filtered.content.decode()
    assert list(filtered.context["page_obj"]) == [elsewhere]


def test_brand_page_lists_actions_in_order_with_their_activity_counts(client, brand, secretary):
    second = brand.actions.get(order=2)
    _record(brand, secretary, action=second, title="党员故事会")
    _record(brand, secretary, action=second, title="邻里故事会")
    response = client.get(brand.get_absolute_url())
    actions = list(response.context["brand"].actions.all())
    assert [a.name for a in actions] == ["和谐美", "风采美", "素养美"]
    assert [a.activity_count for a in actions] == [0, 2, 0]
    content = response.content.decode()
    assert "<ol" in content
    assert "<p>第一段。</p>" in content and "<p>第二段。</p>" in content


def test_brand_page_lists_activities_newest_first_and_paginates(client, brand):
    for days_ago in range(ACTIVITIES_PER_PAGE + 2):
        factories.BrandActivityFactory(
            brand=brand, title=f"活动{days_ago}", date=TODAY() - datetime.timedelta(days=days_ago)
        )
    first = client.get(brand.get_absolute_url())
    titles = [a.title for a in first.context["page_obj"]]
    assert titles[:2] == ["活动0", "活动1"]
    assert len(titles) == ACTIVITIES_PER_PAGE
    second = client.get(brand.get_absolute_url(), {"page": 2})
    assert [a.title for a in second.context["page_obj"]] == [
        f"活动{ACTIVITIES_PER_PAGE}",
        f"活动{ACTIVITIES_PER_PAGE + 1}",
    ]


def test_brand_page_filters_activities_by_action(client, brand):
    first, second = brand.actions.get(order=1), brand.actions.get(order=2)
    factories.BrandActivityFactory(brand=brand, action=first, title="见面会")
    factories.BrandActivityFactory(brand=brand, action=second, title="故事会")
    factories.BrandActivityFactory(brand=brand, title="年度交流")
    response = client.get(brand.get_absolute_url(), {"action": 2})
    assert [a.title for a in response.context["page_obj"]] == ["故事会"]
    assert response.context["selected_action"] == second
    unknown = client.get(brand.get_absolute_url(), {"action": 99})
    assert len(unknown.context["page_obj"]) == 3


def test_photo_is_served_with_its_description_and_only_where_the_brand_is_visible(
    client, brand, secretary
):
    activity = _record(brand, secretary, photo=_jpeg_with_gps(), photo_alt="居民一起做月饼")
    photo_url = reverse("brands:brand_activity_photo", args=[brand.slug, activity.pk])
    content = client.get(brand.get_absolute_url()).content.decode()
    assert f'src="{photo_url}" alt="居民一起做月饼"' in content
    response = client.get(photo_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, no-cache"

    Brand.objects.filter(pk=brand.pk).update(is_public=False)
    assert client.get(photo_url).status_code == 404
    client.force_login(secretary)
    assert client.get(photo_url)["Cache-Control"] == "private, no-store"


def test_area_page_shows_its_visible_brands(client, brand):
    factories.BrandFactory(area=brand.area, name="未公开品牌", is_public=False)
    content = client.get(brand.area.get_absolute_url()).content.decode()
    assert brand.get_absolute_url() in content
    assert "未公开品牌" not in content


def test_main_navigation_links_the_brands(client):
    assert reverse("brands:brand_list") in client.get(reverse("home")).content.decode()


# Query counts


def _brands_with_activities(area, count):
    for _n in range(count):
        brand = factories.BrandFactory(area=area)
        for order in range(1, 4):
            action = factories.BrandActionFactory(brand=brand, order=order)
            factories.BrandActivityFactory(brand=brand, action=action)
    return brand


@pytest.mark.parametrize("count", [2, 20])
def test_brand_list_query_count_is_constant(
    client, area, secretary, count, django_assert_max_num_queries
):
    _brands_with_activities(area, count)
    client.force_login(secretary)
    with django_assert_max_num_queries(7):  # + the inbox's unread count in the navigation
        assert client.get(reverse("brands:brand_list")).status_code == 200


@pytest.mark.parametrize("count", [2, 30])
def test_brand_page_query_count_is_constant(
    client, brand, secretary, count, django_assert_max_num_queries
):
    for n in range(count):
        factories.BrandActivityFactory(brand=brand, action=brand.actions.get(order=n % 3 + 1))
    client.force_login(secretary)
    with django_assert_max_num_queries(8):
        assert client.get(brand.get_absolute_url(), {"action": 1}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(brand.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_area_page_brands_add_a_bounded_number_of_queries(
    client, area, count, django_assert_max_num_queries
):
    _brands_with_activities(area, count)
    with django_assert_max_num_queries(10):  # + the doorstep station (none here)
        assert client.get(area.get_absolute_url()).status_code == 200


# Demo


def test_demo_loads_the_two_brands_with_their_actions_in_order(demo):
    renheng = Brand.objects.get(name="最美地球村")
    ruwu = Brand.objects.get(name="八心精神")
    assert renheng.area.short_name == "仁恒" and renheng.is_public
    assert ruwu.area.short_name == "乳五" and ruwu.is_public
    assert list(renheng.actions.values_list("name", flat=True)) == [
        "和谐美",
        "风采美",
        "素养美",
        "文化美",
        "公益美",
    ]
    assert list(ruwu.actions.values_list("name", flat=True)) == [
        "爱心奉献他人",
        "欢心相聚楼组",
        "尽心服务居民",
        "美心优化环境",
        "热心探望邻里",
        "同心建设社区",
        "孝心关爱老人",
        "用心倾听民声",
    ]
    assert renheng.organization.kind == OrganizationKind.PARTY
    for brand in (renheng, ruwu):
        activities = brand.activities.all()
        assert activities.count() >= 4
        assert activities.filter(action__isnull=False).exists()
        assert all(a.date <= TODAY() for a in activities)
    photos = BrandActivity.objects.exclude(photo="")
    assert photos.count() >= 2
    assert all(photo.photo_alt for photo in photos)


# Admin


@pytest.fixture
def street_admin(client, street_staff):
    street_staff.user_permissions.set(Permission.objects.filter(content_type__app_label="brands"))
    client.force_login(street_staff)
    return client


def test_admin_edits_a_brand_with_its_actions_in_order(street_admin, brand):
    response = street_admin.get(reverse("admin:brands_brand_change", args=[brand.pk]))
    assert response.status_code == 200
    assert "actions-TOTAL_FORMS" in response.text
    assert response.text.index("和谐美") < response.text.index("风采美")


def test_admin_corrects_an_activity_with_a_photo_and_strips_a_new_one(
    street_admin, brand, street_staff, django_capture_on_commit_callbacks
):
    activity = _record(brand, street_staff, photo=_jpeg_with_gps(), photo_alt="旧照片")
    url = reverse("admin:brands_brandactivity_change", args=[activity.pk])
    assert street_admin.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = street_admin.post(
            url,
            {
                "action": "",
                "date": activity.date.isoformat(),
                "title": "更正后的标题",
                "text": "",
                "photo": _jpeg_with_gps("新照片.jpg"),
                "photo_alt": "新照片",
            },
        )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "更正后的标题"
    assert "新照片" not in activity.photo.name
    with activity.photo.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()


def test_admin_removes_an_activity_through_the_service(
    street_admin, brand, street_staff, django_capture_on_commit_callbacks
):
    activity = _record(brand, street_staff, photo=_jpeg_with_gps(), photo_alt="照片")
    storage, name = activity.photo.storage, activity.photo.name
    url = reverse("admin:brands_brandactivity_delete", args=[activity.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert street_admin.post(url, {"post": "yes"}).status_code == 302
    assert not BrandActivity.objects.exists()
    assert not storage.exists(name)


def test_admin_lists_only_the_brands_of_the_users_street(client, brand):
    other = factories.street_staff(factories.StreetFactory())
    other.user_permissions.set(Permission.objects.filter(content_type__app_label="brands"))
    client.force_login(other)
    response = client.get(reverse("admin:brands_brand_changelist"))
    assert list(response.context["cl"].result_list) == []
    assert client.get(reverse("admin:brands_brand_change", args=[brand.pk])).status_code == 302


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"date": "2099-01-01"}, "activity_in_future"),
        ({"photo": "not-a-photo"}, "invalid_image"),
    ],
)
def test_admin_corrections_keep_the_rules_of_the_brand_page(
    street_admin, brand, street_staff, change, code
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    activity = _record(brand, street_staff)
    url = reverse("admin:brands_brandactivity_change", args=[activity.pk])
    data = {"action": "", "date": activity.date.isoformat(), "title": "改", "text": "", **change}
    if "photo" in change:
        data |= {"photo": SimpleUploadedFile("x.jpg", b"plain text"), "photo_alt": "说明"}

    response = street_admin.post(url, data)

    activity.refresh_from_db()
    errors = response.context["adminform"].form.errors.as_data()
    assert response.status_code == 200
    assert {error.code for field in errors.values() for error in field} == {code}
    assert activity.title != "改"


def test_the_brand_page_has_no_duplicate_ids_for_its_staff(client, brand, secretary):
    client.force_login(secretary)

    html = client.get(brand.get_absolute_url()).content.decode()

    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
