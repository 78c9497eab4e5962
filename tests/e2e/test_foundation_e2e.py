"""A person's first visit: log in as the demo admin, open every page, switch language, log out."""

from playwright.sync_api import expect

from tests.e2e.conftest import login, wait_for_app


def test_admin_journey(server, page):
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="邻里 · 社区服务")).to_be_visible()

    login(page, server, "admin")
    sidebar = page.get_by_test_id("stSidebar")
    for link, heading in (("社区", "社区"), ("用户管理", "用户管理"), ("操作日志", "操作日志"),
                          ("首页", "邻里 · 社区服务")):
        sidebar.get_by_role("link", name=link, exact=True).click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)

    sidebar.get_by_text("English").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Linli · Community services")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Users", exact=True)).to_be_visible()
    sidebar.get_by_role("link", name="Audit log", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Audit log", exact=True)).to_be_visible()

    sidebar.get_by_role("button", name="Log out").click()
    wait_for_app(page)
    expect(sidebar.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(sidebar.get_by_role("link", name="Users", exact=True)).to_have_count(0)


def test_wrong_password_in_browser(server, page):
    page.goto(server.url + "/login")
    wait_for_app(page)
    page.get_by_label("用户名").fill("leader")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("用户名或密码错误。多次输错后需等几分钟再试，或请管理员解锁。")).to_be_visible()
