"""The README's phone screenshots (docs/screenshots/), made again from the demo street.

    make screenshots

Loads the demo street into a throw-away SQLite database, serves it on a free local port, and
photographs each page in Debian's Chromium as a 360 x 780 phone shows it: the home page (in
Chinese, and in English with large text), the "四史" exhibition, a booking confirmation, the
doorstep services and the new-case form sent empty, with its error summary.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PHONE = {"width": 360, "height": 780}
PASSWORD = "demo-pass-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict, port: int) -> subprocess.Popen:
    manage = [sys.executable, str(ROOT / "manage.py")]
    for step in (["migrate", "--noinput"], ["load_demo", "--force"]):
        subprocess.run(manage + step, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("The demo server did not start.")


def _shoot(base: str) -> list[Path]:
    made = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=[
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )

        def phone(language: str = "zh-hans", large: bool = False):
            context = browser.new_context(
                viewport=PHONE, device_scale_factor=1, locale="zh-CN", timezone_id="Asia/Shanghai"
            )
            cookies = [{"name": "django_language", "value": language, "url": base}]
            if large:
                cookies.append({"name": "large_text", "value": "on", "url": base})
            context.add_cookies(cookies)
            return context.new_page()

        def save(page, name: str) -> None:
            path = OUT / f"{name}.png"
            page.screenshot(path=path)
            made.append(path)

        page = phone()
        page.goto(base + "/")
        save(page, "home")

        page = phone("en", large=True)
        page.goto(base + "/")
        page.locator(".site-menu__button").click()
        save(page, "home-en-large-text-menu")

        page = phone()
        page.goto(base + "/events/four-histories-exhibition-booking/")
        page.evaluate("document.getElementById('sessions-title').scrollIntoView()")
        save(page, "exhibition")
        page.locator(".session-card a.button", has_text="预约").first.click()
        page.locator("#id_name").fill("王阿姨")
        page.locator("#id_phone").fill("13900001234")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/events/bookings/*/")
        save(page, "booking-confirmation")

        page = phone()
        page.goto(base + "/services/")
        save(page, "services")

        page = phone()
        page.goto(base + "/accounts/login/?next=/cases/new/")
        page.locator("#id_username").fill("laosan")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/cases/new/")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        save(page, "new-case-errors")
        browser.close()
    return made


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{folder}/screenshots.sqlite3",
            "DJANGO_CACHE_URL": "locmemcache://",
        }
        port = _free_port()
        server = _serve(env, port)
        try:
            for path in _shoot(f"http://127.0.0.1:{port}"):
                print(path.relative_to(ROOT))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
