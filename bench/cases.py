"""Benchmark of the case workbench at a million cases (not a test: run it by hand).

It fills a PostgreSQL database whose name ends in ``_bench`` with one street of 30 residential
areas, its organisations and 1,000,000 cases (lead and assisting parties, about 3 updates per
case, one history row per case and party), then times the workbench pages in-process with
``django.test.Client``, as a street-staff user (sees every case) and as an area secretary (sees
one area): p50 and p95 server time and the number of queries of each page.

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lujiazui_bench DJANGO_DEBUG=false \\
    DJANGO_SECRET_KEY=bench-only-key DJANGO_ALLOWED_HOSTS=testserver \\
    .venv/bin/python bench/cases.py [--cases 1000000] [--requests 30] [--keep] [--refill]

A database that already holds the requested number of cases is measured without refilling
(``--refill`` forces a new fill). Without ``--keep`` the database is dropped at the end.
The results table is printed and written into bench/README.md between the result markers.
"""

import argparse
import datetime
import math
import os
import platform
import re
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lujiazui.settings")
# The test client speaks plain HTTP in this process: no redirect to HTTPS (DEBUG off turns it on).
os.environ.setdefault("DJANGO_HTTPS", "false")

import django  # noqa: E402

django.setup()
# WhiteNoise warns once that collectstatic has not run; the pages are timed without it.
warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg import sql  # noqa: E402

from governance.models import (  # noqa: E402
    Case,
    CaseNumberSequence,
    CaseParty,
    CaseUpdate,
    Category,
    CategoryReplyTemplate,
    Channel,
    Organization,
    OrganizationKind,
    Post,
    PostTitle,
    Priority,
)
from residents.models import Compound, Person, ResidentialArea, Role, Street, User  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"
TARGET_MS = 100.0
WARMUP = 3
BATCH = 100_000
YEARS = 3
RECENT_DAYS = 60  # cases younger than this are mostly still open

K = OrganizationKind
STREET = {"code": "BEN", "name": "基准街道", "slug": "bench", "district": "浦东新区"}
AREA_NAMES = [
    "崂山", "乳山", "市新", "梅园", "东昌", "福山", "源深", "浦城", "东园", "潍坊",
    "泰东", "崂山东", "张家浜", "松山", "南泉", "竹园", "仁恒", "滨江", "银杏", "金杨",
    "荣成", "栖山", "牡丹", "紫薇", "梅花", "海防", "桃林", "文登", "招远", "陆家嘴",
]  # fmt: skip
COMPOUND_SUFFIXES = ["一村", "二村"]
REGIONAL_UNITS = ["基准街道城管执法中队", "基准街道派出所", "基准街道市场监督管理所"]
SECRETARY_AREA = 0  # index in AREA_NAMES of the area the secretary works for

# name, English name, target days, lead kind, assisting kind, share of cases in %,
# four title endings, three descriptions. Only the first category mentions 钢瓶: a search for it
# matches 5 % of the cases.
CATEGORIES = [
    (
        "液化气钢瓶", "LPG cylinders", 30, K.PARTY, K.RESIDENTS_COMMITTEE, 5,
        ["液化气钢瓶清理", "仍有居民使用液化气钢瓶", "楼道内存放液化气钢瓶", "液化气钢瓶安全隐患"],
        [
            "有居民仍在使用液化气钢瓶，存在安全隐患，需逐户排摸并推动管道燃气接入。",
            "楼道内发现存放的钢瓶，需尽快回收并登记。",
            "居民反映邻居家中存放多只钢瓶，担心发生危险。",
        ],
    ),
    (
        "垃圾混堆点", "Mixed garbage point", 7, K.PROPERTY_COMPANY, K.RESIDENTS_COMMITTEE, 18,
        ["垃圾混堆点", "装修垃圾与生活垃圾混堆", "垃圾厢房周边堆放杂物", "绿化带内垃圾堆积"],
        [
            "装修垃圾与生活垃圾长期混堆，气味大，影响通行。",
            "垃圾厢房外堆满纸板和旧家具，清运不及时。",
            "绿化带内有人倾倒建筑垃圾，需清运并设置提示牌。",
        ],
    ),
    (
        "楼道堆物", "Corridor clutter", 10, K.PARTY, K.PROPERTY_COMPANY, 20,
        ["楼道堆物", "消防通道被杂物占用", "楼梯间堆放旧家具", "楼道内停放电动车"],
        [
            "楼道内长期堆放纸箱和旧家具，堵塞消防通道。",
            "有居民在楼梯间停放电动自行车并充电，存在火灾隐患。",
            "楼组长反映多户居民在楼道堆物，劝导无效。",
        ],
    ),
    (
        "停车管理", "Parking", 14, K.PROPERTY_COMPANY, K.OWNERS_COMMITTEE, 20,
        ["停车难", "车辆占用消防通道", "非机动车乱停放", "外来车辆长期占位"],
        [
            "晚间车辆停放在消防通道上，救护车无法进入。",
            "非机动车停放无序，占用人行道。",
            "外来车辆长期占用小区车位，业主无处停车。",
        ],
    ),
    (
        "违法建筑", "Illegal construction", 60, K.REGIONAL_UNIT, K.RESIDENTS_COMMITTEE, 7,
        ["违章搭建", "底层天井搭建阳光房", "屋顶加建", "占用公共绿地搭建"],
        [
            "底层住户在天井内违法搭建阳光房，影响相邻住户采光。",
            "顶层住户在屋顶加建房屋，存在结构安全隐患。",
            "有人占用公共绿地搭建棚屋，居民多次投诉。",
        ],
    ),
    (
        "设施维修", "Repairs", 14, K.PROPERTY_COMPANY, K.OWNERS_COMMITTEE, 15,
        ["电梯故障", "路灯不亮", "雨水管堵塞", "单元门门禁损坏"],
        [
            "电梯频繁停运，老年居民出行困难。",
            "小区主干道路灯损坏多日，夜间出行不便。",
            "雨后积水严重，雨水管疑似堵塞。",
        ],
    ),
    (
        "业委会履职", "Owners' committee duties", 30, K.RESIDENTS_COMMITTEE, K.PARTY, 5,
        ["业委会长期未召开会议", "维修资金使用未公示", "业委会换届延迟", "物业合同续签争议"],
        [
            "多名业主反映业委会近半年未召开会议。",
            "维修资金使用情况未按规定公示，业主要求查账。",
            "业委会任期已满，换届工作迟迟未启动。",
        ],
    ),
    (
        "应急管理", "Emergency management", 3, K.RESIDENTS_COMMITTEE, K.PROPERTY_COMPANY, 10,
        ["高空坠物隐患", "外墙脱落", "树木倾斜", "地下室进水"],
        [
            "外墙面砖松动，有脱落风险，需设置警戒并抢修。",
            "台风过后树木倾斜，压住非机动车棚。",
            "暴雨导致地下室进水，需紧急排水。",
        ],
    ),
]  # fmt: skip
DESCRIPTION_TAILS = [
    "",
    "请相关方尽快处理。",
    "居民多次反映，希望尽快解决。",
    "已拍照留存，请跟进。",
]
LOCATION_SIDES = ["东侧", "西侧", "南门", "北侧"]
UPDATE_TEXTS = [
    "已现场查看并拍照。",
    "已联系物业，约定本周内处理。",
    "楼组长已上门劝导。",
    "召开三方协调会，明确分工。",
    "已电话回复居民，说明处理进度。",
    "整改进行中，下周复查。",
]
ATTENDEES = "居民区书记、居委会主任、物业项目经理、业委会主任"
# Status by age: recent cases are mostly open, older ones mostly closed; every status occurs.
STATUS_RECENT = {
    "new": 20,
    "accepted": 20,
    "in_progress": 30,
    "resolved": 14,
    "closed": 8,
    "rejected": 4,
    "reopened": 4,
}
STATUS_OLD = {
    "new": 1,
    "accepted": 2,
    "in_progress": 6,
    "resolved": 12,
    "closed": 72,
    "rejected": 5,
    "reopened": 2,
}
CHANNELS = {
    Channel.RESIDENT_REPORT: 35,
    Channel.PATROL: 25,
    Channel.HOTLINE_12345: 20,
    Channel.BUILDING_LEADER: 10,
    Channel.JOINT_DUTY_STATION: 5,
    Channel.ON_BEHALF: 5,
}
PRIORITIES = {Priority.LOW: 15, Priority.NORMAL: 60, Priority.HIGH: 20, Priority.URGENT: 5}
# The status path of a case, for the history rows of the case whose page is measured.
STATUS_PATH = ["new", "accepted", "in_progress"]


def buckets(weights: dict) -> list:
    """A list of 100 values in which each value occurs as many times as its weight."""
    values = [str(value) if isinstance(value, str) else value for value in weights]
    out = [
        value for value, weight in zip(values, weights.values(), strict=True) for _ in range(weight)
    ]
    assert len(out) == 100, weights  # noqa: S101
    return out


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to fill")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--refill", action="store_true", help="drop and fill again")
    return parser.parse_args()


# Step 1-2: the database ------------------------------------------------------------------------


def database_name() -> str:
    name = settings.DATABASES["default"]["NAME"]
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" or not str(
        name
    ).endswith("_bench"):
        sys.exit(f"Refusing to run: the database must be PostgreSQL named *_bench, not {name!r}.")
    return name


def _server():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def create_database(name: str, *, drop: bool) -> None:
    connection.close()
    with _server() as server:
        if drop:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def drop_database(name: str) -> None:
    connection.close()
    with _server() as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    print(f"dropped database {name}")


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)


def case_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {Case._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


# Step 3: the fill ------------------------------------------------------------------------------


@dataclass
class World:
    """The rows the fill refers to by id, and the two users who are measured."""

    street: Street
    areas: list[ResidentialArea]
    compounds: list[Compound]  # two per area, in area order
    categories: list[Category]
    street_staff: User
    secretary: User
    # per (category id, compound id): the lead and the assisting organisation
    parties: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


def create_world() -> World:
    """The street, its areas, compounds, organisations, categories and users, via the ORM."""
    street, _ = Street.objects.get_or_create(
        code=STREET["code"],
        defaults={k: v for k, v in STREET.items() if k != "code"},
    )
    areas, compounds, orgs = [], [], {}
    for number, short in enumerate(AREA_NAMES, start=1):
        area, _ = ResidentialArea.objects.get_or_create(
            slug=f"bench-{number:02d}",
            defaults={"street": street, "name": f"{short}居民区", "short_name": short},
        )
        areas.append(area)
        orgs[("area", area.pk, K.PARTY)] = _org(street, area, None, K.PARTY, f"{short}居民区党总支")
        orgs[("area", area.pk, K.RESIDENTS_COMMITTEE)] = _org(
            street, area, None, K.RESIDENTS_COMMITTEE, f"{short}居民区居民委员会"
        )
        for suffix in COMPOUND_SUFFIXES:
            compound, _ = Compound.objects.get_or_create(
                area=area, name=f"{short}{suffix}", defaults={"address": f"{short}路{len(short)}号"}
            )
            compounds.append(compound)
            orgs[("compound", compound.pk, K.OWNERS_COMMITTEE)] = _org(
                street, area, compound, K.OWNERS_COMMITTEE, f"{compound.name}业主委员会"
            )
            orgs[("compound", compound.pk, K.PROPERTY_COMPANY)] = _org(
                street, area, compound, K.PROPERTY_COMPANY, f"{compound.name}物业服务中心"
            )
    regional = [_org(street, None, None, K.REGIONAL_UNIT, name) for name in REGIONAL_UNITS]

    categories = []
    for name, name_en, days, lead, assisting, *_rest in CATEGORIES:
        category, created = Category.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "target_days": days,
                "lead_kind": lead,
                "assisting_kinds": [assisting],
                "checklist": "现场查看并拍照\n明确牵头方与协办方\n整改并复查",
            },
        )
        if created:
            CategoryReplyTemplate.objects.create(
                category=category, title="已受理", text="您反映的问题已受理，我们将尽快处理。"
            )
        categories.append(category)

    street_staff, _ = User.objects.get_or_create(
        username="bench-street",
        defaults={"role": Role.STREET_STAFF, "street": street, "is_staff": True},
    )
    secretary = _secretary(street, areas[SECRETARY_AREA], orgs)

    world = World(street, areas, compounds, categories, street_staff, secretary)
    for index, compound in enumerate(compounds):
        area = compound.area

        def pick(kind, compound=compound, area=area, index=index):
            if kind == K.REGIONAL_UNIT:
                return regional[index % len(regional)]
            return orgs.get(("compound", compound.pk, kind)) or orgs[("area", area.pk, kind)]

        for category, spec in zip(categories, CATEGORIES, strict=True):
            lead, assisting = pick(spec[3]), pick(spec[4])
            world.parties[(category.pk, compound.pk)] = (lead, assisting)
    return world


def _org(street, area, compound, kind, name) -> int:
    org, _ = Organization.objects.get_or_create(
        street=street,
        name=name,
        defaults={"area": area, "compound": compound, "kind": kind},
    )
    if kind in (K.OWNERS_COMMITTEE, K.PROPERTY_COMPANY) and org.term_end is None:
        org.term_start = datetime.date(2024, 1, 1)
        org.term_end = datetime.date(2029, 1, 1)
        org.save(update_fields=["term_start", "term_end"])
    return org.pk


def _secretary(street: Street, area: ResidentialArea, orgs: dict) -> User:
    """An area secretary as in the demo: a login linked to a person who holds a current post."""
    person, _ = Person.objects.get_or_create(street=street, area=area, name="张敏")
    Post.objects.get_or_create(
        person=person,
        organization_id=orgs[("area", area.pk, K.PARTY)],
        title=PostTitle.SECRETARY,
        defaults={"start_date": datetime.date(2023, 1, 1)},
    )
    user, _ = User.objects.get_or_create(
        username="bench-secretary",
        defaults={
            "role": Role.AREA_STAFF,
            "street": street,
            "person": person,
            "first_name": "张敏",
        },
    )
    user.areas.set([area])
    return user


# hashint8extended(id, seed) & MASK: a deterministic pseudo-random non-negative integer.
MASK = 2147483647

CASE_COLUMNS = [
    "id", "number", "street_id", "year", "sequence", "title", "description", "category_id",
    "area_id", "compound_id", "building_group_id", "location", "channel", "priority",
    "reporter_name", "reporter_phone", "logged_by_id", "status", "due_date", "due_date_reason",
    "closure_reason", "duplicate_of_id", "indicator_id", "created_at", "accepted_at",
    "resolved_at", "closed_at", "updated_at", "version",
]  # fmt: skip

CASES_SQL = """
WITH raw AS (
    SELECT i,
           hashint8extended(i, 1) & {mask} AS h1,
           hashint8extended(i, 2) & {mask} AS h2,
           hashint8extended(i, 3) & {mask} AS h3,
           hashint8extended(i, 4) & {mask} AS h4,
           hashint8extended(i, 5) & {mask} AS h5,
           hashint8extended(i, 6) & {mask} AS h6,
           hashint8extended(i, 7) & {mask} AS h7,
           hashint8extended(i, 8) & {mask} AS h8
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS i
), timed AS (
    SELECT raw.*,
           %(t0)s::timestamptz
               + make_interval(secs => (i - 1 + mod(h8, 900) / 1000.0) * %(step)s) AS created_at,
           mod(h1, 30)::int AS a,
           (mod(h1, 30) * 2 + mod(h1 / 30, 2))::int AS c,
           (%(cat_buckets)s::int[])[mod(h2, 100) + 1] AS k
    FROM raw
), shaped AS (
    SELECT timed.*,
           extract(year FROM created_at AT TIME ZONE %(tz)s)::int AS year,
           (created_at AT TIME ZONE %(tz)s)::date AS local_day,
           CASE WHEN created_at > %(recent)s::timestamptz
                THEN (%(status_recent)s::text[])[mod(h3, 100) + 1]
                ELSE (%(status_old)s::text[])[mod(h3, 100) + 1] END AS status
    FROM timed
), stamped AS (
    SELECT shaped.*,
           CASE WHEN status = 'new' OR (status = 'rejected' AND mod(h7, 2) = 0) THEN NULL
                ELSE LEAST(%(now)s::timestamptz,
                           created_at + make_interval(hours => 2 + mod(h6, 46)::int)) END
               AS accepted_at,
           CASE WHEN status IN ('resolved', 'closed', 'reopened')
                THEN LEAST(%(now)s::timestamptz,
                           created_at + make_interval(days => 3 + mod(h6 / 46, 30)::int)) END
               AS resolved_at
    FROM shaped
), closed AS (
    SELECT stamped.*,
           CASE WHEN status = 'closed'
                THEN LEAST(%(now)s::timestamptz, resolved_at + interval '3 days')
                WHEN status = 'rejected'
                THEN LEAST(%(now)s::timestamptz, created_at + interval '1 day') END AS closed_at
    FROM stamped
), numbered AS (
    SELECT closed.*,
           COALESCE(previous.last, 0) + row_number() OVER (PARTITION BY year ORDER BY i) AS seq
    FROM closed
    LEFT JOIN LATERAL (
        SELECT max(sequence) AS last FROM {case}
        WHERE street_id = %(street)s AND year = closed.year
    ) AS previous ON true
)
INSERT INTO {case} ({columns})
SELECT i,
       %(code)s || '-' || year || '-' || lpad(seq::text, 7, '0'),
       %(street)s, year, seq,
       (%(compound_names)s::text[])[c + 1] || (%(titles)s::text[])[k * 4 + mod(h5, 4) + 1],
       (%(descriptions)s::text[])[k * 3 + mod(h5 / 4, 3) + 1]
           || (%(tails)s::text[])[mod(h5 / 12, 4) + 1],
       (%(category_ids)s::bigint[])[k + 1],
       (%(area_ids)s::bigint[])[a + 1],
       (%(compound_ids)s::bigint[])[c + 1],
       NULL,
       (%(compound_names)s::text[])[c + 1] || (mod(h6, 40) + 1) || '号楼'
           || (%(sides)s::text[])[mod(h6 / 40, 4) + 1],
       (%(channels)s::text[])[mod(h4, 100) + 1],
       (%(priorities)s::int[])[mod(h4 / 100, 100) + 1],
       '', '',
       CASE WHEN a = %(secretary_area)s THEN %(secretary)s ELSE %(staff)s END,
       status,
       local_day + (7 + mod(h7 / 2, 54))::int,
       '',
       CASE WHEN status = 'rejected'
            THEN CASE WHEN mod(h8, 2) = 0 THEN 'not_ours' ELSE 'no_action' END
            ELSE '' END,
       NULL, NULL,
       created_at, accepted_at, resolved_at, closed_at,
       GREATEST(created_at, accepted_at, resolved_at, closed_at),
       1
FROM numbered
"""

PARTIES_SQL = """
INSERT INTO {party} (case_id, organization_id, role, added_at)
SELECT c.id, m.lead_id, 'lead', c.created_at
FROM {case} AS c
JOIN unnest(%(m_category)s::bigint[], %(m_compound)s::bigint[], %(m_lead)s::bigint[])
    AS m(category_id, compound_id, lead_id)
    ON m.category_id = c.category_id AND m.compound_id = c.compound_id
WHERE c.id BETWEEN %(first)s AND %(last)s
UNION ALL
SELECT c.id, m.assisting_id, 'assisting', c.created_at + interval '1 hour'
FROM {case} AS c
JOIN unnest(%(m_category)s::bigint[], %(m_compound)s::bigint[], %(m_assisting)s::bigint[])
    AS m(category_id, compound_id, assisting_id)
    ON m.category_id = c.category_id AND m.compound_id = c.compound_id
WHERE c.id BETWEEN %(first)s AND %(last)s AND mod((hashint8extended(c.id, 11) & {mask}), 2) = 0
"""

# 1 to 5 updates per case (3 on average): the first is the logging, the others notes and
# meetings of the lead party, a day or more apart.
UPDATES_SQL = """
INSERT INTO {update}
    (case_id, author_id, party_id, kind, text, is_public, attendees, from_status, to_status,
     satisfaction, created_at)
SELECT c.id, c.logged_by_id,
       CASE WHEN n = 1 THEN NULL ELSE p.organization_id END,
       CASE WHEN n = 1 THEN 'transition' WHEN mod(c.id + n, 4) = 0 THEN 'meeting' ELSE 'note' END,
       CASE WHEN n = 1 THEN '案件已登记。'
            ELSE (%(texts)s::text[])[mod(c.id + n, 6)::int + 1] END,
       mod(c.id + n, 3) = 0,
       CASE WHEN n > 1 AND mod(c.id + n, 4) = 0 THEN %(attendees)s ELSE '' END,
       '',
       CASE WHEN n = 1 THEN 'new' ELSE '' END,
       '',
       LEAST(%(now)s::timestamptz,
             c.created_at + make_interval(days => (n - 1) * 2, hours => n - 1))
FROM {case} AS c
JOIN {party} AS p ON p.case_id = c.id AND p.role = 'lead'
CROSS JOIN LATERAL generate_series(1, 1 + mod((hashint8extended(c.id, 10) & {mask}), 5)::int) AS n
WHERE c.id BETWEEN %(first)s AND %(last)s
"""


def _history_sql(model, historical, initial: dict[str, str], where: str) -> str:
    """INSERT the creation ('+') history row of each row, with ``initial`` overriding columns."""
    source = {f.column for f in model._meta.concrete_fields}
    columns, values = [], []
    for f in historical._meta.concrete_fields:
        if f.column == "history_id":
            continue
        value = (
            {
                "history_date": "t.created_at" if "created_at" in source else "t.added_at",
                "history_change_reason": "NULL",
                "history_type": "'+'",
                "history_user_id": "t.history_user",
            }.get(f.column)
            or initial.get(f.column)
            or (f"t.{f.column}" if f.column in source else "")
        )
        if not value:
            raise SystemExit(f"bench: no value for {historical._meta.db_table}.{f.column}")
        columns.append(f.column)
        values.append(value)
    return (
        f"INSERT INTO {historical._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM ({where}) AS t"
    )


def check_columns() -> None:
    """Stop with a clear message if Case gained a required column the fill does not write."""
    missing = [
        f.column for f in Case._meta.concrete_fields if f.column not in CASE_COLUMNS and not f.null
    ]
    if missing:
        sys.exit(
            f"bench: Case has new columns the fill does not write: {missing}; adapt CASES_SQL."
        )


def fill(world: World, total: int) -> float:
    """Insert the cases, parties, updates and history rows in batches; returns the seconds."""
    check_columns()
    tables = {
        "case": Case._meta.db_table,
        "party": CaseParty._meta.db_table,
        "update": CaseUpdate._meta.db_table,
    }
    now = timezone.now().replace(microsecond=0)
    t0 = now - datetime.timedelta(days=365 * YEARS)
    step = (now - t0 - datetime.timedelta(minutes=1)).total_seconds() / total
    cat_buckets = [i for i, spec in enumerate(CATEGORIES) for _ in range(spec[5])]
    assert len(cat_buckets) == 100  # noqa: S101
    params = {
        "t0": t0,
        "now": now,
        "step": step,
        "tz": settings.TIME_ZONE,
        "recent": now - datetime.timedelta(days=RECENT_DAYS),
        "street": world.street.pk,
        "code": world.street.code,
        "cat_buckets": cat_buckets,
        "status_recent": buckets(STATUS_RECENT),
        "status_old": buckets(STATUS_OLD),
        "channels": buckets(CHANNELS),
        "priorities": [int(p) for p in buckets(PRIORITIES)],
        "category_ids": [c.pk for c in world.categories],
        "area_ids": [a.pk for a in world.areas],
        "compound_ids": [c.pk for c in world.compounds],
        "compound_names": [c.name for c in world.compounds],
        "titles": [title for spec in CATEGORIES for title in spec[6]],
        "descriptions": [text for spec in CATEGORIES for text in spec[7]],
        "tails": DESCRIPTION_TAILS,
        "sides": LOCATION_SIDES,
        "secretary_area": SECRETARY_AREA,
        "secretary": world.secretary.pk,
        "staff": world.street_staff.pk,
        "m_category": [key[0] for key in world.parties],
        "m_compound": [key[1] for key in world.parties],
        "m_lead": [value[0] for value in world.parties.values()],
        "m_assisting": [value[1] for value in world.parties.values()],
        "texts": UPDATE_TEXTS,
        "attendees": ATTENDEES,
    }
    case_history = _history_sql(
        Case,
        Case.history.model,
        {
            "status": "'new'",
            "version": "1",
            "accepted_at": "NULL",
            "resolved_at": "NULL",
            "closed_at": "NULL",
            "closure_reason": "''",
        },
        f"SELECT *, logged_by_id AS history_user FROM {tables['case']} "  # noqa: S608
        "WHERE id BETWEEN %(first)s AND %(last)s",
    )
    party_history = _history_sql(
        CaseParty,
        CaseParty.history.model,
        {},
        f"SELECT p.*, c.logged_by_id AS history_user FROM {tables['party']} AS p "  # noqa: S608
        f"JOIN {tables['case']} AS c ON c.id = p.case_id "
        "WHERE p.case_id BETWEEN %(first)s AND %(last)s",
    )
    statements = [
        ("cases", CASES_SQL.format(columns=", ".join(CASE_COLUMNS), mask=MASK, **tables)),
        ("parties", PARTIES_SQL.format(mask=MASK, **tables)),
        ("updates", UPDATES_SQL.format(mask=MASK, **tables)),
        ("case history", case_history),
        ("party history", party_history),
    ]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    for first in range(1, total + 1, BATCH):
        last = min(first + BATCH - 1, total)
        batch_started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            rows = {}
            for name, statement in statements:
                cursor.execute(statement, {**params, "first": first, "last": last})
                rows[name] = cursor.rowcount
        detail = ", ".join(f"{n} {r}" for n, r in rows.items() if n != "cases")
        print(
            f"cases {last}/{total}  ({detail}; {time.perf_counter() - batch_started:.1f} s)",
            flush=True,
        )
    finish_fill(world)
    seconds = time.perf_counter() - started
    print(f"filled {total} cases in {seconds:.0f} s", flush=True)
    return seconds


def rebuild_kept_figures(*, only_if_missing: bool = False) -> float:
    """The raw fill bypasses the case services, so what they keep is computed from the cases
    here: the counts per status (``recount_cases``) and the dashboard's monthly sums
    (``rebuild_case_sums``). With ``only_if_missing``, only when there are no monthly sums yet
    (a database filled before they existed). Returns the seconds the monthly sums took."""
    from governance.models import CaseMonth

    if only_if_missing and CaseMonth.objects.exists():
        return 0.0
    call_command("recount_cases", stdout=sys.stdout)
    started = time.perf_counter()
    call_command("rebuild_case_sums", stdout=sys.stdout)
    seconds = time.perf_counter() - started
    print(f"monthly sums rebuilt in {seconds:.1f} s", flush=True)
    return seconds


def finish_fill(world: World) -> None:
    """Identity and number sequences after the explicit ids, then VACUUM ANALYZE."""
    case_table = Case._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{case_table}', 'id'), "  # noqa: S608
            f"(SELECT max(id) FROM {case_table}))"
        )
        cursor.execute(
            f"SELECT year, max(sequence) FROM {case_table} "  # noqa: S608
            "WHERE street_id = %s GROUP BY year",
            [world.street.pk],
        )
        for year, last in cursor.fetchall():
            CaseNumberSequence.objects.update_or_create(
                street=world.street, year=year, defaults={"last": last}
            )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s", flush=True)


def detail_case(world: World) -> Case:
    """The newest in-progress case of the secretary's area with 5 updates, given a history row
    per status change (as the services would have written), so its page shows a full timeline."""
    case = (
        Case.objects.filter(area=world.areas[SECRETARY_AREA], status="in_progress")
        .annotate(n_updates=Count("updates"))
        .filter(n_updates=5)
        .order_by("-created_at")
        .first()
    )
    if case is None:
        sys.exit("bench: no in-progress case with 5 updates in the secretary's area")
    history = Case.history.model
    if not history.objects.filter(id=case.pk, history_type="~").exists():
        record = history.objects.filter(id=case.pk).order_by("history_date").first()
        for version, status in enumerate(STATUS_PATH[1:], start=2):
            record.history_id = None
            record.history_type = "~"
            record.status = status
            record.version = version
            record.history_date = case.created_at + datetime.timedelta(days=version - 1)
            record.accepted_at = case.accepted_at
            record.save()
        Case.objects.filter(pk=case.pk).update(version=len(STATUS_PATH))
    return case


# Step 4: the measurement -----------------------------------------------------------------------


@dataclass
class Result:
    page: str
    user: str
    times: list[float]  # milliseconds
    counts: list[int]
    slowest_sql: str
    slowest_ms: float
    plan: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return percentile(self.times, 95)

    @property
    def queries(self) -> str:
        low, high = min(self.counts), max(self.counts)
        return str(low) if low == high else f"{low} to {high} (varied)"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: of 30 values, p95 is the second slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def pages(case: Case) -> list[tuple[str, str, dict]]:
    cases = reverse("governance:case_list")
    return [
        ("first page", cases, {}),
        ("status filter", cases, {"status": "in_progress"}),
        ("text search 钢瓶", cases, {"q": "钢瓶"}),
        ("sorted by due date", cases, {"sort": "due"}),
        ("case detail", case.get_absolute_url(), {}),
    ]


def admin_pages() -> list[tuple[str, str, dict]]:
    """The admin's case list, for street staff only (secretaries have no admin)."""
    changelist = reverse("admin:governance_case_changelist")
    return [
        ("admin list", changelist, {}),
        ("admin list, overdue", changelist, {"overdue": "yes"}),
    ]


def time_page(client: Client, path: str, data: dict, requests: int) -> tuple:
    for _ in range(WARMUP):
        response = client.get(path, data)
        if response.status_code != 200:
            sys.exit(f"bench: {path} {data} answered {response.status_code}")
    times, counts, per_query = [], [], {}
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path, data)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            sys.exit(f"bench: {path} {data} answered {response.status_code}")
        times.append(elapsed * 1000)
        counts.append(len(queries.captured_queries))
        for index, query in enumerate(queries.captured_queries):
            per_query.setdefault(index, []).append(float(query["time"]) * 1000)
    # The slowest query: the one whose median time over the requests is the largest.
    index = max(per_query, key=lambda i: statistics.median(per_query[i]))
    return (
        times,
        counts,
        queries.captured_queries[index]["sql"],
        statistics.median(per_query[index]),
    )


def measure(world: World, case: Case, requests: int) -> list[Result]:
    results = []
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The manifest storage of DEBUG=false needs collectstatic; the pages are timed without it.
    # Every page is rendered (the page cache off): what is kept is measured by bench/load.py.
    with override_settings(STORAGES=plain_static, PAGE_CACHE_SECONDS=0):
        for label, user in (("street staff", world.street_staff), ("secretary", world.secretary)):
            visible = Case.objects.visible_to(user).count()
            print(f"{label} ({user.username}) sees {visible} cases", flush=True)
            client = Client()
            client.force_login(user)
            extra = admin_pages() if user.is_staff else []
            for page, path, data in pages(case) + extra:
                times, counts, slowest, slowest_ms = time_page(client, path, data, requests)
                result = Result(page, label, times, counts, slowest, slowest_ms)
                print(
                    f"  {page:<20} p50 {result.p50:7.1f} ms  p95 {result.p95:7.1f} ms  "
                    f"queries {result.queries}  (slowest query {slowest_ms:.1f} ms)",
                    flush=True,
                )
                results.append(result)
    return results


def explain(results: list[Result]) -> None:
    """EXPLAIN ANALYZE the slowest query of every page over the target."""
    for result in results:
        if result.p95 < TARGET_MS:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + result.slowest_sql)
            result.plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n### {result.page}, {result.user}: p95 {result.p95:.1f} ms")
        print(f"slowest query ({result.slowest_ms:.1f} ms):\n{result.slowest_sql}\n")
        print(result.plan, flush=True)


# Step 5: the report ----------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    lines = [
        "| Page | User | p50 ms | p95 ms | Queries | Slowest query ms | p95 < 100 ms |",
        "|---|---|---:|---:|---:|---:|:---:|",
    ]
    for r in results:
        verdict = "yes" if r.p95 < TARGET_MS else "**no**"
        lines.append(
            f"| {r.page} | {r.user} | {r.p50:.1f} | {r.p95:.1f} | {r.queries} "
            f"| {r.slowest_ms:.1f} | {verdict} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, str]:
    meminfo = dict(
        re.match(r"(\w+):\s+(\d+)", line).groups()
        for line in Path("/proc/meminfo").read_text().splitlines()
        if re.match(r"(\w+):\s+(\d+)", line)
    )
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SELECT current_setting('shared_buffers'), current_setting('work_mem')")
        shared_buffers, work_mem = cursor.fetchone()
    gib = 1024 * 1024
    return {
        "CPU": f"{os.cpu_count()} cores (nproc), {model.group(1) if model else platform.machine()}",
        "Memory": (
            f"{int(meminfo['MemTotal']) / gib:.1f} GiB total, "
            f"{int(meminfo['MemAvailable']) / gib:.1f} GiB available (free -h), no swap"
            if meminfo.get("SwapTotal") == "0"
            else f"{int(meminfo['MemTotal']) / gib:.1f} GiB total"
        ),
        "PostgreSQL": f"{postgres} (shared_buffers {shared_buffers}, work_mem {work_mem}), "
        "on the same machine",
        "Software": f"Python {platform.python_version()}, Django {django.get_version()}",
        # Other work on the machine slows every figure: the load when the results were written.
        "Load average": "{:.1f} {:.1f} {:.1f} (1, 5, 15 min, uptime)".format(*os.getloadavg()),
    }


def fill_note(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        return cursor.fetchone()[0] or ""


def remember_fill(name: str, note: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}")
            .format(sql.Identifier(name), sql.Literal(note))
            .as_string(None)
        )


def report(results: list[Result], *, total: int, requests: int, note: str) -> str:
    info = machine()
    lines = [
        f"Run of {timezone.localtime():%Y-%m-%d %H:%M} (Asia/Shanghai): {total:,} cases, "
        f"{WARMUP} warm-up and {requests} timed requests per page. {note}",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        table(results),
    ]
    return "\n".join(lines)


def write_readme(block: str) -> None:
    """Replace the results between the markers of bench/README.md (the prose stays)."""
    text = README.read_text() if README.exists() else ""
    new = f"{RESULTS_START}\n{block}\n{RESULTS_END}"
    if RESULTS_START in text and RESULTS_END in text:
        before, rest = text.split(RESULTS_START, 1)
        text = before + new + rest.split(RESULTS_END, 1)[1]
    else:
        text = f"# Case workbench benchmark\n\nSee bench/cases.py.\n\n## Results\n\n{new}\n"
    README.write_text(text)


def main() -> None:
    args = parse_args()
    name = database_name()
    create_database(name, drop=args.refill)
    migrate()
    count = case_count()
    note = fill_note(name) if count else ""
    if count and (count != args.cases or not note):
        print(f"{name} holds {count} cases, not a complete fill of {args.cases}: filling again")
        create_database(name, drop=True)
        migrate()
        count = 0
    world = create_world()
    if count:
        print(f"{name} already holds {count} cases ({note}): measuring without refilling")
    else:
        seconds = fill(world, args.cases)
        note = (
            f"Filled on {timezone.localdate():%Y-%m-%d} in {seconds / 60:.1f} min "
            "(INSERT ... SELECT FROM generate_series, then VACUUM ANALYZE)."
        )
        remember_fill(name, note)
    rebuild_kept_figures()  # the raw fill bypassed the services that keep counts and sums
    case = detail_case(world)
    print(f"detail page: {case.number}", flush=True)
    results = measure(world, case, args.requests)
    explain(results)
    block = report(results, total=args.cases, requests=args.requests, note=note)
    print("\n" + block)
    write_readme(block)
    print(f"\nwrote {README.relative_to(ROOT)}")
    if not args.keep:
        drop_database(name)


if __name__ == "__main__":
    main()
