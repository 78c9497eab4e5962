"""A resident signs up → the coordinator approves → records 3 hours → the admin approves them → the
volunteer logs in and downloads a certificate that shows 3.0 hours."""

import re
from datetime import date

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect
from tests.viewers import poppler_text

from db.identity import make_id
from tests.e2e.conftest import login, wait_for_app


def choose(page, label, typed, option=None):
    """Pick an option of a selectbox or multiselect by typing part of it."""
    box = page.get_by_role("combobox", name=label, exact=True)
    # A rerun that redraws the open list (a component reporting in on a busy machine) leaves a
    # click chasing an option that keeps moving: then the list is opened again, up to three times.
    for attempt in range(3):
        wait_for_app(page)
        box.click()
        box.fill(typed)
        try:
            page.get_by_role("option", name=option or typed).first.click(timeout=8_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    # A multiselect stays open after a pick: close it. Never press Escape on a closed selectbox —
    # Streamlit clears a focused selectbox on Escape, undoing the pick.
    if page.get_by_role("listbox").count():
        page.keyboard.press("Escape")
    wait_for_app(page)


def certificate_text(page) -> str:
    """On 我的志愿服务: make the certificate, download it, and read it as Poppler does (no spaces)."""
    page.get_by_role("tab", name="服务记录证明").click()
    page.get_by_role("button", name="生成证明").click()
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="下载证明（PDF）").click()
    return re.sub(r"\s", "", poppler_text(open(download.value.path(), "rb").read(), layout=False))


@pytest.mark.parametrize("server", ["now", "night"], indirect=True)
def test_sign_up_to_certificate(server, new_page):
    id_number = make_id("341702", date(1980, 1, 1), 7, "M")  # the form's default birth date and gender

    resident = new_page()
    resident.goto(server.url + "/volunteer_signup")
    wait_for_app(resident)
    resident.get_by_label("姓名").fill("周建国")
    resident.get_by_label("身份证号", exact=True).fill(id_number)
    resident.get_by_label("手机号").fill("13966660001")
    choose(resident, "所在社区", "秋浦社区")
    resident.get_by_text("我同意社区").click()
    resident.get_by_role("button", name="提交报名").click()
    expect(resident.get_by_text("报名已提交，请等待社区审核。")).to_be_visible()

    coordinator = new_page()
    login(coordinator, server, "coordinator")
    coordinator.goto(server.url + "/volunteers")
    wait_for_app(coordinator)
    coordinator.get_by_role("tab", name="待审核报名").click()
    card = coordinator.get_by_test_id("stVerticalBlock").filter(has_text="周建国").filter(
        has=coordinator.get_by_role("button", name="通过", exact=True)).last
    card.get_by_role("button", name="通过", exact=True).click()
    wait_for_app(coordinator)
    message = coordinator.get_by_text(re.compile("^已通过，编号.*一次性密码")).inner_text()
    username = re.search(r"登录名 (\S+)，", message).group(1)
    password = re.search(r"一次性密码 (\S+)（", message).group(1)

    coordinator.goto(server.url + "/hours")
    wait_for_app(coordinator)
    choose(coordinator, "志愿者（可多选，同一活动）", "周建国")
    coordinator.get_by_label("活动名称", exact=True).fill("周建国首次上门陪伴")
    coordinator.get_by_text("按起止时间计算").click()
    coordinator.get_by_label("时长（分钟）").fill("180")
    coordinator.get_by_role("button", name="保存（待审核）").click()
    expect(coordinator.get_by_text("已记录 1 条，待审核。")).to_be_visible()
    coordinator.get_by_role("tab", name="待审核", exact=True).click()
    wait_for_app(coordinator)
    # Four eyes: hours the coordinator typed wait for someone else (here the city's admin), who
    # narrows the table of waiting hours to this activity, ticks it and approves after confirming
    coordinator.get_by_label("活动名称含").fill("周建国首次")
    coordinator.get_by_label("活动名称含").press("Enter")
    wait_for_app(coordinator)
    expect(coordinator.get_by_text("你录入的 1 条待他人审核")).to_be_visible()
    admin = new_page()
    login(admin, server, "admin")
    admin.goto(server.url + "/hours")
    wait_for_app(admin)
    admin.get_by_role("tab", name="待审核", exact=True).click()
    wait_for_app(admin)
    admin.get_by_label("活动名称含").fill("周建国首次")
    admin.get_by_label("活动名称含").press("Enter")
    wait_for_app(admin)
    admin.get_by_text("全选当前筛选的 1 条").click()
    wait_for_app(admin)
    admin.get_by_role("button", name="通过所选（1 条）").click()
    wait_for_app(admin)
    expect(admin.get_by_text("确认通过 1 条、共 3.0 小时？")).to_be_visible()
    admin.get_by_role("button", name="确认通过").click()
    expect(admin.get_by_text("已通过 1 条。")).to_be_visible()

    volunteer = new_page()
    login(volunteer, server, username, password)
    # A one-time password is replaced by one only the volunteer knows before anything else.
    expect(volunteer.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(volunteer.get_by_test_id("stSidebar").get_by_role("link", name="我的志愿服务")).to_have_count(0)
    volunteer.get_by_label("当前密码").fill(password)
    volunteer.get_by_label("新密码", exact=True).fill("zhou-jianguo-2026")
    volunteer.get_by_label("再输入一次新密码").fill("zhou-jianguo-2026")
    old_cookie = [c["value"] for c in volunteer.context.cookies() if c["name"] == "linli_auth"]
    volunteer.get_by_role("button", name="修改密码").click()
    expect(volunteer.get_by_test_id("stSidebar").get_by_role("link", name="我的志愿服务")).to_be_visible()
    wait_for_app(volunteer)
    # The change ended every earlier session and cookie; this browser was given a new one.
    volunteer.wait_for_function("old => !document.cookie.includes(old)", arg=old_cookie[0] if old_cookie else "x")
    volunteer.goto(server.url + "/my_volunteering")
    wait_for_app(volunteer)
    expect(volunteer.get_by_test_id("stMetricValue").first).to_have_text("3.0")
    text = certificate_text(volunteer)
    assert "周建国" in text and "累计志愿服务时长3.0小时" in text
    assert f"出具日期：{server.today}" in text  # Beijing's date, also at 00:30 on a UTC server
    # Whoever receives the paper checks it: the code printed on it opens the answer at once.
    code = re.search(r"核验码：([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", text).group(1)
    employer = new_page(390, 844)
    employer.goto(server.url + "/verify?code=" + code)
    wait_for_app(employer)
    expect(employer.get_by_text(re.compile(r"证明 ZYFW-\d{4}-\d{6} 有效"))).to_be_visible()
    expect(employer.get_by_text("3.0 小时")).to_be_visible()
    expect(employer.get_by_text("周**")).to_be_visible()
    assert "周建国" not in employer.inner_text("body")
