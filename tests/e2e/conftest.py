import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser; no calls home on a closed network."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A browser in Shanghai that prefers Chinese, as most residents' phones do."""
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


# Reported by the page itself, so a violation is seen even where the browser's console words it
# differently; the handler is installed before any of the page's own scripts run.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ` +
      `${event.sourceFile || document.location.href}:${event.lineNumber}`
  );
});
"""


class BrowserErrors:
    """What the browser reported during a test: console errors, uncaught exceptions and
    Content-Security-Policy violations, on every page of every context the test opened."""

    def __init__(self, allowed: tuple[str, ...] = ()) -> None:
        self.allowed = allowed
        self.console: list[str] = []
        self.page_errors: list[str] = []
        self.csp: list[str] = []

    def watch(self, context) -> None:
        context.on("console", self._on_console)
        context.on("weberror", self._on_page_error)
        context.expose_binding(
            "__reportCspViolation",
            lambda source, text: self.csp.append(f"securitypolicyviolation: {text}"),
        )
        context.add_init_script(CSP_LISTENER)

    def _on_console(self, message) -> None:
        where = message.location.get("url", "")
        text = f"{message.text} ({where})" if where else message.text
        if "Content Security Policy" in message.text:
            self.csp.append(text)
        elif message.type == "error" and not any(part in message.text for part in self.allowed):
            self.console.append(text)

    def _on_page_error(self, web_error) -> None:
        self.page_errors.append(str(web_error.error))

    def seen(self) -> list[str]:
        return (
            [f"console error: {text}" for text in self.console]
            + [f"uncaught exception: {text}" for text in self.page_errors]
            + [f"CSP violation: {text}" for text in self.csp]
        )

    def forget(self) -> None:
        """For a test that caused errors on purpose and has checked them."""
        self.console.clear()
        self.page_errors.clear()
        self.csp.clear()

    def check(self) -> None:
        if seen := self.seen():
            pytest.fail("The browser reported:\n" + "\n".join(f"- {line}" for line in seen))


BROWSER_FIXTURES = {"page", "context", "new_context", "browser"}


@pytest.fixture(autouse=True)
def browser_errors(request, monkeypatch):
    """Every browser test fails if a page logged a console error, threw an uncaught exception
    or broke the Content-Security-Policy. A test that causes console errors on purpose names
    them: ``@pytest.mark.allow_console_errors("Failed to load resource")``; CSP violations and
    uncaught exceptions are never allowed."""
    if not BROWSER_FIXTURES & set(request.fixturenames):
        yield None
        return
    marker = request.node.get_closest_marker("allow_console_errors")
    errors = BrowserErrors(allowed=marker.args if marker else ())
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        errors.watch(context)
        return context

    page_contexts = []

    def watched_page(*args, **kwargs):
        page_contexts.append(watched_context(*args, **kwargs))
        return page_contexts[-1].new_page()

    monkeypatch.setattr(browser, "new_context", watched_context)
    monkeypatch.setattr(browser, "new_page", watched_page)
    yield errors
    for context in page_contexts:
        context.close()
    errors.check()


@pytest.fixture
def csp_violations(browser_errors):
    """The Content-Security-Policy violations seen so far in this test: there must be none."""
    return browser_errors.csp


@pytest.fixture
def demo_street(transactional_db, demo_snapshot, settings):
    """The demo street, copied into the live server's database (tests/snapshot.py)."""
    demo_snapshot.restore(settings.PRIVATE_MEDIA_ROOT)
