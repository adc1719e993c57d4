import datetime
import inspect
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from governance.models import Organization
from tests import factories
from wishes import services
from wishes.models import (
    OPEN_STATUSES,
    WISH_TRANSITIONS,
    Wish,
    WishCategory,
    WishStatus,
    fulfilled_per_partner_unit,
)
from wishes.permissions import can_claim_wish, can_fulfil_wish, can_manage_wish
from wishes.services import EDITABLE_FIELDS

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "secretary", "other_secretary", "liaison", "street_staff"]


@pytest.fixture
def unit(area):
    """A street-level partner unit (the N) with a liaison."""
    return factories.OrganizationFactory(area=None, street=area.street, partner=True)


@pytest.fixture
def liaison(unit):
    return factories.liaison(unit)


@pytest.fixture
def other_unit(area):
    return factories.OrganizationFactory(area=None, street=area.street, partner=True)


@pytest.fixture
def other_liaison(other_unit):
    return factories.liaison(other_unit)


@pytest.fixture
def users(secretary, other_secretary, liaison, street_staff, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": AnonymousUser(),
        "secretary": secretary,
        "other_secretary": other_secretary,
        "liaison": liaison,
        "street_staff": street_staff,
    }


def _photo(name: str = "photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (8, 8), "red")
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPS latitude
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# Recording and editing


def test_wish_record_keeps_the_resident_private_and_starts_submitted(area, secretary):
    wish = factories.wish(area, secretary)

    assert wish.status == WishStatus.SUBMITTED
    assert wish.street == area.street
    assert wish.recorded_by == secretary
    assert wish.resident_name == "测试居民甲"
    assert not Wish.objects.public().filter(pk=wish.pk).exists()


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
def test_wish_record_by_role(area, users, role, allowed):
    if allowed:
        assert factories.wish(area, users[role]).pk
    else:
        with pytest.raises(PermissionDenied):
            factories.wish(area, users[role])


def test_wish_record_refuses_a_wanted_by_date_in_the_past(area, secretary):
    with pytest.raises(ValidationError) as error:
        factories.wish(area, secretary, wanted_by=timezone.localdate() - datetime.timedelta(1))
    assert error.value.code == "wanted_by_in_past"


def test_wish_edit_changes_the_text_while_published(area, secretary):
    wish = factories.wish(area, secretary, status="published")

    wish = services.wish_edit(wish=wish, actor=secretary, title="换水龙头阀芯")

    assert wish.title == "换水龙头阀芯"


def test_wish_edit_saves_every_field_it_is_given(area, secretary):
    wish = factories.wish(area, secretary)
    wanted_by = timezone.localdate() + datetime.timedelta(days=10)

    services.wish_edit(
        wish=wish,
        actor=secretary,
        category=WishCategory.MOBILITY_AIDS,
        title=" 借一辆轮椅 ",
        text="出院后要用两个月。",
        wanted_by=wanted_by,
        resident_name="测试居民乙",
        resident_phone="13955550002",
        resident_address="测试路2号202室",
    )

    wish.refresh_from_db()
    assert {name: getattr(wish, name) for name in EDITABLE_FIELDS} == {
        "category": WishCategory.MOBILITY_AIDS,
        "title": "借一辆轮椅",
        "text": "出院后要用两个月。",
        "wanted_by": wanted_by,
        "resident_name": "测试居民乙",
        "resident_phone": "13955550002",
        "resident_address": "测试路2号202室",
    }


def test_wish_edit_takes_a_keyword_for_every_editable_field():
    keywords = inspect.signature(services.wish_edit).parameters
    assert set(keywords) - {"wish", "actor"} == set(EDITABLE_FIELDS)


def test_wish_edit_refuses_once_claimed(area, secretary):
    wish = factories.wish(area, secretary, status="claimed")
    with pytest.raises(ValidationError) as error:
        services.wish_edit(wish=wish, actor=secretary, title="换")
    assert error.value.code == "not_editable"


def test_wish_edit_refuses_a_secretary_of_another_area(area, secretary, other_secretary):
    wish = factories.wish(area, secretary)
    with pytest.raises(PermissionDenied):
        services.wish_edit(wish=wish, actor=other_secretary, title="换")


# Publishing


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
def test_wish_publish_by_role(area, secretary, users, role, allowed):
    wish = factories.wish(area, secretary)
    if allowed:
        wish = services.wish_publish(wish=wish, actor=users[role])
        assert wish.status == WishStatus.PUBLISHED
        assert wish.published_at is not None
    else:
        with pytest.raises(PermissionDenied):
            services.wish_publish(wish=wish, actor=users[role])
        wish.refresh_from_db()
        assert wish.status == WishStatus.SUBMITTED


def test_wish_publish_refuses_a_published_wish(area, secretary):
    wish = factories.wish(area, secretary, status="published")
    with pytest.raises(ValidationError) as error:
        services.wish_publish(wish=wish, actor=secretary)
    assert error.value.code == "invalid_transition"
    assert set(error.value.params) == {"old", "new"}
    assert "%(" not in error.value.messages[0]


# Claiming


def test_wish_claim_by_a_liaison_for_their_unit(area, secretary, unit, liaison):
    wish = factories.wish(area, secretary, status="published")

    wish = services.wish_claim(wish=wish, actor=liaison, organization=unit, contact="13955550009")

    assert wish.status == WishStatus.CLAIMED
    assert wish.claimed_by_organization == unit
    assert wish.claimed_by_user == liaison
    assert wish.claimer_contact == "13955550009"
    assert wish.claimed_at is not None


def test_wish_claim_refuses_a_liaison_claiming_for_another_unit(
    area, secretary, liaison, other_unit
):
    wish = factories.wish(area, secretary, status="published")
    with pytest.raises(PermissionDenied):
        services.wish_claim(wish=wish, actor=liaison, organization=other_unit, contact="1")


def test_wish_claim_refuses_a_liaison_claiming_as_a_person(area, secretary, liaison):
    wish = factories.wish(area, secretary, status="published")
    with pytest.raises(PermissionDenied):
        services.wish_claim(wish=wish, actor=liaison, person_name="张三", contact="1")


def test_wish_claim_refuses_a_unit_that_is_not_a_partner_unit(area, secretary):
    committee = factories.OrganizationFactory(area=area, residents_committee=True)
    member = factories.liaison(committee)
    wish = factories.wish(area, secretary, status="published")
    with pytest.raises(PermissionDenied):
        services.wish_claim(wish=wish, actor=member, organization=committee, contact="1")
    with pytest.raises(PermissionDenied):
        services.wish_claim(wish=wish, actor=secretary, organization=committee, contact="1")


def test_wish_claim_refuses_a_partner_unit_of_another_street(area, secretary):
    elsewhere = factories.OrganizationFactory(partner=True)
    elsewhere_liaison = factories.liaison(elsewhere)
    wish = factories.wish(area, secretary, status="published")
    with pytest.raises(PermissionDenied):
        services.wish_claim(wish=wish, actor=elsewhere_liaison, organization=elsewhere, contact="1")


def test_wish_claim_by_a_person_is_recorded_by_staff(area, secretary):
    wish = factories.wish(area, secretary, status="published")

    wish = services.wish_claim(
        wish=wish, actor=secretary, person_name="热心党员丙", contact="13955550010"
    )

    assert wish.claimed_by_organization is None
    assert wish.claimed_by_name == "热心党员丙"


def test_wish_claim_needs_exactly_one_claimer(area, secretary, unit):
    wish = factories.wish(area, secretary, status="published")
    for claim in ({"organization": unit, "person_name": "丙"}, {}):
        with pytest.raises(ValidationError) as error:
            services.wish_claim(wish=wish, actor=secretary, contact="1", **claim)
        assert error.value.code == "claim_needs_one_claimer"


def test_wish_claim_needs_a_contact(area, secretary, unit, liaison):
    wish = factories.wish(area, secretary, status="published")
    with pytest.raises(ValidationError) as error:
        services.wish_claim(wish=wish, actor=liaison, organization=unit, contact="  ")
    assert error.value.code == "claim_needs_contact"


def test_wish_claim_refuses_an_unpublished_wish(area, secretary, unit, liaison):
    wish = factories.wish(area, secretary)
    with pytest.raises(PermissionDenied):  # the liaison cannot even see it
        services.wish_claim(wish=wish, actor=liaison, organization=unit, contact="1")
    with pytest.raises(ValidationError) as error:
        services.wish_claim(wish=wish, actor=secretary, organization=unit, contact="1")
    assert error.value.code == "invalid_transition"


def test_wish_claim_second_claim_is_refused(
    area, secretary, unit, liaison, other_unit, other_liaison
):
    wish = factories.wish(area, secretary, status="published")
    stale = Wish.objects.get(pk=wish.pk)  # the second liaison loaded the page before the claim
    services.wish_claim(wish=wish, actor=liaison, organization=unit, contact="1")

    with pytest.raises(ValidationError) as error:
        services.wish_claim(wish=stale, actor=other_liaison, organization=other_unit, contact="2")

    assert error.value.code == "already_claimed"
    wish.refresh_from_db()
    assert wish.claimed_by_organization == unit


# Fulfilling


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("secretary", True),
        ("other_secretary", False),
        ("liaison", True),
        ("street_staff", True),
    ],
)
def test_wish_fulfil_by_role(area, secretary, unit, liaison, users, role, allowed):
    wish = factories.wish(area, secretary, status="claimed", unit=unit, claimer=liaison)
    if allowed:
        wish = services.wish_fulfil(wish=wish, actor=users[role], note="已送到。")
        assert wish.status == WishStatus.FULFILLED
        assert wish.fulfilled_at is not None
    else:
        with pytest.raises(PermissionDenied):
            services.wish_fulfil(wish=wish, actor=users[role], note="已送到。")


def test_wish_fulfil_refuses_the_liaison_of_another_unit(
    area, secretary, unit, liaison, other_liaison
):
    wish = factories.wish(area, secretary, status="claimed", unit=unit, claimer=liaison)
    with pytest.raises(PermissionDenied):
        services.wish_fulfil(wish=wish, actor=other_liaison, note="已送到。")


def test_wish_fulfil_needs_a_note(area, secretary):
    wish = factories.wish(area, secretary, status="claimed")
    with pytest.raises(ValidationError) as error:
        services.wish_fulfil(wish=wish, actor=secretary, note=" ")
    assert error.value.code == "fulfilment_needs_note"


def test_wish_fulfil_refuses_a_wish_not_claimed(area, secretary):
    wish = factories.wish(area, secretary, status="published")
    with pytest.raises(ValidationError) as error:
        services.wish_fulfil(wish=wish, actor=secretary, note="已送到。")
    assert error.value.code == "invalid_transition"


def test_wish_fulfil_stores_the_photo_privately_without_its_metadata(
    area, secretary, settings, django_capture_on_commit_callbacks
):
    wish = factories.wish(area, secretary, status="claimed")
    upload = _photo()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif()  # the test photo does carry EXIF and GPS
    upload.seek(0)

    with django_capture_on_commit_callbacks(execute=True):
        wish = services.wish_fulfil(wish=wish, actor=secretary, note="已送到。", photo=upload)

    assert wish.fulfilment_photo.name.startswith(f"wishes/{wish.pk}/")
    assert "photo" not in wish.fulfilment_photo.name.rsplit("/", 1)[-1]
    stored = settings.PRIVATE_MEDIA_ROOT / wish.fulfilment_photo.name
    with Image.open(stored) as image:
        assert not image.getexif()
    with pytest.raises(ValueError):
        wish.fulfilment_photo.url  # noqa: B018  (private files have no URL)


def test_wish_fulfil_refuses_a_photo_that_is_not_an_image(area, secretary):
    wish = factories.wish(area, secretary, status="claimed")
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.wish_fulfil(wish=wish, actor=secretary, note="已送到。", photo=fake)
    assert error.value.code == "not_a_photo"
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED


# Thanking


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
def test_wish_thank_by_role(area, secretary, unit, liaison, users, role, allowed):
    wish = factories.wish(area, secretary, status="fulfilled", unit=unit, claimer=liaison)
    if allowed:
        wish = services.wish_thank(wish=wish, actor=users[role], note="谢谢！")
        assert wish.status == WishStatus.THANKED
        assert wish.thanks_note == "谢谢！"
    else:
        with pytest.raises(PermissionDenied):
            services.wish_thank(wish=wish, actor=users[role], note="谢谢！")


def test_wish_thank_needs_a_note(area, secretary):
    wish = factories.wish(area, secretary, status="fulfilled")
    with pytest.raises(ValidationError) as error:
        services.wish_thank(wish=wish, actor=secretary, note="")
    assert error.value.code == "thanks_needs_note"


def test_wish_thank_refuses_a_wish_not_yet_fulfilled(area, secretary):
    wish = factories.wish(area, secretary, status="claimed")
    with pytest.raises(ValidationError) as error:
        services.wish_thank(wish=wish, actor=secretary, note="谢谢！")
    assert error.value.code == "invalid_transition"


# Withdrawing


@pytest.mark.parametrize("status", ["submitted", "published", "claimed"])
def test_wish_withdraw_from_every_open_state(area, secretary, status):
    wish = factories.wish(area, secretary, status=status)

    wish = services.wish_withdraw(wish=wish, actor=secretary, reason="家属已解决。")

    assert wish.status == WishStatus.WITHDRAWN
    assert wish.withdrawal_reason == "家属已解决。"
    assert not Wish.objects.public().filter(pk=wish.pk).exists()


@pytest.mark.parametrize("status", ["fulfilled", "thanked", "withdrawn"])
def test_wish_withdraw_refuses_a_closed_wish(area, secretary, status):
    wish = factories.wish(area, secretary, status=status)
    with pytest.raises(ValidationError) as error:
        services.wish_withdraw(wish=wish, actor=secretary, reason="不需要了。")
    assert error.value.code == "invalid_transition"


def test_wish_withdraw_needs_a_reason(area, secretary):
    wish = factories.wish(area, secretary, status="published")
    with pytest.raises(ValidationError) as error:
        services.wish_withdraw(wish=wish, actor=secretary, reason=" ")
    assert error.value.code == "withdrawal_needs_reason"


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
def test_wish_withdraw_by_role(area, secretary, unit, liaison, users, role, allowed):
    wish = factories.wish(area, secretary, status="claimed", unit=unit, claimer=liaison)
    if allowed:
        wish = services.wish_withdraw(wish=wish, actor=users[role], reason="不需要了。")
        assert wish.status == WishStatus.WITHDRAWN
    else:
        with pytest.raises(PermissionDenied):
            services.wish_withdraw(wish=wish, actor=users[role], reason="不需要了。")


def test_wish_transitions_table_withdraws_only_open_wishes():
    for status, targets in WISH_TRANSITIONS.items():
        assert (WishStatus.WITHDRAWN in targets) == (status in OPEN_STATUSES)


# Predicates


@pytest.mark.parametrize(
    ("role", "manage", "claim", "fulfil"),
    [
        ("anonymous", False, False, False),
        ("secretary", True, True, True),
        ("other_secretary", False, False, False),
        ("liaison", False, True, True),
        ("street_staff", True, True, True),
    ],
)
def test_wish_predicates_by_role(
    area, secretary, unit, liaison, users, role, manage, claim, fulfil
):
    published = factories.wish(area, secretary, status="published")
    wish = factories.wish(area, secretary, status="claimed", unit=unit, claimer=liaison)
    user = users[role]
    assert can_manage_wish(user, wish) is manage
    assert can_claim_wish(user, published) is claim
    assert can_fulfil_wish(user, wish) is fulfil


@pytest.mark.parametrize("role", ["secretary", "liaison", "street_staff"])
def test_nobody_may_claim_a_wish_already_claimed(area, secretary, unit, liaison, users, role):
    wish = factories.wish(area, secretary, status="claimed", unit=unit, claimer=liaison)

    assert can_claim_wish(users[role], wish) is False


# Database rules


def test_database_refuses_a_withdrawal_without_reason(area, secretary):
    wish = factories.wish(area, secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(
            status=WishStatus.WITHDRAWN, withdrawn_at=timezone.now()
        )


def test_database_refuses_a_claim_by_both_a_unit_and_a_person(area, secretary, unit):
    wish = factories.wish(area, secretary, status="claimed", unit=unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(claimed_by_name="张三")


def test_database_refuses_a_claimed_wish_without_claimer(area, secretary):
    wish = factories.wish(area, secretary, status="claimed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(claimed_by_name="")


def test_database_refuses_a_fulfilled_wish_without_note(area, secretary):
    wish = factories.wish(area, secretary, status="fulfilled")
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(fulfilment_note="")


# Querysets


def test_wish_visible_to_by_role(area, other_area, secretary, other_secretary, unit, liaison):
    submitted = factories.wish(area, secretary)
    published = factories.wish(area, secretary, status="published")
    claimed_then_withdrawn = factories.wish(
        area, secretary, status="claimed", unit=unit, claimer=liaison
    )
    services.wish_withdraw(wish=claimed_then_withdrawn, actor=secretary, reason="已解决。")
    from django.contrib.auth.models import AnonymousUser

    assert set(Wish.objects.visible_to(AnonymousUser())) == {published}
    assert set(Wish.objects.visible_to(secretary)) == {
        submitted,
        published,
        claimed_then_withdrawn,
    }
    assert set(Wish.objects.visible_to(other_secretary)) == {published}
    assert set(Wish.objects.visible_to(liaison)) == {published, claimed_then_withdrawn}


def test_wish_managed_by_is_the_users_areas(area, other_area, secretary, street_staff):
    own = factories.wish(area, secretary)
    other = factories.wish(other_area, street_staff)

    assert set(Wish.objects.managed_by(secretary)) == {own}
    assert set(Wish.objects.managed_by(street_staff)) == {own, other}


def test_wish_claimable_by_a_liaison_is_published_wishes_of_their_street(area, secretary, liaison):
    published = factories.wish(area, secretary, status="published")
    factories.wish(area, secretary)
    factories.wish(area, secretary, status="claimed")
    elsewhere = factories.AreaFactory()
    factories.wish(elsewhere, status="published")

    assert set(Wish.objects.claimable_by(liaison)) == {published}
    assert not Wish.objects.claimable_by(secretary).exists()  # no post in a partner unit


def test_fulfilled_per_partner_unit_counts_fulfilled_and_thanked_most_first(
    area, secretary, unit, other_unit
):
    factories.wish(area, secretary, status="fulfilled", unit=unit)
    factories.wish(area, secretary, status="thanked", unit=unit)
    factories.wish(area, secretary, status="claimed", unit=unit)
    factories.wish(area, secretary, status="thanked", unit=other_unit)
    idle = factories.OrganizationFactory(area=None, street=area.street, partner=True)

    rows = list(fulfilled_per_partner_unit(area.street))

    assert [(org, org.wishes_fulfilled) for org in rows] == [(unit, 2), (other_unit, 1)]
    assert idle not in rows
    assert isinstance(rows[0], Organization)


@pytest.mark.django_db(transaction=True)
def test_wish_claim_two_liaisons_at_once_only_one_wins(area, secretary):
    """Two claims in parallel transactions: the row lock lets one through, the other is told
    the wish is already claimed (PostgreSQL; SQLite takes its write lock at BEGIN)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    units = [
        factories.OrganizationFactory(area=None, street=area.street, partner=True) for _ in range(2)
    ]
    liaisons = [factories.liaison(unit) for unit in units]
    wish = factories.wish(area, secretary, status="published")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def claim(index: int) -> None:
        try:
            barrier.wait()
            services.wish_claim(
                wish=wish, actor=liaisons[index], organization=units[index], contact="1"
            )
            outcomes.append("claimed")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already_claimed", "claimed"]
    wish.refresh_from_db()
    assert wish.claimed_by_organization in units


def test_database_refuses_a_claim_before_publication(area, secretary):
    wish = factories.wish(area, secretary, status="claimed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(
            claimed_at=wish.published_at - datetime.timedelta(days=1)
        )
