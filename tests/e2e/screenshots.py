"""python -m tests.e2e.screenshots [ROLE:PAGE ...] — start the app on a demo database and save
full-page screenshots to docs/screenshots/, to look at what users see (README uses home.png).
python -m tests.e2e.screenshots --meeting — every screen of the dashboard's meeting mode (the
city, this year) as a projector shows it, 1920×1080, as meeting_NN.png."""

import os
import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.conftest import ROOT
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, login, new_context, wait_for_app

DEFAULT = ["public:/", "admin:/communities", "admin:/users"]


def main(shots: list[str], phone: bool = False, large: bool = False) -> None:
    """--phone: a 390×844 touch screen (names end in _phone); --large: 长辈模式 on (…_large)."""
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        server = Server(Path(tmp))
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for shot in shots:
                role, path = shot.split(":", 1)
                if phone:
                    context = new_context(browser, 390, 844)
                else:
                    context = new_context(browser, 1400, int(os.environ.get("SHOT_HEIGHT", 900)))
                if large:
                    context.add_cookies([{"name": "linli_large_type", "value": "1", "url": server.url}])
                page = context.new_page()
                if role != "public":
                    login(page, server, role)
                page.goto(server.url + path)
                wait_for_app(page)
                name = (role + path.replace("/", "_").replace("?", "_").replace("=", "_")).rstrip("_")
                name += "_phone" * phone + "_large" * large
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                print(out / f"{name}.png")
                context.close()
        finally:
            browser.close()
            server.stop()


def meeting() -> None:
    out = ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        server = Server(Path(tmp))
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = new_context(browser, 1920, 1080).new_page()
            login(page, server, "leader")
            page.goto(server.url + "/dashboard?period=year&meeting=1")
            wait_for_app(page)
            counter = page.locator(".st-key-meeting_nav").get_by_test_id("stCaptionContainer")
            total = int(re.findall(r"\d+", counter.inner_text())[-1])
            for n in range(1, total + 1):
                page.wait_for_timeout(1000)  # charts draw after the script has finished
                page.screenshot(path=str(out / f"meeting_{n:02d}.png"))
                print(out / f"meeting_{n:02d}.png")
                page.locator("body").press("PageDown")
                wait_for_app(page)
        finally:
            browser.close()
            server.stop()


if __name__ == "__main__":
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    if flags == {"--meeting"}:
        meeting()
    else:
        main([a for a in sys.argv[1:] if not a.startswith("--")] or DEFAULT, "--phone" in flags, "--large" in flags)
