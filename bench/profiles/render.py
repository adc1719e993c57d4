"""Rendering cost of the public pages, in process and with nothing kept.

For each public page of the load benchmark (bench/load.py), as an anonymous visitor: the
milliseconds of wall and CPU time per request (mean and median of --requests requests after 3
warm-up ones) and the number of queries. With --profile PAGE it also writes the cProfile of
--requests requests of that page (the top 40 lines by cumulative time) to --out.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lujiazui_bench DJANGO_DEBUG=false \\
    DJANGO_SECRET_KEY=bench-only-key DJANGO_ALLOWED_HOSTS=testserver \\
    .venv/bin/python bench/profiles/render.py [--requests 50] [--profile home --out FILE]
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lujiazui.settings")
os.environ.setdefault("DJANGO_HTTPS", "false")

import django  # noqa: E402

django.setup()
warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

BENCH_STREET = "BEN"


def public_paths() -> dict[str, str]:
    """The addresses bench/load.py loads: its street's first area, newest forum and event."""
    from forums.models import Event, Forum
    from residents.models import ResidentialArea

    area = ResidentialArea.objects.filter(street__code=BENCH_STREET).order_by("slug").first()
    forum = (
        Forum.objects.filter(street__code=BENCH_STREET, status="published")
        .order_by("-starts_at")
        .first()
    )
    event = Event.objects.filter(street__code=BENCH_STREET).first()
    if area is None or forum is None or event is None:
        sys.exit(
            "render: the bench street has no public content yet: run bench/load.py --fill-only "
            "(after bench/cases.py) first"
        )
    return {
        "home": "/",
        "area": f"/areas/{area.slug}/",
        "forum": forum.get_absolute_url(),
        "search": "/search/?q=%E9%92%A2%E7%93%B6",
        "event": event.get_absolute_url(),
    }


def get(client: Client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}, not 200")


def time_page(client: Client, path: str, requests: int) -> tuple[list, list, int]:
    for _ in range(3):
        get(client, path)
    wall, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        get(client, path)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        get(client, path)
    return wall, cpu, len(queries.captured_queries)


def profile_page(client: Client, path: str, requests: int, out: Path) -> None:
    for _ in range(3):
        get(client, path)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        get(client, path)
    profile.disable()
    text = io.StringIO()
    stats = pstats.Stats(profile, stream=text)
    stats.sort_stats("cumulative").print_stats(40)
    out.write_text(f"{path}, {requests} requests, anonymous, nothing kept\n{text.getvalue()}")
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", help="home, area, forum, search or event")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--only", help="comma-separated pages to time")
    args = parser.parse_args()
    if not connection.settings_dict["NAME"].endswith("_bench"):
        sys.exit("Run against a *_bench database.")
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": static}, PAGE_CACHE_SECONDS=0
    ):
        paths = public_paths()
        client = Client()
        if args.profile:
            profile_page(client, paths[args.profile], args.requests, args.out)
            return
        only = args.only.split(",") if args.only else list(paths)
        for name in only:
            wall, cpu, count = time_page(client, paths[name], args.requests)
            print(
                f"{name:<7} {paths[name]:<40} wall mean {statistics.mean(wall):6.2f} ms "
                f"median {statistics.median(wall):6.2f} ms  cpu mean {statistics.mean(cpu):6.2f} ms"
                f"  queries {count}",
                flush=True,
            )


if __name__ == "__main__":
    main()
