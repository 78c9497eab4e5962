"""An activity from publishing to hours, in Chromium, across one week on three servers sharing one
database file, each with its clock set where the journey is (Beijing time, server on UTC):

  Monday 10:00    the coordinator publishes Saturday's 河道清洁; a volunteer 报名 on her phone
  Saturday 08:55  the coordinator shows the sign-in code; she opens its address (logging in there), 签到
  Saturday 11:05  a fresh code for 签退; the coordinator approves: 09:00–11:00 = 2.0 hours by hand;
                  her certificate, and an employer checking its code on a phone

The code's address is read from the page as a phone's camera would read it from the QR code."""

import re
from datetime import datetime, time, timedelta

from playwright.sync_api import expect

from db import clock
from tests.e2e.conftest import Server, login, set_date, wait_for_app
from tests.e2e.test_volunteers_e2e import certificate_text, choose

TITLE = "河道清洁"


def _week():
    start = clock.today() + timedelta(days=14)
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    return monday, monday + timedelta(days=5)


def _code_address(page) -> str:
    """The address the QR code holds (shown under it for phones whose camera will not read it)."""
    page.get_by_text("显示签到二维码").click()
    caption = page.get_by_text(re.compile(r"扫码不便时，在手机浏览器打开："))
    expect(caption).to_be_visible()
    expect(page.get_by_test_id("stImage").locator("img")).to_be_visible()
    return re.search(r"(http\S+/sign_in\?t=\S+)", caption.inner_text()).group(1)


def _roster(page, server, saturday):
    """The roster on a new server: the login cookie of the days before still holds (same key)."""
    page.goto(server.url + "/activities_manage")
    wait_for_app(page)
    choose(page, "活动", TITLE, f"{saturday.month}月{saturday.day}日（周六）09:00–11:00 {TITLE}")


def test_publish_sign_up_scan_in_and_out_and_approve_on_a_phone(tmp_path, new_page):
    monday, saturday = _week()
    db_path = tmp_path / "e2e.db"
    desk = new_page()
    # Monday: publish, and 报名 on the phone
    server = Server(tmp_path, db_path, now=datetime.combine(monday, time(10, 0)))
    try:
        login(desk, server, "coordinator")
        desk.goto(server.url + "/activities_manage")
        wait_for_app(desk)
        desk.get_by_role("tab", name="发布活动").click()
        wait_for_app(desk)
        desk.get_by_label("活动名称", exact=True).fill(TITLE)
        desk.get_by_label("其他地点", exact=True).fill("秋浦河步道入口")  # not one of its outlets or centres
        set_date(desk, "日期", saturday)
        desk.get_by_role("button", name="发布活动").click()
        expect(desk.get_by_text("已发布 1 场活动。")).to_be_visible()

        phone = new_page(390, 844)
        login(phone, server, "volunteer")
        phone.goto(server.url + "/activities")
        wait_for_app(phone)
        join = phone.get_by_role("button", name="报名", exact=True)
        card = phone.get_by_test_id("stVerticalBlock").filter(has_text=TITLE).filter(has=join).last
        card.get_by_role("button", name="报名", exact=True).tap()
        expect(phone.get_by_text("报名成功。")).to_be_visible()
    finally:
        server.stop()

    # Saturday 08:55: the code on the coordinator's screen; the volunteer, signed out, opens it
    server = Server(tmp_path, db_path, now=datetime.combine(saturday, time(8, 55)))
    try:
        _roster(desk, server, saturday)
        address = _code_address(desk)
        scanner = new_page(390, 844)
        scanner.goto(address)
        wait_for_app(scanner)
        expect(scanner.get_by_text("请先登录志愿者账号，再完成签到（10 分钟内有效）。")).to_be_visible()
        scanner.get_by_label("用户名").fill("volunteer")
        scanner.get_by_label("密码").fill("linli-demo")
        scanner.get_by_role("button", name="登录").click()
        expect(scanner.get_by_text(TITLE)).to_be_visible()
        wait_for_app(scanner)  # the login's own reruns (the cookie being set) are over
        scanner.get_by_role("button", name="签到").tap()
        expect(scanner.get_by_text(re.compile(r"已签到：08:5\d。"))).to_be_visible()
    finally:
        server.stop()

    # Saturday 11:05: a fresh code for 签退, then the organiser's batch approval
    server = Server(tmp_path, db_path, now=datetime.combine(saturday, time(11, 5)))
    try:
        _roster(desk, server, saturday)
        scanner.goto(_code_address(desk))
        wait_for_app(scanner)
        scanner.get_by_role("button", name="签退").tap()
        expect(scanner.get_by_text(re.compile(r"已签退：11:0\d。"))).to_be_visible()

        desk.reload()
        wait_for_app(desk)
        choose(desk, "活动", TITLE, f"{saturday.month}月{saturday.day}日（周六）09:00–11:00 {TITLE}")
        approve = desk.get_by_role("button", name="审核通过 1 人，共 2.0 小时")
        expect(approve).to_be_visible()
        approve.click()
        expect(desk.get_by_text("已记入 1 人共 2.0 小时。")).to_be_visible()

        scanner.goto(server.url + "/activities")
        wait_for_app(scanner)
        scanner.get_by_role("tab", name="我的活动").tap()
        wait_for_app(scanner)
        expect(scanner.get_by_text(re.compile(r"签到 08:5\d · 签退 11:0\d · 2\.0 小时"))).to_be_visible()

        # The hours are on her certificate, which anyone holding it checks by its code
        scanner.goto(server.url + "/my_volunteering")
        wait_for_app(scanner)
        text = certificate_text(scanner)
        assert "陈晓雨" in text
        code = re.search(r"核验码：([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", text).group(1)
        employer = new_page(390, 844)
        employer.goto(f"{server.url}/verify?code={code}")
        wait_for_app(employer)
        expect(employer.get_by_text(re.compile(r"证明 ZYFW-\d{4}-\d{6} 有效"))).to_be_visible()
        expect(employer.get_by_text("陈**")).to_be_visible()
    finally:
        server.stop()
