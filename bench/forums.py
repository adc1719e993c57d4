"""Benchmark of the public forum, practice, news and search pages (run it by hand, not a test).

It fills a PostgreSQL database whose name ends in ``_bench`` with one street of 30 areas and
about 15 years of publishing: 2,000 published forums of 8 speeches, 200 draft forums, 5,000
practices and 20,000 news items, published as ``forums.services`` leaves them (status, dates,
version 1, one Version row each, SearchEntry rows with pinyin and initials). Then it times the
public pages in-process with an anonymous ``django.test.Client``: p50, p95 and queries per page.

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lujiazui_forums_bench DJANGO_DEBUG=false \\
    DJANGO_SECRET_KEY=bench-only-key DJANGO_ALLOWED_HOSTS=testserver \\
    .venv/bin/python bench/forums.py [--requests 30] [--refill] [--drop]

A complete fill is measured again without refilling; the database is kept unless ``--drop``.
The results table is printed and written into bench/README.md between the forum markers.
"""

import argparse
import datetime
import functools
import random
import re
import statistics
import sys
import time
from pathlib import Path

# bench/ for cases.py, then the project before it: this file would shadow the forums app.
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Importing cases sets Django up; its *_bench guard and database helpers are reused.
from cases import (
    WARMUP,
    create_database,
    database_name,
    drop_database,
    fill_note,
    migrate,
    percentile,
    remember_fill,
)
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from demo.forums import TOPICS
from forums.models import (
    Attendee,
    Forum,
    NewsItem,
    Practice,
    PublicationStatus,
    ReviewState,
    SearchEntry,
    Speech,
    SpeechKind,
    Topic,
    Version,
)
from forums.search import pinyin_of
from governance.models import Category
from residents.models import ResidentialArea, Role, Street, User

README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- forums-results:start -->", "<!-- forums-results:end -->"
TARGET_MS = 200.0
YEARS, FORUMS, DRAFTS, SPEECHES, PRACTICES, NEWS = 15, 2000, 200, 8, 5000, 20000
P = PublicationStatus
STREET = {"code": "FBN", "name": "论坛基准街道", "slug": "forums-bench", "district": "浦东新区"}
AREAS = ["崂山", "乳山", "市新", "梅园", "东昌", "福山", "源深", "浦城", "东园", "潍坊", "泰东",
         "崂山东", "张家浜", "松山", "南泉", "竹园", "仁恒", "滨江", "银杏", "金杨", "荣成",
         "栖山", "牡丹", "紫薇", "梅花", "海防", "桃林", "文登", "招远", "陆家嘴"]  # fmt: skip
CATEGORIES = [("液化气钢瓶", "LPG cylinders", 30), ("垃圾混堆点", "Mixed garbage", 7),
              ("楼道堆物", "Corridor clutter", 10), ("停车管理", "Parking", 14),
              ("违法建筑", "Illegal construction", 60), ("设施维修", "Repairs", 14)]  # fmt: skip
# Word: share of bodies in % that contain it, in this sentence (no other text has the word).
KEYWORDS = {
    "钢瓶": (5, "经过多方现场协调，小区里最后几户居民的液化气钢瓶全部完成了清退。"),
    "交叉任职": (1, "居民区党组织班子成员与居委会成员交叉任职，议事决策的效率明显提高。"),
    "垃圾分类": (20, "垃圾分类实行定时定点投放，志愿者在垃圾厢房旁值守引导。"),
    "业委会": (30, "业主委员会简称业委会，按期召开会议，维修资金的使用情况每季度公示一次。"),
}
SENTENCES = """居民区党组织把居委会、物业和驻区单位的力量拧成一股绳，一起办好家门口的事。
{area}居民区每月召开一次议事会，请楼组长和居民代表共同商量小区的大事小情。
针对停车难的问题，我们先后走访了两百多户居民，听取大家的意见和建议。
志愿者队伍从最初的十几人发展到现在的一百多人，覆盖了每一个楼组。
老旧小区的加装电梯工作牵涉面广，需要一户一户地做工作。
我们把党小组建在楼组上，让党员在家门口亮身份、作表率。
驻区单位主动认领了社区的微心愿，为独居老人送去了温暖。
楼道堆物清理之后，居民们自发制定了楼组公约，互相监督。
联勤联动站把城管、派出所和市场监管的力量整合起来，问题派得准、办得快。
社区食堂开张以来，每天为三百多位老人提供午餐。
在疫情防控中，每一栋楼都有党员值守，守住了居民的安全。
我们坚持问题导向，把居民最关心的事列成清单，逐项推进、逐项销号。
社区规划师带着居民一起设计口袋公园，让闲置角落变成了休闲空间。
通过党建联建，辖区企业与居民区结成了对子，共同开展公益活动。
小区的雨污分流改造完工后，雨天积水的问题得到了根本解决。
{area}居民区的睦邻点每周开放三次，成了老人们聊天下棋的好去处。
我们探索了“自治金”项目，由居民自己提出、自己实施、自己评估。
物业服务质量测评结果向全体居民公开，接受大家的监督。
在旧改征收中，我们坚持阳光操作，把政策讲清楚、把账算明白。
外籍居民也加入了社区志愿服务，参与到社区事务中来。
街道党工委多次到居民区调研，帮助解决了一批历史遗留问题。
为了让居民少跑腿，我们把政务服务延伸到了家门口的服务站。
夜间巡逻队由居民骨干和保安组成，小区的治安状况明显好转。
我们建立了居民诉求快速响应机制，做到小事不出楼组、大事不出小区。
绿化补种方案经过三轮公示，最终得到了绝大多数居民的认可。
社区党校定期组织书记沙龙，大家在交流中取长补短。
青年突击队承担了许多急难险重的任务，成为社区治理的生力军。
非机动车充电桩建成后，楼道飞线充电的现象基本消失了。
独居老人的关爱名单每季度更新一次，确保不漏一户、不落一人。
在{area}居民区，楼组长是居民最信得过的“自己人”。
围绕美丽家园建设，我们完成了外墙修缮和屋面防水工程。
今后，我们将继续总结经验，把好的做法固化为长效机制。""".splitlines()
THEMES = ["深入推进“1+3+N”多元协同治理格局", "老旧小区综合治理", "党建引领社区微更新",
          "家门口服务体系提质增能", "美丽家园建设", "平安社区建设"]  # fmt: skip
TITLES = ["把党小组建在楼组上", "多方协同破解停车难", "联勤联动守护平安小区", "小区微更新的实践",
          "以党建联建凝聚合力", "楼道堆物整治的经验", "睦邻点里的邻里情", "志愿服务的组织与激励",
          "旧改征收中的群众工作", "老旧小区加装电梯"]  # fmt: skip
EVENTS = ["开展邻里节活动", "举行睦邻点揭牌仪式", "召开三方联席会议", "完成楼道微更新",
          "组织志愿者清洁家园", "举办社区党课"]  # fmt: skip
SOURCES = ["陆家嘴党建", "浦东党建", "浦东发布", "陆家嘴街道"]
NAMES = [s + g for s in "王李张刘陈杨黄赵吴周" for g in ["敏", "伟", "芳", "军", "静", "丽"]]
assert not any(w in s for w in KEYWORDS for s in SENTENCES + TITLES + EVENTS)  # noqa: S101


def text(rng: random.Random, low: int, high: int, area: str, keywords: bool = True) -> str:
    """Markdown paragraphs of ``low`` to ``high`` characters; each keyword at its share."""
    parts = [s for share, s in KEYWORDS.values() if keywords and rng.random() * 100 < share]
    target = rng.randint(low, high)
    while sum(map(len, parts)) < target:
        parts.append(rng.choice(SENTENCES).format(area=area))
    rng.shuffle(parts)
    return "\n\n".join("".join(parts[i : i + 4]) for i in range(0, len(parts), 4))


RUNS = re.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+")


@functools.cache
def _run_pinyin(run: str) -> tuple[str, str]:
    return pinyin_of(run)


def fast_pinyin(text: str) -> tuple[str, str]:
    """pinyin_of per run of Chinese or other characters, cached: pypinyin splits there too, so
    the result is the same (checked during the fill). Uncached, 43,000 entries take 10 minutes."""
    pairs = [_run_pinyin(run) for run in RUNS.findall(text)]
    return "".join(p for p, _ in pairs), "".join(i for _, i in pairs)


def fill() -> float:
    started, rng, now = time.perf_counter(), random.Random(2026), timezone.now()  # noqa: S311
    span = datetime.timedelta(days=365 * YEARS)

    def at(fraction: float) -> datetime.datetime:  # a time in the last YEARS years
        return now - span + span * fraction

    street = Street.objects.create(**STREET)
    areas = ResidentialArea.objects.bulk_create(
        ResidentialArea(street=street, name=f"{a}居民区", short_name=a, slug=f"fb-{i:02d}")
        for i, a in enumerate(AREAS)
    )
    cats = [Category.objects.create(name=n, name_en=e, target_days=d) for n, e, d in CATEGORIES]
    topics = Topic.objects.bulk_create(Topic(slug=s, name=n, name_en=e) for s, n, e in TOPICS)
    editor = User.objects.create(username="bench-editor", role=Role.STREET_STAFF, street=street)
    forums, links = [], []
    for i in range(FORUMS + DRAFTS):
        draft, a, starts = i % 11 == 10, rng.choice(areas), at(i / (FORUMS + DRAFTS))
        forums.append(Forum(
            street=street, slug=f"forum-{i + 1:05d}", starts_at=starts,
            title=f"{a.short_name}居民区书记论坛（第{i + 1}期）", theme=rng.choice(THEMES),
            venue=f"{a.name}党群服务站", organiser="街道党工委",
            summary=text(rng, 200, 300, a.short_name, keywords=False),
            status=P.DRAFT if draft else P.PUBLISHED, version=0 if draft else 1,
            published_at=None if draft else min(now, starts + datetime.timedelta(days=7)),
        ))  # fmt: skip
        links.append(list(dict.fromkeys([a, *rng.sample(areas, rng.randint(1, 3))])))
    Forum.objects.bulk_create(forums, batch_size=500)
    m2m = Forum.areas.through
    m2m.objects.bulk_create(
        m2m(forum=f, residentialarea=a) for f, ls in zip(forums, links, strict=True) for a in ls
    )
    m2m = Forum.topics.through
    m2m.objects.bulk_create(m2m(forum=f, topic=rng.choice(topics)) for f in forums)
    Attendee.objects.bulk_create(
        Attendee(forum=f, role=role, name=rng.choice(NAMES), affiliation=post, order=n)
        for f in forums
        for n, (role, post) in enumerate([("host", "街道党工委委员"), ("official", "街道副主任")])
    )
    speeches = []
    for f, ls in zip(forums, links, strict=True):
        for order in range(1, SPEECHES + 1):
            a = None if order == SPEECHES else ls[order % len(ls)]  # the last: closing remarks
            speeches.append(Speech(
                forum=f, order=order, area=a, speaker_name=rng.choice(NAMES),
                kind=SpeechKind.CLOSING if a is None else SpeechKind.SPEECH,
                speaker_post=f"{a.name}党总支书记" if a else "街道党工委书记",
                title="总结讲话" if a is None else rng.choice(TITLES),
                body=text(rng, 600, 1000, (a or ls[0]).short_name),
                review_state=ReviewState.PENDING if f.status == P.DRAFT else ReviewState.CONFIRMED,
            ))  # fmt: skip
    Speech.objects.bulk_create(speeches, batch_size=2000)
    sources = [s for s in speeches if s.forum.status == P.PUBLISHED]
    practices = []
    for i in range(PRACTICES):
        a = rng.choice(areas) if i % 10 else None  # one in ten is the whole street's
        name = a.short_name if a else "街道"
        practices.append(Practice(
            street=street, slug=f"practice-{i + 1:05d}", area=a, status=P.PUBLISHED, version=1,
            published_at=at((i + 1) / PRACTICES), title=f"{name}：{rng.choice(TITLES)}（{i + 1}）",
            summary=rng.choice(SENTENCES).format(area=name),
            problem=text(rng, 150, 300, name, keywords=False), actions=text(rng, 300, 500, name),
            results=text(rng, 150, 300, name, keywords=False),
        ))  # fmt: skip
    Practice.objects.bulk_create(practices, batch_size=1000)
    for m2m, values in [
        (Practice.categories.through, lambda p: {"category": rng.choice(cats)}),
        (Practice.topics.through, lambda p: {"topic": rng.choice(topics)}),
        (Practice.speeches.through, lambda p: {"speech": rng.choice(sources)}),
    ]:
        m2m.objects.bulk_create(m2m(practice=p, **values(p)) for p in practices)
    news = []
    for i in range(NEWS):
        a, dated = rng.choice(AREAS), at((i + 1) / NEWS)
        news.append(NewsItem(
            street=street, slug=f"news-{i + 1:05d}", source=rng.choice(SOURCES), dated=dated,
            title=f"{a}居民区{rng.choice(EVENTS)}", summary=rng.choice(SENTENCES).format(area=a),
            body=text(rng, 400, 800, a), status=P.PUBLISHED, version=1,
            published_at=min(now, dated + datetime.timedelta(hours=2)),
        ))  # fmt: skip
    NewsItem.objects.bulk_create(news, batch_size=2000)
    print(f"rows written in {time.perf_counter() - started:.0f} s", flush=True)
    index(editor)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def index(editor: User) -> None:
    """Version 1 and the search entries of every published item, as the services write them."""
    checked = 0
    for model in (Forum, Practice, NewsItem):
        ct = ContentType.objects.get_for_model(model)
        items = model.objects.published().order_by("pk")
        if model is Forum:
            items = items.prefetch_related("speeches")
        entries, versions = [], []
        for item in items.iterator(chunk_size=500):
            versions.append(Version(content_type=ct, object_id=item.pk, number=1,
                                    snapshot=item.snapshot(), created_by=editor))  # fmt: skip
            for entry in item.search_entries():
                entry.pinyin, entry.initials = fast_pinyin(entry.text)
                if len(entries) % 1000 == 0:  # the cache gives what pinyin_of gives
                    checked += 1
                    if (entry.pinyin, entry.initials) != pinyin_of(entry.text):
                        sys.exit(f"bench: cached pinyin differs from pinyin_of for {entry.url}")
                entries.append(entry)
        Version.objects.bulk_create(versions, batch_size=500)
        SearchEntry.objects.bulk_create(entries, batch_size=1000)
        published = model.objects.filter(pk=OuterRef("object_id")).values("published_at")
        Version.objects.filter(content_type=ct).update(created_at=Subquery(published))
        print(f"{model.__name__}: {len(versions)} versions, {len(entries)} entries", flush=True)
    print(f"cached pinyin equal to pinyin_of on {checked} sampled entries", flush=True)


def pages() -> list[tuple[str, str, dict]]:
    forum = Forum.objects.published().order_by("-starts_at").first()
    practice = Practice.objects.published().order_by("-published_at").first()
    category = Category.objects.order_by("pk").first()
    forums, practices, search = (
        reverse(f"forums:{name}") for name in ("forum_list", "practice_list", "search")
    )
    return [
        ("/forums/", forums, {}),
        ("/forums/?page=50", forums, {"page": 50}),
        ("forum with 8 speeches", forum.get_absolute_url(), {}),
        ("/practices/", practices, {}),
        ("/practices/?category=", practices, {"category": category.pk}),
        ("practice", practice.get_absolute_url(), {}),
        ("/news/", reverse("forums:news_list"), {}),
        ("/forums/feed/", reverse("forums:forum_feed"), {}),
        ("/news/feed/", reverse("forums:news_feed"), {}),
        ("search 钢瓶", search, {"q": "钢瓶"}),
        ("search gangping", search, {"q": "gangping"}),
        ("search jcrz", search, {"q": "jcrz"}),
        ("search 交叉任职, page 3", search, {"q": "交叉任职", "page": 3}),
        ("search 无此内容 (no match)", search, {"q": "无此内容"}),
        ("search 居民 (in nearly every entry)", search, {"q": "居民"}),
        ("search jumin (in nearly every entry)", search, {"q": "jumin"}),
        ("search 业委会 (3 entries in 10)", search, {"q": "业委会"}),
    ]


def time_page(client: Client, label: str, path: str, data: dict, requests: int) -> dict:
    """Warm up, then time ``requests`` GETs: server time, queries, time spent in SQL."""
    times, counts, sql_ms, per_query = [], [], [], {}
    for n in range(WARMUP + requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path, data)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"bench: {path} {data} answered {response.status_code}")
        if n >= WARMUP:
            times.append(elapsed)
            counts.append(len(queries.captured_queries))
            sql_ms.append(sum(float(q["time"]) * 1000 for q in queries.captured_queries))
            for i, q in enumerate(queries.captured_queries):
                per_query.setdefault(i, []).append(float(q["time"]) * 1000)
    slowest = max(per_query, key=lambda i: statistics.median(per_query[i]))
    q = data.get("q")
    return {
        "page": label, "p50": statistics.median(times), "p95": percentile(times, 95),
        "queries": str(min(counts)) + ("" if min(counts) == max(counts) else f" to {max(counts)}"),
        "sql_ms": statistics.median(sql_ms), "slowest_ms": statistics.median(per_query[slowest]),
        "slowest": queries.captured_queries[slowest]["sql"],
        "matches": SearchEntry.objects.matching(q).count() if q else "",
    }  # fmt: skip


def measure(requests: int) -> list[dict]:
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    results, client = [], Client()  # anonymous
    # The manifest storage of DEBUG=false needs collectstatic; the pages are timed without it.
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
        for label, path, data in pages():
            r = time_page(client, label, path, data, requests)
            print(f"  {label:<26} p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f}  queries "
                  f"{r['queries']}  SQL {r['sql_ms']:.1f}  slowest {r['slowest_ms']:.1f} ms",
                  flush=True)  # fmt: skip
            results.append(r)
    for r in results:  # EXPLAIN ANALYZE the slowest query of every page over the target
        if r["p95"] > TARGET_MS:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + r["slowest"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\n### {r['page']}: p95 {r['p95']:.1f} ms\n{r['slowest']}\n{plan}", flush=True)
    return results


def report(results: list[dict], requests: int, note: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT split_part(version(), ' ', 2), count(*) FROM forums_searchentry")
        postgres, entries = cursor.fetchone()
    lines = [
        f"Run of {timezone.localtime():%Y-%m-%d %H:%M} (Asia/Shanghai): {FORUMS:,} published "
        f"forums with {FORUMS * SPEECHES:,} speeches, {DRAFTS} drafts, {PRACTICES:,} practices, "
        f"{NEWS:,} news items, {entries:,} search entries; PostgreSQL {postgres}; anonymous, "
        f"{WARMUP} warm-up and {requests} timed requests per page. {note}",
        "",
        "| Page | p50 ms | p95 ms | Queries | SQL ms | Slowest query ms | Matches | p95 < 200 ms |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in results:
        verdict = "yes" if r["p95"] < TARGET_MS else "**no**"
        lines.append(
            f"| {r['page']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['queries']} "
            f"| {r['sql_ms']:.1f} | {r['slowest_ms']:.1f} | {r['matches']} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--refill", action="store_true", help="drop and fill again")
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    args = parser.parse_args()
    name = database_name()
    create_database(name, drop=args.refill)
    migrate()
    note = fill_note(name)
    if not note or Forum.objects.published().count() != FORUMS:
        if Street.objects.exists():  # an incomplete fill: start again
            create_database(name, drop=True)
            migrate()
        note = f"Filled on {timezone.localdate():%Y-%m-%d} in {fill() / 60:.1f} min."
        remember_fill(name, note)
        print(note, flush=True)
    block = report(measure(args.requests), args.requests, note)
    print("\n" + block)
    readme, new = README.read_text(), f"{START}\n{block}\n{END}"
    if START in readme and END in readme:
        readme = readme.split(START, 1)[0] + new + readme.split(END, 1)[1]
    else:
        readme = readme.rstrip("\n") + f"\n\n## Forum pages: results\n\n{new}\n"
    README.write_text(readme)
    if args.drop:
        drop_database(name)


if __name__ == "__main__":
    main()
