"""A real `streamlit run app.py` on a free port with a temporary database, driven by Playwright in
Debian's Chromium. Locally the tests skip without Chromium; in CI (CI=true) they must run."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, time as clock_time, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect

from components.auth import COOKIE_NAME
from db import clock
from tests.conftest import ROOT, in_ci

# On a busy machine a rerun can take seconds: assertions wait up to 15 s (they return as soon as
# the page shows what is expected).
expect.set_options(timeout=15_000)

# Settling without sleeps: the page records when it last sent Streamlit anything (a widget change,
# a click) and when a script run last finished. The app has settled when no run is going, the last
# run finished after the last message sent and 300 ms ago: a rerun that a click asked for but the
# server has not started yet is waited for (up to 1.5 s for it to start, however long it then
# runs), and so is a run the server chains to the last one (st.rerun, a page switch).
SETTLE_PROBE = """
window.__linli = {sent: 0, finished: 0};
const linliSend = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) { window.__linli.sent = performance.now(); return linliSend.call(this, data); };
new MutationObserver((changes) => {
  for (const c of changes) {
    if (c.target.getAttribute('data-test-script-state') === 'notRunning') window.__linli.finished = performance.now();
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const seen = window.__linli, now = performance.now();
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!seen) return true;
  // A message that starts no run (a value sent again unchanged) is given up on after 1.5 s; a run
  // the server starts by itself (st.rerun, a page switch) follows the last one within moments, so
  // the page must also have been quiet for 300 ms.
  return (seen.finished >= seen.sent || now - seen.sent > 1500) && now - seen.finished > 300;
}"""

CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
COOKIE_KEY = "e2e-cookie-key-" + "y" * 32  # the servers these tests start sign login cookies with it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def night_start() -> datetime:
    """00:30 Beijing on the day after the machine's UTC date: whatever the hour a test runs, the
    server's own date (UTC, as in a container) is then the day before Beijing's."""
    return datetime.combine(datetime.now(timezone.utc).date() + timedelta(days=1), clock_time(0, 30))


class Server:
    def __init__(self, tmp: Path, db_path: Path | None = None, now: datetime | None = None):
        tmp.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_path = db_path or tmp / "e2e.db"
        self.today = (now or clock.now()).date()  # Beijing's date on this server
        env = {**os.environ, "LINLI_DB_PATH": str(self.db_path), "LINLI_DEMO": "1",
               "LINLI_COOKIE_KEY": COOKIE_KEY, "LINLI_BCRYPT_ROUNDS": "4", "TZ": "UTC"}
        if now:
            env["LINLI_NOW"] = now.isoformat()
        self.log = open(tmp / "streamlit.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(self.url + "/_stcore/health", timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start: " + (tmp / "streamlit.log").read_text())

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Proxy:
    """Debian's nginx running deploy/nginx-linli.conf in a temporary prefix, listening on a free
    port, its upstream the given app servers (the file's own `server` lines replaced)."""

    def __init__(self, servers: list, tmp: Path):
        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if nginx is None:
            if in_ci():
                pytest.fail("nginx is required in CI (Debian's nginx)")
            pytest.skip("nginx not installed")
        tmp.mkdir(parents=True, exist_ok=True)
        self.tmp, self.port = tmp, free_port()
        site = (ROOT / "deploy" / "nginx-linli.conf").read_text()
        lines = "".join(f"server 127.0.0.1:{s.port};\n    " for s in servers)
        site = re.sub(r"(server 127\.0\.0\.1:\d+;\s*)+", lines, site, count=1)
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        temps = " ".join(f"{kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        # the access log names the process that served each request (which process a browser sticks to)
        (tmp / "nginx.conf").write_text(
            f"pid {tmp}/nginx.pid; error_log {tmp}/error.log; worker_processes 1;\nevents {{}}\n"
            f"http {{ log_format routed '$cookie_linli_node $upstream_addr $status $request_uri';\n"
            f"access_log {tmp}/access.log routed; {temps}\n{site}\n}}\n")
        self.proc = subprocess.Popen([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                                     stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError((tmp / "error.log").read_text())

    def routes(self) -> list[tuple[str, str]]:
        """(process cookie, upstream) of every request so far."""
        log = self.tmp / "access.log"
        return [tuple(line.split()[:2]) for line in log.read_text().splitlines()] if log.exists() else []

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


# A mid-morning of an ordinary working day (a Wednesday, no holiday near): shops and pharmacies keep
# their day hours, whatever the hour the suite runs at.
WORKDAY_MORNING = datetime(2026, 11, 18, 10, 0)


@pytest.fixture
def server(tmp_path, request):
    """A server on the real clock; a journey that depends on the date also runs on one whose clock
    starts at 00:30 Beijing (parametrize indirectly with "night"); one that depends on what is open
    now runs on a working day's morning ("day")."""
    when = getattr(request, "param", "now")
    srv = Server(tmp_path, now=night_start() if when == "night" else WORKDAY_MORNING if when == "day" else None)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if in_ci():
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip("Chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def new_context(browser, width: int = 1400, height: int = 1000):
    """A person's browser: Chinese locale, downloads allowed, the settling probe installed; a
    width under 500 is a phone (touch, mobile viewport)."""
    phone = width < 500
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", accept_downloads=True,
                                  is_mobile=phone, has_touch=phone)
    context.set_default_timeout(30_000)
    context.add_init_script(SETTLE_PROBE)
    return context


@pytest.fixture
def page(browser, request):
    context = new_context(browser)
    pg = context.new_page()
    yield pg
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def new_page(browser, request):
    """A factory of pages, each in its own context (a separate person); on failure every page
    leaves a screenshot in test-artifacts/."""
    contexts = []

    def make(width: int = 1300, height: int = 1000):
        context = new_context(browser, width, height)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for n, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for m, pg in enumerate(context.pages):
                pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}-{m}.png"), full_page=True)
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def wait_for_app(page):
    """Wait until Streamlit has settled: no script running, and none asked for and not yet run
    (SETTLE_PROBE). No fixed pauses: on a busy machine they are too short, on a quiet one too long."""
    # The navigation, or (when a role has a single page, and Streamlit then shows no menu) a title.
    page.wait_for_selector('[data-testid="stSidebarNav"], [data-testid="stMain"] h1', state="attached", timeout=30_000)
    page.wait_for_function(SETTLED, timeout=60_000)


def login(page, server, username, password="linli-demo"):
    page.goto(server.url + "/login")
    wait_for_app(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    try:
        page.get_by_text("当前用户").wait_for(timeout=15_000)
    except PlaywrightTimeout:
        # Seen once in CI with both cores busy: the form still filled, no message, no login — the
        # submit lost to a rerun a component triggered at that moment (Streamlit's, not ours; a
        # person clicks again, and so does the test, once).
        page.get_by_role("button", name="登录").click()
        page.get_by_text("当前用户").wait_for()
    wait_for_app(page)
    # The login cookie is written by a browser component after the page shows the user: a test
    # that opens another address must wait for it, or it arrives there signed out.
    deadline = time.time() + 30
    while not any(c["name"] == COOKIE_NAME for c in page.context.cookies()):
        assert time.time() < deadline, "the login cookie was never set"
        page.wait_for_timeout(50)


def set_date(page, label: str, day) -> None:
    """Type a date into Streamlit's date field, segment by segment (the field has no text box)."""
    for part, value in (("year", f"{day.year}"), ("month", f"{day.month:02d}"), ("day", f"{day.day:02d}")):
        page.locator(f'[aria-label="{part}, {label}"]').first.click()
        page.keyboard.type(value)
    page.keyboard.press("Escape")  # close the calendar the field opens
    wait_for_app(page)


def set_time(page, label: str, moment) -> None:
    """Type a time into Streamlit's time field and commit it. The field (react-aria) applies a typed
    value only on Enter or blur; Escape throws it away, so a test that pressed Escape silently ran
    at the current hour."""
    field = page.locator('[data-testid="stTimeInput"]').filter(has=page.get_by_text(label, exact=True))
    # The segments are named in the browser's locale ("小时, 时间"); CSS, not role, because the
    # date picker's popover may leave the rest aria-hidden for a moment.
    for part, value in (("小时", f"{moment.hour:02d}"), ("分钟", f"{moment.minute:02d}")):
        field.locator(f'[aria-label="{part}, {label}"]').click()
        page.keyboard.type(value)
    page.keyboard.press("Enter")
    expect(field.locator('input[type="hidden"]')).to_have_value(f"{moment:%H:%M}:00")
    wait_for_app(page)
