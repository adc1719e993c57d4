import datetime

import factory
from django.utils import timezone

from brands.models import Brand, BrandAction, BrandActivity
from doorstep.models import Access, OpeningPeriod, ScheduleException, Service, Station
from doorstep.models import Category as ServiceCategory
from governance.models import (
    Agreement,
    ApiClient,
    Case,
    Category,
    Channel,
    Organization,
    OrganizationKind,
    Post,
    PostTitle,
    Priority,
    RosterImport,
)
from residents.models import BuildingGroup, Compound, Person, ResidentialArea, Role, Street, User


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"测试街道{n}")
    slug = factory.Sequence(lambda n: f"street-{n}")
    code = factory.Sequence(lambda n: "T" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    district = "浦东新区"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentialArea

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"测试{n}居民区")
    short_name = factory.Sequence(lambda n: f"测试{n}")
    slug = factory.Sequence(lambda n: f"area-{n}")


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compound

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"测试小区{n}")


class BuildingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuildingGroup

    compound = factory.SubFactory(CompoundFactory)
    name = factory.Sequence(lambda n: f"{n}号楼")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    area = factory.SubFactory(AreaFactory)
    street = factory.LazyAttribute(lambda person: person.area.street)
    name = factory.Sequence(lambda n: f"居民{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    address = factory.Sequence(lambda n: f"测试路{n}号")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    area = factory.SubFactory(AreaFactory)
    street = factory.LazyAttribute(lambda org: org.area.street)
    kind = OrganizationKind.PARTY
    name = factory.Sequence(lambda n: f"测试组织{n}")

    class Params:
        residents_committee = factory.Trait(kind=OrganizationKind.RESIDENTS_COMMITTEE)
        owners_committee = factory.Trait(
            kind=OrganizationKind.OWNERS_COMMITTEE,
            compound=factory.SubFactory(CompoundFactory, area=factory.SelfAttribute("..area")),
        )
        property_company = factory.Trait(
            kind=OrganizationKind.PROPERTY_COMPANY,
            compound=factory.SubFactory(CompoundFactory, area=factory.SelfAttribute("..area")),
        )
        partner = factory.Trait(kind=OrganizationKind.REGIONAL_UNIT)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    organization = factory.SubFactory(OrganizationFactory)
    person = factory.SubFactory(
        PersonFactory,
        area=factory.SelfAttribute("..organization.area"),
        street=factory.SelfAttribute("..organization.street"),
    )
    title = PostTitle.COMMITTEE_MEMBER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partner = factory.SubFactory(OrganizationFactory, partner=True)
    area = factory.SubFactory(AreaFactory, street=factory.SelfAttribute("..partner.street"))
    title = factory.Sequence(lambda n: f"共建协议{n}")
    partner_offers = "讲座资源"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"测试家门口服务站{n}")
    address = factory.Sequence(lambda n: f"服务路{n}号")
    phone = "021-5888 1234"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    station = factory.SubFactory(StationFactory)
    title = factory.Sequence(lambda n: f"测试服务{n}")
    category = ServiceCategory.DAILY_LIFE
    provider = factory.SubFactory(
        OrganizationFactory,
        area=factory.SelfAttribute("..station.area"),
        kind=OrganizationKind.RESIDENTS_COMMITTEE,
    )
    access = Access.WALK_IN


def opening(owner, weekday: int, opens: str, closes: str) -> OpeningPeriod:
    """A weekly period of a station or a service, e.g. ``opening(station, 0, "09:00", "17:00")``."""
    opens_at, closes_at = datetime.time.fromisoformat(opens), datetime.time.fromisoformat(closes)
    key = "station" if isinstance(owner, Station) else "service"
    return OpeningPeriod.objects.create(
        **{key: owner},
        weekday=weekday,
        opens=opens_at,
        closes=closes_at,
        crosses_midnight=closes_at <= opens_at,
    )


def day_exception(owner, date: str, kind: str, **kwargs) -> ScheduleException:
    key = "station" if isinstance(owner, Station) else "service"
    return ScheduleException.objects.create(
        **{key: owner}, date=datetime.date.fromisoformat(date), kind=kind, **kwargs
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "test-pass-2026")

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)
        if create:
            self.save()


def street_staff(street: Street, **kwargs) -> User:
    return UserFactory(role=Role.STREET_STAFF, street=street, is_staff=True, **kwargs)


def secretary(area: ResidentialArea, **kwargs) -> User:
    return UserFactory(role=Role.AREA_STAFF, street=area.street, areas=[area], **kwargs)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"类别{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    target_days = 7
    lead_kind = OrganizationKind.PROPERTY_COMPANY


def api_client(street: Street, name: str = "12345热线对接平台") -> tuple[ApiClient, str]:
    """An Open311 partner system of the street, registered as the admin does; with its key."""
    from governance import services

    return services.api_client_create(name=name, street=street, actor=street_staff(street))


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Indicator"

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"测试指标{n}")
    unit = "只"
    baseline = 80
    goal = 0


def liaison(organization: Organization, **kwargs) -> User:
    """A partner-unit liaison: a login whose person holds a current post in the organisation."""
    person = PersonFactory(area=organization.area, street=organization.street)
    PostFactory(person=person, organization=organization, title=PostTitle.LIAISON)
    return UserFactory(
        role=Role.PARTNER_LIAISON, street=organization.street, person=person, **kwargs
    )


def case(area: ResidentialArea, actor: User | None = None, **kwargs) -> Case:
    """A case logged through the service, as the workbench logs one."""
    from governance import services

    actor = actor or street_staff(area.street)
    fields = {
        "category": kwargs.pop("category", None) or CategoryFactory(),
        "title": "楼道堆物",
        "description": "三楼楼道堆放纸箱",
        "channel": Channel.RESIDENT_REPORT,
        "priority": Priority.NORMAL,
        **kwargs,
    }
    return services.case_create(actor=actor, area=area, **fields)


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.Forum"
        skip_postgeneration_save = True

    street = factory.SubFactory(StreetFactory)
    title = factory.Sequence(lambda n: f"书记论坛{n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    theme = "深入推进多元协同治理"
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    venue = "社区党校"
    organiser = "街道党工委"
    summary = "论坛**小结**。"

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class SpeechFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.Speech"

    forum = factory.SubFactory(ForumFactory)
    order = factory.Sequence(lambda n: n + 1)
    speaker_name = factory.Sequence(lambda n: f"发言人{n}")
    speaker_post = "党总支书记"
    title = factory.Sequence(lambda n: f"发言标题{n}")
    subtitle = "副标题"
    body = "发言正文。"


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.Practice"
        skip_postgeneration_save = True

    street = factory.SubFactory(StreetFactory)
    title = factory.Sequence(lambda n: f"经验做法{n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    summary = "一句话概括。"
    problem = "问题。"
    actions = "做法。"
    results = "成效。"

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class NewsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.NewsItem"

    street = factory.SubFactory(StreetFactory)
    title = factory.Sequence(lambda n: f"新闻{n}")
    slug = factory.Sequence(lambda n: f"news-{n}")
    source = "陆家嘴党建"
    dated = factory.LazyFunction(timezone.now)
    summary = "新闻摘要。"
    body = "新闻正文。"


def publish(item, actor: User):
    """Take a forum, practice or news item from draft to published through the services."""
    from forums import services
    from forums.models import Forum, Verdict

    item = services.publication_transition(item=item, to="in_review", actor=actor)
    if isinstance(item, Forum):
        for speech in item.speeches.filter(speaker__user__isnull=False):
            speaker = speech.speaker.user
            services.speech_review(speech=speech, actor=speaker, verdict=Verdict.CONFIRM)
    for status in ["approved", "published"]:
        item = services.publication_transition(item=item, to=status, actor=actor)
    return item


class EventFactory(factory.django.DjangoModelFactory):
    """A public event whose booking is open, of the whole street."""

    class Meta:
        model = "forums.Event"

    street = factory.SubFactory(StreetFactory)
    title = factory.Sequence(lambda n: f"活动{n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "活动简介。"
    description = "活动说明。"
    venue = "社区党群服务中心"
    address = "浦东新区某路 1 号"
    organiser = "陆家嘴街道"
    booking_opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    is_public = True


class SessionFactory(factory.django.DjangoModelFactory):
    """A time slot tomorrow at ten, for ten people."""

    class Meta:
        model = "forums.EventSession"

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyFunction(
        lambda: (
            timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=1)
        )
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=1))
    capacity = 10


def book(session, phone: str = "13800001111", party_size: int = 1, **kwargs):
    """A booking made through the service, as the public form makes one."""
    from forums import services

    return services.booking_create(
        session=session,
        name=kwargs.pop("name", "张三"),
        phone=phone,
        party_size=party_size,
        **kwargs,
    )


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"品牌{n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")
    motto = "党建引领，邻里同心"
    description = "第一段。\n\n第二段。"
    is_public = True


class BrandActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrandAction

    brand = factory.SubFactory(BrandFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"行动{n}")
    description = "行动说明"


class BrandActivityFactory(factory.django.DjangoModelFactory):
    """An activity stored directly; tests of the rules record theirs through the service."""

    class Meta:
        model = BrandActivity

    brand = factory.SubFactory(BrandFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    title = factory.Sequence(lambda n: f"活动{n}")
    text = "活动内容"
    recorded_by = factory.LazyAttribute(lambda activity: street_staff(activity.brand.area.street))


def wish(
    area: ResidentialArea,
    actor: User | None = None,
    *,
    status: str = "submitted",
    unit: Organization | None = None,
    claimer: User | None = None,
    **kwargs,
):
    """A wish recorded through the service and taken through the services to ``status``; a
    claim is by ``unit`` (made by ``claimer`` or the recording actor) or else by a person."""
    from wishes import services
    from wishes.models import WishCategory

    actor = actor or street_staff(area.street)
    fields = {
        "category": WishCategory.SMALL_REPAIRS,
        "title": "厨房水龙头滴水",
        "text": "厨房水龙头关不紧，希望有人帮忙换个阀芯。",
        "wanted_by": timezone.localdate() + datetime.timedelta(days=30),
        "resident_name": "测试居民甲",
        "resident_phone": "13955550001",
        "resident_address": "测试路1号101室",
        **kwargs,
    }
    item = services.wish_record(actor=actor, area=area, **fields)
    path = {
        "submitted": [],
        "published": ["published"],
        "claimed": ["published", "claimed"],
        "fulfilled": ["published", "claimed", "fulfilled"],
        "thanked": ["published", "claimed", "fulfilled", "thanked"],
        "withdrawn": ["withdrawn"],
    }[status]
    for step in path:
        if step == "published":
            item = services.wish_publish(wish=item, actor=actor)
        elif step == "claimed":
            item = services.wish_claim(
                wish=item,
                actor=claimer or actor,
                organization=unit,
                person_name="" if unit else "测试志愿者乙",
                contact="13955550002",
            )
        elif step == "fulfilled":
            item = services.wish_fulfil(wish=item, actor=claimer or actor, note="已上门换好阀芯。")
        elif step == "thanked":
            item = services.wish_thank(wish=item, actor=actor, note="谢谢热心的志愿者！")
        elif step == "withdrawn":
            item = services.wish_withdraw(wish=item, actor=actor, reason="家属已自行解决。")
    return item


def book_before(session, **kwargs):
    """A booking made an hour before the slot starts, whatever the time now."""
    return book(session, now=session.starts_at - datetime.timedelta(hours=1), **kwargs)


class RosterImportFactory(factory.django.DjangoModelFactory):
    """An upload as the import page records it, before its run (no file kept)."""

    class Meta:
        model = RosterImport

    street = factory.SubFactory(StreetFactory)
    actor = factory.LazyAttribute(lambda o: street_staff(o.street))
    original_name = "roster.xlsx"
    language = "en"
    dry_run = True


def event_admin_form(event, session, **changes) -> dict:
    """The admin's change form of an event with its one time slot, as posted; a change of
    ``None`` leaves that field out (an unticked box)."""
    local = timezone.localtime
    data = {
        "street": event.street_id,
        "title": event.title,
        "slug": event.slug,
        "summary": event.summary,
        "description": event.description,
        "venue": event.venue,
        "address": event.address,
        "organiser": event.organiser,
        "booking_opens_at_0": f"{local(event.booking_opens_at):%Y-%m-%d}",
        "booking_opens_at_1": f"{local(event.booking_opens_at):%H:%M:%S}",
        "is_public": "on",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "1",
        "sessions-0-id": session.pk,
        "sessions-0-event": event.pk,
        "sessions-0-starts_at_0": f"{local(session.starts_at):%Y-%m-%d}",
        "sessions-0-starts_at_1": f"{local(session.starts_at):%H:%M:%S}",
        "sessions-0-ends_at_0": f"{local(session.ends_at):%Y-%m-%d}",
        "sessions-0-ends_at_1": f"{local(session.ends_at):%H:%M:%S}",
        "sessions-0-capacity": "10",
        **changes,
    }
    return {name: value for name, value in data.items() if value is not None}
