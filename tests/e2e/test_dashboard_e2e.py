"""A leader opens the dashboard, changes the district, the KPI changes, and the meeting brief
downloads with every chart in it."""

import re

from playwright.sync_api import expect
from tests.viewers import poppler_pages, poppler_text

from tests.e2e.conftest import login, wait_for_app
from tests.e2e.test_volunteers_e2e import choose


def test_leader_dashboard_and_brief(server, new_page):
    page = new_page()
    login(page, server, "leader")
    page.goto(server.url + "/dashboard?period=year")
    wait_for_app(page)
    tile = page.get_by_test_id("stMetric").filter(has_text="注册志愿者").get_by_test_id("stMetricValue")
    city = tile.inner_text()
    choose(page, "区县", "东至县")
    expect(tile).not_to_have_text(city)
    assert "district=" in page.url  # the filters travel with the link
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts.first).to_be_visible()
    shown = charts.count()
    assert shown >= 6
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下载会议简报（PDF）").click()
    pdf = open(download.value.path(), "rb").read()
    text = poppler_text(pdf)
    assert "社区服务会议简报" in text and "东至县" in text
    # The figures table as a viewer prints it: the first figure with its value on the same line.
    assert re.search(r"注册志愿者\s+[\d,]+", text), text[:800]
    assert poppler_pages(pdf) == 1 + shown  # a page per chart after the figures
