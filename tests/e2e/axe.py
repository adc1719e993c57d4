"""axe-core in the browser: the copy vendored from the npm registry, run by Playwright."""

from functools import cache
from pathlib import Path

AXE_CORE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
# The rules of WCAG 2.1 A and AA. ``resultTypes``: the rules a page passes, or that do not apply,
# are reported with one element each rather than every element they checked; the violations in
# full, as always.
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@cache
def _axe_source() -> str:
    return AXE_CORE.read_text(encoding="utf-8")


def axe_run(page, options: dict = WCAG_21_AA) -> dict:
    """axe.run on the whole page: its violations (``{"violations": [...]}``), the one result
    every check reads, so the rest of the report does not cross back from the browser. The
    source goes in through the DevTools protocol, which the portal's Content-Security-Policy
    does not apply to (a <script> tag would be refused)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        "options => axe.run(document, options).then(r => ({violations: r.violations}))", options
    )


def violations(page, options: dict = WCAG_21_AA) -> list[str]:
    """Every violation axe finds, whatever its impact, one line each with where it is."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in axe_run(page, options)["violations"]
    ]
