"""The audit trail: every write names who made it, the admin's included, and street staff read
the trail of an organisation or a person, scoped like everything else."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from audit.trail import trail
from forums.models import Forum
from governance import services
from governance.models import Organization, Post, PostTitle
from residents.models import Person
from tests import factories
from tests.markup import form_data
from wishes.models import Wish

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return factories.AreaFactory()


@pytest.fixture
def staff(area):
    """Street staff of the area's street with the admin permissions the street office gets."""
    user = factories.street_staff(area.street, first_name="任恒")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["residents", "governance", "wishes", "brands", "forums"]
        )
    )
    return user


def _admin_change(client, obj, **changes) -> None:
    """Post the admin's change form of ``obj`` as it stands, with ``changes``."""
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {**form_data(page.content, form_id=f"{meta.model_name}_form"), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _wish(area, staff):
    return factories.wish(area, staff)


def _forum(area, staff):
    return factories.ForumFactory(street=area.street)


@pytest.mark.parametrize(
    ("make", "changes", "field"),
    [
        (
            lambda area, staff: factories.PostFactory(organization__area=area),
            {"part_time": "on"},
            "part_time",
        ),
        (
            lambda area, staff: factories.OrganizationFactory(area=area),
            {"description": "每月第一个周三开放接待"},
            "description",
        ),
        (_wish, {"title": "楼道灯坏了"}, "title"),
        (_forum, {"venue": "东昌新村党群服务站二楼"}, "venue"),
    ],
    ids=["post", "organisation", "wish", "forum"],
)
def test_an_admin_edit_leaves_an_audit_row_naming_the_acting_user(
    client, area, staff, make, changes, field
):
    obj = make(area, staff)
    before = obj.history.count()
    client.force_login(staff)

    _admin_change(client, obj, **changes)

    assert obj.history.count() == before + 1
    row = obj.history.latest()
    assert (row.history_type, row.history_user) == ("~", staff)
    assert getattr(row, field) != getattr(row.prev_record, field)


def _secretary_post(staff, organization, person, start_date=None):
    """A secretary's post, made through the service as ``staff``, outside any request."""
    return services.post_create(
        actor=staff,
        organization=organization,
        person=person,
        title=PostTitle.SECRETARY,
        part_time=False,
        start_date=start_date or timezone.localdate(),
    )


def test_a_service_outside_a_request_records_its_actor(area, staff):
    post = _secretary_post(
        staff, factories.OrganizationFactory(area=area), factories.PersonFactory(area=area)
    )

    assert post.history.get().history_user == staff


def test_the_trail_of_an_organisation_names_who_changed_what_in_words(client, area, staff):
    organization = factories.OrganizationFactory(area=area, name="东昌居民区党总支")
    person = factories.PersonFactory(area=area, name="王晓梅")
    post = _secretary_post(staff, organization, person, datetime.date(2026, 1, 5))
    services.post_end(actor=staff, post=post, end_date=datetime.date(2026, 11, 30))
    client.force_login(staff)

    page = client.get(reverse("governance:organization_history", args=[organization.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "任恒" in html  # the actor, by name
    assert "王晓梅 · 东昌居民区党总支 · 书记" in html  # the post, as it names itself
    assert "<del>—</del> → <ins>2026-11-30</ins>" in html  # its end date, old and new
    assert "书记" in html and "secretary" not in html  # a choice in words, not its code


def test_the_trail_never_shows_personal_data(client, area, staff):
    person = factories.PersonFactory(area=area, phone="13912345678", address="浦东南路1号")
    services.person_update(person=person, actor=staff, phone="13800009999", address="浦东南路2号")
    client.force_login(staff)

    html = client.get(reverse("governance:person_history", args=[person.pk])).content.decode()

    for value in ("13912345678", "13800009999", "浦东南路1号", "浦东南路2号"):
        assert value not in html
    assert "已修改（个人信息，不予显示）" in html  # it says that the contact changed
    assert "已登记（个人信息，不予显示）" in html  # and that one was recorded with the person


def test_an_audit_page_outside_the_users_scope_is_a_404(client, area):
    organization = factories.OrganizationFactory(area=area)
    person = factories.PersonFactory(area=area)
    elsewhere = factories.secretary(factories.AreaFactory(street=area.street))
    client.force_login(elsewhere)

    for url in (
        reverse("governance:organization_history", args=[organization.pk]),
        reverse("governance:person_history", args=[person.pk]),
    ):
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_organisation_trail_costs_the_same_queries_for_many_posts(
    client, area, staff, django_assert_max_num_queries
):
    organization = factories.OrganizationFactory(area=area)
    factories.PostFactory.create_batch(40, organization=organization)
    client.force_login(staff)
    url = reverse("governance:organization_history", args=[organization.pk])

    with django_assert_max_num_queries(14):
        page = client.get(url)

    assert page.status_code == 200
    assert page.content.decode().count('class="timeline__item"') == 41


def test_a_forum_sent_for_review_records_every_speech_put_back_to_pending(area, staff):
    forum = factories.ForumFactory(street=area.street)
    speech = factories.SpeechFactory(forum=forum, review_state="confirmed")
    before = speech.history.count()
    from forums import services as forum_services

    forum_services.publication_transition(item=forum, to="in_review", actor=staff)

    assert speech.history.count() == before + 1
    row = speech.history.latest()
    assert (row.review_state, row.history_user) == ("pending", staff)
    entries = trail(Forum.history.filter(id=forum.pk))
    assert entries[0].user == "任恒"


def test_trail_entries_are_newest_first_and_skip_saves_that_changed_nothing(area, staff):
    organization = factories.OrganizationFactory(area=area)
    organization.save()  # nothing changed
    organization.description = "新的介绍"
    organization.save()

    entries = trail(Organization.history.filter(id=organization.pk))

    assert [e.action for e in entries] == ["~", "+"]
    assert [c.new for c in entries[0].changes] == ["新的介绍"]
    assert Post.history.count() == 0 and Person.history.count() == 0 and Wish.history.count() == 0
