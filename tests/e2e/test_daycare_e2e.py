"""A coordinator adds a Tuesday/Thursday exercise programme → books a member → the public week
view shows it → check-in marks attendance → the meal count for that day changes."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, set_date, wait_for_app
from tests.e2e.test_volunteers_e2e import choose


def next_weekday(today: date, weekday: int) -> date:
    day = today + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


@pytest.mark.parametrize("server", ["now", "night"], indirect=True)
def test_programme_to_meal_count(server, new_page):
    tuesday = next_weekday(server.today, 1)
    page = new_page()
    login(page, server, "coordinator")
    page.goto(server.url + "/daycare_manage")
    wait_for_app(page)
    form = page.get_by_test_id("stForm")
    form.get_by_label("课程名称").fill("八段锦")
    choose(page, "类型", "健身")
    form.get_by_label("场地").fill("多功能厅")
    choose(page, "每周", "周二")
    choose(page, "每周", "周四")
    form.get_by_role("button", name="创建").click()
    expect(page.get_by_text("课程已添加。")).to_be_visible()

    page.get_by_role("tab", name="预约").click()
    wait_for_app(page)
    set_date(page, "日期", tuesday)
    choose(page, "场次", "09:00 八段锦", "09:00 八段锦 · 多功能厅")
    page.get_by_role("button", name="预约", exact=True).click()
    expect(page.get_by_text("已预约。")).to_be_visible()

    resident = new_page()
    resident.goto(server.url + "/daycare")
    wait_for_app(resident)
    choose(resident, "照料中心", "秋浦社区老年人日间照料中心")
    set_date(resident, "周", tuesday)
    expect(resident.get_by_text("09:00–10:00 八段锦").first).to_be_visible()
    expect(resident.get_by_text("1/20 人").first).to_be_visible()  # the default 20 places, one booked

    page.get_by_role("tab", name="用餐人数").click()
    wait_for_app(page)
    set_date(page, "日期", tuesday)
    before = int(page.get_by_test_id("stMetricValue").nth(1).inner_text())

    page.get_by_role("tab", name="签到").click()
    wait_for_app(page)
    set_date(page, "日期", tuesday)
    choose(page, "场次", "09:00 八段锦", "09:00 八段锦 · 多功能厅")
    row = page.get_by_test_id("stHorizontalBlock").filter(has_text="待签到").first
    row.get_by_role("button", name="到", exact=True).click()
    expect(page.get_by_text("已签到。")).to_be_visible()

    page.get_by_role("tab", name="用餐人数").click()
    wait_for_app(page)
    set_date(page, "日期", tuesday)
    expect(page.get_by_test_id("stMetricValue").nth(1)).to_have_text(str(before + 1))
