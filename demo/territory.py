"""Demo territory of Lujiazui Street: areas, compounds, building groups and logins."""

from residents.models import BuildingGroup, Compound, ResidentialArea, Role, Street, User

DEMO_PASSWORD = "demo-pass-2026"

AREAS = [
    # slug, name, short name, description (the portal's own words)
    (
        "laosan",
        "崂三居民区",
        "崂三",
        "老旧小区较多，依靠党组织与三驾马车交叉任职、多方协同破解治理难题。",
    ),
    ("shixin", "市新居民区", "市新", "与驻区单位党建联建，引入执法、场地与志愿资源共建美丽家园。"),
    ("ruwu", "乳五居民区", "乳五", "把党建工作做到楼组一级，楼组党小组带动楼组自治。"),
    ("dongyi", "东一居民区", "东一", "依托联勤联动站，把问题及时派给能解决它的一方。"),
    ("renheng", "仁恒居民区", "仁恒", "中外居民混居的国际化社区，以党建品牌凝聚各方。"),
]
COMPOUNDS = {
    "laosan": [("崂山三村", "崂山路")],
    "shixin": [("市新小区", "浦城路"), ("浦城公寓", "浦城路")],
    "ruwu": [("乳山五村", "乳山路")],
    "dongyi": [("东园一村", "东昌路")],
    "renheng": [("仁恒滨江园", "陆家嘴环路")],
}
BUILDING_GROUPS = {
    "崂山三村": ["1号楼", "2号楼", "3号楼"],
    "乳山五村": ["1号楼", "2号楼", "3号楼", "4号楼", "5号楼", "6号楼"],
    "东园一村": ["8号楼", "9号楼"],
}


def load(stdout_write=lambda message: None) -> Street:
    """Create or update the demo street; running it again changes no row count."""
    street, _ = Street.objects.update_or_create(
        slug="lujiazui", defaults={"name": "陆家嘴街道", "code": "LJZ", "district": "浦东新区"}
    )
    for slug, name, short_name, description in AREAS:
        area, _ = ResidentialArea.objects.update_or_create(
            slug=slug,
            defaults={
                "street": street,
                "name": name,
                "short_name": short_name,
                "description": description,
            },
        )
        for compound_name, address in COMPOUNDS[slug]:
            compound, _ = Compound.objects.update_or_create(
                area=area, name=compound_name, defaults={"address": address}
            )
            for group_name in BUILDING_GROUPS.get(compound_name, []):
                BuildingGroup.objects.get_or_create(compound=compound, name=group_name)
    stdout_write(f"  {street.name}: {len(AREAS)} areas")
    return street


def load_logins(street: Street, secretaries: dict[str, object]) -> list[str]:
    """The demo logins: ``admin`` for the street office and one secretary per area."""
    admin, _ = User.objects.update_or_create(
        username="admin",
        defaults={
            "role": Role.STREET_STAFF,
            "street": street,
            "is_staff": True,
            "is_superuser": True,
            "first_name": "街道管理员",
        },
    )
    admin.set_password(DEMO_PASSWORD)
    admin.save(update_fields=["password"])
    usernames = ["admin"]
    for area in ResidentialArea.objects.filter(street=street, slug__in=[a[0] for a in AREAS]):
        person = secretaries.get(area.slug)
        user, _ = User.objects.update_or_create(
            username=area.slug,
            defaults={
                "role": Role.AREA_STAFF,
                "street": street,
                "is_staff": False,
                "is_superuser": False,
                "person": person,
                "first_name": person.name if person else "",
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.areas.set([area])
        usernames.append(user.username)
    return usernames
