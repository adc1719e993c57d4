"""A case's change history: its status changes and attachments, with who and when, in the
reader's language, and the case page's queries bounded however long the history grows."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from governance import services
from governance.case_history import case_history
from governance.models import AttachmentKind, CaseStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return SimpleUploadedFile("IMG_0001 张三家.png", buffer.getvalue())


@pytest.fixture
def case(area, secretary):
    case = factories.case(area, secretary)
    lead = factories.OrganizationFactory(area=area, property_company=True)
    services.case_set_parties(case=case, actor=secretary, lead=lead, assisting=[])
    return case


def test_the_history_lists_a_status_change_with_its_actor_and_both_statuses(case, secretary):
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)

    with translation.override("zh-hans"):
        chinese = case_history(case)
    with translation.override("en"):
        english = case_history(case)

    moved = next(entry for entry in chinese if "新登记" in entry.summary)
    assert "已受理" in moved.summary
    assert moved.user == secretary
    assert moved.at == case.history.latest().history_date
    assert any(
        entry.summary == "Status changed from new to accepted" and entry.user == secretary
        for entry in english
    )


def test_the_history_words_the_status_in_the_readers_language_from_its_code(case, secretary):
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
    with translation.override("en"):
        english = [entry.summary for entry in case_history(case)]
    with translation.override("zh-hans"):
        chinese = [entry.summary for entry in case_history(case)]

    assert not any("已受理" in summary for summary in english)
    assert not any("accepted" in summary for summary in chinese)


def test_a_rejection_shows_the_status_change_with_its_reason(case, secretary):
    services.case_transition(
        case=case,
        to=CaseStatus.REJECTED,
        actor=secretary,
        closure_reason="not_ours",
        note="不属于本居民区",
    )
    with translation.override("en"):
        entry = case_history(case)[0]

    assert entry.summary == "Status changed from new to rejected"
    assert [change.field for change in entry.changes] == ["closure reason"]


def test_the_history_lists_each_attachment_with_its_uploader_and_time(case, secretary, area):
    other = factories.secretary(area)
    attachment = services.case_attach(
        case=case, actor=other, kind=AttachmentKind.BEFORE, upload=_png()
    )

    with translation.override("zh-hans"):
        entries = case_history(case)

    uploaded = next(entry for entry in entries if entry.user == other)
    assert "处置前照片" in uploaded.summary
    assert uploaded.at == attachment.created_at
    assert "张三" not in uploaded.summary  # the uploader's file name is never shown


def test_the_case_page_shows_the_status_change_and_the_upload(client, case, secretary):
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
    services.case_attach(case=case, actor=secretary, kind=AttachmentKind.BEFORE, upload=_png())
    client.force_login(secretary)

    page = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    history = page.content.decode().split('id="history-heading"')[1]

    assert "Status changed from new to accepted" in history
    assert "Uploaded: photo before" in history
    assert secretary.get_short_name() in history


@pytest.mark.parametrize("rounds", [1, 8])
def test_the_case_page_queries_stay_bounded_as_the_history_grows(
    client, case, secretary, rounds, django_assert_max_num_queries
):
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.IN_PROGRESS, actor=secretary)
    for number in range(rounds):
        services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=secretary)
        services.case_transition(
            case=case, to=CaseStatus.REOPENED, actor=secretary, note=f"第{number}次复发"
        )
        services.case_transition(case=case, to=CaseStatus.IN_PROGRESS, actor=secretary)
        services.case_attach(case=case, actor=secretary, kind=AttachmentKind.AFTER, upload=_png())
    client.force_login(secretary)

    with django_assert_max_num_queries(13):
        page = client.get(reverse("governance:case_detail", args=[case.number]))

    assert page.status_code == 200
    assert page.content.decode().count("状态由") >= 3 * rounds
