"""Demo cases, categories and indicators of Lujiazui Street, played through the services.

Every case is logged, moved and followed up by the same service functions the pages use, with
times spread over the past six months. A case already present (same area and title) is left as
it is, so running the loader again adds nothing.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from demo.territory import DEMO_PASSWORD
from governance import services
from governance.models import (
    Case,
    CaseStatus,
    Category,
    CategoryReplyTemplate,
    Channel,
    ClosureReason,
    Indicator,
    IndicatorReading,
    Organization,
    OrganizationKind,
    Post,
    PostTitle,
    Priority,
    Satisfaction,
    UpdateKind,
)
from residents.models import BuildingGroup, Compound, Person, ResidentialArea, Role, Street, User

K = OrganizationKind

# name, English name, target days, lead kind, assisting kinds, checklist, reply templates
CATEGORIES = [
    (
        "液化气钢瓶",
        "LPG cylinders",
        30,
        K.PARTY,
        [K.RESIDENTS_COMMITTEE, K.PROPERTY_COMPANY],
        "逐户排摸钢瓶数量\n上门宣传燃气安全\n协调管道燃气接入\n回收钢瓶并登记",
        [("已排摸", "已完成入户排摸，将尽快安排钢瓶回收。")],
    ),
    (
        "垃圾混堆点",
        "Mixed garbage point",
        7,
        K.PROPERTY_COMPANY,
        [K.RESIDENTS_COMMITTEE, K.VOLUNTEER_TEAM],
        "现场查看并拍照\n清运堆积垃圾\n设置分类投放点\n志愿者值守宣传",
        [("已清运", "堆积垃圾已清运，后续将安排志愿者值守。")],
    ),
    (
        "业委会履职",
        "Owners' committee duties",
        30,
        K.RESIDENTS_COMMITTEE,
        [K.PARTY, K.OWNERS_COMMITTEE],
        "约谈业委会主任\n督促召开业委会会议\n公示会议纪要",
        [("已约谈", "已约谈业委会，督促其按期召开会议并公示。")],
    ),
    (
        "违法建筑",
        "Illegal construction",
        60,
        K.REGIONAL_UNIT,
        [K.RESIDENTS_COMMITTEE, K.PROPERTY_COMPANY],
        "现场核查\n告知当事人限期整改\n联合执法拆除\n复查并恢复原状",
        [("已立案", "城管执法中队已现场核查并告知限期整改。")],
    ),
    (
        "楼道堆物",
        "Corridor clutter",
        10,
        K.PARTY,
        [K.PROPERTY_COMPANY, K.VOLUNTEER_TEAM],
        "楼组长上门劝导\n物业协助清理\n消防通道复查",
        [("已劝导", "楼组长已上门劝导，物业将协助清理。")],
    ),
    (
        "停车管理",
        "Parking",
        14,
        K.PROPERTY_COMPANY,
        [K.RESIDENTS_COMMITTEE, K.REGIONAL_UNIT],
        "现场查看停放情况\n划线与标识\n劝离违停车辆",
        [("已处理", "已安排物业劝离违停车辆并增设标识。")],
    ),
    (
        "应急管理",
        "Emergency management",
        3,
        K.RESIDENTS_COMMITTEE,
        [K.PROPERTY_COMPANY, K.REGIONAL_UNIT],
        "确认险情并上报\n疏散与警戒\n抢修\n事后复盘",
        [("已处置", "险情已处置，现场已恢复正常。")],
    ),
    (
        "设施维修",
        "Repairs",
        14,
        K.PROPERTY_COMPANY,
        [K.OWNERS_COMMITTEE],
        "报修登记\n物业派单维修\n维修验收",
        [("已派单", "物业已派单维修，完成后将回访。")],
    ),
]

# area, compound, name, unit, baseline, goal, readings as (months ago, value)
INDICATORS = [
    (
        "laosan",
        "崂山三村",
        "液化气钢瓶在用数",
        "只",
        86,
        0,
        [(6, 86), (5, 61), (4, 40), (3, 22), (2, 9), (1, 0)],
    ),
    ("ruwu", "乳山五村", "楼道堆物点位", "处", 40, 0, [(5, 40), (3, 27), (1, 12)]),
]

# The named cases of the demo: area, title, category, final status, lead, assisting, channel,
# days ago, extras. Lead and assisting are organisation names.
NAMED_CASES = [
    (
        "laosan",
        "崂山三村液化气钢瓶清零",
        "液化气钢瓶",
        CaseStatus.CLOSED,
        "崂三居民区党总支",
        ["崂三居民区居民委员会", "崂山三村物业服务中心", "崂山三村业主委员会"],
        Channel.PATROL,
        170,
        {
            "compound": "崂山三村",
            "indicator": "液化气钢瓶在用数",
            "priority": Priority.HIGH,
            "description": "崂山三村仍有居民使用液化气钢瓶，存在安全隐患，需逐户排摸并推动管道燃气接入。",
        },
    ),
    (
        "laosan",
        "崂山三村12号楼旁垃圾混堆点",
        "垃圾混堆点",
        CaseStatus.IN_PROGRESS,
        "崂山三村物业服务中心",
        ["崂三居民区居民委员会", "崂三平安志愿者队"],
        Channel.RESIDENT_REPORT,
        12,
        {
            "compound": "崂山三村",
            "location": "12号楼东侧绿化带",
            "reporter": ("王阿姨", "13900001111"),
            "description": "12号楼旁长期有装修垃圾与生活垃圾混堆，气味大，影响通行。",
        },
    ),
    (
        "laosan",
        "崂山三村业委会长期未召开会议",
        "业委会履职",
        CaseStatus.ACCEPTED,
        "崂三居民区居民委员会",
        ["崂三居民区党总支", "崂山三村业主委员会"],
        Channel.ON_BEHALF,
        20,
        {
            "compound": "崂山三村",
            "description": "多名业主反映业委会近半年未召开会议，维修资金使用情况未公示。",
        },
    ),
    (
        "shixin",
        "市新小区违章搭建拆除",
        "违法建筑",
        CaseStatus.RESOLVED,
        "陆家嘴街道城管执法中队",
        ["市新居民区居民委员会", "市新小区物业服务中心"],
        Channel.PATROL,
        75,
        {
            "compound": "市新小区",
            "location": "7号楼底层天井",
            "priority": Priority.HIGH,
            "description": "底层住户在天井内违法搭建阳光房，影响相邻住户采光与消防通道。",
        },
    ),
    (
        "shixin",
        "浦城公寓门口占道堆放建材",
        "违法建筑",
        CaseStatus.IN_PROGRESS,
        "陆家嘴街道城管执法中队",
        ["市新居民区居民委员会"],
        Channel.HOTLINE_12345,
        9,
        {"compound": "浦城公寓", "description": "装修建材长期占用公寓门口通道。"},
    ),
    (
        "ruwu",
        "乳山五村3号楼楼道堆物",
        "楼道堆物",
        CaseStatus.CLOSED,
        "乳山五村3号楼党小组",
        ["乳山五村物业服务中心"],
        Channel.BUILDING_LEADER,
        60,
        {
            "compound": "乳山五村",
            "building_group": "3号楼",
            "indicator": "楼道堆物点位",
            "description": "3号楼二至五层楼道堆放纸板和旧家具，堵塞消防通道。",
        },
    ),
    (
        "ruwu",
        "乳山五村5号楼楼道堆放旧家具",
        "楼道堆物",
        CaseStatus.IN_PROGRESS,
        "乳山五村5号楼党小组",
        ["乳山五村物业服务中心"],
        Channel.BUILDING_LEADER,
        8,
        {
            "compound": "乳山五村",
            "building_group": "5号楼",
            "indicator": "楼道堆物点位",
            "description": "5号楼一层楼道堆放旧沙发，楼组长已劝导一次。",
        },
    ),
    (
        "dongyi",
        "东园一村非机动车乱停放",
        "停车管理",
        CaseStatus.IN_PROGRESS,
        "东园一村物业服务中心",
        ["东一居民区居民委员会"],
        Channel.JOINT_DUTY_STATION,
        6,
        {
            "compound": "东园一村",
            "location": "小区南门",
            "description": "联勤联动站巡查发现南门非机动车乱停放，影响消防车通行。",
        },
    ),
    (
        "dongyi",
        "暴雨后地下车库积水",
        "应急管理",
        CaseStatus.REOPENED,
        "东一居民区居民委员会",
        ["东园一村物业服务中心", "陆家嘴社区卫生服务中心"],
        Channel.JOINT_DUTY_STATION,
        40,
        {
            "compound": "东园一村",
            "priority": Priority.URGENT,
            "description": "暴雨后地下车库积水约20厘米，排水泵故障。",
            "follow_up": Satisfaction.UNSATISFIED,
        },
    ),
    (
        "renheng",
        "Lift in Building 12 out of order for two weeks",
        "设施维修",
        CaseStatus.ACCEPTED,
        "仁恒滨江园物业服务中心",
        ["仁恒滨江园业主委员会"],
        Channel.RESIDENT_REPORT,
        4,
        {
            "compound": "仁恒滨江园",
            "reporter": ("Anna Müller", "13900002222"),
            "description": "The lift in Building 12 has not worked for two weeks. Elderly neighbours on the "
            "upper floors cannot go out. Please ask the property company to repair it.",
        },
    ),
    (
        "renheng",
        "Noise from a construction site across the road",
        "应急管理",
        CaseStatus.REJECTED,
        None,
        [],
        Channel.RESIDENT_REPORT,
        30,
        {
            "compound": "仁恒滨江园",
            "reason": ClosureReason.NOT_OUR_RESPONSIBILITY,
            "description": "A construction site outside the compound works until late at night.",
        },
    ),
    (
        "laosan",
        "12号楼旁垃圾堆放（重复反映）",
        "垃圾混堆点",
        CaseStatus.REJECTED,
        None,
        [],
        Channel.HOTLINE_12345,
        10,
        {
            "compound": "崂山三村",
            "reason": ClosureReason.DUPLICATE,
            "duplicate": "崂山三村12号楼旁垃圾混堆点",
            "description": "12345热线转来：12号楼旁垃圾堆放。",
        },
    ),
]

# Further cases: titles per category, to spread over areas, states and the six months.
MORE_TITLES = {
    "垃圾混堆点": ["小区东门垃圾箱房满溢", "绿化带内丢弃大件垃圾", "装修垃圾未按规定堆放"],
    "楼道堆物": ["楼道内停放电动自行车", "楼梯间堆放纸箱", "消防通道堆放杂物", "地下室堆放易燃物"],
    "停车管理": [
        "外来车辆占用消防通道",
        "地面停车位划线模糊",
        "夜间车辆乱停影响通行",
        "共享单车堆积",
    ],
    "设施维修": [
        "单元门禁损坏",
        "路灯不亮",
        "屋顶渗水",
        "信报箱破损",
        "楼道感应灯损坏",
        "雨水管堵塞",
    ],
    "应急管理": ["燃气异味排查", "高空坠物隐患", "台风前加固广告牌", "电梯困人应急处置"],
    "业委会履职": ["维修资金使用情况未公示", "业委会换届筹备", "业委会未按时公示收支"],
    "液化气钢瓶": ["商户违规使用液化气钢瓶", "沿街餐饮店钢瓶存放不规范"],
    "违法建筑": ["屋顶违法搭建", "底楼私自扩建围墙", "占用公共绿地搭建棚屋"],
}
FINAL_STATES = [
    CaseStatus.NEW,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.RESOLVED,
    CaseStatus.CLOSED,
    CaseStatus.CLOSED,
    CaseStatus.CLOSED,
    CaseStatus.IN_PROGRESS,
]
PATHS = {
    CaseStatus.NEW: [],
    CaseStatus.ACCEPTED: [CaseStatus.ACCEPTED],
    CaseStatus.IN_PROGRESS: [CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS],
    CaseStatus.RESOLVED: [CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED],
    CaseStatus.CLOSED: [
        CaseStatus.ACCEPTED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.RESOLVED,
        CaseStatus.CLOSED,
    ],
    CaseStatus.REOPENED: [CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED],
    CaseStatus.REJECTED: [CaseStatus.REJECTED],
}


def _load_categories() -> dict[str, Category]:
    categories = {}
    for name, name_en, days, lead, assisting, checklist, templates in CATEGORIES:
        category, _ = Category.objects.update_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "target_days": days,
                "lead_kind": lead,
                "assisting_kinds": [str(kind) for kind in assisting],
                "checklist": checklist,
            },
        )
        for title, text in templates:
            CategoryReplyTemplate.objects.update_or_create(
                category=category, title=title, defaults={"text": text}
            )
        categories[name] = category
    return categories


def _load_indicators(today: datetime.date) -> dict[str, Indicator]:
    indicators = {}
    for slug, compound, name, unit, baseline, goal, readings in INDICATORS:
        area = ResidentialArea.objects.get(slug=slug)
        indicator, _ = Indicator.objects.update_or_create(
            area=area,
            name=name,
            defaults={
                "compound": Compound.objects.get(area=area, name=compound),
                "unit": unit,
                "baseline": baseline,
                "goal": goal,
            },
        )
        for months_ago, value in readings:
            IndicatorReading.objects.update_or_create(
                indicator=indicator,
                date=(today.replace(day=1) - datetime.timedelta(days=30 * months_ago)).replace(
                    day=1
                ),
                defaults={"value": value},
            )
        indicators[name] = indicator
    return indicators


def _load_liaison(street: Street, today: datetime.date) -> User:
    """The law-enforcement team's liaison, who sees the cases where the team is a party."""
    team = Organization.objects.get(street=street, name="陆家嘴街道城管执法中队")
    person, _ = Person.objects.update_or_create(
        street=street, name="刘强", defaults={"area": None, "phone": "13800000701"}
    )
    Post.objects.update_or_create(
        person=person,
        organization=team,
        title=PostTitle.LIAISON,
        start_date=datetime.date(2023, 1, 1),
        defaults={"end_date": None},
    )
    user, _ = User.objects.update_or_create(
        username="chengguan",
        defaults={
            "role": Role.PARTNER_LIAISON,
            "street": street,
            "person": person,
            "first_name": person.name,
            "is_staff": False,
            "password": make_password(DEMO_PASSWORD),
        },
    )
    return user


def _play(case: Case, final: CaseStatus, actors: dict, lead, assisting, start, extras) -> None:
    """Walk a new case along the path to its final state, an hour or days between steps."""
    secretary, liaison = actors["secretary"], actors["liaison"]
    at = start
    if lead is not None:
        services.case_set_parties(
            case=case,
            actor=secretary,
            lead=lead,
            assisting=assisting,
            at=at + datetime.timedelta(hours=4),
        )
    for to in PATHS[final]:
        at += (
            datetime.timedelta(hours=5) if to == CaseStatus.ACCEPTED else datetime.timedelta(days=2)
        )
        if to == CaseStatus.IN_PROGRESS and lead is not None:
            actor = liaison if lead.name == "陆家嘴街道城管执法中队" else secretary
            services.case_add_update(
                case=case,
                actor=actor,
                party=lead,
                kind=UpdateKind.NOTE,
                at=at,
                text="牵头方已到现场查看，制定处置方案。",
            )
        if to == CaseStatus.RESOLVED and len(assisting) >= 2:
            services.case_add_update(
                case=case,
                actor=secretary,
                kind=UpdateKind.MEETING,
                at=at - datetime.timedelta(hours=3),
                text="召开协调会，明确各方分工。",
                attendees="、".join(org.name for org in [lead, *assisting]),
            )
        services.case_transition(
            case=case,
            to=to,
            actor=liaison
            if (to == CaseStatus.RESOLVED and lead and lead.name == "陆家嘴街道城管执法中队")
            else secretary,
            at=at,
            note="已处置完毕。" if to == CaseStatus.RESOLVED else "",
            closure_reason=extras.get("reason", ""),
            duplicate_of=extras.get("duplicate_case"),
        ) if to != CaseStatus.REJECTED else services.case_transition(
            case=case,
            to=to,
            actor=secretary,
            at=at,
            note="经核实，不予受理。",
            closure_reason=extras["reason"],
            duplicate_of=extras.get("duplicate_case"),
        )
        if to == CaseStatus.RESOLVED:
            satisfaction = extras.get("follow_up", Satisfaction.SATISFIED)
            if final in (CaseStatus.CLOSED, CaseStatus.REOPENED):
                at += datetime.timedelta(days=1)
                services.case_follow_up(
                    case=case,
                    actor=secretary,
                    satisfaction=satisfaction,
                    at=at,
                    comment="居民表示满意。"
                    if satisfaction != Satisfaction.UNSATISFIED
                    else "积水仍未排净，居民不满意。",
                )
        case.refresh_from_db()


# Channels of cases a secretary logs; partner systems' cases come through Open311 only.
STAFF_CHANNELS = [channel for channel in Channel.values if channel != Channel.PARTNER_SYSTEM]


def load(street: Street, stdout_write=lambda message: None) -> int:
    today = timezone.localdate()
    now = timezone.now()
    categories = _load_categories()
    indicators = _load_indicators(today)
    liaison = _load_liaison(street, today)
    organizations = {o.name: o for o in Organization.objects.filter(street=street)}
    areas = {a.slug: a for a in ResidentialArea.objects.filter(street=street)}
    secretaries = {u.username: u for u in User.objects.filter(username__in=areas)}
    created = 0

    def log(slug, title, category, channel, days_ago, extras):
        nonlocal created
        area = areas[slug]
        existing = Case.objects.filter(area=area, title=title).first()
        if existing:
            return existing, False
        compound = Compound.objects.filter(area=area, name=extras.get("compound")).first()
        group = BuildingGroup.objects.filter(
            compound=compound, name=extras.get("building_group")
        ).first()
        reporter = extras.get("reporter", ("", ""))
        case = services.case_create(
            actor=secretaries[slug],
            area=area,
            category=categories[category],
            title=title,
            description=extras.get("description", title),
            channel=channel,
            priority=extras.get("priority", Priority.NORMAL),
            compound=compound,
            building_group=group,
            location=extras.get("location", ""),
            reporter_name=reporter[0],
            reporter_phone=reporter[1],
            indicator=indicators.get(extras.get("indicator")),
            created_at=now - datetime.timedelta(days=days_ago, hours=3),
        )
        created += 1
        return case, True

    for slug, title, category, final, lead, assisting, channel, days_ago, extras in NAMED_CASES:
        case, new = log(slug, title, category, channel, days_ago, extras)
        if new:
            if "duplicate" in extras:
                extras = {**extras, "duplicate_case": Case.objects.get(title=extras["duplicate"])}
            _play(
                case,
                final,
                {"secretary": secretaries[slug], "liaison": liaison},
                organizations.get(lead),
                [organizations[name] for name in assisting],
                case.created_at,
                extras,
            )

    chance = random.Random(2026)  # noqa: S311  (demo data, not security)
    slugs = sorted(areas)
    number = 0
    for category, titles in MORE_TITLES.items():
        for title in titles:
            slug = slugs[number % len(slugs)]
            final = FINAL_STATES[number % len(FINAL_STATES)]
            days_ago = chance.randint(2, 175)
            area = areas[slug]
            compound = area.compounds.order_by("name").first()
            case, new = log(
                slug,
                f"{compound.name}{title}",
                category,
                chance.choice(STAFF_CHANNELS),
                days_ago,
                {"compound": compound.name, "priority": chance.choice(list(Priority.values))},
            )
            if new:
                lead_kind = categories[category].lead_kind
                serving = Organization.objects.available_to(area)
                lead = (
                    organizations["陆家嘴街道城管执法中队"]
                    if category == "违法建筑"
                    else serving.filter(kind=lead_kind, area=area).first()
                )
                assisting = list(
                    serving.filter(
                        kind__in=categories[category].assisting_kinds, area=area
                    ).exclude(pk=getattr(lead, "pk", None))[:2]
                )
                _play(
                    case,
                    final,
                    {"secretary": secretaries[slug], "liaison": liaison},
                    lead,
                    assisting,
                    case.created_at,
                    {},
                )
            number += 1
    stdout_write(
        f"  {len(categories)} categories, {len(indicators)} indicators, {created} new cases "
        f"({Case.objects.filter(street=street).count()} in all), liaison login chengguan"
    )
    return created
