"""python -m tests.e2e.screenshots [ROLE:PAGE ...] — start the app on a demo database and save
full-page screenshots to docs/screenshots/, to look at what users see (README uses home.png)."""

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.conftest import ROOT
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, login, wait_for_app

DEFAULT = ["public:/", "admin:/communities", "admin:/users"]


def main(shots: list[str]) -> None:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        server = Server(Path(tmp))
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for shot in shots:
                role, path = shot.split(":", 1)
                context = browser.new_context(viewport={"width": 1400, "height": int(os.environ.get("SHOT_HEIGHT", 900))})
                page = context.new_page()
                if role != "public":
                    login(page, server, role)
                page.goto(server.url + path)
                wait_for_app(page)
                name = (role + path.replace("/", "_").replace("?", "_").replace("=", "_")).rstrip("_")
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                print(out / f"{name}.png")
                context.close()
        finally:
            browser.close()
            server.stop()


if __name__ == "__main__":
    main(sys.argv[1:] or DEFAULT)
