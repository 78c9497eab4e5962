"""A resident on a 390×844 phone: from the home page to the open pharmacy nearest to them in two
taps, the browser's own location (granted, as a person would) sorting the list; large type kept
for the next visit; the sidebar out of the way after choosing a page."""

import math
import re
import sqlite3
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app

HERE = {"latitude": 30.6652, "longitude": 117.4915}  # a street in 贵池区, near 秋浦社区


def metres(lat1, lon1, lat2, lon2) -> float:
    """Haversine by hand (the test's own, not the app's), on a 6,371 km sphere."""
    p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


@pytest.mark.parametrize("server", ["day"], indirect=True)  # at 22:00 only the one 24-hour pharmacy is open
def test_two_taps_from_home_to_the_nearest_open_pharmacy(server, new_page):
    page = new_page(390, 844)
    page.context.grant_permissions(["geolocation"], origin=server.url)
    page.context.set_geolocation(HERE)
    page.goto(server.url + "/")
    wait_for_app(page)
    # Timed as a person sees it: each tap as soon as its button shows, until the sorted list shows.
    started = time.monotonic()
    page.get_by_role("link", name=re.compile("找药店")).tap()  # tap 1
    page.frame_locator("iframe[title*='near_me']").get_by_role("button", name="按离我最近排序").tap()  # tap 2
    expect(page.get_by_text("按离您的直线距离排序。")).to_be_visible()
    expect(page.get_by_role("tabpanel").locator("h3").first).to_be_visible()
    elapsed = time.monotonic() - started
    wait_for_app(page)
    name = page.get_by_role("tabpanel").locator("h3").first.inner_text()  # the list tab's first card
    text = page.get_by_test_id("stMain").inner_text()
    first_card = text[text.index(name):]
    first_card = first_card[:first_card.index("导航")]  # the card ends with its directions button
    shown = int(re.search(r"(\d+) 米", first_card).group(1))
    db = sqlite3.connect(server.db_path)
    found = db.execute("SELECT lat, lon, category FROM outlets WHERE name = ?", [name]).fetchone()
    assert found, repr(name)
    lat, lon, category = found
    assert category == "pharmacy" and "营业中" in first_card
    assert abs(metres(HERE["latitude"], HERE["longitude"], lat, lon) - shown) <= 2
    distances = [int(m) for m in re.findall(r"(\d+) 米", page.get_by_test_id("stMain").inner_text())]
    assert distances == sorted(distances) and len(distances) >= 2
    assert elapsed <= 3.0, f"{elapsed:.1f} s from home to the sorted list"


def test_large_type_is_remembered_and_the_sidebar_steps_aside(server, new_page):
    page = new_page(390, 844)
    page.goto(server.url + "/")
    wait_for_app(page)
    intro = page.get_by_text(re.compile("^邻里是池州市社区服务平台"))  # body text of the home page

    def body_size():
        return intro.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")

    assert body_size() < 20
    page.get_by_test_id("stExpandSidebarButton").tap()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    sidebar.get_by_text("长辈模式（大字）").tap()
    wait_for_app(page)
    assert body_size() >= 20
    sidebar.get_by_role("link", name="便民服务网点").tap()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="便民服务网点")).to_be_visible()
    expect(sidebar).to_have_attribute("data-collapsed", "true")  # the page, not the menu, after choosing
    # a later visit from the same browser starts in large type
    page.goto(server.url + "/")
    wait_for_app(page)
    assert body_size() >= 20
