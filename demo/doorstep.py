"""Demo doorstep services: a service station in each of the five areas, with its hours, the
2026 public holidays and adjusted working days, a few one-off changes in the coming days, and
services from the area's 1+3+N and the street's partner units. Landlines are invented."""

import datetime

from django.utils import timezone

from doorstep.models import (
    Access,
    Category,
    ExceptionKind,
    OpeningPeriod,
    ScheduleException,
    Service,
    Station,
)
from governance.models import Organization, OrganizationKind
from residents.models import ResidentialArea, Street

C = Category
A = Access
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WORKDAYS = (MON, TUE, WED, THU, FRI)
LAW_FIRM = "上海浦江明理律师事务所"

# The street's partner units this module adds: a law firm holding weekly legal advice.
PARTNERS = [(LAW_FIRM, OrganizationKind.REGIONAL_UNIT, "为各居民区提供每周一次的法律咨询。")]

# 2026 public holidays (closed) and the adjusted working days, which work like a weekday.
HOLIDAYS_2026 = [
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
    ("2027-01-01", "2027-01-01", "元旦"),
]
ADJUSTED_WORKING_DAYS_2026 = [
    ("2026-01-04", MON, "元旦调休上班"),
    ("2026-02-14", MON, "春节调休上班"),
    ("2026-02-28", MON, "春节调休上班"),
    ("2026-05-09", MON, "劳动节调休上班"),
    ("2026-09-20", MON, "国庆节调休上班"),
    ("2026-10-10", MON, "国庆节调休上班"),
]

# Station hours: weekdays 08:30-11:30 and 13:00-17:00, Saturday morning.
STATION_HOURS = [(day, "08:30", "11:30") for day in WORKDAYS] + [
    (day, "13:00", "17:00") for day in WORKDAYS
]
SATURDAY_MORNING = [(SAT, "09:00", "12:00")]

STATIONS = {
    # area slug: name, address, directions, landline
    "laosan": (
        "崂三家门口服务站",
        "崂山路 300 弄 12 号",
        "崂山三村南门进，左手第一幢一楼；公交崂山路站下车步行 3 分钟。",
        "021-5887 0301",
    ),
    "shixin": (
        "市新家门口服务站",
        "浦城路 150 号",
        "市新小区正门旁，无障碍坡道在东侧。",
        "021-5887 0302",
    ),
    "ruwu": (
        "乳五家门口服务站",
        "乳山路 85 弄 3 号",
        "乳山五村 3 号楼底楼，居委会隔壁。",
        "021-5887 0303",
    ),
    "dongyi": (
        "东一家门口服务站",
        "东昌路 420 弄 1 号",
        "东园一村北门联勤联动站楼上，电梯可达。",
        "021-5887 0304",
    ),
    "renheng": (
        "仁恒家门口服务站",
        "陆家嘴环路 1 号会所二楼",
        "仁恒滨江园会所，凭访客登记进入；提供中英文服务。",
        "021-5887 0305",
    ),
}

# title, category, description, audience, provider (name, or a kind of the area's own
# organisations), place (None: the station), access, what to bring, weekly periods (None: the
# station's hours)
COMMON_SERVICES = [
    (
        "社区事务代办",
        C.ADMINISTRATIVE,
        "居住证、社保卡、老年证等事项的咨询与代办，材料齐全的当场受理。",
        "本居民区居民",
        OrganizationKind.RESIDENTS_COMMITTEE,
        None,
        A.WALK_IN,
        "身份证、户口簿；代办需委托书",
        None,
    ),
    (
        "律师法律咨询",
        C.LEGAL,
        "律师每周一次坐班，解答婚姻家庭、物业纠纷、劳动合同等法律问题。",
        "居民、业委会成员",
        LAW_FIRM,
        None,
        A.APPOINTMENT,
        "与问题有关的合同、票据等材料",
        "legal",
    ),
    (
        "家庭医生健康咨询",
        C.HEALTH,
        "社区卫生服务中心的家庭医生测血压、血糖，解答慢病用药问题。",
        "老年人、慢病患者",
        "陆家嘴社区卫生服务中心",
        None,
        A.WALK_IN,
        "医保卡、近期检查报告",
        [(THU, "09:00", "11:00")],
    ),
    (
        "老年助餐点",
        C.ELDERLY_AND_DISABLED,
        "为高龄、独居老人提供午餐，行动不便的可由志愿者送餐上门。",
        "70 岁以上老人、残疾人",
        OrganizationKind.RESIDENTS_COMMITTEE,
        None,
        A.PHONE,
        "首次登记带身份证",
        [(day, "11:00", "12:30") for day in (*WORKDAYS, SAT)],
    ),
    (
        "党员服务与组织关系转接",
        C.PARTY_AND_MASS,
        "党员报到、组织关系转接、党费缴纳咨询。",
        "党员、流动党员",
        OrganizationKind.PARTY,
        None,
        A.WALK_IN,
        "党员证明材料",
        None,
    ),
    (
        "妇女儿童之家",
        C.CULTURE,
        "亲子阅读、手工课和家庭教育讲座。",
        "家长与儿童",
        "陆家嘴街道妇女联合会",
        None,
        A.APPOINTMENT,
        "",
        [(SAT, "14:00", "16:00")],
    ),
    (
        "便民维修",
        C.DAILY_LIFE,
        "小家电、水龙头、门锁等小修小补，只收材料费。",
        "本小区居民",
        OrganizationKind.PROPERTY_COMPANY,
        "物业服务中心",
        A.WALK_IN,
        "需维修的物品",
        [(SAT, "08:30", "11:00")],
    ),
]
LEGAL_HOURS = {
    "laosan": [(TUE, "14:00", "16:30")],
    "shixin": [(WED, "14:00", "16:30")],
    "ruwu": [(THU, "14:00", "16:30")],
    "dongyi": [(FRI, "09:00", "11:30")],
    "renheng": [(SAT, "09:30", "11:30")],
}
AREA_SERVICES = {
    "laosan": [
        (
            "夜间平安值守",
            C.DAILY_LIFE,
            "志愿者夜间在门岗值守，遇到漏水、停电、老人走失等急事可就近求助。",
            "崂山三村居民",
            "崂三平安志愿者队",
            ("崂山三村南门岗亭", "崂山路 300 弄南门"),
            A.WALK_IN,
            "",
            [(day, "20:00", "02:00") for day in range(7)],
        ),
    ],
    "shixin": [
        (
            "防范电信诈骗与金融知识",
            C.CULTURE,
            "银行工作人员讲解防诈骗知识，协助老人使用手机银行。",
            "老年人",
            "浦江银行陆家嘴支行",
            None,
            A.WALK_IN,
            "手机、银行卡",
            [(MON, "14:00", "16:00")],
        ),
        (
            "城管执法咨询",
            C.LEGAL,
            "城管队员解答违章搭建、占道经营、装修垃圾等问题。",
            "居民、商户",
            "陆家嘴街道城管执法中队",
            None,
            A.WALK_IN,
            "现场照片",
            [(WED, "09:00", "11:00")],
        ),
    ],
    "ruwu": [
        (
            "楼组议事与邻里调解",
            C.PARTY_AND_MASS,
            "楼组党小组组织邻里议事，调解噪音、漏水等邻里纠纷。",
            "乳山五村居民",
            OrganizationKind.PARTY,
            None,
            A.APPOINTMENT,
            "",
            [(TUE, "18:30", "20:30")],
        ),
    ],
    "dongyi": [
        (
            "联勤联动问题受理",
            C.ADMINISTRATIVE,
            "楼道堆物、垃圾混堆、停车等问题当面登记，联勤联动站派给能解决的一方。",
            "东园一村居民",
            OrganizationKind.RESIDENTS_COMMITTEE,
            None,
            A.WALK_IN,
            "问题位置与照片",
            None,
        ),
    ],
    "renheng": [
        (
            "地球村中外邻里角",
            C.CULTURE,
            "中外居民互教语言、介绍社区规则，帮助外籍居民办理居住登记咨询。",
            "中外居民",
            "地球村志愿服务社",
            None,
            A.WALK_IN,
            "",
            [(SUN, "15:00", "17:00")],
        ),
    ],
}
STALE_AREA = "renheng"  # its station was last updated four months ago: the street sees it


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _set_periods(owner: dict, periods: list[tuple[int, str, str]]) -> None:
    OpeningPeriod.objects.filter(**owner).delete()
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(
            **owner,
            weekday=day,
            opens=_time(opens),
            closes=_time(closes),
            crosses_midnight=_time(closes) <= _time(opens),
        )
        for day, opens, closes in periods
    )


def _set_exceptions(station: Station, today: datetime.date) -> None:
    ScheduleException.objects.filter(station=station).delete()
    rows: dict[datetime.date, ScheduleException] = {}
    for first, last, note in HOLIDAYS_2026:
        day = _date(first)
        while day <= _date(last):
            rows[day] = ScheduleException(
                station=station, date=day, kind=ExceptionKind.CLOSED, note=note
            )
            day += datetime.timedelta(days=1)
    for day, weekday, note in ADJUSTED_WORKING_DAYS_2026:
        rows[_date(day)] = ScheduleException(
            station=station,
            date=_date(day),
            kind=ExceptionKind.WORKS_LIKE,
            works_like=weekday,
            note=note,
        )
    # One-off changes in the coming days, so that the pages show them.
    training = today + datetime.timedelta(days=(3 - today.weekday()) % 7 + 7)  # a Thursday
    rows[training] = ScheduleException(
        station=station, date=training, kind=ExceptionKind.CLOSED, note="工作人员培训，暂停服务"
    )
    late = training + datetime.timedelta(days=1)
    rows[late] = ScheduleException(
        station=station,
        date=late,
        kind=ExceptionKind.SPECIAL_HOURS,
        opens=_time("13:00"),
        closes=_time("19:00"),
        note="延时服务",
    )
    ScheduleException.objects.bulk_create(rows.values())


def _provider(organizations: dict[str, Organization], area: ResidentialArea, ref) -> Organization:
    if isinstance(ref, OrganizationKind):
        return (
            Organization.objects.filter(area=area, kind=ref, parent__isnull=True)
            .order_by("pk")
            .first()
        )
    return organizations[ref]


def load(street: Street, stdout_write=lambda message: None) -> None:
    """Create or update the demo stations and services; a second run changes no row count."""
    today = timezone.localdate()
    for name, kind, description in PARTNERS:
        Organization.objects.update_or_create(
            street=street, name=name, defaults={"kind": kind, "description": description}
        )
    organizations = {o.name: o for o in Organization.objects.filter(street=street)}
    service_count = 0
    for area in ResidentialArea.objects.filter(street=street, slug__in=STATIONS):
        name, address, directions, phone = STATIONS[area.slug]
        station, _ = Station.objects.update_or_create(
            area=area,
            name=name,
            defaults={"address": address, "directions": directions, "phone": phone},
        )
        periods = STATION_HOURS + (SATURDAY_MORNING if area.slug != "dongyi" else [])
        _set_periods({"station": station}, periods)
        _set_exceptions(station, today)
        for row in COMMON_SERVICES + AREA_SERVICES.get(area.slug, []):
            title, category, text, audience, provider, place, access, bring, hours = row
            if isinstance(place, tuple):
                place_name, place_address = place
            elif place:  # a place in the area's first compound
                place_name = f"{area.compounds.order_by('pk').first().name}{place}"
                place_address = ""
            else:
                place_name = place_address = ""
            service, _ = Service.objects.update_or_create(
                station=station,
                title=title,
                defaults={
                    "category": category,
                    "description": text,
                    "audience": audience,
                    "provider": _provider(organizations, area, provider),
                    "at_station": place is None,
                    "place_name": place_name,
                    "place_address": place_address,
                    "access": access,
                    "what_to_bring": bring,
                },
            )
            if hours == "legal":
                hours = LEGAL_HOURS[area.slug]
            _set_periods({"service": service}, hours or [])
            service_count += 1
        if area.slug == STALE_AREA:
            Station.objects.filter(pk=station.pk).update(
                updated_at=timezone.now() - datetime.timedelta(days=120)
            )
    stdout_write(f"  {len(STATIONS)} stations, {service_count} services")
