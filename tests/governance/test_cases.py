"""Cases: their life, their parties, attachments, follow-ups, concurrency and who sees them."""

import datetime
import inspect
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from governance import services
from governance.case_history import case_history
from governance.models import (
    ALLOWED_TRANSITIONS,
    AttachmentKind,
    Case,
    CaseCount,
    CaseParty,
    CaseStatus,
    Channel,
    ClosureReason,
    PartyRole,
    Priority,
    Satisfaction,
    UpdateKind,
)
from governance.services.cases import EDITABLE_FIELDS
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def parties(area):
    return {
        "property": factories.OrganizationFactory(area=area, property_company=True),
        "committee": factories.OrganizationFactory(area=area, residents_committee=True),
        "team": factories.OrganizationFactory(area=None, street=area.street, partner=True),
    }


@pytest.fixture
def case(area, secretary, parties):
    case = factories.case(area, secretary)
    services.case_set_parties(
        case=case, actor=secretary, lead=parties["property"], assisting=[parties["committee"]]
    )
    return case


def _png(name="photo.png", size=(8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _put(case: Case, status: str) -> Case:
    """Arrange: place a case in a status without walking there."""
    reason = ClosureReason.NO_FURTHER_ACTION if status == CaseStatus.REJECTED else ""
    Case.objects.filter(pk=case.pk).update(status=status, closure_reason=reason)
    CaseCount.objects.rebuild()  # the shortcut bypassed the services that keep the counts
    case.refresh_from_db()
    return case


# Numbers and logging


def test_case_numbers_count_per_street_and_year(area, secretary):
    first = factories.case(area, secretary)
    second = factories.case(area, secretary)
    elsewhere = factories.case(factories.AreaFactory())
    code = area.street.code
    assert first.number == f"{code}-{TODAY.year}-0001"
    assert second.number == f"{code}-{TODAY.year}-0002"
    assert elsewhere.number.endswith(f"-{TODAY.year}-0001")
    last_year = factories.case(
        area, secretary, created_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert last_year.number == f"{code}-{last_year.year}-0001"


def test_due_date_follows_from_the_category(area, secretary):
    category = factories.CategoryFactory(target_days=30)
    case = factories.case(area, secretary, category=category)
    assert case.due_date == TODAY + datetime.timedelta(days=30)
    assert case.status == CaseStatus.NEW


def test_compound_of_another_area_is_refused_and_nothing_saved(area, other_area, secretary):
    with pytest.raises(ValidationError) as error:
        factories.case(area, secretary, compound=factories.CompoundFactory(area=other_area))
    assert error.value.error_dict["compound"][0].code == "compound_outside_area"
    assert not Case.objects.exists()


def test_building_group_must_be_in_the_cases_compound(area, secretary):
    compound = factories.CompoundFactory(area=area)
    group = factories.BuildingGroupFactory(compound=factories.CompoundFactory(area=area))
    with pytest.raises(ValidationError) as error:
        factories.case(area, secretary, compound=compound, building_group=group)
    assert error.value.error_dict["building_group"][0].code == "building_group_outside_compound"


def test_secretary_cannot_log_a_case_in_another_area(other_area, secretary):
    with pytest.raises(PermissionDenied):
        factories.case(other_area, secretary)


# Transitions

EXTRAS = {
    CaseStatus.REJECTED: {
        "note": "不属于本居民区",
        "closure_reason": ClosureReason.NO_FURTHER_ACTION,
    },
    CaseStatus.REOPENED: {"note": "居民不满意"},
}
PAIRS = [(old, new) for old in CaseStatus.values for new in CaseStatus.values if old != new]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_every_transition_is_allowed_or_refused_without_change(case, secretary, old, new):
    case = _put(case, old)
    version = case.version
    if new in ALLOWED_TRANSITIONS[old]:
        moved = services.case_transition(case=case, to=new, actor=secretary, **EXTRAS.get(new, {}))
        assert moved.status == new
        update = moved.updates.latest("created_at", "pk")
        assert (update.kind, update.from_status, update.to_status, update.author) == (
            UpdateKind.TRANSITION,
            old,
            new,
            secretary,
        )
    else:
        with pytest.raises(ValidationError) as error:
            services.case_transition(case=case, to=new, actor=secretary, **EXTRAS.get(new, {}))
        assert error.value.code == "invalid_transition"
        # The statuses are params, put into the message where the translation places them.
        assert error.value.params == {"old": CaseStatus(old).label, "new": CaseStatus(new).label}
        (message,) = error.value.messages
        assert str(CaseStatus(old).label) in message and str(CaseStatus(new).label) in message
        case.refresh_from_db()
        assert (case.status, case.version) == (old, version)


def test_transitions_stamp_when_a_case_was_accepted_resolved_and_closed(case, secretary):
    for status in (
        CaseStatus.ACCEPTED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.RESOLVED,
        CaseStatus.CLOSED,
    ):
        case = services.case_transition(case=case, to=status, actor=secretary)
    assert case.accepted_at <= case.resolved_at <= case.closed_at


def test_rejection_needs_a_reason_and_a_note(case, secretary):
    with pytest.raises(ValidationError) as error:
        services.case_transition(case=case, to=CaseStatus.REJECTED, actor=secretary, note="重复")
    assert error.value.code == "rejection_needs_reason"
    with pytest.raises(ValidationError) as error:
        services.case_transition(
            case=case,
            to=CaseStatus.REJECTED,
            actor=secretary,
            closure_reason=ClosureReason.NO_FURTHER_ACTION,
        )
    assert error.value.code == "rejection_needs_note"
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_a_duplicate_is_linked_to_its_original(case, area, secretary):
    original = factories.case(area, secretary)
    with pytest.raises(ValidationError) as error:
        services.case_transition(
            case=case,
            to=CaseStatus.REJECTED,
            actor=secretary,
            note="重复",
            closure_reason=ClosureReason.DUPLICATE,
        )
    assert error.value.code == "duplicate_needs_original"
    rejected = services.case_transition(
        case=case,
        to=CaseStatus.REJECTED,
        actor=secretary,
        note="重复",
        closure_reason=ClosureReason.DUPLICATE,
        duplicate_of=original,
    )
    assert rejected.duplicate_of == original
    assert rejected.closed_at is not None


def test_work_starts_only_with_a_lead_party(area, secretary):
    case = _put(factories.case(area, secretary), CaseStatus.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        services.case_transition(case=case, to=CaseStatus.IN_PROGRESS, actor=secretary)
    assert error.value.code == "needs_lead_party"


def test_only_the_lead_partys_people_the_secretary_and_street_staff_resolve(
    case, area, parties, street_staff
):
    lead_liaison = factories.liaison(parties["property"])
    assisting_liaison = factories.liaison(parties["committee"])
    _put(case, CaseStatus.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=assisting_liaison)
    assert (
        services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=lead_liaison).status
        == CaseStatus.RESOLVED
    )
    _put(case, CaseStatus.IN_PROGRESS)
    assert (
        services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=street_staff).status
        == CaseStatus.RESOLVED
    )


def test_a_liaison_cannot_accept_or_close(case, parties):
    lead_liaison = factories.liaison(parties["property"])
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=lead_liaison)


# Parties


def test_the_database_allows_one_lead_party(case, parties):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseParty.objects.create(case=case, organization=parties["team"], role=PartyRole.LEAD)


def test_changing_the_lead_demotes_the_old_one(case, secretary, parties):
    services.case_set_parties(
        case=case, actor=secretary, lead=parties["committee"], assisting=[parties["property"]]
    )
    roles = dict(case.parties.values_list("organization", "role"))
    assert roles == {
        parties["committee"].pk: PartyRole.LEAD,
        parties["property"].pk: PartyRole.ASSISTING,
    }


def test_parties_come_from_the_area_or_the_street(case, secretary, other_area, parties):
    elsewhere = factories.OrganizationFactory(area=other_area, residents_committee=True)
    with pytest.raises(ValidationError) as error:
        services.case_set_parties(case=case, actor=secretary, lead=elsewhere, assisting=[])
    assert error.value.code == "party_outside_area"
    services.case_set_parties(case=case, actor=secretary, lead=parties["team"], assisting=[])
    assert case.parties.get(role=PartyRole.LEAD).organization == parties["team"]


# Updates, attachments, follow-up, due date


def test_a_meeting_is_an_update_with_attendees(case, secretary, parties):
    with pytest.raises(ValidationError) as error:
        services.case_add_update(case=case, actor=secretary, text="协调会", kind=UpdateKind.MEETING)
    assert error.value.code == "meeting_needs_attendees"
    update = services.case_add_update(
        case=case,
        actor=secretary,
        text="协调会",
        kind=UpdateKind.MEETING,
        attendees="物业、居委会",
        party=parties["committee"],
    )
    assert update.attendees == "物业、居委会"


def test_an_image_is_stored_privately_with_the_type_from_its_content(case, secretary, settings):
    attachment = services.case_attach(
        case=case, actor=secretary, upload=_png(), kind=AttachmentKind.BEFORE
    )
    assert attachment.content_type == "image/png"
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    assert "photo" not in attachment.file.name


@pytest.mark.parametrize(
    ("upload", "kind", "code"),
    [
        (
            SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg"),
            AttachmentKind.BEFORE,
            "unsupported_file",
        ),
        (_png("photo.pdf"), AttachmentKind.DOCUMENT, "extension_mismatch"),
        (
            SimpleUploadedFile("plan.pdf", b"%PDF-1.4 minimal", content_type="application/pdf"),
            AttachmentKind.AFTER,
            "not_an_image",
        ),
    ],
)
def test_attachments_whose_content_is_not_what_they_say_are_refused(
    case, secretary, upload, kind, code
):
    with pytest.raises(ValidationError) as error:
        services.case_attach(case=case, actor=secretary, upload=upload, kind=kind)
    assert error.value.code == code
    assert not case.attachments.exists()


def test_attachments_over_the_size_limit_are_refused(case, secretary, settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 50
    with pytest.raises(ValidationError) as error:
        services.case_attach(
            case=case, actor=secretary, upload=_png(size=(64, 64)), kind=AttachmentKind.AFTER
        )
    assert error.value.code == "file_too_large"
    assert error.value.params == {"size": 0}


def test_an_unsatisfied_follow_up_reopens_the_case(case, secretary):
    _put(case, CaseStatus.RESOLVED)
    services.case_follow_up(
        case=case, actor=secretary, satisfaction=Satisfaction.UNSATISFIED, comment="没修好"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED
    assert case.follow_ups.get().satisfaction == Satisfaction.UNSATISFIED


def test_a_satisfied_follow_up_leaves_the_case_resolved(case, secretary):
    _put(case, CaseStatus.RESOLVED)
    services.case_follow_up(case=case, actor=secretary, satisfaction=Satisfaction.SATISFIED)
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED


def test_a_follow_up_comes_after_resolution(case, secretary):
    with pytest.raises(ValidationError) as error:
        services.case_follow_up(case=case, actor=secretary, satisfaction=Satisfaction.SATISFIED)
    assert error.value.code == "follow_up_before_resolution"


def test_only_street_staff_change_the_due_date_and_say_why(case, secretary, street_staff):
    new_date = TODAY + datetime.timedelta(days=40)
    with pytest.raises(PermissionDenied):
        services.case_change_due_date(
            case=case, actor=secretary, due_date=new_date, reason="需协调"
        )
    with pytest.raises(ValidationError) as error:
        services.case_change_due_date(case=case, actor=street_staff, due_date=new_date, reason=" ")
    assert error.value.code == "due_date_needs_reason"
    changed = services.case_change_due_date(
        case=case, actor=street_staff, due_date=new_date, reason="需协调"
    )
    assert (changed.due_date, changed.due_date_reason) == (new_date, "需协调")


@pytest.mark.parametrize(
    ("status", "due", "on", "overdue"),
    [
        (CaseStatus.IN_PROGRESS, datetime.date(2026, 3, 10), datetime.date(2026, 3, 11), True),
        (CaseStatus.IN_PROGRESS, datetime.date(2026, 3, 10), datetime.date(2026, 3, 10), False),
        (CaseStatus.RESOLVED, datetime.date(2026, 3, 10), datetime.date(2026, 4, 1), False),
        (CaseStatus.REJECTED, datetime.date(2026, 3, 10), datetime.date(2026, 4, 1), False),
        (CaseStatus.REOPENED, datetime.date(2026, 3, 10), datetime.date(2026, 4, 1), True),
    ],
)
def test_overdue_with_a_fixed_clock(case, status, due, on, overdue):
    _put(case, status)
    Case.objects.filter(pk=case.pk).update(due_date=due)
    case.refresh_from_db()
    assert case.is_overdue(on) is overdue
    assert Case.objects.overdue(on).filter(pk=case.pk).exists() is overdue


def test_a_case_keeps_its_parties_timeline_and_attachments_when_asked_to_be_deleted(
    case, secretary
):
    services.case_attach(case=case, actor=secretary, upload=_png(), kind=AttachmentKind.BEFORE)

    with pytest.raises(ProtectedError):
        case.delete()

    assert Case.objects.filter(pk=case.pk).exists()
    assert (case.parties.count(), case.updates.count(), case.attachments.count()) == (2, 1, 1)


# Concurrency and history


def test_a_stale_edit_is_refused_and_the_other_change_kept(case, secretary, street_staff):
    loaded_version = case.version
    services.case_edit(case=case, actor=street_staff, version=loaded_version, location="3号楼")
    with pytest.raises(ValidationError) as error:
        services.case_edit(case=case, actor=secretary, version=loaded_version, title="新标题")
    assert error.value.code == "edit_conflict"
    case.refresh_from_db()
    assert (case.location, case.title) == ("3号楼", "楼道堆物")


def test_case_edit_saves_every_field_it_is_given(case, secretary, area):
    compound = factories.CompoundFactory(area=area)
    building_group = factories.BuildingGroupFactory(compound=compound)
    category = factories.CategoryFactory()
    indicator = factories.IndicatorFactory(area=area)

    services.case_edit(
        case=case,
        actor=secretary,
        version=case.version,
        title="楼道堆物清理",
        description="三楼和四楼楼道堆放纸箱",
        category=category,
        compound=compound,
        building_group=building_group,
        location="4号楼",
        channel=Channel.PATROL,
        priority=Priority.HIGH,
        reporter_name="王阿姨",
        reporter_phone="13900000000",
        indicator=indicator,
    )

    case.refresh_from_db()
    assert {name: getattr(case, name) for name in EDITABLE_FIELDS} == {
        "title": "楼道堆物清理",
        "description": "三楼和四楼楼道堆放纸箱",
        "category": category,
        "compound": compound,
        "building_group": building_group,
        "location": "4号楼",
        "channel": Channel.PATROL,
        "priority": Priority.HIGH,
        "reporter_name": "王阿姨",
        "reporter_phone": "13900000000",
        "indicator": indicator,
    }


def test_case_edit_keeps_the_fields_it_is_not_given_and_clears_those_given_none(
    case, secretary, area
):
    compound = factories.CompoundFactory(area=area)
    services.case_edit(case=case, actor=secretary, version=case.version, compound=compound)
    case.refresh_from_db()

    services.case_edit(case=case, actor=secretary, version=case.version, compound=None)

    case.refresh_from_db()
    assert (case.title, case.compound) == ("楼道堆物", None)


def test_case_edit_refuses_a_secretary_of_another_area(case, other_secretary):
    with pytest.raises(PermissionDenied):
        services.case_edit(case=case, actor=other_secretary, version=case.version, title="改")
    case.refresh_from_db()
    assert case.title == "楼道堆物"


def test_case_edit_takes_a_keyword_for_every_editable_field():
    keywords = inspect.signature(services.case_edit).parameters
    assert set(keywords) - {"case", "actor", "version"} == set(EDITABLE_FIELDS)


def test_edit_page_shows_the_conflict_and_keeps_both_changes(client, case, secretary, street_staff):
    url = reverse("governance:case_edit", args=[case.number])
    client.force_login(secretary)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["title"] = "楼道堆物（三楼）"
    services.case_edit(case=case, actor=street_staff, version=case.version, location="3号楼")

    response = client.post(url, {k: v for k, v in data.items() if v not in ("", None)})

    assert response.status_code == 200
    assert response.context["conflict"].location == "3号楼"
    assert response.context["form"]["title"].value() == "楼道堆物（三楼）"
    assert response.context["form"]["location"].value() == "3号楼"
    again = {**response.context["form"].data.dict()}
    assert client.post(url, again).status_code == 302
    case.refresh_from_db()
    assert (case.title, case.location) == ("楼道堆物（三楼）", "3号楼")


def test_a_field_both_sides_changed_is_marked_with_the_saved_value(
    client, case, secretary, street_staff
):
    url = reverse("governance:case_edit", args=[case.number])
    client.force_login(secretary)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["location"] = "5号楼"
    services.case_edit(case=case, actor=street_staff, version=case.version, location="3号楼")

    response = client.post(url, {k: v for k, v in data.items() if v not in ("", None)})

    form = response.context["form"]
    assert form["location"].value() == "5号楼"
    assert form.errors.as_data()["location"][0].code == "edit_conflict_field"
    case.refresh_from_db()
    assert case.location == "3号楼"


def test_history_keeps_who_changed_what_with_old_and_new_values(case, secretary):
    services.case_edit(case=case, actor=secretary, version=case.version, title="楼道堆物清理")
    entries = case_history(case)
    change = next(c for entry in entries for c in entry.changes if c.new == "楼道堆物清理")
    assert change.old == "楼道堆物"
    assert any(entry.user == secretary for entry in entries)
    assert any(
        "added as" in entry.summary or "添加" in entry.summary or entry.summary for entry in entries
    )


# Search and duplicates


def test_chinese_substring_search_finds_the_longer_word(area, secretary):
    match = factories.case(area, secretary, title="崂山三村液化气钢瓶清零")
    factories.case(area, secretary, title="楼道堆物")
    assert list(Case.objects.search("钢瓶")) == [match]
    assert list(Case.objects.search(match.number)) == [match]


def test_possible_duplicates_are_open_recent_cases_of_the_same_category_and_compound(
    area, secretary
):
    compound = factories.CompoundFactory(area=area)
    category = factories.CategoryFactory()
    recent = factories.case(area, secretary, category=category, compound=compound)
    factories.case(
        area,
        secretary,
        category=category,
        compound=compound,
        created_at=timezone.now() - datetime.timedelta(days=31),
    )
    factories.case(area, secretary, category=factories.CategoryFactory(), compound=compound)
    found = Case.objects.possible_duplicates(category=category, compound=compound, area=area)
    assert list(found) == [recent]


def test_the_category_suggests_the_areas_own_parties_first(area, parties):
    from governance.models import OrganizationKind

    category = factories.CategoryFactory(
        lead_kind=OrganizationKind.PROPERTY_COMPANY,
        assisting_kinds=[OrganizationKind.RESIDENTS_COMMITTEE, OrganizationKind.REGIONAL_UNIT],
    )
    lead, assisting = category.suggested_parties(area)
    assert lead == parties["property"]
    assert assisting == [parties["committee"], parties["team"]]


def test_a_new_cases_party_form_starts_from_the_suggestion(client, area, secretary, parties):
    from governance.models import OrganizationKind

    category = factories.CategoryFactory(
        lead_kind=OrganizationKind.PROPERTY_COMPANY,
        assisting_kinds=[OrganizationKind.RESIDENTS_COMMITTEE],
    )
    case = factories.case(area, secretary, category=category)
    client.force_login(secretary)
    form = client.get(case.get_absolute_url()).context["party_form"]
    assert form.initial == {"lead": parties["property"], "assisting": [parties["committee"]]}


def test_kept_counts_match_the_cases_after_every_change(area, other_area, secretary, parties):
    cases = [factories.case(area, secretary) for _ in range(3)] + [factories.case(other_area)]
    services.case_transition(case=cases[0], to=CaseStatus.ACCEPTED, actor=secretary)
    services.case_transition(
        case=cases[1],
        to=CaseStatus.REJECTED,
        actor=secretary,
        note="重复",
        closure_reason=ClosureReason.NO_FURTHER_ACTION,
    )
    kept = {(c.area_id, c.status): c.count for c in CaseCount.objects.all() if c.count}
    counted = {}
    for case in Case.objects.all():
        counted[(case.area_id, case.status)] = counted.get((case.area_id, case.status), 0) + 1
    assert kept == counted
    CaseCount.objects.rebuild()
    assert {(c.area_id, c.status): c.count for c in CaseCount.objects.all()} == counted


def test_a_liaison_reports_only_for_their_own_organisation(case, parties):
    liaison = factories.liaison(parties["property"])
    with pytest.raises(ValidationError) as error:
        services.case_add_update(
            case=case, actor=liaison, text="已处理", party=parties["committee"]
        )
    assert error.value.code == "party_not_yours"
    assert services.case_add_update(
        case=case, actor=liaison, text="已处理", party=parties["property"]
    )


def test_an_image_header_over_garbage_is_refused(case, secretary):
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 64), "blue").save(jpeg, format="JPEG")
    broken = jpeg.getvalue()[:200] + bytes(5000)
    with pytest.raises(ValidationError) as error:
        services.case_attach(
            case=case,
            actor=secretary,
            kind=AttachmentKind.BEFORE,
            upload=SimpleUploadedFile("photo.jpg", broken),
        )
    assert error.value.code == "unsupported_file"


def test_history_never_shows_the_reporters_phone(case, secretary):
    services.case_edit(
        case=case, actor=secretary, version=case.version, reporter_phone="13900000000"
    )
    shown = [c for entry in case_history(case) for c in entry.changes]
    assert all("13900000000" not in (c.old + c.new) for c in shown)


def test_reopening_clears_the_resolution_time(case, secretary):
    _put(case, CaseStatus.RESOLVED)
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now())
    reopened = services.case_transition(
        case=case, to=CaseStatus.REOPENED, actor=secretary, note="未解决"
    )
    assert reopened.resolved_at is None


def test_no_file_stays_behind_when_an_attachments_row_is_not_saved(
    case, secretary, settings, monkeypatch
):
    from governance.models import Attachment

    def refuse(*args, **kwargs):
        raise IntegrityError("refused")

    monkeypatch.setattr(Attachment, "save", refuse)
    with pytest.raises(IntegrityError):
        services.case_attach(case=case, actor=secretary, upload=_png(), kind=AttachmentKind.BEFORE)
    stored = [p for p in settings.PRIVATE_MEDIA_ROOT.rglob("*") if p.is_file()]
    assert stored == []
