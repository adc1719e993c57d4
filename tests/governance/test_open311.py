"""The Open311 GeoReport v2 interface: the standard's fields in JSON and XML, its filters and
errors, posting with a partner system's key, and no private data in any answer."""

import datetime
import hashlib
import json
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance import open311, services
from governance.models import ApiClient, Case, CaseStatus, Channel, UpdateKind
from tests import factories

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
DISCOVERY_FIELDS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_FIELDS = {"specification", "url", "changeset", "type", "formats"}
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
CREATED_FIELDS = {"service_request_id", "service_notice", "account_id"}
PRIVATE_TEXTS = [
    "王阿姨",
    "13911112222",
    "302室门口",
    "纸箱堆到了三楼",
    "内部协调：物业经理",
    "已告知居民",
]


@pytest.fixture
def parking(db):
    return factories.CategoryFactory(name="停车管理", name_en="Parking", service_code="parking")


@pytest.fixture
def compound(area):
    return factories.CompoundFactory(area=area, name="崂山三村", address="崂山路100弄")


@pytest.fixture
def world(area, compound, parking, secretary):
    """A resolved case with a lead party and updates, an open one, and a case too old to be
    listed by default; reporters, locations and updates hold private text."""
    lead = factories.OrganizationFactory(area=area, property_company=True, name="崂山三村物业")
    resolved = factories.case(
        area,
        secretary,
        category=parking,
        compound=compound,
        title="王阿姨反映车辆乱停",
        description="纸箱堆到了三楼，车辆乱停",
        location="302室门口",
        reporter_name="王阿姨",
        reporter_phone="13911112222",
    )
    services.case_set_parties(case=resolved, actor=secretary, lead=lead, assisting=[])
    for status in (CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED):
        services.case_transition(case=resolved, to=status, actor=secretary)
    services.case_add_update(
        case=resolved, actor=secretary, kind=UpdateKind.NOTE, text="内部协调：物业经理"
    )
    services.case_add_update(
        case=resolved, actor=secretary, kind=UpdateKind.NOTE, text="已告知居民", is_public=True
    )
    open_case = factories.case(area, secretary, category=factories.CategoryFactory())
    old = factories.case(
        area,
        secretary,
        category=parking,
        created_at=timezone.now() - datetime.timedelta(days=120),
    )
    return {"resolved": resolved, "open": open_case, "old": old}


def _json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def _xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 (the portal's own answer)


def _fields(element: ET.Element) -> set[str]:
    return {child.tag for child in element}


# Discovery, services and service definitions


def test_discovery_names_the_specification_and_the_endpoint_in_json_and_xml(client):
    data = _json(client.get(BASE + "discovery.json"))
    assert set(data) == DISCOVERY_FIELDS
    endpoint = data["endpoints"][0]
    assert set(endpoint) == ENDPOINT_FIELDS
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver" + BASE
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}

    root = _xml(client.get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    assert _fields(root) == DISCOVERY_FIELDS
    endpoint = root.find("endpoints/endpoint")
    assert _fields(endpoint) == ENDPOINT_FIELDS
    assert [f.text for f in endpoint.findall("formats/format")] == ["application/json", "text/xml"]


def test_the_base_address_answers_with_the_discovery_document(client):
    assert _json(client.get(BASE))["endpoints"][0]["url"].endswith(BASE)


def test_services_are_the_active_categories_with_a_service_code(client, parking):
    factories.CategoryFactory(service_code="")  # not offered
    factories.CategoryFactory(service_code="retired", is_active=False)

    data = _json(client.get(BASE + "services.json"))
    assert [service["service_code"] for service in data] == ["parking"]
    assert set(data[0]) == SERVICE_FIELDS
    assert data[0]["metadata"] is True
    assert data[0]["type"] == "realtime"

    root = _xml(client.get(BASE + "services.xml"))
    assert root.tag == "services"
    services_xml = root.findall("service")
    assert [s.findtext("service_code") for s in services_xml] == ["parking"]
    assert _fields(services_xml[0]) == SERVICE_FIELDS
    assert services_xml[0].findtext("metadata") == "true"


def test_service_definition_offers_the_area_attribute_with_every_area(client, parking, area):
    data = _json(client.get(BASE + "services/parking.json"))
    assert data["service_code"] == "parking"
    [attribute] = data["attributes"]
    assert set(attribute) == ATTRIBUTE_FIELDS
    assert attribute["code"] == "area"
    assert attribute["datatype"] == "singlevaluelist"
    assert {"key": area.slug, "name": area.name} in attribute["values"]

    root = _xml(client.get(BASE + "services/parking.xml"))
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert _fields(attribute) == ATTRIBUTE_FIELDS
    assert area.slug in [value.findtext("key") for value in attribute.findall("values/value")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_code_is_a_404_in_the_error_format(client, fmt):
    response = client.get(f"{BASE}services/no-such-service.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        [error] = _json(response)
        assert set(error) == {"code", "description"}
        assert error["code"] == 404
    else:
        root = _xml(response)
        assert root.tag == "errors"
        assert root.findtext("error/code") == "404"
        assert root.findtext("error/description")


# Reading service requests


def test_requests_carry_the_standards_fields_in_json(client, world):
    data = _json(client.get(BASE + "requests.json"))
    by_id = {item["service_request_id"]: item for item in data}
    resolved = by_id[world["resolved"].number]
    assert set(resolved) == REQUEST_FIELDS
    assert resolved["status"] == "closed"
    assert resolved["service_code"] == "parking"
    assert resolved["agency_responsible"] == "崂山三村物业"
    assert resolved["address"] == f"崂山三村 {world['resolved'].area.name}"  # specific first
    assert datetime.datetime.fromisoformat(resolved["requested_datetime"]).tzinfo is not None
    assert by_id[world["open"].number]["status"] == "open"


def test_requests_carry_the_standards_fields_in_xml(client, world):
    root = _xml(client.get(BASE + "requests.xml"))
    assert root.tag == "service_requests"
    items = {item.findtext("service_request_id"): item for item in root.findall("request")}
    resolved = items[world["resolved"].number]
    assert _fields(resolved) == REQUEST_FIELDS
    assert resolved.findtext("status") == "closed"
    assert resolved.findtext("lat") == ""


def test_requests_default_to_the_last_90_days(client, world):
    numbers = {item["service_request_id"] for item in _json(client.get(BASE + "requests.json"))}
    assert world["old"].number not in numbers
    assert {world["resolved"].number, world["open"].number} <= numbers


def test_requests_filter_by_dates(client, world):
    start = (timezone.now() - datetime.timedelta(days=200)).isoformat()
    end = (timezone.now() - datetime.timedelta(days=100)).isoformat()
    data = _json(client.get(BASE + "requests.json", {"start_date": start, "end_date": end}))
    assert [item["service_request_id"] for item in data] == [world["old"].number]


def test_requests_filter_by_status_and_service_code(client, world):
    closed = _json(client.get(BASE + "requests.json", {"status": "closed"}))
    assert [item["service_request_id"] for item in closed] == [world["resolved"].number]
    open_ = _json(client.get(BASE + "requests.json", {"status": "open"}))
    assert world["resolved"].number not in {item["service_request_id"] for item in open_}
    parking = _json(client.get(BASE + "requests.json", {"service_code": "parking"}))
    assert {item["service_code"] for item in parking} == {"parking"}


def test_service_request_id_returns_those_requests_whatever_their_date(client, world):
    ids = f"{world['old'].number},{world['open'].number}"
    data = _json(client.get(BASE + "requests.json", {"service_request_id": ids}))
    assert {item["service_request_id"] for item in data} == {
        world["old"].number,
        world["open"].number,
    }


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45T00:00:00Z"},
        {"start_date": "2026-11-02T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"},
        {"status": "pending"},
        {"service_code": "no-such-service"},
        {"page": "two"},
    ],
    ids=["bad-start", "bad-end", "end-before-start", "bad-status", "unknown-code", "bad-page"],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_request_parameters_are_a_400_in_the_error_format(client, world, params, fmt):
    response = client.get(f"{BASE}requests.{fmt}", params)
    assert response.status_code == 400
    if fmt == "json":
        assert _json(response)[0]["code"] == 400
    else:
        assert _xml(response).findtext("error/code") == "400"


def test_a_single_request_in_json_and_xml(client, world):
    number = world["resolved"].number
    [item] = _json(client.get(f"{BASE}requests/{number}.json"))
    assert set(item) == REQUEST_FIELDS
    assert item["service_request_id"] == number
    root = _xml(client.get(f"{BASE}requests/{number}.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [number]


def test_an_unknown_request_is_a_404_in_the_error_format(client, world):
    response = client.get(f"{BASE}requests/LJZ-1999-0001.json")
    assert response.status_code == 404
    assert _json(response)[0]["code"] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_private_text_in_any_answer(client, world, fmt):
    number = world["resolved"].number
    answers = [
        client.get(f"{BASE}requests.{fmt}").content.decode(),
        client.get(f"{BASE}requests.{fmt}", {"status": "closed"}).content.decode(),
        client.get(f"{BASE}requests/{number}.{fmt}").content.decode(),
        client.get(f"{BASE}requests.{fmt}", {"service_request_id": number}).content.decode(),
    ]
    for answer in answers:
        assert number in answer
        for text in PRIVATE_TEXTS:
            assert text not in answer, text


def test_no_stored_personal_data_in_the_demo_streets_answers(client, demo):
    from tests.test_privacy import _private_values

    private = _private_values()
    assert private, "the demo holds personal data to look for"
    for path in ["requests.json", "requests.xml", "requests.json?status=closed"]:
        answer = client.get(BASE + path).content.decode()
        assert "service_request_id" in answer
        assert not [value for value in private if value in answer], path


def test_requests_list_queries_stay_bounded(client, area, parking, django_assert_max_num_queries):
    lead = factories.OrganizationFactory(area=area, property_company=True)
    for _ in range(12):
        case = factories.case(area, category=parking)
        services.case_set_parties(
            case=case, actor=factories.street_staff(area.street), lead=lead, assisting=[]
        )
    with django_assert_max_num_queries(3):
        data = _json(client.get(BASE + "requests.json"))
    assert len(data) == 12
    with django_assert_max_num_queries(3):
        client.get(BASE + "requests.xml", {"service_code": "parking", "status": "open"})
    with django_assert_max_num_queries(1):
        client.get(BASE + "services.json")


# Posting service requests


def _post(client, fmt="json", **params):
    return client.post(f"{BASE}requests.{fmt}", params)


def test_a_good_key_logs_a_new_case_for_the_area_attribute(client, area, parking):
    api_client, key = factories.api_client(area.street)
    response = _post(
        client,
        api_key=key,
        service_code="parking",
        **{"attribute[area]": area.slug},
        description="小区门口车辆乱停\n占用消防通道",
        first_name="张",
        last_name="先生",
        phone="13800001111",
        lat="31.23",
        long="121.50",
    )
    assert response.status_code == 201
    [created] = _json(response)
    assert set(created) == CREATED_FIELDS
    case = Case.objects.get(number=created["service_request_id"])
    assert case.area == area
    assert case.category == parking
    assert case.channel == Channel.PARTNER_SYSTEM
    assert case.logged_by == api_client.account
    assert case.title == "小区门口车辆乱停"
    assert case.status == CaseStatus.NEW
    assert (case.reporter_name, case.reporter_phone) == ("张 先生", "13800001111")
    api_client.refresh_from_db()
    assert api_client.last_used_at is not None


def test_the_area_can_come_from_an_address_naming_a_compound(client, area, compound, parking):
    factories.CompoundFactory(area=factories.AreaFactory(street=area.street), name="崂山")
    _api_client, key = factories.api_client(area.street)
    response = _post(
        client, "xml", api_key=key, service_code="parking", address_string="崂山三村 5号楼前"
    )
    assert response.status_code == 201
    root = _xml(response)
    assert _fields(root.find("request")) == CREATED_FIELDS
    case = Case.objects.get(number=root.findtext("request/service_request_id"))
    assert (case.area, case.compound) == (area, compound)
    assert case.reporter_name == case.reporter_phone == ""


def test_the_reporter_given_in_a_post_never_shows_in_the_public_answers(client, area, parking):
    _api_client, key = factories.api_client(area.street)
    _post(
        client,
        api_key=key,
        service_code="parking",
        **{"attribute[area]": area.slug},
        description="李先生家门口停车",
        first_name="李先生",
        phone="13700002222",
        email="li@example.org",
    )
    for fmt in ("json", "xml"):
        answer = client.get(f"{BASE}requests.{fmt}").content.decode()
        for text in ("李先生", "13700002222", "li@example.org"):
            assert text not in answer


@pytest.mark.parametrize(
    ("key", "expected"),
    [("", 403), ("not-a-key", 403)],
    ids=["missing-key", "wrong-key"],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_or_wrong_key_is_refused_with_403(client, area, parking, key, expected, fmt):
    factories.api_client(area.street)
    params = {"service_code": "parking", "attribute[area]": area.slug}
    if key:
        params["api_key"] = key
    response = _post(client, fmt, **params)
    assert response.status_code == expected
    if fmt == "json":
        assert _json(response)[0]["code"] == 403
    else:
        assert _xml(response).findtext("error/code") == "403"
    assert not Case.objects.exists()


def test_a_deactivated_partner_systems_key_is_refused(client, area, parking):
    api_client, key = factories.api_client(area.street)
    ApiClient.objects.filter(pk=api_client.pk).update(is_active=False)
    response = _post(client, api_key=key, service_code="parking", **{"attribute[area]": area.slug})
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_a_key_in_the_query_string_is_not_accepted(client, area, parking):
    _api_client, key = factories.api_client(area.street)
    response = client.post(
        f"{BASE}requests.json?api_key={key}",
        {"service_code": "parking", "attribute[area]": area.slug},
    )
    assert response.status_code == 403
    assert _json(response)[0]["code"] == 403
    assert not Case.objects.exists()


def test_a_jurisdiction_id_in_the_form_or_the_url_is_checked_against_the_keys_street(
    client, area, parking
):
    _api_client, key = factories.api_client(area.street)
    other = factories.StreetFactory()
    params = {"api_key": key, "service_code": "parking", "attribute[area]": area.slug}

    assert _post(client, jurisdiction_id="", **params).status_code == 201
    own = client.post(f"{BASE}requests.json?jurisdiction_id={area.street.slug}", params)
    assert own.status_code == 201
    assert _post(client, jurisdiction_id=other.slug, **params).status_code == 403
    assert _post(client, jurisdiction_id="no-such-street", **params).status_code == 404
    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"service_code": "no-such-service"}, 404),
        ({}, 400),
        ({"service_code": "parking", "attribute[area]": "no-such-area"}, 400),
        ({"service_code": "parking", "address_string": "世纪大道1号"}, 400),
        ({"service_code": "parking", "lat": "31.2", "long": "121.5"}, 400),
        ({"service_code": "parking", "description": "长" * 4001, "attribute[area]": "A"}, 400),
    ],
    ids=[
        "unknown-code",
        "no-code",
        "unknown-area",
        "address-outside",
        "only-coordinates",
        "too-long",
    ],
)
def test_posts_the_case_cannot_be_logged_from_are_refused(client, area, parking, params, status):
    _api_client, key = factories.api_client(area.street)
    params = {k: (area.slug if v == "A" else v) for k, v in params.items()}
    response = _post(client, api_key=key, **params)
    assert response.status_code == status
    assert _json(response)[0]["code"] == status
    assert not Case.objects.exists()


def test_a_partner_system_posts_only_into_its_own_street(client, area, parking):
    elsewhere = factories.AreaFactory()
    _api_client, key = factories.api_client(area.street)
    response = _post(
        client, api_key=key, service_code="parking", **{"attribute[area]": elsewhere.slug}
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_posts_are_throttled_per_key(client, area, parking, settings):
    settings.OPEN311_RATE_LIMIT = "2/m"
    _first, key = factories.api_client(area.street)
    _second, other_key = factories.api_client(area.street, name="城运中心平台")
    params = {"service_code": "parking", "attribute[area]": area.slug}
    assert [_post(client, api_key=key, **params).status_code for _ in range(3)] == [201, 201, 429]
    assert _post(client, api_key=other_key, **params).status_code == 201
    assert Case.objects.count() == 3


def test_posting_needs_no_csrf_token_and_no_session(area, parking):
    _api_client, key = factories.api_client(area.street)
    client = Client(enforce_csrf_checks=True)
    response = _post(client, api_key=key, service_code="parking", **{"attribute[area]": area.slug})
    assert response.status_code == 201
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def test_other_methods_are_answered_in_the_error_format(client):
    response = client.delete(BASE + "services.json")
    assert response.status_code == 405
    assert _json(response)[0]["code"] == 405


# Who may do what: the interface ignores logins


ROLES = ["anonymous", "secretary", "other_secretary", "liaison", "street_staff"]


@pytest.fixture
def login(client, area, secretary, other_secretary, street_staff):
    def as_role(role: str):
        users = {
            "anonymous": None,
            "secretary": secretary,
            "other_secretary": other_secretary,
            "liaison": factories.liaison(factories.OrganizationFactory(area=area, partner=True)),
            "street_staff": street_staff,
        }
        if users[role]:
            client.force_login(users[role])
        return client

    return as_role


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_same_public_answer(login, world, role):
    anonymous = Client().get(BASE + "requests.json").content
    assert login(role).get(BASE + "requests.json").content == anonymous


@pytest.mark.parametrize("role", ROLES)
def test_a_login_is_no_key_for_posting(login, area, parking, role):
    response = login(role).post(
        BASE + "requests.json", {"service_code": "parking", "attribute[area]": area.slug}
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


# Keys in the admin


@pytest.fixture
def office(client, street):
    user = factories.street_staff(street)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="governance"))
    client.force_login(user)
    return user


def test_the_admin_shows_a_new_key_once_and_stores_only_its_hash(client, office, street):
    add_url = reverse("admin:governance_apiclient_add")
    response = client.post(add_url, {"name": "城运中心平台", "street": street.pk})
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    api_client = ApiClient.objects.get(name="城运中心平台")
    assert api_client.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {getattr(api_client, f.attname) for f in ApiClient._meta.concrete_fields}
    assert not api_client.account.has_usable_password()
    change = client.get(reverse("admin:governance_apiclient_change", args=[api_client.pk]))
    assert change.status_code == 200
    assert key not in change.content.decode()
    assert ApiClient.objects.with_key(key).get() == api_client


def test_the_admin_lists_only_the_streets_own_partner_systems(client, office, street):
    own, _key = factories.api_client(street)
    factories.api_client(factories.StreetFactory())
    response = client.get(reverse("admin:governance_apiclient_changelist"))
    assert list(response.context["cl"].result_list) == [own]
    add = client.get(reverse("admin:governance_apiclient_add"))
    assert list(add.context["adminform"].form.fields["street"].queryset) == [street]


# An off-the-shelf client


class GenericOpen311Client:
    """What a generic GeoReport v2 client does: start from the discovery document and use
    only the documented resource names under the endpoint's URL."""

    def __init__(self, http: Client, discovery_url: str, fmt: str) -> None:
        self.http = http
        self.fmt = fmt
        discovery = self._get(discovery_url)
        endpoint = discovery["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        self.base = urlsplit(endpoint["url"]).path

    def _parse(self, response):
        if self.fmt == "json":
            return json.loads(response.content)
        root = ET.fromstring(response.content)  # noqa: S314 (the portal's own answer)
        if root.tag in ("services", "service_requests"):
            return [{child.tag: child.text or "" for child in item} for item in root]
        if root.tag == "discovery":
            return {
                "endpoints": [
                    {"specification": e.findtext("specification"), "url": e.findtext("url")}
                    for e in root.iter("endpoint")
                ]
            }
        return {
            "service_code": root.findtext("service_code"),
            "attributes": [
                {
                    "code": a.findtext("code"),
                    "values": [{"key": v.findtext("key")} for v in a.iter("value")],
                }
                for a in root.iter("attribute")
            ],
        }

    def _get(self, url: str, params=None):
        response = self.http.get(url, params or {})
        assert response.status_code == 200, response.content
        return self._parse(response)

    def services(self):
        return self._get(f"{self.base}services.{self.fmt}")

    def definition(self, code: str):
        return self._get(f"{self.base}services/{code}.{self.fmt}")

    def requests(self, **params):
        return self._get(f"{self.base}requests.{self.fmt}", params)

    def request(self, service_request_id: str):
        return self._get(f"{self.base}requests/{service_request_id}.{self.fmt}")[0]

    def post(self, **params):
        response = self.http.post(f"{self.base}requests.{self.fmt}", params)
        assert response.status_code in (200, 201), response.content
        return self._parse(response)[0]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_generic_open311_client_lists_services_and_requests_and_posts_one(world, area, fmt):
    _api_client, key = factories.api_client(area.street)
    client = GenericOpen311Client(Client(), f"{BASE}discovery.{fmt}", fmt)

    services_ = client.services()
    code = services_[0]["service_code"]
    definition = client.definition(code)
    area_key = definition["attributes"][0]["values"][0]["key"]
    before = {r["service_request_id"] for r in client.requests(service_code=code)}
    created = client.post(
        api_key=key,
        service_code=code,
        description="路口积水",
        **{f"attribute[{definition['attributes'][0]['code']}]": area_key},
    )
    new_id = created["service_request_id"]
    after = {r["service_request_id"] for r in client.requests(service_code=code, status="open")}

    assert new_id not in before
    assert new_id in after
    assert client.request(new_id)["status"] == "open"
    assert client.requests(service_request_id=new_id)[0]["service_code"] == code


@pytest.mark.parametrize(
    "resource", ["services", "services/parking", "requests", "requests/LJZ-2026-0001"]
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_jurisdiction_id_is_a_404_in_the_error_format(client, world, resource, fmt):
    response = client.get(f"{BASE}{resource}.{fmt}", {"jurisdiction_id": "no-such-street"})
    assert response.status_code == 404
    if fmt == "json":
        assert _json(response)[0]["code"] == 404
    else:
        assert _xml(response).findtext("error/code") == "404"


def test_an_empty_jurisdiction_id_page_or_page_size_is_as_if_not_given(client, world):
    plain = _json(client.get(BASE + "requests.json"))
    empty = _json(
        client.get(BASE + "requests.json", {"jurisdiction_id": "", "page": "", "page_size": ""})
    )
    assert empty == plain
    assert client.get(BASE + "services.json", {"jurisdiction_id": ""}).status_code == 200


def test_page_size_pages_through_the_requests(client, world):
    everything = [r["service_request_id"] for r in _json(client.get(BASE + "requests.json"))]
    first = _json(client.get(BASE + "requests.json", {"page_size": 1}))
    second = _json(client.get(BASE + "requests.json", {"page_size": 1, "page": 2}))
    assert [r["service_request_id"] for r in first + second] == everything[:2]
    assert client.get(BASE + "requests.json", {"page_size": "all"}).status_code == 400


def test_jurisdiction_id_keeps_one_streets_service_request_and_areas(client, world, area):
    elsewhere = factories.case(factories.AreaFactory(), category=world["open"].category)
    own = {"jurisdiction_id": area.street.slug}
    assert client.get(f"{BASE}requests/{elsewhere.number}.json", own).status_code == 404
    assert client.get(f"{BASE}requests/{world['open'].number}.json", own).status_code == 200
    [attribute] = _json(client.get(BASE + "services/parking.json", own))["attributes"]
    assert {value["key"] for value in attribute["values"]} == {area.slug}


@pytest.mark.parametrize("resource", ["tokens/12345", "services/parking/extra", "nothing"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_other_resources_are_a_404_in_the_error_format(client, resource, fmt):
    response = client.get(f"{BASE}{resource}.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        assert _json(response)[0]["code"] == 404
    else:
        assert _xml(response).findtext("error/code") == "404"


def test_jurisdiction_id_keeps_one_streets_requests(client, world):
    elsewhere = factories.case(factories.AreaFactory(), category=world["open"].category)
    own = _json(client.get(BASE + "requests.json", {"jurisdiction_id": world["open"].street.slug}))
    numbers = {item["service_request_id"] for item in own}
    assert world["open"].number in numbers
    assert elsewhere.number not in numbers


@pytest.mark.parametrize(
    "start",
    ["2026-01-01", "2026-01-01T00:00:00Z", "2026-01-01T08:00:00 08:00", "2026-01-01 00:00"],
    ids=["date", "utc", "unencoded-plus", "space-separated"],
)
def test_w3c_dates_are_read_in_their_usual_forms(client, world, start):
    response = client.get(BASE + "requests.json", {"start_date": start})
    assert response.status_code == 200
    numbers = {item["service_request_id"] for item in _json(response)}
    assert world["open"].number in numbers
    assert world["old"].number in numbers  # logged after 2026-01-01, 120 days ago


def test_an_end_date_without_a_time_includes_that_whole_day(client, world):
    today = timezone.localdate().isoformat()
    data = _json(client.get(BASE + "requests.json", {"end_date": today}))
    assert world["open"].number in {item["service_request_id"] for item in data}


def test_the_default_window_counts_whole_days_so_the_answer_holds_all_day(area, parking, secretary):
    """Today and the 90 days before it, from midnight: a case logged just after that midnight is
    listed all day, one logged just before it never."""
    here = timezone.get_current_timezone()
    now = datetime.datetime(2026, 11, 28, 15, 0, tzinfo=here)
    midnight = datetime.datetime(2026, 8, 30, tzinfo=here)
    inside = factories.case(
        area, secretary, category=parking, created_at=midnight + datetime.timedelta(minutes=1)
    )
    factories.case(
        area, secretary, category=parking, created_at=midnight - datetime.timedelta(minutes=1)
    )

    for moment in (now.replace(hour=0, minute=1), now, now.replace(hour=23, minute=59)):
        listed = [case.number for case in open311.requests_matching({}, now=moment)]
        assert listed == [inside.number]


class _Recorded(dict):
    """Query parameters that remember which of them were read."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def get(self, name, default=None):
        self.read.add(name)
        return super().get(name, default)

    def __getitem__(self, name):
        self.read.add(name)
        return super().__getitem__(name)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"service_request_id": "LJZ-2026-0001"},
        {
            "jurisdiction_id": "lujiazui",
            "service_code": "parking",
            "status": "open",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "page": "1",
            "page_size": "10",
        },
    ],
)
def test_every_parameter_the_requests_read_decides_what_the_answer_is_kept_under(world, params):
    factories.StreetFactory(slug="lujiazui")
    recorded = _Recorded(params)
    list(open311.requests_matching(recorded))

    assert recorded.read <= set(open311.REQUEST_PARAMETERS)
    assert open311.requests_query({**params, "utm_source": "x"}) == open311.requests_query(params)
