"""Off-the-shelf Open311 clients against the running portal (pytest-django's live_server).

Reads go through georeport 0.3.1 (PyPI, the Python client kept up to date): services, a service
definition, lists of requests with the standard's filters, one request, in JSON and in XML.
georeport cannot post, and no maintained Python client can, so posts repeat byte for byte what
the npm package open311 0.0.12 (codeforamerica/node-open311, Open311.prototype.submitRequest)
sends, and the multipart form of the PyPI package three 0.8.0 (Three.post with media); the
README's Open311 section and bench/open311_clients.sh tell how the real packages were run.
"""

from urllib.parse import quote, urlencode

import pytest
import requests  # georeport's own HTTP library
import xmltodict  # georeport's own XML reader
from georeport import GeoReport

from governance import services
from governance.models import Case, CaseStatus, Channel
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 10


@pytest.fixture
def portal(live_server, street, area, other_area, secretary):
    """Two services, two areas (one-item lists read differently from XML), an open and a
    resolved case, and a partner system's key."""
    parking = factories.CategoryFactory(name="停车管理", name_en="Parking", service_code="parking")
    factories.CategoryFactory(name="设施维修", name_en="Repairs", service_code="repairs")
    open_case = factories.case(area, secretary, category=parking)
    resolved = factories.case(area, secretary, category=parking)
    lead = factories.OrganizationFactory(area=area, property_company=True)
    services.case_set_parties(case=resolved, actor=secretary, lead=lead, assisting=[])
    for status in (CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED):
        services.case_transition(case=resolved, to=status, actor=secretary)
    _api_client, key = factories.api_client(street)
    return {
        "endpoint": f"{live_server.url}/open311/v2",
        "street": street,
        "area": area,
        "open": open_case,
        "resolved": resolved,
        "key": key,
    }


def _node_open311_submit(endpoint: str, fmt: str, api_key: str, data: dict, jurisdiction=""):
    """POST as node open311 0.0.12 does with request 2.11: the form urlencoded as Node's
    querystring does (%20, brackets escaped), its charset named, api_key added to the form,
    attributes as attribute[code], jurisdiction_id in the URL."""
    form = {key: value for key, value in data.items() if key != "attributes"}
    form["api_key"] = api_key
    for code, value in data.get("attributes", {}).items():
        form[f"attribute[{code}]"] = value
    return requests.post(
        f"{endpoint}/requests.{fmt}",
        params={"jurisdiction_id": jurisdiction} if jurisdiction else None,
        data=urlencode(form, quote_via=quote).encode(),
        headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
        timeout=TIMEOUT,
    )


def _node_open311_created(response, fmt: str) -> list[dict]:
    """What submitRequest hands back: the JSON array, or the XML's request wrapped in one."""
    if fmt == "json":
        return response.json()
    return [xmltodict.parse(response.content)["service_requests"]["request"]]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_lists_services_and_reads_a_service_definition(portal, fmt):
    client = GeoReport(portal["endpoint"], output_format=fmt)

    services_ = client.get_service_list()
    definition = client.get_service_definition("parking")

    assert {service["service_code"] for service in services_} == {"parking", "repairs"}
    parking = next(service for service in services_ if service["service_code"] == "parking")
    assert parking["service_name"] == "停车管理"
    assert parking["type"] == "realtime"
    assert definition["service_code"] == "parking"
    if fmt == "json":
        [attribute] = definition["attributes"]
        values = attribute["values"]
    else:  # xmltodict keeps the XML's nesting: <attributes><attribute><values><value>
        attribute = definition["attributes"]["attribute"]
        values = attribute["values"]["value"]
    assert attribute["code"] == "area"
    assert {value["key"] for value in values} >= {portal["area"].slug}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_lists_requests_with_the_standards_filters_and_gets_one(portal, fmt):
    client = GeoReport(portal["endpoint"], jurisdiction=portal["street"].slug, output_format=fmt)
    open_number, resolved_number = portal["open"].number, portal["resolved"].number

    everything = client.get_service_requests()
    open_only = client.get_service_requests(status="open", service_code="parking")
    by_ids = client.get_service_requests(service_request_id=f"{open_number},{resolved_number}")
    this_year = client.get_service_requests(
        start_date=f"{portal['open'].created_at.year}-01-01T00:00:00Z",
        end_date=f"{portal['open'].created_at.year}-12-31T23:59:59Z",
    )
    one = client.get_service_request(resolved_number)

    assert {r["service_request_id"] for r in everything} == {open_number, resolved_number}
    if fmt == "xml":  # xmltodict turns a lone <request> into the request itself, not a list
        open_only = [open_only]
    assert [r["service_request_id"] for r in open_only] == [open_number]
    assert {r["service_request_id"] for r in by_ids} == {open_number, resolved_number}
    assert {r["service_request_id"] for r in this_year} == {open_number, resolved_number}
    assert one["service_request_id"] == resolved_number
    assert one["status"] == "closed"
    assert one["service_code"] == "parking"
    assert one["requested_datetime"].startswith(str(portal["resolved"].created_at.year))


def test_georeport_meets_the_standards_errors_as_http_errors(portal):
    client = GeoReport(portal["endpoint"])
    with pytest.raises(requests.HTTPError) as unknown_service:
        client.get_service_definition("no-such-service")
    with pytest.raises(requests.HTTPError) as unknown_request:
        client.get_service_request("LJZ-1999-0001")
    with pytest.raises(requests.HTTPError) as unknown_street:
        GeoReport(portal["endpoint"], jurisdiction="no-such-street").get_service_list()

    for error in (unknown_service, unknown_request, unknown_street):
        assert error.value.response.status_code == 404
        assert error.value.response.json()[0]["code"] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_node_open311_posts_a_request_that_georeport_then_reads(portal, fmt):
    response = _node_open311_submit(
        portal["endpoint"],
        fmt,
        portal["key"],
        {
            "service_code": "parking",
            "attributes": {"area": portal["area"].slug},
            "description": "门口车辆乱停\n晚上尤其严重",
            "first_name": "张",
            "last_name": "三",
            "phone": "13800000000",
        },
        jurisdiction=portal["street"].slug,
    )

    assert response.status_code == 201
    [created] = _node_open311_created(response, fmt)
    number = created["service_request_id"]
    case = Case.objects.get(number=number)
    assert case.area == portal["area"]
    assert case.channel == Channel.PARTNER_SYSTEM
    assert case.title == "门口车辆乱停"
    assert case.reporter_name == "张 三"
    read = GeoReport(portal["endpoint"], output_format=fmt).get_service_request(number)
    assert read["status"] == "open"
    assert read["service_code"] == "parking"
    assert "13800000000" not in response.text + str(read)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_node_open311_with_a_wrong_key_gets_the_standards_403(portal, fmt):
    response = _node_open311_submit(
        portal["endpoint"],
        fmt,
        "not-the-key",
        {"service_code": "parking", "attributes": {"area": portal["area"].slug}},
    )

    assert response.status_code == 403  # submitRequest calls back with the status as its error
    if fmt == "json":
        assert response.json()[0]["code"] == 403
    else:
        assert xmltodict.parse(response.content)["errors"]["error"]["code"] == "403"
    assert not Case.objects.filter(channel=Channel.PARTNER_SYSTEM).exists()


def test_three_posts_a_request_as_a_multipart_form_with_media(portal):
    """three 0.8.0's Three.post: address becomes address_string, name splits into first and
    last name, and a media file turns the form into multipart (the portal does not keep it)."""
    response = requests.post(
        f"{portal['endpoint']}/requests.json",
        data={
            "service_code": "repairs",
            "address_string": f"{portal['area'].name} 3号楼",
            "first_name": "Zhang",
            "last_name": "San",
            "description": "路灯不亮",
            "api_key": portal["key"],
        },
        files={"media": ("photo.png", b"\x89PNG\r\n\x1a\n", "image/png")},
        timeout=TIMEOUT,
    )

    assert response.status_code == 201
    assert response.request.headers["Content-Type"].startswith("multipart/form-data")
    [created] = response.json()
    case = Case.objects.get(number=created["service_request_id"])
    assert case.area == portal["area"]
    assert case.category.service_code == "repairs"
