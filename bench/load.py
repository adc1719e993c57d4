"""Load benchmark of the portal under gunicorn against a bare Django view (not a test).

Run from the project root (or `make bench`)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lujiazui_bench \\
    DJANGO_CACHE_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/load.py

It refuses unless the database is PostgreSQL named ``*_bench``; fills it with bench/cases.py's
million cases if it holds none, adds a little public content (forums, practices, news, an event) if
there is none, computes the dashboard's monthly sums if they are missing (bench/cases.py's
``rebuild_kept_figures``), then starts gunicorn on 127.0.0.1 (a free port) with production settings
(DEBUG off, collected static files served by WhiteNoise, persistent connections, the shared cache)
and ``bench.settings``, which adds the bare view ``/bench/bare/`` and the floor views
(``floor_pages``). wrk loads each page for a fixed time, after a warm-up of its own (``--warmup``
seconds at the same load, not measured: every worker's first requests to a page load its templates,
translations and connections); the bare view is loaded before and after the pages, and each page's
throughput is compared with the mean of the two. Every answer must be a 200. The public pages (kept
whole for visitors without a session) and the Open311 list are then loaded once more from a second
gunicorn with the cache off (``DJANGO_PAGE_CACHE_SECONDS=0``): rendered on every request, as the
first request after a change is; so is the workbench, whose list is kept per user's scope. Each such
row is printed beside the row of the page as served. The table is printed and written into
bench/README.md between the load markers.
"""

import argparse
import contextlib
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
# Production-like: DEBUG off, HTTP on 127.0.0.1 only (no TLS to terminate here).
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-" + "x" * 50)
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,testserver"
os.environ["DJANGO_HTTPS"] = "false"
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import cases  # noqa: E402  (sets Django up with the settings above)
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
RESULTS_START = "<!-- load-results:start -->"
RESULTS_END = "<!-- load-results:end -->"
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
BARE = "/bench/bare/"


@dataclass
class Page:
    name: str
    user: str  # "anonymous", "street staff", "secretary"
    path: str
    target: str  # shown in the table
    min_ratio: float | None = None
    max_p99_ms: float | None = None


@dataclass
class Result:
    page: Page
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    ratio: float = 0.0
    cpu_ms: float = 0.0  # gunicorn's CPU per request

    def met(self, page1_rps: float | None = None) -> str:
        missed = []
        if self.page.min_ratio is not None and self.ratio < self.page.min_ratio:
            missed.append("ratio")
        if page1_rps is not None and self.requests_per_s < page1_rps / 2:
            missed.append("half of page 1")
        if self.page.max_p99_ms is not None and self.p99_ms >= self.page.max_p99_ms:
            missed.append("p99")
        if self.page.min_ratio is None and self.page.max_p99_ms is None and page1_rps is None:
            return ""
        return "yes" if not missed else "**no**: " + ", ".join(missed)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--warmup", type=int, default=2, help="seconds of unmeasured load before each page"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--fill-only", action="store_true", help="fill the database and stop")
    parser.add_argument("--no-readme", action="store_true", help="print the table only")
    parser.add_argument(
        "--only",
        help="comma-separated page names (e.g. 'home,event page'): load those alone, as served "
        "and rendered, and print the table without writing the README",
    )
    return parser.parse_args()


# The database --------------------------------------------------------------------------------


def ensure_filled(name: str, total: int = 1_000_000) -> cases.World:
    """The million cases of bench/cases.py (filled only when missing) and its two users."""
    cases.create_database(name, drop=False)
    cases.migrate()
    count = cases.case_count()
    world = cases.create_world()
    if count == 0:
        print(f"{name} holds no cases: filling {total:,} (a few minutes)", flush=True)
        seconds = cases.fill(world, total)
        cases.remember_fill(
            name,
            f"Filled on {timezone.localdate():%Y-%m-%d} in {seconds / 60:.1f} min "
            "(INSERT ... SELECT FROM generate_series, then VACUUM ANALYZE).",
        )
        cases.rebuild_kept_figures()
    else:
        print(f"{name} holds {count:,} cases: reused", flush=True)
        cases.rebuild_kept_figures(only_if_missing=True)
    return world


def ensure_public_content(world: cases.World) -> dict[str, str]:
    """A few published forums, practices and news items and a public event, made through the
    services as staff make them; only when the street has none. Returns the pages' paths."""
    from forums import services
    from forums.models import Event, EventSession, Forum, NewsItem, Practice, Speech, Verdict

    street, staff = world.street, world.street_staff
    forums = Forum.objects.filter(street=street)
    if not forums.filter(status="published").exists():
        print("adding public content: forums, practices, news, an event", flush=True)
        person = world.secretary.person
        for number in range(1, 6):
            forum = Forum.objects.create(
                street=street,
                title=f"基准书记论坛第{number}期：钢瓶安全与楼道整治",
                slug=f"bench-forum-{number}",
                theme="深入推进多元协同治理",
                starts_at=timezone.now() - datetime.timedelta(days=30 * number),
                venue="社区党校",
                organiser="基准街道党工委",
                summary="论坛围绕**液化气钢瓶**清理和楼道堆物整治交流经验。",
            )
            forum.areas.set(world.areas[:3])
            for order in range(1, 5):
                Speech.objects.create(
                    forum=forum,
                    order=order,
                    area=world.areas[order - 1],
                    speaker=person if order == 1 else None,
                    speaker_name=f"发言人{order}",
                    speaker_post="党总支书记",
                    title=f"发言{order}：以钢瓶清理为抓手推进楼道治理",
                    body="居民区党总支牵头，居委会、业委会和物业协同，逐户排摸液化气钢瓶。" * 20,
                )
            forum = services.publication_transition(item=forum, to="in_review", actor=staff)
            for speech in forum.speeches.filter(speaker__isnull=False):
                services.speech_review(
                    speech=speech, actor=world.secretary, verdict=Verdict.CONFIRM
                )
            for status in ("approved", "published"):
                forum = services.publication_transition(item=forum, to=status, actor=staff)
            practice = Practice.objects.create(
                street=street,
                title=f"钢瓶清零经验{number}",
                slug=f"bench-practice-{number}",
                summary="三方协同，逐户排摸。",
                problem="老旧小区仍有居民使用液化气钢瓶。",
                actions="党总支牵头，物业配合，居委会上门。" * 10,
                results="钢瓶全部回收。",
            )
            practice.categories.set(world.categories[:1])
            for status in ("in_review", "approved", "published"):
                services.publication_transition(item=practice, to=status, actor=staff)
            news = NewsItem.objects.create(
                street=street,
                title=f"基准街道召开钢瓶安全推进会（{number}）",
                slug=f"bench-news-{number}",
                source="基准街道",
                dated=timezone.now() - datetime.timedelta(days=number),
                summary="推进液化气钢瓶清理。",
                body="会议部署钢瓶清理和楼道堆物整治工作。" * 30,
            )
            for status in ("in_review", "approved", "published"):
                services.publication_transition(item=news, to=status, actor=staff)
        event = Event.objects.create(
            street=street,
            title="基准街道党群服务中心开放日",
            slug="bench-open-day",
            summary="参观党群服务中心。",
            description="欢迎居民预约参观。",
            venue="党群服务中心",
            address="基准路 1 号",
            organiser="基准街道",
            booking_opens_at=timezone.now() - datetime.timedelta(days=1),
            is_public=True,
        )
        start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
        for day in range(1, 15):
            EventSession.objects.create(
                event=event,
                starts_at=start + datetime.timedelta(days=day),
                ends_at=start + datetime.timedelta(days=day, hours=1),
                capacity=30,
            )
    forum = forums.filter(status="published").order_by("-starts_at").first()
    return {
        "area": f"/areas/{world.areas[0].slug}/",
        "forum": forum.get_absolute_url(),
        "event": Event.objects.filter(street=street).first().get_absolute_url(),
    }


def detail_case_number(world: cases.World) -> str:
    """An in-progress case of the secretary's area: both users may open it."""
    from governance.models import Case

    return (
        Case.objects.filter(area=world.areas[cases.SECRETARY_AREA], status="in_progress")
        .order_by("-created_at")
        .values_list("number", flat=True)
        .first()
    )


def session_cookie(user) -> str:
    """A logged-in session for the user, as the login view leaves it."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def floor_pages() -> list[Page]:
    """What the stack costs before a page does anything of its own, behind the same middleware:
    the bare view after 2 and after 9 of the plainest ORM queries (the search and event pages
    make 2, the home and area pages 9), and a plain 25-row Django list (bench/urls.py). No
    target: they show how near the stack itself lets a rendered page come to the bare view."""
    return [
        Page("floor: 2 ORM queries", "anonymous", "/bench/queries/2/", "-"),
        Page("floor: 9 ORM queries", "anonymous", "/bench/queries/9/", "-"),
        Page("floor: plain 25-row list", "anonymous", "/bench/list/", "-"),
    ]


def pages(paths: dict[str, str], case_number: str) -> list[Page]:
    """Every page as the portal serves it (public pages from the cache once kept)."""
    public = "≥ 0.5 of bare"
    workbench = "≥ 0.1 of bare, p99 < 100 ms"
    rows = [
        *floor_pages(),
        Page("home", "anonymous", "/", public, min_ratio=0.5),
        Page("area page", "anonymous", paths["area"], public, min_ratio=0.5),
        Page("forum page", "anonymous", paths["forum"], public, min_ratio=0.5),
        Page("search 钢瓶", "anonymous", "/search/?q=%E9%92%A2%E7%93%B6", public, min_ratio=0.5),
        Page("event page", "anonymous", paths["event"], public, min_ratio=0.5),
    ]
    for user in ("street staff", "secretary"):
        rows += [
            Page("workbench, first page", user, "/cases/", workbench, 0.1, 100),
            Page(
                "workbench, status filter", user, "/cases/?status=in_progress", workbench, 0.1, 100
            ),
            Page(
                "workbench, text search 钢瓶",
                user,
                "/cases/?q=%E9%92%A2%E7%93%B6",
                workbench,
                0.1,
                100,
            ),
            Page(
                "workbench, page 2,000",
                user,
                "/cases/?page=2000",
                "≥ half of page 1, p99 < 100 ms",
                max_p99_ms=100,
            ),
        ]
    rows += [
        Page(
            "case detail",
            "street staff",
            f"/cases/{case_number}/",
            "≥ 0.05 of bare, p99 < 150 ms",
            0.05,
            150,
        ),
        Page(
            "admin case list",
            "street staff",
            "/admin/governance/case/",
            "p99 < 500 ms",
            max_p99_ms=500,
        ),
        Page("dashboard", "street staff", "/dashboard/", "p99 < 300 ms", max_p99_ms=300),
        Page("Open311 request list", "anonymous", "/open311/v2/requests.json", "-"),
    ]
    return rows


def rendered_pages(served: list[Page]) -> list[Page]:
    """The pages again, as rendered on every request (the cache off): what a first request
    after a change costs, and what a signed-in user's page costs every time. The targets of
    the rendered pages themselves: public pages at least 0.10 of the bare view, the workbench's
    first page and text search and a case page at least 0.05 and p99 under 150 ms."""
    targets = {
        "home": ("≥ 0.1 of bare", 0.1, None),
        "area page": ("≥ 0.1 of bare", 0.1, None),
        "forum page": ("≥ 0.1 of bare", 0.1, None),
        "search 钢瓶": ("≥ 0.1 of bare", 0.1, None),
        "event page": ("≥ 0.1 of bare", 0.1, None),
        "workbench, first page": ("≥ 0.05 of bare, p99 < 150 ms", 0.05, 150),
        "workbench, text search 钢瓶": ("≥ 0.05 of bare, p99 < 150 ms", 0.05, 150),
        "Open311 request list": ("-", None, None),
    }
    return [
        Page(f"{page.name}, rendered", page.user, page.path, *targets[page.name])
        for page in served
        if page.name in targets and (page.user == "anonymous" or CACHED_FOR_USERS)
    ]


# Signed-in users' pages are rendered on every request but for the workbench's list, which is
# kept per user's scope: its rendered rows are loaded too.
CACHED_FOR_USERS = True


# The server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def manage(*command: str) -> None:
    subprocess.run(  # noqa: S603  (this interpreter, manage.py, fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), *command], env=server_env(), check=True, cwd=ROOT
    )


def workers() -> int:
    """As the README's production notes say: 2 x cores + 1 (gunicorn's own advice)."""
    return 2 * (os.cpu_count() or 1) + 1


@contextlib.contextmanager
def gunicorn(port: int, **env: str):
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "lujiazui.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers()),
        "--log-level",
        "warning",
    ]
    # The venv's gunicorn with fixed arguments; a session of its own, so it is stopped alone.
    server = subprocess.Popen(command, env=server_env(**env), cwd=ROOT, start_new_session=True)  # noqa: S603
    try:
        for _ in range(120):  # at most 60 s to start
            if server.poll() is not None:
                sys.exit(f"gunicorn stopped at start (exit {server.returncode})")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=10):
                    break
            except OSError:  # refused, reset or timed out while the workers boot
                time.sleep(0.5)
        else:
            sys.exit("gunicorn did not answer within 60 s")
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def server_cpu_seconds(master_pid: int) -> float:
    """User and system CPU time of gunicorn's master and workers (PostgreSQL's is not counted:
    other work on the machine shares the server)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        pid, ppid = int(stat.parent.name), int(fields[1])
        if master_pid in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_page(port: int, page: Page, cookie: str | None) -> None:
    """One request outside the load: the page must answer 200 itself (not a redirect)."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(f"http://127.0.0.1:{port}{page.path}")
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with opener.open(request, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        sys.exit(f"{page.name} ({page.user}) {page.path} answered {status}, not 200")


def warm_up(port: int, page: Page, cookie: str | None, args: argparse.Namespace) -> None:
    """The same load, unmeasured, so that every worker has served the page before the clock
    starts: a worker's first request to a page loads its templates and translations, and under
    load those few slow answers would be all of the p99 of a ten-second run."""
    command = [shutil.which("wrk"), f"-t{args.threads}", f"-c{args.connections}"]
    command += [f"-d{args.warmup}s", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{page.path}")
    subprocess.run(command, capture_output=True, timeout=args.warmup + 60, check=True)  # noqa: S603


def run_wrk(
    port: int, page: Page, cookie: str | None, args: argparse.Namespace, master_pid: int
) -> Result:
    if args.warmup:
        warm_up(port, page, cookie, args)
    cpu_before = server_cpu_seconds(master_pid)
    command = [
        shutil.which("wrk"),
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(LUA),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{page.path}")
    done = subprocess.run(  # noqa: S603  (wrk against 127.0.0.1, fixed arguments)
        command, capture_output=True, text=True, timeout=args.duration + 60, check=True
    )
    line = next((line for line in done.stdout.splitlines() if line.startswith("WRK-REPORT ")), None)
    if line is None:
        sys.exit(f"wrk printed no report for {page.path}:\n{done.stdout}\n{done.stderr}")
    report = json.loads(line.removeprefix("WRK-REPORT "))
    if report["not_200"] or report["socket_errors"] or not report["requests"]:
        sys.exit(
            f"{page.name} ({page.user}) {page.path}: {report['requests']} requests, "
            f"{report['not_200']} not 200 {report['statuses']}, "
            f"{report['socket_errors']} socket errors"
        )
    result = Result(
        page,
        requests_per_s=report["requests"] / report["duration_s"],
        p50_ms=report["p50_ms"],
        p99_ms=report["p99_ms"],
        requests=report["requests"],
        cpu_ms=(server_cpu_seconds(master_pid) - cpu_before) * 1000 / report["requests"],
    )
    print(
        f"{page.name:32} {page.user:13} {result.requests_per_s:8.1f} req/s  "
        f"p50 {result.p50_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  "
        f"gunicorn CPU {result.cpu_ms:5.1f} ms/request",
        flush=True,
    )
    return result


# The report -----------------------------------------------------------------------------------


def table(results: list[Result], bare: list[Result]) -> str:
    lines = [
        "| Page | User | Req/s | p50 ms | p99 ms | Ratio to bare | gunicorn CPU ms/req | Target "
        "| Met? |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for index, result in enumerate(bare):
        lines.append(
            f"| bare view ({('before', 'after')[index]} the pages) | anonymous | "
            f"{result.requests_per_s:.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} | - | "
            f"{result.cpu_ms:.1f} | - | |"
        )
    first_pages = {
        r.page.user: r.requests_per_s for r in results if r.page.name == "workbench, first page"
    }
    for result in results:
        page1 = first_pages.get(result.page.user) if "page 2,000" in result.page.name else None
        target = result.page.target
        if page1:
            target += f" ({result.requests_per_s / page1:.2f} of page 1)"
        lines.append(
            f"| {result.page.name} | {result.page.user} | {result.requests_per_s:.0f} | "
            f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.ratio:.2f} | "
            f"{result.cpu_ms:.1f} | {target} | {result.met(page1)} |"
        )
    return "\n".join(lines)


def machine(load_before: tuple, load_after: tuple) -> list[str]:
    info = cases.machine()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk_version = subprocess.run(  # noqa: S603
        [shutil.which("wrk"), "-v"], capture_output=True, text=True
    ).stdout.split()
    return [
        f"- CPU: {info['CPU']}",
        f"- Memory: {info['Memory']}",
        f"- PostgreSQL: {postgres}, on the same machine; cache: Redis on 127.0.0.1",
        f"- Software: {info['Software']}, gunicorn {workers()} sync workers, "
        f"{' '.join(wrk_version[:2])}",
        "- Load average (1, 5, 15 min): "
        + " ".join(f"{v:.1f}" for v in load_before)
        + " before the run, "
        + " ".join(f"{v:.1f}" for v in load_after)
        + " after it",
    ]


def write_readme(block: str) -> None:
    text = README.read_text()
    new = f"{RESULTS_START}\n{block}\n{RESULTS_END}"
    if RESULTS_START in text:
        before, rest = text.split(RESULTS_START, 1)
        text = before + new + rest.split(RESULTS_END, 1)[1]
    else:
        text += f"\n{new}\n"
    README.write_text(text)


def main() -> None:
    args = parse_args()
    name = cases.database_name()  # refuses unless PostgreSQL named *_bench
    if not str(settings.CACHES["default"]["BACKEND"]).endswith("RedisCache"):
        sys.exit("Set DJANGO_CACHE_URL=redis://127.0.0.1:6379/<db>: the workers share the cache.")
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (make bench installs it).")
    world = ensure_filled(name)
    paths = ensure_public_content(world)
    if args.fill_only:
        return
    case_number = detail_case_number(world)
    cookies = {
        "anonymous": None,
        "street staff": session_cookie(world.street_staff),
        "secretary": session_cookie(world.secretary),
    }
    connection.close()
    manage("collectstatic", "--noinput", "--verbosity", "0")
    load_before = os.getloadavg()
    started = timezone.localtime()
    port = free_port()
    bare = Page("bare view", "anonymous", BARE, "-")
    results: list[Result] = []
    bare_results: list[Result] = []
    with gunicorn(port) as server:
        todo = pages(paths, case_number)
        if args.only:
            wanted = set(args.only.split(","))
            todo = [page for page in todo if page.name in wanted]
            if not todo:
                sys.exit(f"No page is named {args.only}: see pages() for the names.")
        for page in [bare, *todo]:
            check_page(port, page, cookies[page.user])
        bare_results.append(run_wrk(port, bare, None, args, server.pid))
        for page in todo:
            results.append(run_wrk(port, page, cookies[page.user], args, server.pid))
        bare_results.append(run_wrk(port, bare, None, args, server.pid))
    # The same pages rendered on every request: the cost of a first request after a change.
    port = free_port()
    with gunicorn(port, DJANGO_PAGE_CACHE_SECONDS="0") as server:
        for page in rendered_pages(todo):
            results.append(run_wrk(port, page, cookies[page.user], args, server.pid))
    load_after = os.getloadavg()
    # Each rendered row beside the row of the page as served.
    order = {(page.name, page.user): index for index, page in enumerate(todo)}
    results.sort(
        key=lambda r: (order[(r.page.name.removesuffix(", rendered"), r.page.user)], r.page.name)
    )
    bare_rps = sum(r.requests_per_s for r in bare_results) / len(bare_results)
    for result in results:
        result.ratio = result.requests_per_s / bare_rps
    command = (
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/lujiazui_bench "
        "DJANGO_CACHE_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/load.py"
        f" --duration {args.duration} --warmup {args.warmup} --connections {args.connections}"
        f" --threads {args.threads}"
    )
    block = "\n".join(
        [
            f"Run of {started:%Y-%m-%d %H:%M} (Asia/Shanghai), {cases.case_count():,} cases: "
            f"`{command}` (or `make bench`). wrk with {args.threads} threads and "
            f"{args.connections} connections for {args.duration} s per page, after "
            f"{args.warmup} s of the same load unmeasured; the bare view "
            f"before and after the pages, each page's ratio against their mean "
            f"({bare_rps:.0f} req/s). Every answer was a 200.",
            "",
            *machine(load_before, load_after),
            "",
            table(results, bare_results),
        ]
    )
    print("\n" + block)
    if not (args.no_readme or args.only):
        write_readme(block)
        print(f"\nwrote {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
