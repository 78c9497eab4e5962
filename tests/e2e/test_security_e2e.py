"""In a real browser: HTML, script and markdown payloads typed into free-text fields render as
inert text; a login cookie stops working once its owner logs out."""

import re
from datetime import timedelta


from playwright.sync_api import expect

from db.connection import connect
from db.exchange import post_need
from db.models import PUBLIC, Actor
from db.outlets import create_outlet
from tests.e2e.conftest import Proxy, login, new_context, wait_for_app
from db import clock

PAYLOADS = ['<script>window.pwned = 1</script>', '<img src=x onerror="window.pwned = 2">',
            '[点我](javascript:window.pwned=3)', '<b onmouseover="window.pwned=4">粗体</b>',
            # Markdown that would fetch from, or link to, a host the attacker controls.
            '![x](http://198.51.100.7/p.png)', '[领取补贴](http://198.51.100.7/login)', 'www.198.51.100.7.example',
            '**加粗** $x^2$ :red[红字] :material/home:']


def test_payloads_render_as_text(server, new_page):
    page = new_page()
    page.goto(server.url)
    wait_for_app(page)  # the first visit seeds the demo city
    db = connect(server.db_path, migrate=False)
    qiupu = next(db.query("SELECT id, lat, lon FROM communities WHERE name = '秋浦社区'"))
    coordinator = Actor("coordinator", "coordinator", community_id=qiupu["id"], user_id=3)
    for n, payload in enumerate(PAYLOADS):
        post_need(db, coordinator, {"title": f"攻击{n} {payload}"[:60], "category": "medicine",
                                    "description": payload, "community_id": qiupu["id"], "requester_name": payload[:20],
                                    "expires_at": clock.now() + timedelta(days=2), "urgency": 3})
        create_outlet(db, coordinator, {"name": f"攻击{n} {payload}"[:60], "category": "pharmacy",
                                        "community_id": qiupu["id"], "address": payload[:100], "services": payload,
                                        "lat": qiupu["lat"], "lon": qiupu["lon"], "opening_hours": "24/7"})
    post_need(db, PUBLIC, {"title": "公众 <script>window.pwned=5</script>", "category": "errands",
                           "community_id": qiupu["id"], "requester_phone": "13900005555",
                           "expires_at": clock.now() + timedelta(days=2)})
    db.close()

    elsewhere = []  # every request to a host other than the app's own
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith((server.url, "data:", "blob:")) else None)
    for path in ("/exchange", "/directory?community=%d" % qiupu["id"]):
        page.goto(server.url + path)
        wait_for_app(page)
        expect(page.get_by_text("攻击0").first).to_be_visible()
        page.mouse.move(600, 600)
        assert page.evaluate("() => window.pwned") is None
        assert page.locator("main script, [data-testid='stMain'] script").count() == 0
        assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0
        assert page.locator("[data-testid='stMain'] a[href^='javascript']").count() == 0
        main = page.get_by_test_id("stMain")
        assert main.locator("a[href*='198.51.100.7'], img[src*='198.51.100.7']").count() == 0
        # the payload's :material/home: drawn as an icon would read "home" (Streamlit's own chevrons do not)
        assert main.locator("strong:text-is('加粗'), .katex, [data-testid='stIconMaterial']:text-is('home')").count() == 0
    assert elsewhere == []
    # The payload is shown as the text that was typed.
    expect(page.get_by_text("<script>window.pwned = 1</script>").first).to_be_visible()
    # (an invisible word joiner sits inside "://" so the address is never turned into a link)
    expect(page.get_by_text(re.compile(r"\[领取补贴\]\(http:\u2060?//198\.51\.100\.7/login\)")).first).to_be_visible()
    expect(page.get_by_text("**加粗** $x^2$ :red[红字] :material/home:").first).to_be_visible()

    login(page, server, "coordinator")
    page.goto(server.url + "/exchange_manage")
    wait_for_app(page)
    expect(page.get_by_text("公众 <script>window.pwned=5</script>").first).to_be_visible()
    assert page.evaluate("() => window.pwned") is None

    # A table's own toolbar offers no raw CSV export (it would write =HYPERLINK(…) unneutralised).
    page.goto(server.url + "/service_card")
    wait_for_app(page)
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    table.hover()
    expect(page.get_by_test_id("stElementToolbar").first).to_be_visible()  # the toolbar a hover shows
    assert table.get_by_role("button", name=re.compile("Download|下载")).count() == 0
    assert page.get_by_test_id("stElementToolbar").get_by_role("button", name=re.compile("Download|下载")).count() == 0


def test_cookie_is_refused_after_logout(server, browser):
    first = new_context(browser)
    page = first.new_page()
    login(page, server, "admin")
    page.goto(server.url + "/users")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="用户管理")).to_be_visible()
    copied = [c for c in first.cookies() if c["name"] == "linli_auth"]
    assert copied
    # Control: before the logout, the copied cookie alone logs a new browser in.
    twin = new_context(browser)
    twin.add_cookies(copied)
    twin_page = twin.new_page()
    twin_page.goto(server.url)
    wait_for_app(twin_page)
    expect(twin_page.get_by_test_id("stSidebar").get_by_role("link", name="用户管理")).to_be_visible()
    twin.close()
    page.get_by_test_id("stSidebar").get_by_role("button", name="退出登录").click()
    wait_for_app(page)
    first.close()

    thief = new_context(browser)
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto(server.url)
    wait_for_app(stolen)
    sidebar = stolen.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name="登录", exact=True)).to_be_visible()
    expect(sidebar.get_by_role("link", name="用户管理")).to_have_count(0)
    thief.close()


def test_forged_cookies_are_ignored_without_a_traceback(server, browser):
    import base64
    import json

    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    forged = [part({"alg": "none", "typ": "JWT"}) + "." + part({"username": "admin", "exp_date": 4102444800}) + ".",
              part({"alg": "HS256", "typ": "JWT"}) + "." + part({"username": "admin", "exp_date": 4102444800}) + ".c2ln",
              "not-a-token", part({"alg": "HS256"}) + "." + part({"exp_date": "soon"}) + ".x"]
    for value in forged:
        context = new_context(browser)
        context.add_cookies([{"name": "linli_auth", "value": value, "url": server.url}])
        page = context.new_page()
        page.goto(server.url + "/users")
        wait_for_app(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stSidebar").get_by_role("link", name="用户管理")).to_have_count(0)
        expect(page.get_by_test_id("stSidebar").get_by_role("link", name="登录")).to_be_visible()
        context.close()


def deployment_headers() -> dict[str, str]:
    """The response headers deploy/nginx-linli.conf adds, read from that file."""
    from tests.conftest import ROOT

    text = (ROOT / "deploy" / "nginx-linli.conf").read_text()
    # (not the process cookie: its value is each browser's own)
    return {k: v for k, v in re.findall(r'add_header\s+(\S+)\s+"([^"]+)"\s+always;', text) if k != "Set-Cookie"}


def test_the_deployment_headers_work_with_streamlit(server, browser, tmp_path):
    import urllib.request

    headers = deployment_headers()
    assert {"X-Frame-Options", "Content-Security-Policy"} <= set(headers)
    proxy = Proxy([server], tmp_path)
    try:
        sent = urllib.request.urlopen(proxy.url + "/").headers
        assert {k: sent[k] for k in headers} == headers  # the proxy really sends them
        context = new_context(browser, 1300)
        violations = []
        page = context.new_page()
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        login(page, proxy, "leader")  # the login form and the cookie component (an iframe) work
        for path in ("/directory", "/service_card", "/dashboard"):
            page.goto(proxy.url + path)
            wait_for_app(page)
            expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first).to_be_visible()
        assert violations == []
        context.close()
    finally:
        proxy.stop()
