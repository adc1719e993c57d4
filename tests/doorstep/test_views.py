import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from doorstep import views
from doorstep.models import Category, ExceptionKind, OpeningPeriod, Service, Station
from tests import factories

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
TUESDAY_10 = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SH)
WEDNESDAY_10 = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=SH)


@pytest.fixture
def clock(monkeypatch):
    """The pages' clock, set by the test."""

    def set_to(moment: datetime.datetime) -> None:
        monkeypatch.setattr(views, "_now", lambda: moment)

    set_to(TUESDAY_10)
    return set_to


@pytest.fixture
def street_services(area, other_area):
    """Two stations, open weekdays 09:00-17:00; legal advice on Tuesday afternoons in ``area``,
    a health check on Wednesday mornings in ``other_area``."""
    stations = [factories.StationFactory(area=a) for a in (area, other_area)]
    for station in stations:
        for day in range(5):
            factories.opening(station, day, "09:00", "17:00")
    legal = factories.ServiceFactory(station=stations[0], title="律师法律咨询", category="legal")
    factories.opening(legal, 1, "14:00", "16:30")
    health = factories.ServiceFactory(station=stations[1], title="健康咨询", category="health")
    factories.opening(health, 2, "09:00", "11:00")
    errands = factories.ServiceFactory(station=stations[0], title="事务代办")
    return {"legal": legal, "health": health, "errands": errands, "stations": stations}


def _titles(response) -> list[str]:
    return [service.title for service in response.context["page_obj"]]


def test_the_list_shows_every_service_with_its_hours(client, clock, street_services):
    response = client.get(reverse("doorstep:service_list"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert sorted(_titles(response)) == ["事务代办", "健康咨询", "律师法律咨询"]
    html = response.content.decode()
    assert "Open now, closes today at 17:00" in html  # the errands keep the station's hours
    assert "Closed now, opens today at 14:00" in html  # legal advice
    assert "Closed now, opens tomorrow at 09:00" in html  # the health check


def test_the_list_filters_by_area_and_category(client, clock, area, street_services):
    response = client.get(reverse("doorstep:service_list"), {"area": area.slug})
    assert sorted(_titles(response)) == ["事务代办", "律师法律咨询"]

    response = client.get(reverse("doorstep:service_list"), {"category": Category.LEGAL})
    assert _titles(response) == ["律师法律咨询"]


def test_open_now_keeps_only_what_is_open_at_the_clock(client, clock, street_services):
    clock(TUESDAY_10)
    response = client.get(reverse("doorstep:service_list"), {"when": "now"})
    assert _titles(response) == ["事务代办"]  # legal advice is in the afternoon

    clock(TUESDAY_10.replace(hour=15))
    response = client.get(reverse("doorstep:service_list"), {"when": "now"})
    assert sorted(_titles(response)) == ["事务代办", "律师法律咨询"]


def test_open_this_week_leaves_out_a_session_cancelled_by_a_closure(client, clock, street_services):
    clock(WEDNESDAY_10)
    url = reverse("doorstep:service_list")
    params = {"when": "week", "category": Category.LEGAL}
    assert _titles(client.get(url, params)) == ["律师法律咨询"]

    factories.day_exception(street_services["legal"], "2026-12-08", ExceptionKind.CLOSED)

    assert _titles(client.get(url, params)) == []


def test_the_list_reads_a_bounded_number_of_queries(
    client, clock, street, django_assert_max_num_queries
):
    for n in range(3):
        station = factories.StationFactory(area=factories.AreaFactory(street=street))
        for day in range(5):
            factories.opening(station, day, "09:00", "17:00")
        factories.day_exception(station, "2026-12-03", ExceptionKind.CLOSED)
        for _ in range(10):
            service = factories.ServiceFactory(station=station)
            factories.opening(service, n, "14:00", "16:00")
            factories.day_exception(service, "2026-12-04", ExceptionKind.CLOSED)

    for params in ({}, {"when": "now"}, {"when": "week"}, {"page": 2}):
        with django_assert_max_num_queries(8):
            response = client.get(reverse("doorstep:service_list"), params)
        assert response.status_code == 200
    assert Service.objects.count() == 30


def test_station_service_area_and_print_pages_read_a_bounded_number_of_queries(
    client, clock, area, street_services, django_assert_max_num_queries
):
    station = street_services["stations"][0]
    for _ in range(8):
        factories.opening(factories.ServiceFactory(station=station), 3, "09:00", "10:00")
    pages = [
        station.get_absolute_url(),
        street_services["legal"].get_absolute_url(),
        reverse("doorstep:area_print", args=[area.slug]),
    ]
    for url in pages:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(16):  # the area's own 9, + 6 for its station
        assert client.get(area.get_absolute_url()).status_code == 200


def test_the_station_page_shows_its_week_today_and_services(client, clock, street_services):
    station = street_services["stations"][0]
    factories.day_exception(station, "2026-12-03", ExceptionKind.CLOSED, note="员工培训")

    response = client.get(station.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert "Open now, closes today at 17:00" in html
    assert "员工培训" in html
    assert station.phone in html
    assert "律师法律咨询" in html and "事务代办" in html
    assert [day.date.day for day in response.context["week"]] == [1, 2, 3, 4, 5, 6, 7]


def test_the_service_page_links_the_provider_to_its_organisation_page(
    client, clock, street_services
):
    legal = street_services["legal"]

    response = client.get(legal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert f'href="{legal.provider.get_absolute_url()}"' in response.content.decode()
    assert "Closed now, opens today at 14:00" in response.content.decode()


def test_the_area_page_shows_its_station_and_services(client, area, street_services):
    response = client.get(area.get_absolute_url())

    html = response.content.decode()
    assert street_services["stations"][0].name in html
    assert "律师法律咨询" in html and "健康咨询" not in html
    assert reverse("doorstep:area_print", args=[area.slug]) in html


def test_the_area_page_reads_the_hours_on_the_pages_clock(client, clock, area, street_services):
    clock(datetime.datetime(2026, 12, 5, 10, 0, tzinfo=SH))  # a Saturday

    response = client.get(area.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert "Closed now, opens Monday 2026-12-07 at 09:00" in html  # the station
    assert "Closed now, opens Tuesday 2026-12-08 at 14:00" in html  # legal advice


def test_the_print_page_lists_the_area_services_in_large_type(client, clock, area, street_services):
    response = client.get(reverse("doorstep:area_print", args=[area.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="stairwell"' in html
    assert "律师法律咨询" in html and "事务代办" in html and "健康咨询" not in html
    assert street_services["stations"][0].phone in html
    assert "14:00\u201316:30" in html  # legal advice, in the week's hours
    assert "<style" not in html and "style=" not in html and "<script" not in html


def test_the_print_stylesheet_sets_large_type_for_paper():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/portal.css")).read_text(encoding="utf-8")
    print_rules = css[css.index(".stairwell { font-size: 14pt") - 200 :]
    assert "@media print" in print_rules
    assert "@page" in print_rules


def test_an_unknown_area_has_no_print_page(client):
    assert client.get(reverse("doorstep:area_print", args=["nowhere"])).status_code == 404


@pytest.mark.parametrize(
    ("language", "expected", "weekday"),
    [
        ("en", ["Street overview", "Doorstep services"], "Tuesday"),
        ("zh-hans", ["街道概览"], "周二"),
    ],
)
def test_the_pages_render_in_both_languages(
    client, clock, area, street_services, language, expected, weekday
):
    clock(WEDNESDAY_10.replace(hour=18))
    urls = [
        reverse("doorstep:service_list"),
        street_services["legal"].get_absolute_url(),
        street_services["stations"][0].get_absolute_url(),
        reverse("doorstep:area_print", args=[area.slug]),
    ]
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        for text in expected:
            assert text in html, url
        assert weekday in html, url


# Staff editing -------------------------------------------------------------------------------


def _station_post(station: Station, **fields) -> dict:
    data = {
        "area": station.area_id,
        "name": station.name,
        "address": station.address,
        "directions": station.directions,
        "phone": station.phone,
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "1000",
        "periods-0-weekday": "5",
        "periods-0-opens": "09:00",
        "periods-0-closes": "12:00",
        "exceptions-TOTAL_FORMS": "1",
        "exceptions-INITIAL_FORMS": "0",
        "exceptions-MIN_NUM_FORMS": "0",
        "exceptions-MAX_NUM_FORMS": "1000",
        "exceptions-0-date": "2026-10-10",
        "exceptions-0-kind": "works_like",
        "exceptions-0-works_like": "0",
    }
    data.update(fields)
    return data


def _service_post(service: Service, **fields) -> dict:
    data = {
        "station": service.station_id,
        "title": service.title,
        "category": service.category,
        "provider": service.provider_id,
        "at_station": "on",
        "access": service.access,
        "periods-TOTAL_FORMS": "0",
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "1000",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
        "exceptions-MIN_NUM_FORMS": "0",
        "exceptions-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_a_secretary_keeps_their_station_and_its_hours(client, area, secretary):
    station = factories.StationFactory(area=area)
    client.force_login(secretary)

    response = client.post(
        reverse("doorstep:station_edit", args=[station.pk]),
        _station_post(station, address="新地址 1 号"),
    )

    assert response.status_code == 302
    station.refresh_from_db()
    assert station.address == "新地址 1 号"
    assert OpeningPeriod.objects.filter(station=station, weekday=5).exists()
    assert station.exceptions.get().works_like == 0


def test_a_station_form_refuses_a_mobile_number(client, area, secretary):
    station = factories.StationFactory(area=area)
    client.force_login(secretary)

    response = client.post(
        reverse("doorstep:station_edit", args=[station.pk]),
        _station_post(station, phone="139 1234 5678"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["phone"][0].code == "mobile_number"
    station.refresh_from_db()
    assert station.phone == "021-5888 1234"


def test_the_hours_form_refuses_a_period_ending_before_it_starts(client, area, secretary):
    station = factories.StationFactory(area=area)
    client.force_login(secretary)

    response = client.post(
        reverse("doorstep:station_edit", args=[station.pk]),
        _station_post(station, **{"periods-0-opens": "20:00", "periods-0-closes": "02:00"}),
    )

    assert response.status_code == 200
    assert not OpeningPeriod.objects.filter(station=station).exists()
    response = client.post(
        reverse("doorstep:station_edit", args=[station.pk]),
        _station_post(
            station,
            **{
                "periods-0-opens": "20:00",
                "periods-0-closes": "02:00",
                "periods-0-crosses_midnight": "on",
            },
        ),
    )
    assert response.status_code == 302
    assert OpeningPeriod.objects.get(station=station).crosses_midnight


def test_the_hours_form_removes_a_period_marked_for_deletion_and_changes_the_other(
    client, area, secretary
):
    station = factories.StationFactory(area=area)
    monday = factories.opening(station, 0, "09:00", "17:00")
    tuesday = factories.opening(station, 1, "09:00", "17:00")
    client.force_login(secretary)

    response = client.post(
        reverse("doorstep:station_edit", args=[station.pk]),
        _station_post(
            station,
            **{
                "periods-TOTAL_FORMS": "2",
                "periods-INITIAL_FORMS": "2",
                "periods-0-id": str(monday.pk),
                "periods-0-weekday": "0",
                "periods-0-opens": "09:00",
                "periods-0-closes": "17:00",
                "periods-0-DELETE": "on",
                "periods-1-id": str(tuesday.pk),
                "periods-1-weekday": "1",
                "periods-1-opens": "13:00",
                "periods-1-closes": "17:00",
                "exceptions-TOTAL_FORMS": "0",
            },
        ),
    )

    assert response.status_code == 302
    stored = OpeningPeriod.objects.filter(station=station)
    assert [(p.weekday, p.opens) for p in stored] == [(1, datetime.time(13, 0))]
    assert not station.exceptions.exists()


def test_a_secretary_creates_a_station_with_its_hours(client, area, secretary):
    client.force_login(secretary)
    draft = factories.StationFactory.build(area=area, name="新站")

    response = client.post(reverse("doorstep:station_create"), _station_post(draft))

    station = Station.objects.get(name="新站")
    assert response.status_code == 302
    assert response["Location"] == station.get_absolute_url()
    assert [(p.weekday, p.opens) for p in station.periods.all()] == [(5, datetime.time(9, 0))]
    assert station.exceptions.get().works_like == 0


def test_a_secretary_adds_a_station_to_their_area_only(client, area, other_area, secretary):
    client.force_login(secretary)
    draft = factories.StationFactory.build(area=other_area, name="新站")

    response = client.post(reverse("doorstep:station_create"), _station_post(draft))

    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    assert not Station.objects.filter(name="新站").exists()


@pytest.mark.parametrize("name", ["station_edit", "service_edit"])
def test_another_area_s_records_are_a_404_to_a_secretary(client, area, other_secretary, name):
    service = factories.ServiceFactory(station__area=area)
    pk = service.station.pk if name == "station_edit" else service.pk
    client.force_login(other_secretary)

    assert client.get(reverse(f"doorstep:{name}", args=[pk])).status_code == 404
    assert client.post(reverse(f"doorstep:{name}", args=[pk]), {}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, area):
    station = factories.StationFactory(area=area)
    for url in (reverse("doorstep:manage"), reverse("doorstep:station_edit", args=[station.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_secretary_cannot_choose_a_provider_of_another_area(client, area, other_area, secretary):
    service = factories.ServiceFactory(station__area=area)
    foreign = factories.OrganizationFactory(area=other_area)
    client.force_login(secretary)

    response = client.post(
        reverse("doorstep:service_edit", args=[service.pk]),
        _service_post(service, provider=foreign.pk),
    )

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["provider"][0].code == "invalid_choice"
    service.refresh_from_db()
    assert service.provider_id != foreign.pk


def test_a_provider_must_serve_the_station_s_area_even_for_street_staff(
    client, area, other_area, street_staff
):
    service = factories.ServiceFactory(station__area=area)
    foreign = factories.OrganizationFactory(area=other_area)
    client.force_login(street_staff)

    response = client.post(
        reverse("doorstep:service_edit", args=[service.pk]),
        _service_post(service, provider=foreign.pk),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert errors["provider"][0].code == "provider_outside_area"


def test_saving_a_service_counts_as_updating_its_station(client, area, secretary):
    service = factories.ServiceFactory(station__area=area)
    Station.objects.filter(pk=service.station_id).update(
        updated_at=service.station.updated_at - datetime.timedelta(days=200)
    )
    assert Station.objects.stale().exists()
    client.force_login(secretary)

    response = client.post(
        reverse("doorstep:service_edit", args=[service.pk]),
        _service_post(
            service,
            title="新标题",
            **{
                "periods-TOTAL_FORMS": "1",
                "periods-0-weekday": "2",
                "periods-0-opens": "14:00",
                "periods-0-closes": "16:00",
            },
        ),
    )

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.title == "新标题"
    assert service.periods.count() == 1
    assert not Station.objects.stale().exists()


def test_street_staff_see_the_stations_not_updated_for_90_days(
    client, area, other_area, street_staff, secretary
):
    fresh = factories.StationFactory(area=area, name="新鲜站")
    old = factories.StationFactory(area=other_area, name="久未更新站")
    Station.objects.filter(pk=old.pk).update(
        updated_at=old.updated_at - datetime.timedelta(days=100)
    )
    other_street = factories.StationFactory(name="外街道站")
    Station.objects.filter(pk=other_street.pk).update(
        updated_at=old.updated_at - datetime.timedelta(days=100)
    )
    client.force_login(street_staff)

    response = client.get(reverse("doorstep:manage"))

    assert list(response.context["stale"]) == [old]
    assert fresh.name in response.content.decode()

    client.force_login(secretary)
    response = client.get(reverse("doorstep:manage"))
    assert response.context["stale"] is None
    assert [s.name for s in response.context["stations"]] == ["新鲜站"]


def test_a_secretary_removes_a_service_after_confirming(client, area, secretary):
    service = factories.ServiceFactory(station__area=area)
    factories.opening(service, 1, "09:00", "10:00")
    client.force_login(secretary)
    url = reverse("doorstep:service_delete", args=[service.pk])

    assert client.get(url).status_code == 200
    assert Service.objects.filter(pk=service.pk).exists()
    response = client.post(url)

    assert response.status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists()
    assert not OpeningPeriod.objects.filter(service_id=service.pk).exists()


def test_another_area_s_secretary_cannot_remove_a_service(client, area, other_secretary):
    service = factories.ServiceFactory(station__area=area)
    client.force_login(other_secretary)

    assert client.post(reverse("doorstep:service_delete", args=[service.pk])).status_code == 404
    assert Service.objects.filter(pk=service.pk).exists()


def test_a_service_elsewhere_without_hours_is_by_arrangement(client, clock, area):
    service = factories.ServiceFactory(
        station__area=area, at_station=False, place_name="居民家中", title="上门助浴"
    )

    for url in (reverse("doorstep:service_list"), service.get_absolute_url()):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "By arrangement: call the station" in html, url
        assert "Closed now" not in html, url


def test_the_station_s_special_hours_do_not_open_a_service_with_its_own_hours(
    client, clock, street_services
):
    station = street_services["stations"][0]
    factories.day_exception(
        station,
        "2026-12-11",
        ExceptionKind.SPECIAL_HOURS,
        opens=datetime.time(13, 0),
        closes=datetime.time(19, 0),
    )
    clock(datetime.datetime(2026, 12, 11, 15, 0, tzinfo=SH))  # a Friday

    response = client.get(reverse("doorstep:service_list"), {"when": "now"})

    assert _titles(response) == ["事务代办"]  # legal advice is on Tuesdays only


def test_a_service_elsewhere_with_a_one_off_session_says_when_it_opens(client, clock, area):
    service = factories.ServiceFactory(
        station__area=area, at_station=False, place_name="小区广场", title="义诊"
    )
    factories.day_exception(
        service,
        "2026-12-05",
        ExceptionKind.SPECIAL_HOURS,
        opens=datetime.time(9, 0),
        closes=datetime.time(11, 0),
    )

    response = client.get(reverse("doorstep:service_list"), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert "Closed now, opens Saturday 2026-12-05 at 09:00" in html
    assert "By arrangement" not in html


def test_a_service_form_refuses_a_mobile_number_in_what_it_is(client, area, secretary):
    service = factories.ServiceFactory(station__area=area)
    client.force_login(secretary)

    response = client.post(
        reverse("doorstep:service_edit", args=[service.pk]),
        _service_post(service, description="预约请打王老师手机 139-1234-5678"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["description"][0].code == "mobile_number"
    service.refresh_from_db()
    assert service.description == ""


def test_the_manage_page_lists_the_services_a_page_at_a_time(
    client, area, other_area, street_staff, django_assert_max_num_queries
):
    for station_area in (area, other_area):
        station = factories.StationFactory(area=station_area)
        for _ in range(views.PAGE_SIZE - 5):
            factories.ServiceFactory(station=station)
    client.force_login(street_staff)

    with django_assert_max_num_queries(12):
        first = client.get(reverse("doorstep:manage"))
    second = client.get(reverse("doorstep:manage"), {"page": 2})

    assert len(first.context["page_obj"]) == views.PAGE_SIZE
    assert len(second.context["page_obj"]) == views.PAGE_SIZE - 10
    assert len(first.context["stations"]) == 2
    assert "?page=2" in first.content.decode()


def test_open_now_with_nothing_open_lists_what_opens_next_and_offers_this_week(
    client, clock, street_services
):
    patrol = factories.ServiceFactory(station=street_services["stations"][0], title="夜间巡逻")
    for day in range(7):
        factories.opening(patrol, day, "20:00", "23:00")
    clock(TUESDAY_10.replace(hour=18))

    response = client.get(
        reverse("doorstep:service_list"), {"when": "now"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert _titles(response) == []
    opening = [(service.title, at.hour) for service, at in response.context["opening_next"]]
    assert opening[0] == ("夜间巡逻", 20)
    assert {title for title, _hour in opening[1:]} <= {"事务代办", "健康咨询"}
    html = response.content.decode()
    assert "opens today at 20:00" in html
    assert street_services["stations"][0].get_absolute_url() in html
    assert "?when=week" in html
    assert "No service matches." not in html  # what opens next is the answer, not a dead end


def test_a_filter_that_matches_nothing_offers_every_service(client, street_services):
    response = client.get(
        reverse("doorstep:service_list"),
        {"category": "elderly_and_disabled"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    html = response.content.decode()
    assert "No service matches." in html
    assert f'href="{reverse("doorstep:service_list")}"' in html


def test_open_now_with_something_open_says_nothing_of_what_opens_next(
    client, clock, street_services
):
    response = client.get(reverse("doorstep:service_list"), {"when": "now"})

    assert _titles(response) == ["事务代办"]
    assert response.context["opening_next"] == []
    assert "when=week" not in response.content.decode()
