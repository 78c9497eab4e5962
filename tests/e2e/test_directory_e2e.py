"""The directory in a real browser: a resident finds pharmacies open on Spring Festival morning;
a coordinator adds an outlet (bad hours first); the service card downloads."""

import re
import sqlite3

from playwright.sync_api import expect
from tests.viewers import poppler_pages, poppler_text

from datetime import date, time

from tests.e2e.conftest import ARTIFACTS, login, set_date, set_time, wait_for_app
from tests.e2e.test_volunteers_e2e import choose


def test_resident_finds_pharmacies_open_at_spring_festival(server, new_page):
    page = new_page()
    page.goto(server.url + "/directory")
    wait_for_app(page)
    expect(page.get_by_role("heading", name=re.compile("找到 \\d+ 个网点"))).to_be_visible()  # results first
    page.get_by_text("筛选：区县、社区、类别、时间").click()
    choose(page, "社区", "秋浦社区")
    choose(page, "类别", "药店")
    page.get_by_text("指定时间营业").click()
    wait_for_app(page)
    set_date(page, "日期", date(2025, 1, 29))
    set_time(page, "时间", time(10, 0))
    expect(page.get_by_text("2025-01-29 是法定节假日（春节）。")).to_be_visible()
    expect(page.get_by_role("heading", name="找到 2 个网点")).to_be_visible()
    expect(page.get_by_role("heading", name="秋浦大药房")).to_be_visible()
    expect(page.get_by_role("heading", name="仁和24小时药房")).to_be_visible()
    expect(page.get_by_role("heading", name="益民药店")).to_have_count(0)


def click_until(page, target, shown, checked: bool = False) -> None:
    """Click, and click again (as a person does) if what the click opens or chooses did not come:
    since this stop about one run in four lost a click here while a rerun redrew the page (a lead,
    see the closing note of #16; the old code passed 10 of 10)."""
    for attempt in range(3):
        wait_for_app(page)
        if attempt and (shown.is_checked() if checked else shown.is_visible()):
            return  # it came late: a second click would undo it (an expander closes again)
        target.click()
        wait_for_app(page)
        try:
            (expect(shown).to_be_checked if checked else expect(shown).to_be_visible)(timeout=5_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def test_coordinator_adds_outlet_and_public_sees_it(server, new_page):
    page = new_page(1300, 1800)
    login(page, server, "coordinator")
    page.goto(server.url + "/outlets_admin")
    wait_for_app(page)
    page.get_by_text("新增网点").click()
    form = page.get_by_test_id("stForm").first
    form.get_by_label("名称").fill("邻里修脚店")
    form.get_by_label("地址").fill("秋浦路 18 号")
    form.get_by_label("电话（多个用逗号分隔）").fill("0566-2028888")
    # the advanced way first, with a typo: told beside the field, in words, where and what belongs there
    form.get_by_text("OSM 语法（高级）").click()
    hours = form.get_by_role("textbox", name="OSM 营业时间表达式")
    click_until(page, form.get_by_text("高级：OSM 语法"), hours)
    hours.fill("Mo-Su 9点到18点")
    form.get_by_role("button", name="保存").click()
    error = form.get_by_test_id("stAlertContentError")
    expect(error).to_have_text("营业时间第 7 个字符处（“9点到18点”）应为时间：两位小时和分钟，如 08:00-12:00。")
    expect(hours).to_have_value("Mo-Su 9点到18点")
    # then the week as a coordinator fills it: lunch on weekdays, Sunday off, closed on holidays
    form.get_by_text("按周填写").click()
    for day in ("周一", "周二", "周三", "周四", "周五"):
        form.get_by_label(f"{day}有午休").check(force=True)  # its label is hidden: the header names the column
    form.get_by_label("周日休息").check(force=True)
    form.get_by_role("combobox", name="法定节假日").click()
    page.get_by_role("option", name="休息").click()
    page.screenshot(path=str(ARTIFACTS / "outlet_hours_editor.png"), full_page=True)
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_text("网点已保存。")).to_be_visible()
    saved = sqlite3.connect(server.db_path).execute("SELECT opening_hours FROM outlets WHERE name = '邻里修脚店'").fetchone()
    # written by hand from the grid: weekdays 08:00–18:00 with 12:00–14:00 off, Saturday 09:00–17:00
    assert saved == ("Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-17:00; PH off",)

    resident = new_page()
    resident.goto(server.url + "/directory")
    wait_for_app(resident)
    resident.get_by_label(re.compile("搜索名称")).fill("修脚")
    resident.get_by_label(re.compile("搜索名称")).press("Enter")
    wait_for_app(resident)
    resident.get_by_text("筛选：区县、社区、类别、时间").click()  # open or not at this hour: any time
    any_time = resident.get_by_role("radiogroup", name="营业时间").get_by_role("radio", name="不限")
    click_until(resident, resident.get_by_role("radiogroup", name="营业时间").get_by_text("不限"), any_time, checked=True)
    expect(resident.get_by_role("heading", name="邻里修脚店")).to_be_visible()


def test_service_card_downloads(server, new_page):
    page = new_page()
    page.goto(server.url + "/service_card")
    wait_for_app(page)
    choose(page, "选择社区", "秋浦社区")
    expect(page.get_by_role("heading", name="秋浦社区便民服务卡")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载服务卡（PDF）").click()
    pdf = open(download.value.path(), "rb").read()
    text = poppler_text(pdf)
    assert poppler_pages(pdf) == 1 and "秋浦社区便民服务卡" in text and "directory?community=" in text
    assert re.search(r"药店\s+\S+\s+[\d-]{11,13}\s+周\S+ \d\d:\d\d–\d\d:\d\d\S*\s+\d+米", text)  # a full row: the week, metres


def test_the_service_cards_address_keeps_its_community_through_the_first_taps(server, new_page):
    """A resident scans the service card (/directory?community=N) and taps at once, while the page is
    still drawing: the list stays the community's, however soon the taps come."""
    phone = new_page(390, 844)
    phone.goto(server.url + "/directory")
    wait_for_app(phone)  # the first visit seeds the demo city
    db = sqlite3.connect(server.db_path)
    community, name = db.execute("SELECT id, name FROM communities WHERE name = '秋浦社区'").fetchone()
    listed = db.execute("SELECT COUNT(*) FROM outlets WHERE community_id = ? AND status != 'closed'",
                        (community,)).fetchone()[0]
    for _visit in range(4):
        phone.goto(f"{server.url}/directory?community={community}")
        # the first tap as soon as there is something to tap, before the page has settled
        phone.get_by_role("button", name="信息有误？").first.tap()
        wait_for_app(phone)
        phone.get_by_text("筛选：区县、社区、类别、时间").tap()
        expect(phone.get_by_role("combobox", name="社区", exact=True)).to_have_value(name)
    phone.get_by_role("radiogroup", name="营业时间").get_by_text("不限").tap()  # every outlet of the community
    wait_for_app(phone)
    expect(phone.get_by_role("heading", name=f"找到 {listed} 个网点")).to_be_visible()
    expect(phone.get_by_role("combobox", name="社区", exact=True)).to_have_value(name)
