"""A leader opens the dashboard, changes the district, the KPI changes, and the meeting brief
downloads with every chart in it."""

import re

from playwright.sync_api import expect
from tests.viewers import poppler_pages, poppler_text

from tests.e2e.conftest import login, new_context, wait_for_app
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
    # A spinner while it renders, so nobody clicks twice. It may come and go between two polls on a
    # busy machine: the page itself notes whether it ever appeared.
    page.evaluate("""() => { window.sawSpinner = false;
      new MutationObserver(() => { if (document.body.innerText.includes("正在生成会议简报")) window.sawSpinner = true; })
        .observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    page.get_by_role("button", name="生成会议简报").click()
    expect(page.get_by_text(re.compile("简报已生成"))).to_be_visible(timeout=120_000)
    assert page.evaluate("window.sawSpinner")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下载简报（PDF）").click()
    pdf = open(download.value.path(), "rb").read()
    text = poppler_text(pdf)
    assert "社区服务会议简报" in text and "东至县" in text
    # The figures table as a viewer prints it: the first figure with its value on the same line.
    assert re.search(r"注册志愿者\s+[\d,]+", text), text[:800]
    # the figures, then a page per chart on screen but the coverage grid (the ranked gaps stand for it)
    assert poppler_pages(pdf) == 1 + shown - 1
    assert "最大的 " in text and "处生活圈缺口" in text


def test_three_filter_changes_in_a_row_all_hold(server, new_page):
    """District, district again, then period: each choice stays in its box, in the scope line and
    in the figures (the widgets used to be rebuilt from the URL, losing every second change)."""
    from db.connection import connect
    from db.dashboard import Scope, kpis
    from datetime import date

    page = new_page()
    login(page, server, "leader")
    page.goto(server.url + "/dashboard")
    wait_for_app(page)
    db = connect(server.db_path, migrate=False)
    today = server.today
    tile = page.get_by_test_id("stMetric").filter(has_text="注册志愿者").get_by_test_id("stMetricValue")
    scope_line = page.get_by_test_id("stCaptionContainer").filter(has_text=" 至 ").first

    def expect_view(district, start):
        expect(page.get_by_role("combobox", name="区县", exact=True)).to_have_value(district)
        expect(scope_line).to_contain_text(f"{start} 至 {today} · {district}")
        expected = kpis(db, Scope(start, today, district))["registered"]  # the figure, from the database
        expect(tile).to_have_text(f"{expected:,}")

    month = today.replace(day=1)
    choose(page, "区县", "贵池区")
    expect_view("贵池区", month)
    choose(page, "区县", "石台县")
    expect_view("石台县", month)
    choose(page, "时间段", "本年")
    expect_view("石台县", date(today.year, 1, 1))
    assert "district=%E7%9F%B3%E5%8F%B0%E5%8E%BF" in page.url and "period=year" in page.url


def test_meeting_mode_at_1920_by_1080_turns_with_keys_and_a_clicker(server, browser):
    """A projector: the leader turns meeting mode on, then turns screens with the arrow keys and
    with a clicker (PageDown/PageUp), twice in a row each way; nothing but the content is shown,
    figures are at least 48 px; Esc leaves with the filters as they were."""
    context = new_context(browser, 1920, 1080)
    page = context.new_page()
    login(page, server, "leader")
    page.goto(server.url + "/dashboard?period=year&district=东至县")
    wait_for_app(page)
    page.get_by_text("会议模式", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_test_id("stSelectbox")).to_have_count(0)
    expect(page.locator(".st-key-meeting_corner")).to_contain_text("东至县")
    expect(page.get_by_role("heading", name="志愿服务")).to_be_visible()
    value = page.get_by_test_id("stMetricValue").first
    assert float(value.evaluate("e => getComputedStyle(e).fontSize")[:-2]) >= 48
    assert "None" not in page.get_by_test_id("stMain").inner_text()
    counter = page.locator(".st-key-meeting_nav").get_by_test_id("stCaptionContainer")
    total = int(re.findall(r"\d+", counter.inner_text())[-1])

    def press(key, expected):
        page.locator("body").press(key)
        expect(counter).to_have_text(f"第 {expected} 屏，共 {total} 屏")
        wait_for_app(page)

    press("ArrowRight", 2)
    press("ArrowRight", 3)
    press("PageDown", 4)  # the clicker's "next"
    press("PageDown", 5)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1)  # one chart on a screen
    press("PageUp", 4)
    press("ArrowLeft", 3)
    page.locator("body").press("Escape")
    wait_for_app(page)
    expect(page.get_by_role("combobox", name="区县", exact=True)).to_have_value("东至县")
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    context.close()
