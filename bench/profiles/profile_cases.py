"""Profile the case workbench and a case's page rendered in-process (not a test: run by hand).

Uses the database that bench/cases.py filled (``*_bench``) and its two users, with the settings
bench/cases.py measures with: static files in the plain storage and the page cache off. Prints
the top functions by cumulative time of ``--requests`` requests (after warm-up) and the queries
of one request. Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lujiazui_bench DJANGO_DEBUG=false \\
    DJANGO_SECRET_KEY=bench-only-key DJANGO_ALLOWED_HOSTS=testserver \\
    .venv/bin/python bench/profiles/profile_cases.py --page workbench --user street [--q 钢瓶]
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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
from django.urls import reverse  # noqa: E402

from governance.models import Case  # noqa: E402
from residents.models import User  # noqa: E402

USERS = {"street": "bench-street", "secretary": "bench-secretary"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", choices=["workbench", "detail"], default="workbench")
    parser.add_argument("--user", choices=list(USERS), default="street")
    parser.add_argument("--q", default="")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--queries", action="store_true", help="print the queries of a request")
    args = parser.parse_args()
    if not settings.DATABASES["default"]["NAME"].endswith("_bench"):
        sys.exit("profile: the database name must end in _bench")
    user = User.objects.get(username=USERS[args.user])
    if args.page == "workbench":
        path, data = reverse("governance:case_list"), ({"q": args.q} if args.q else {})
    else:
        # The page bench/cases.py times: the in-progress case with a three-step history.
        edited = Case.history.model.objects.filter(history_type="~").values("id")
        case = Case.objects.filter(status="in_progress", pk__in=edited).order_by("-created_at")[0]
        path, data = case.get_absolute_url(), {}
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static, PAGE_CACHE_SECONDS=0):
        client = Client()
        client.force_login(user)
        for _ in range(5):
            if client.get(path, data).status_code != 200:
                sys.exit(f"profile: {path} {data} did not answer 200")
        with CaptureQueriesContext(connection) as queries:
            client.get(path, data)
        captured = list(queries.captured_queries)  # the next request clears the log
        started = time.process_time()
        for _ in range(args.requests):
            client.get(path, data)
        cpu_ms = (time.process_time() - started) * 1000 / args.requests
        profiler = cProfile.Profile(time.process_time)  # CPU time: waits on the database left out
        profiler.enable()
        for _ in range(args.requests):
            client.get(path, data)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(args.top)
    print(
        f"{path} {data} as {user.username}: {cpu_ms:.1f} ms of CPU a request (unprofiled, "
        f"mean of {args.requests}), {len(captured)} queries"
    )
    if args.queries:
        for query in captured:
            print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:300]}")
    print(out.getvalue())


if __name__ == "__main__":
    main()
