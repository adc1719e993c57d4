"""Demo events: the "四史" learning exhibition booked in time slots, and an event of each area.

Session times follow today's date, so the demo always has sessions to book. Bookings are made
through the booking service with fictional names and numbers; some sessions are nearly full and
one is full with people waiting.
"""

import datetime
from collections.abc import Callable

from django.utils import timezone

from forums import services
from forums.models import Booking, Event, EventSession
from governance.models import Organization, OrganizationKind
from residents.models import ResidentialArea, Street

EXHIBITION_SLUG = "four-histories-exhibition-booking"

EXHIBITION = {
    "title": "“守初心 担使命”——“四史”学习教育展",
    "summary": "黄浦江畔旧码头改建的展馆里，按时间线走一遍党史、新中国史、改革开放史和社会主义发展史。",
    "description": (
        "展览以“四扇门”为线索串起四个历史阶段，分设七个展区，沿着时间线由远及近展开，"
        "讲述党的故事、上海的故事和浦东的故事。\n\n"
        "- 参观实行分时段预约，每个时段人数有限，请按预约时间入场；\n"
        "- 每个手机号码在本展览最多保留两笔预约，每笔 1 至 5 人；\n"
        "- 入场时出示预约码即可，团体参观请分时段预约；\n"
        "- 时段约满后可以登记候补，有人取消时按登记先后自动递补。"
    ),
    "venue": "东岸·民生艺术码头",
    "address": "浦东新区民生路 3 号",
    "organiser": "中共上海市浦东新区委员会、中共上海市委党校、中共上海市委党史研究室",
    "floor_area": 4000,
}
# Local times of the exhibition's two daily sessions; it is closed on Mondays.
EXHIBITION_SLOTS = [
    (datetime.time(9, 30), datetime.time(11, 0)),
    (datetime.time(14, 0), datetime.time(15, 30)),
]
EXHIBITION_DAYS = 21
EXHIBITION_CAPACITY = 40

# area slug, event slug, title, summary, description, venue, address, days ahead, start, capacity
AREA_EVENTS = [
    (
        "laosan",
        "laosan-safe-gas-talk",
        "安全用气进楼组：钢瓶清零之后怎么用好管道燃气",
        "燃气公司师傅上门讲解管道燃气的安全使用，现场演示报警器和自闭阀。",
        "钢瓶清零以后，不少老人对管道燃气还不熟悉。这次讲座请燃气公司的师傅讲清楚日常检查、"
        "异味处置和报警器的用法，讲完现场答疑。\n\n讲座后可以登记上门检查。",
        "崂三居民区党群服务站",
        "浦东新区崂山路崂山三村内",
        4,
        datetime.time(9, 30),
        30,
    ),
    (
        "shixin",
        "shixin-corridor-open-day",
        "美丽家园开放日：楼道微更新成果走一走",
        "跟着楼组长走一遍刚完成微更新的楼道，听听居民自己的改造办法。",
        "市新小区的几个楼道刚完成微更新：清掉堆物、重刷墙面、装上感应灯。开放日由楼组长带队参观，"
        "物业和业委会在现场听取下一批楼道的意见。",
        "市新居民区活动室",
        "浦东新区市新小区内",
        6,
        datetime.time(14, 0),
        25,
    ),
    (
        "ruwu",
        "ruwu-neighbours-day",
        "“睦邻之家”楼组邻里节",
        "乳山五村各楼组的邻里节：百家宴、老物件展和楼组党小组的服务摊位。",
        "邻里节由各楼组党小组牵头，居民带一道家常菜参加百家宴，老物件展请大家把家里有故事的物件带来。"
        "服务摊位提供理发、量血压和小家电维修。",
        "乳山五村中心绿地",
        "浦东新区乳山五村内",
        9,
        datetime.time(10, 0),
        60,
    ),
    (
        "dongyi",
        "dongyi-duty-station-open-day",
        "联勤联动站开放日",
        "走进东一居民区联勤联动站，看一件居民反映的问题怎样分派、处置和回访。",
        "联勤联动站的工作人员演示问题从登记到分派、处置、回访的全过程，城管、物业和居委会的同事"
        "在现场介绍各自的分工。欢迎带着身边的问题来。",
        "东一居民区联勤联动站",
        "浦东新区东园一村内",
        11,
        datetime.time(14, 30),
        20,
    ),
    (
        "renheng",
        "renheng-global-village-festival",
        "“最美地球村”国际邻里文化节",
        "中外居民一起做家乡菜、讲家乡事，志愿者提供中英文翻译。",
        "文化节是“最美地球村”家园行动的一部分。中外居民各带一道家乡菜，轮流介绍家乡的节日习俗；"
        "地球村志愿服务社提供中英文翻译，并招募下一季的社区志愿者。",
        "仁恒滨江园会所",
        "浦东新区仁恒滨江园内",
        13,
        datetime.time(15, 0),
        50,
    ),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
# No surname + given name here is the name of a demo post holder (李建国, 吴静 were): a booker's
# name is private, and the privacy crawl would find it on the public pages that name the post.
GIVEN = ["国平", "秀英", "伟", "敏", "静怡", "丽华", "志强", "桂兰", "军", "海燕", "婷", "明"]


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def load(street: Street, say: Callable[[str], None] = lambda message: None) -> None:
    today = timezone.localdate()
    now = timezone.now()
    areas = {area.slug: area for area in ResidentialArea.objects.filter(street=street)}
    exhibition, _ = Event.objects.update_or_create(
        slug=EXHIBITION_SLUG,
        defaults={
            **EXHIBITION,
            "street": street,
            "area": None,
            "organising_unit": None,
            "booking_opens_at": _at(today - datetime.timedelta(days=14), datetime.time(9)),
            "booking_closes_at": None,
            "is_public": True,
        },
    )
    days = [
        today + datetime.timedelta(days=offset)
        for offset in range(1, EXHIBITION_DAYS + 1)
        if (today + datetime.timedelta(days=offset)).weekday() != 0
    ]
    sessions = [
        _session(exhibition, _at(day, start), _at(day, end), EXHIBITION_CAPACITY)
        for day in days
        for start, end in EXHIBITION_SLOTS
    ]
    # The first sessions fill up: one is full with a waitlist, the next ones nearly full.
    _fill(sessions[0], EXHIBITION_CAPACITY, now, waiting=2)
    _fill(sessions[1], EXHIBITION_CAPACITY - 1, now)
    _fill(sessions[2], EXHIBITION_CAPACITY - 3, now)
    for session in sessions[3:12]:
        _fill(session, 6 + (session.starts_at.day * 7) % 25, now)

    for (
        slug,
        event_slug,
        title,
        summary,
        description,
        venue,
        address,
        ahead,
        start,
        capacity,
    ) in AREA_EVENTS:
        area = areas[slug]
        committee = Organization.objects.filter(
            area=area, kind=OrganizationKind.RESIDENTS_COMMITTEE
        ).first()
        event, _ = Event.objects.update_or_create(
            slug=event_slug,
            defaults={
                "street": street,
                "area": area,
                "title": title,
                "summary": summary,
                "description": description,
                "venue": venue,
                "address": address,
                "organiser": committee.name if committee else area.name,
                "organising_unit": committee,
                "floor_area": None,
                "booking_opens_at": _at(today - datetime.timedelta(days=3), datetime.time(8)),
                "booking_closes_at": _at(
                    today + datetime.timedelta(days=ahead - 1), datetime.time(20)
                ),
                "is_public": True,
            },
        )
        day = today + datetime.timedelta(days=ahead)
        begins = _at(day, start)
        session = _session(event, begins, begins + datetime.timedelta(minutes=90), capacity)
        _fill(session, capacity // 3, now)
    say(
        f"  {Event.objects.filter(street=street).count()} events, {Booking.objects.count()} bookings"
    )


def _session(
    event: Event, starts_at: datetime.datetime, ends_at: datetime.datetime, capacity: int
) -> EventSession:
    session, _ = EventSession.objects.get_or_create(
        event=event, starts_at=starts_at, defaults={"ends_at": ends_at, "capacity": capacity}
    )
    return session


def _fill(session: EventSession, seats: int, now: datetime.datetime, waiting: int = 0) -> None:
    """Book `seats` seats, then `waiting` parties on the waitlist; once per session."""
    if session.bookings.exists():
        return
    booked, number = 0, 0
    while booked < seats:
        number += 1
        size = min(1 + number % 4, seats - booked)
        services.booking_create(
            session=session, now=now, party_size=size, **_person(session, number)
        )
        booked += size
    for _ in range(waiting):
        number += 1
        services.booking_create(
            session=session, now=now, party_size=2, waitlist=True, **_person(session, number)
        )


def _person(session: EventSession, number: int) -> dict[str, str]:
    """A fictional booker, with a number of its own in each session (139 + session + count)."""
    name = SURNAMES[(session.pk + number) % len(SURNAMES)] + GIVEN[number % len(GIVEN)]
    return {"name": name, "phone": f"139{session.pk % 10000:04d}{number:04d}"}
