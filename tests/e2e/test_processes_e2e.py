"""Two app processes on one store behind Debian's nginx running deploy/nginx-linli.conf, as a
larger deployment runs them: a browser stays with one process, a login cookie signed by one is
taken by the other, and a write made in one process shows in the other's cached figures."""

import re
import time
from collections import defaultdict

from playwright.sync_api import expect

from components.data import FRESH_SECONDS
from db.connection import connect
from db.dashboard import Scope, kpis
from tests.e2e.conftest import Proxy, Server, login, wait_for_app


def test_two_processes_behind_the_proxy_share_logins_and_fresh_figures(tmp_path, new_page):
    store = tmp_path / "shared.db"
    first = Server(tmp_path / "a", db_path=store)
    second = Server(tmp_path / "b", db_path=store)
    proxy = Proxy([first, second], tmp_path / "nginx")
    try:
        # Through the proxy: every request of one browser (page, scripts, websocket) reaches one process.
        residents = [new_page(390, 844) for _ in range(4)]
        for phone in residents:
            phone.goto(proxy.url + "/directory")
            wait_for_app(phone)
            expect(phone.get_by_role("heading", name=re.compile("找到 \\d+ 个网点"))).to_be_visible()
        served = defaultdict(set)
        for cookie, upstream in proxy.routes():
            if cookie != "-":
                served[cookie].add(upstream)
        assert len(served) == 4 and all(len(ups) == 1 for ups in served.values()), served

        # A leader signed in on one process is signed in on the other (one cookie key, sessions in the store).
        leader = new_page()
        login(leader, first, "leader")
        leader.goto(second.url + "/dashboard")
        wait_for_app(leader)
        tile = leader.get_by_test_id("stMetric").filter(has_text="注册志愿者").get_by_test_id("stMetricValue")
        db = connect(store, migrate=False)
        month = Scope(second.today.replace(day=1), second.today)
        before = kpis(db, month)["registered"]
        expect(tile).to_have_text(f"{before:,}")  # now cached in the second process

        # The coordinator approves a sign-up in the first process...
        desk = new_page(1300, 1400)
        login(desk, first, "coordinator")
        desk.goto(first.url + "/volunteers")
        wait_for_app(desk)
        desk.get_by_role("tab", name="待审核报名").click()
        wait_for_app(desk)
        desk.get_by_role("button", name="通过").first.click()
        expect(desk.get_by_text("已通过，编号")).to_be_visible()
        after = kpis(db, month)["registered"]
        assert after == before + 1

        # ...and the leader's look at the same view, in the second process, shows it within
        # FRESH_SECONDS (a person reloading; each reload is a new session on that process).
        approved = time.monotonic()
        while True:
            leader.reload()
            wait_for_app(leader)
            shown = tile.inner_text()
            if shown == f"{after:,}" or time.monotonic() - approved > FRESH_SECONDS + 10:
                break
            assert shown == f"{before:,}"  # the figure cached before the write, never anything else
            time.sleep(1)
        assert shown == f"{after:,}"
        assert time.monotonic() - approved <= FRESH_SECONDS + 5
    finally:
        proxy.stop()
        first.stop()
        second.stop()
