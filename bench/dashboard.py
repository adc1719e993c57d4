"""Benchmark of the dashboard at a million cases (not a test: run it by hand).

It reuses the database of bench/cases.py (one street, 30 areas, 1,000,000 cases): a complete
fill is measured as it is, otherwise bench/cases.py's fill runs first. Then it times:

1. ``manage.py rebuild_case_sums``: the dashboard's monthly sums computed again from the million
   cases (what a bulk load or a repair needs; the case services keep them otherwise);
2. in-process with ``django.test.Client``, as the street-staff user (30 areas) and the area
   secretary (one area), ``/dashboard/`` for the last twelve months and for three years, and
   the monthly report page and workbook: each computed on request (nothing is kept), the
   cache emptied before every request all the same.

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lujiazui_bench DJANGO_DEBUG=false \\
    DJANGO_SECRET_KEY=bench-only-key DJANGO_ALLOWED_HOSTS=testserver \\
    .venv/bin/python bench/dashboard.py [--requests 30]

The database is kept. The results are printed and written into bench/README.md between the
dashboard markers.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Importing cases sets Django up; its *_bench guard, fill and measuring helpers are reused.
from cases import (
    WARMUP,
    case_count,
    create_database,
    create_world,
    database_name,
    fill,
    fill_note,
    machine,
    migrate,
    percentile,
    rebuild_kept_figures,
    remember_fill,
)
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

CASES = 1_000_000
README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- dashboard-results:start -->", "<!-- dashboard-results:end -->"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    return parser.parse_args()


def ensure_fill() -> str:
    name = database_name()
    create_database(name, drop=False)
    migrate()
    count = case_count()
    note = fill_note(name) if count else ""
    world = create_world()
    if count == CASES and note:
        print(f"{name} already holds {count} cases ({note}): measuring without refilling")
        return note
    if count:
        sys.exit(f"{name} holds {count} cases, not a complete fill: run bench/cases.py --refill")
    seconds = fill(world, CASES)
    note = (
        f"Filled on {timezone.localdate():%Y-%m-%d} in {seconds / 60:.1f} min "
        "(INSERT ... SELECT FROM generate_series, then VACUUM ANALYZE)."
    )
    remember_fill(name, note)
    return note


def time_page(client: Client, path: str, requests: int) -> dict:
    for _ in range(WARMUP):
        if client.get(path).status_code != 200:
            sys.exit(f"bench: {path} did not answer 200")
    times, counts = [], []
    for _ in range(requests):
        cache.clear()  # nothing of the dashboard is kept: nothing may be found there either
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            sys.exit(f"bench: {path} answered {response.status_code}")
        times.append(elapsed * 1000)
        counts.append(len(queries.captured_queries))
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "queries": f"{min(counts)}"
        if min(counts) == max(counts)
        else f"{min(counts)}-{max(counts)}",
    }


def timed_rebuild(rows: list[tuple]) -> None:
    """The monthly sums computed again from the cases: the counts per status first, as the
    fill does, then the sums, timed."""
    seconds = rebuild_kept_figures()
    figures = {"p50": seconds * 1000, "p95": seconds * 1000, "queries": "-"}
    rows.append(("manage.py rebuild_case_sums", "-", "all areas, all months", 1, figures))


def measure(requests: int) -> list[tuple]:
    from residents.models import User

    rows: list[tuple] = []
    timed_rebuild(rows)
    today = timezone.localdate()
    month = today.replace(day=1)
    three_years = f"?start={today.replace(year=today.year - 3, day=1)}&end={today}"
    paths = [
        ("dashboard, 12 months", reverse("reports:dashboard")),
        ("dashboard, 3 years", reverse("reports:dashboard") + three_years),
        (
            "monthly report",
            reverse("reports:dashboard_report", args=[month.year, month.month]),
        ),
        (
            "monthly report XLSX",
            reverse("reports:dashboard_report_xlsx", args=[month.year, month.month]),
        ),
    ]
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static):
        for label, username in (("street staff", "bench-street"), ("secretary", "bench-secretary")):
            client = Client()
            client.force_login(User.objects.get(username=username))
            for page, path in paths:
                figures = time_page(client, path, requests)
                rows.append((page, label, "computed on request", requests, figures))
                print(
                    f"  {label:<13} {page:<22} p50 {figures['p50']:8.1f} ms  "
                    f"p95 {figures['p95']:8.1f} ms  queries {figures['queries']}",
                    flush=True,
                )
    return rows


def report(rows: list[tuple], note: str) -> str:
    lines = [
        f"Run of {timezone.localtime():%Y-%m-%d %H:%M} (Asia/Shanghai): {CASES:,} cases. {note}",
        "",
        *[f"- {key}: {value}" for key, value in machine().items()],
        "",
        "| Page | User | Figures | Requests | p50 ms | p95 ms | Queries |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for page, user, mode, count, figures in rows:
        lines.append(
            f"| {page} | {user} | {mode} | {count} | {figures['p50']:.1f} | "
            f"{figures['p95']:.1f} | {figures['queries']} |"
        )
    return "\n".join(lines)


def write_readme(block: str) -> None:
    text = README.read_text()
    new = f"{START}\n{block}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + new + rest.split(END, 1)[1]
    else:
        text += f"\n# Dashboard benchmark\n\nSee bench/dashboard.py.\n\n{new}\n"
    README.write_text(text)


def main() -> None:
    args = parse_args()
    note = ensure_fill()
    rows = measure(args.requests)
    block = report(rows, note)
    print("\n" + block)
    write_readme(block)


if __name__ == "__main__":
    main()
