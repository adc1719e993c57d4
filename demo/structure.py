"""Demo 1+3+N structure of Lujiazui Street's five areas, with posts and agreements.

Terms are set relative to today so that the demo always shows one owners' committee term about
to expire and one already expired. People and phone numbers are invented.
"""

import datetime

from django.utils import timezone

from governance.models import Agreement, Organization, OrganizationKind, Post, PostTitle
from residents.models import BuildingGroup, Compound, Person, ResidentialArea, Street

K = OrganizationKind
T = PostTitle

# name, kind, area slug or None (street-wide), compound, parent, building group,
# days from today to the end of the term or contract (None: no term)
ORGANIZATIONS = [
    ("崂三居民区党总支", K.PARTY, "laosan", None, None, None, None),
    ("崂三居民区第一党支部", K.PARTY, "laosan", None, "崂三居民区党总支", None, None),
    ("崂三居民区第二党支部", K.PARTY, "laosan", None, "崂三居民区党总支", None, None),
    ("崂三居民区居民委员会", K.RESIDENTS_COMMITTEE, "laosan", None, None, None, None),
    ("崂山三村业主委员会", K.OWNERS_COMMITTEE, "laosan", "崂山三村", None, None, 45),
    ("崂山三村物业服务中心", K.PROPERTY_COMPANY, "laosan", "崂山三村", None, None, 400),
    ("崂三平安志愿者队", K.VOLUNTEER_TEAM, "laosan", None, None, None, None),
    ("市新居民区党总支", K.PARTY, "shixin", None, None, None, None),
    ("市新居民区居民委员会", K.RESIDENTS_COMMITTEE, "shixin", None, None, None, None),
    ("市新小区业主委员会", K.OWNERS_COMMITTEE, "shixin", "市新小区", None, None, 700),
    ("市新小区物业服务中心", K.PROPERTY_COMPANY, "shixin", "市新小区", None, None, 300),
    ("浦城公寓物业服务中心", K.PROPERTY_COMPANY, "shixin", "浦城公寓", None, None, 150),
    ("浦江银行陆家嘴支行", K.REGIONAL_UNIT, "shixin", None, None, None, None),
    ("乳五居民区党总支", K.PARTY, "ruwu", None, None, None, None),
    ("乳山五村1号楼党小组", K.PARTY, "ruwu", None, "乳五居民区党总支", "1号楼", None),
    ("乳山五村3号楼党小组", K.PARTY, "ruwu", None, "乳五居民区党总支", "3号楼", None),
    ("乳山五村5号楼党小组", K.PARTY, "ruwu", None, "乳五居民区党总支", "5号楼", None),
    ("乳五居民区居民委员会", K.RESIDENTS_COMMITTEE, "ruwu", None, None, None, None),
    ("乳山五村业主委员会", K.OWNERS_COMMITTEE, "ruwu", "乳山五村", None, None, 900),
    ("乳山五村物业服务中心", K.PROPERTY_COMPANY, "ruwu", "乳山五村", None, None, 80),
    ("东一居民区党总支", K.PARTY, "dongyi", None, None, None, None),
    ("东一居民区居民委员会", K.RESIDENTS_COMMITTEE, "dongyi", None, None, None, None),
    ("东园一村业主委员会", K.OWNERS_COMMITTEE, "dongyi", "东园一村", None, None, -20),
    ("东园一村物业服务中心", K.PROPERTY_COMPANY, "dongyi", "东园一村", None, None, 500),
    ("仁恒居民区党支部", K.PARTY, "renheng", None, None, None, None),
    ("仁恒居民区居民委员会", K.RESIDENTS_COMMITTEE, "renheng", None, None, None, None),
    ("仁恒滨江园业主委员会", K.OWNERS_COMMITTEE, "renheng", "仁恒滨江园", None, None, 1200),
    ("仁恒滨江园物业服务中心", K.PROPERTY_COMPANY, "renheng", "仁恒滨江园", None, None, 600),
    ("地球村志愿服务社", K.SOCIAL_ORGANIZATION, "renheng", None, None, None, None),
    ("陆家嘴街道城管执法中队", K.REGIONAL_UNIT, None, None, None, None, None),
    ("陆家嘴社区卫生服务中心", K.REGIONAL_UNIT, None, None, None, None, None),
    ("陆家嘴街道妇女联合会", K.MASS_ORGANIZATION, None, None, None, None, None),
]

# person, area slug (None: street office), phone, [(organisation, title, part-time, start)]
PEOPLE = [
    (
        "赵子正",
        "laosan",
        "13800000101",
        [
            ("崂三居民区党总支", T.SECRETARY, False, "2019-03-01"),
            ("崂三居民区居民委员会", T.DIRECTOR, False, "2021-01-15"),
        ],
    ),
    (
        "钱立群",
        "laosan",
        "13800000102",
        [
            ("崂三居民区党总支", T.COMMITTEE_MEMBER, False, "2021-01-15"),
            ("崂山三村业主委员会", T.COMMITTEE_MEMBER, False, "2021-12-20"),
        ],
    ),
    (
        "孙美华",
        "laosan",
        "13800000103",
        [
            ("崂三居民区党总支", T.COMMITTEE_MEMBER, True, "2022-04-01"),
            ("崂山三村物业服务中心", T.PROJECT_MANAGER, False, "2020-07-01"),
        ],
    ),
    ("李建国", "laosan", "13800000104", [("崂山三村业主委员会", T.DIRECTOR, False, "2021-12-20")]),
    ("周文", "laosan", "13800000105", [("崂三居民区第一党支部", T.SECRETARY, False, "2021-01-15")]),
    ("吴静", "laosan", "13800000106", [("崂三居民区第二党支部", T.SECRETARY, False, "2021-01-15")]),
    ("郑伟", "laosan", "13800000107", [("崂三平安志愿者队", T.GROUP_LEADER, False, "2022-05-01")]),
    (
        "李娟",
        "shixin",
        "13800000201",
        [
            ("市新居民区党总支", T.SECRETARY, False, "2018-06-01"),
            ("市新居民区居民委员会", T.DIRECTOR, False, "2021-01-15"),
        ],
    ),
    (
        "王海",
        "shixin",
        "13800000202",
        [
            ("陆家嘴街道城管执法中队", T.LIAISON, False, "2020-03-01"),
            ("市新居民区党总支", T.DEPUTY_SECRETARY, True, "2022-01-10"),
        ],
    ),
    (
        "陈晨",
        "shixin",
        "13800000203",
        [
            ("浦江银行陆家嘴支行", T.DIRECTOR, False, "2019-09-01"),
            ("市新居民区党总支", T.DEPUTY_SECRETARY, True, "2023-02-01"),
        ],
    ),
    ("冯强", "shixin", "13800000204", [("市新小区业主委员会", T.DIRECTOR, False, "2024-11-01")]),
    (
        "褚磊",
        "shixin",
        "13800000205",
        [("市新小区物业服务中心", T.PROJECT_MANAGER, False, "2022-08-01")],
    ),
    (
        "卫红",
        "shixin",
        "13800000206",
        [("浦城公寓物业服务中心", T.PROJECT_MANAGER, False, "2023-03-01")],
    ),
    ("沈庆", "ruwu", "13800000301", [("乳五居民区党总支", T.SECRETARY, False, "2020-05-01")]),
    ("韩梅", "ruwu", "13800000302", [("乳山五村1号楼党小组", T.GROUP_LEADER, False, "2021-06-01")]),
    ("杨帆", "ruwu", "13800000303", [("乳山五村3号楼党小组", T.GROUP_LEADER, False, "2021-06-01")]),
    ("朱丽", "ruwu", "13800000304", [("乳山五村5号楼党小组", T.GROUP_LEADER, False, "2022-03-01")]),
    (
        "秦雪",
        "ruwu",
        "13800000305",
        [
            ("乳五居民区居民委员会", T.DIRECTOR, False, "2021-01-15"),
            ("乳五居民区党总支", T.DEPUTY_SECRETARY, False, "2021-01-15"),
        ],
    ),
    ("许涛", "ruwu", "13800000306", [("乳山五村业主委员会", T.DIRECTOR, False, "2023-05-01")]),
    (
        "何平",
        "ruwu",
        "13800000307",
        [("乳山五村物业服务中心", T.PROJECT_MANAGER, False, "2021-09-01")],
    ),
    ("周海侠", "dongyi", "13800000401", [("东一居民区党总支", T.SECRETARY, False, "2019-11-01")]),
    ("吕芳", "dongyi", "13800000402", [("东一居民区居民委员会", T.DIRECTOR, False, "2021-01-15")]),
    ("施勇", "dongyi", "13800000403", [("东园一村业主委员会", T.DIRECTOR, False, "2020-10-01")]),
    (
        "张斌",
        "dongyi",
        "13800000404",
        [("东园一村物业服务中心", T.PROJECT_MANAGER, False, "2022-01-01")],
    ),
    (
        "唐佳",
        "renheng",
        "13800000501",
        [
            ("仁恒居民区党支部", T.SECRETARY, False, "2020-01-01"),
            ("仁恒居民区居民委员会", T.DIRECTOR, False, "2021-01-15"),
        ],
    ),
    ("孔丽", "renheng", "13800000502", [("地球村志愿服务社", T.DIRECTOR, False, "2021-04-01")]),
    ("曹阳", "renheng", "13800000503", [("仁恒滨江园业主委员会", T.DIRECTOR, False, "2024-06-01")]),
    (
        "严军",
        "renheng",
        "13800000504",
        [("仁恒滨江园物业服务中心", T.PROJECT_MANAGER, False, "2021-02-01")],
    ),
    ("蒋华", None, "13800000601", [("陆家嘴社区卫生服务中心", T.LIAISON, False, "2021-03-01")]),
    ("杜娟", None, "13800000602", []),
]
# Who leads which building group (楼组长).
GROUP_LEADERS = [
    ("乳山五村", "1号楼", "韩梅"),
    ("乳山五村", "3号楼", "杨帆"),
    ("乳山五村", "5号楼", "朱丽"),
]
# The secretary whose login stands for each area.
SECRETARIES = {
    "laosan": "赵子正",
    "shixin": "李娟",
    "ruwu": "沈庆",
    "dongyi": "周海侠",
    "renheng": "唐佳",
}

# partner, area, title, what the partner offers, what the area offers, start
AGREEMENTS = [
    (
        "陆家嘴街道城管执法中队",
        "shixin",
        "市新居民区—城管执法中队党建联建",
        "违法搭建和占道问题的现场执法、法规讲座",
        "执法人员的社区工作场地、居民信息沟通",
        "2024-03-01",
    ),
    (
        "浦江银行陆家嘴支行",
        "shixin",
        "市新居民区—浦江银行党建联建",
        "金融防诈讲座、活动场地、青年志愿者",
        "社区宣传阵地、志愿服务岗位",
        "2023-02-01",
    ),
    (
        "陆家嘴社区卫生服务中心",
        "laosan",
        "崂三居民区—社区卫生服务中心共建",
        "家庭医生签约、老年人健康讲座",
        "活动室与居民组织发动",
        "2023-09-01",
    ),
    (
        "陆家嘴社区卫生服务中心",
        "dongyi",
        "东一居民区—社区卫生服务中心共建",
        "慢病随访、应急救护培训",
        "联勤联动站信息共享",
        "2024-01-01",
    ),
    (
        "陆家嘴街道妇女联合会",
        "renheng",
        "仁恒居民区—街道妇联共建",
        "家庭教育讲座、巾帼志愿服务",
        "国际居民活动组织",
        "2024-05-01",
    ),
]


def load(street: Street, stdout_write=lambda message: None) -> dict[str, Person]:
    """Create or update the demo structure; returns each area's secretary for the logins."""
    today = timezone.localdate()
    areas = {area.slug: area for area in ResidentialArea.objects.filter(street=street)}
    compounds = {c.name: c for c in Compound.objects.filter(area__street=street)}
    organizations: dict[str, Organization] = {}
    for name, kind, area_slug, compound, parent, group, term_days in ORGANIZATIONS:
        term = {"term_start": None, "term_end": None}
        if term_days is not None:
            term_end = today + datetime.timedelta(days=term_days)
            term = {
                "term_start": term_end - datetime.timedelta(days=5 * 365),
                "term_end": term_end,
            }
        organizations[name], _ = Organization.objects.update_or_create(
            street=street,
            name=name,
            defaults={
                "kind": kind,
                "area": areas.get(area_slug),
                "compound": compounds.get(compound),
                "parent": organizations.get(parent),
                "building_group": (
                    BuildingGroup.objects.get(compound__area=areas[area_slug], name=group)
                    if group
                    else None
                ),
                **term,
            },
        )
    stdout_write(f"  {len(organizations)} organisations")

    people: dict[str, Person] = {}
    post_count = 0
    for name, area_slug, phone, posts in PEOPLE:
        people[name], _ = Person.objects.update_or_create(
            street=street, name=name, defaults={"area": areas.get(area_slug), "phone": phone}
        )
        for organization, title, part_time, start in posts:
            Post.objects.update_or_create(
                person=people[name],
                organization=organizations[organization],
                title=title,
                start_date=datetime.date.fromisoformat(start),
                defaults={"part_time": part_time, "end_date": None},
            )
            post_count += 1
    for compound, group, leader in GROUP_LEADERS:
        BuildingGroup.objects.filter(compound=compounds[compound], name=group).update(
            leader=people[leader]
        )
    stdout_write(f"  {len(people)} people, {post_count} posts")

    for partner, area_slug, title, partner_offers, area_offers, start in AGREEMENTS:
        start_date = datetime.date.fromisoformat(start)
        Agreement.objects.update_or_create(
            partner=organizations[partner],
            area=areas[area_slug],
            start_date=start_date,
            defaults={
                "title": title,
                "partner_offers": partner_offers,
                "area_offers": area_offers,
                "end_date": start_date.replace(year=start_date.year + 5),
            },
        )
    stdout_write(f"  {len(AGREEMENTS)} co-construction agreements")
    return {slug: people[name] for slug, name in SECRETARIES.items()}
