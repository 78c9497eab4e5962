"""A coordinator posts a need for a resident → a volunteer claims it → marks it done with 90
minutes → the coordinator confirms → the volunteer's total grows by 1.5 hours and the
time-bank statement shows the credit."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login, wait_for_app


def total_hours(page, server) -> float:
    page.goto(server.url + "/my_volunteering")
    wait_for_app(page)
    return float(page.get_by_test_id("stMetricValue").first.inner_text())


def test_need_to_credit(server, new_page):
    title = "帮王奶奶配降压药"
    coordinator = new_page()
    login(coordinator, server, "coordinator")
    coordinator.goto(server.url + "/exchange_manage")
    wait_for_app(coordinator)
    coordinator.get_by_role("tab", name="代居民发布").click()
    wait_for_app(coordinator)
    form = coordinator.get_by_test_id("stForm")
    form.get_by_label("需要什么帮助").fill(title)
    form.get_by_label("联系人").fill("王奶奶")
    form.get_by_label("联系电话").fill("13900001111")
    form.get_by_role("button", name="发布求助").click()
    expect(coordinator.get_by_text("已发布。")).to_be_visible()

    volunteer = new_page()
    login(volunteer, server, "volunteer")
    before = total_hours(volunteer, server)
    volunteer.goto(server.url + "/exchange")
    wait_for_app(volunteer)
    card = volunteer.get_by_test_id("stVerticalBlock").filter(has_text=title).filter(
        has=volunteer.get_by_role("button", name="我来认领")).last
    card.get_by_role("button", name="我来认领").click()
    expect(volunteer.get_by_text("认领成功，请尽快联系求助人。")).to_be_visible()

    volunteer.goto(server.url + "/my_exchange")
    wait_for_app(volunteer)
    claim_form = volunteer.get_by_test_id("stForm").filter(
        has=volunteer.get_by_role("button", name="标记完成")).first
    expect(volunteer.get_by_text(title)).to_be_visible()
    claim_form.get_by_label(re.compile("实际服务时长")).fill("90")
    claim_form.get_by_role("button", name="标记完成").click()
    expect(volunteer.get_by_text("已标记完成，等待确认。")).to_be_visible()

    coordinator.goto(server.url + "/exchange_manage")
    wait_for_app(coordinator)
    coordinator.get_by_role("tab", name="确认完成").click()
    wait_for_app(coordinator)
    done_card = coordinator.get_by_test_id("stVerticalBlock").filter(has_text=title).filter(
        has=coordinator.get_by_role("button", name="确认完成")).last
    done_card.get_by_role("button", name="确认完成").click()
    expect(coordinator.get_by_text(re.compile("已确认，时长已记入台账"))).to_be_visible()

    assert total_hours(volunteer, server) == before + 1.5
    volunteer.goto(server.url + "/my_exchange")
    wait_for_app(volunteer)
    volunteer.get_by_role("tab", name="时间银行").click()
    wait_for_app(volunteer)
    statement = volunteer.get_by_test_id("stDataFrame")
    expect(statement).to_be_visible()
    # The newest line comes first: the credit for this need, +90 minutes.
    expect(statement).to_contain_text(title)
