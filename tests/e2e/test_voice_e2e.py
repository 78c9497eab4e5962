"""Residents' voice in Chromium: a resident rates a need from their phone; slips printed by the
coordinator are scanned (read off the PDF as a phone would) and answered on a phone; a report
that an outlet's phone is wrong is accepted by the coordinator and the directory shows the new
number verified today; the leader's scorecard moves when the coordinator verifies stale entries."""

import re
from datetime import timedelta

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from db import clock, exchange
from db.connection import connect
from db.users import actor_for
from tests.e2e.conftest import login, wait_for_app
from tests.viewers import qr_codes


def _open(page, server, path):
    page.goto(server.url + path)
    wait_for_app(page)


def _db(server):
    return connect(server.db_path, migrate=False)


def test_a_resident_rates_a_need_done_for_them_from_a_phone(server, new_page):
    phone = new_page(390, 844)
    _open(phone, server, "/exchange")  # the first visit seeds the demo city
    db = _db(server)
    coord = actor_for(db, "coordinator")
    request_id = exchange.post_need(db, coord, {
        "title": "陪同就医", "category": "medicine", "community_id": coord.community_id, "requester_name": "赵奶奶",
        "requester_phone": "13900007788", "expires_at": clock.now() + timedelta(days=1)})
    helper = next(db.query("SELECT id FROM volunteers WHERE community_id = ? AND status = 'active' AND user_id IS NULL",
                           [coord.community_id]))["id"]
    exchange.claim(db, coord, request_id, helper)
    exchange.mark_done(db, coord, request_id, 90)
    exchange.confirm(db, coord, request_id)
    phone.get_by_role("tab", name="查询进度").tap()
    wait_for_app(phone)
    phone.get_by_label(re.compile("受理编号")).fill(exchange.reference(request_id))
    phone.get_by_label("联系电话").fill("13900007788")
    phone.get_by_role("button", name="查询").tap()
    expect(phone.get_by_text("这项服务已完成，请您评价：")).to_be_visible()
    phone.get_by_text("★★★★☆ 满意").tap()
    phone.get_by_label("意见（选填）").fill("小王很耐心，谢谢")
    phone.get_by_role("button", name="提交评价").tap()
    expect(phone.get_by_text("您的评价：★★★★☆ 满意")).to_be_visible()
    assert db.execute("SELECT stars, comment FROM need_ratings WHERE request_id = ?", [request_id]).fetchone() == (
        4, "小王很耐心，谢谢")


def test_slips_printed_by_the_coordinator_are_scanned_and_answered_on_a_phone(server, new_page):
    desk = new_page(1300, 1200)
    login(desk, server, "coordinator")
    _open(desk, server, "/surveys")
    desk.get_by_role("tab", name="打印问卷码").click()
    wait_for_app(desk)
    desk.get_by_label("新发放份数").fill("8")
    desk.get_by_role("button", name="生成问卷码").click()
    expect(desk.get_by_text("已生成 8 个问卷码。")).to_be_visible()
    wait_for_app(desk)
    with desk.expect_download() as download:
        desk.get_by_role("button", name="打印问卷码纸条（PDF）").click()
    links = qr_codes(open(download.value.path(), "rb").read())
    db = _db(server)
    unused = [c for (c,) in db.execute("SELECT code FROM survey_codes WHERE community_id = 1 AND used_at IS NULL ORDER BY code")]
    assert links == [f"{server.url}/survey?code={c}" for c in unused]  # the eight new ones and any left before
    phone = new_page(390, 844)
    phone.goto(links[0])  # what the phone's camera opens
    wait_for_app(phone)
    expect(phone.get_by_text("您对社区志愿服务的总体满意度")).to_be_visible()
    for question, answer in (("您对社区志愿服务的总体满意度", "很满意"), ("您对身边便民服务网点的满意度", "一般")):
        group = phone.get_by_role("radiogroup", name=re.compile(question))
        group.get_by_text(answer, exact=True).tap()
        group.get_by_text(answer, exact=True).tap()  # a second tap on the same choice changes nothing
    choice = phone.get_by_role("radiogroup", name=re.compile("您最希望社区增加哪项服务"))
    choice.get_by_text("维修", exact=True).tap()
    choice.get_by_text("助餐", exact=True).tap()  # changed her mind: the second choice holds
    phone.get_by_role("textbox", name="您的手机号").fill("13966668888")
    phone.get_by_role("button", name="提交问卷").tap()
    expect(phone.get_by_text("问卷已提交，谢谢您的参与！")).to_be_visible()
    code = links[0].rsplit("=", 1)[1]
    answers = dict(db.execute("SELECT q.text, a.value FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id"
                              " JOIN survey_responses r ON r.id = a.response_id WHERE r.code = ?", [code]).fetchall())
    assert answers == {"您对社区志愿服务的总体满意度": 5, "您对身边便民服务网点的满意度": 3, "您最希望社区增加哪项服务": 3}
    again = new_page(390, 844)  # the same slip scanned again
    again.goto(links[0])
    wait_for_app(again)
    expect(again.get_by_text("这个问卷码已经答过了，每个问卷码只能用一次。")).to_be_visible()


def test_a_wrong_phone_reported_is_corrected_and_shown_verified_today(server, new_page):
    phone = new_page(390, 844)
    _open(phone, server, "/directory")
    # An outlet of the demo coordinator's community, found the way a resident would: by its name.
    # (Not by the service card's ?community= address: a first tap there sometimes came back with the
    # community filter emptied, see the closing note of #15.)
    name = _db(server).execute("SELECT name FROM outlets WHERE community_id = 1 AND status = 'open'"
                               " AND opening_hours = '24/7' ORDER BY id LIMIT 1").fetchone()[0]
    phone.get_by_label(re.compile("搜索名称")).fill(name)
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name=name)).to_be_visible()
    form = phone.get_by_test_id("stForm").filter(has_text="哪里有误")
    for attempt in range(3):  # a tap while a component's rerun redraws the page is lost: a person taps again
        wait_for_app(phone)
        phone.get_by_role("button", name="信息有误？").first.tap()
        try:
            form.get_by_text("电话不对").wait_for(timeout=8_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    form.get_by_text("电话不对").tap()
    form.get_by_label("具体情况").fill("打过去是空号")
    form.get_by_role("button", name="提交").tap()
    expect(phone.get_by_text("谢谢！社区核实后会更正。")).to_be_visible()
    desk = new_page(1300, 1800)
    login(desk, server, "coordinator")
    expect(desk.get_by_role("link", name=re.compile("网点维护 · 待处理 \\d+"))).to_be_visible()
    _open(desk, server, "/outlets_admin")
    desk.get_by_role("tab", name="居民反馈").click()
    wait_for_app(desk)
    report = desk.get_by_test_id("stVerticalBlock").filter(has_text="打过去是空号").filter(
        has=desk.get_by_text("采纳并修改网点信息")).last
    report.get_by_text("采纳并修改网点信息").click()
    report.get_by_label("电话（多个用逗号分隔）").fill("0566-2023456")
    report.get_by_role("button", name="保存").click()
    expect(desk.get_by_text("已采纳，网点信息已更新并记为今天核实。")).to_be_visible()
    assert _db(server).execute("SELECT o.name FROM outlet_corrections k JOIN outlets o ON o.id = k.outlet_id"
                               " WHERE k.detail = '打过去是空号'").fetchone() == (name,)
    _open(phone, server, "/directory?community=1")
    # the card of that outlet, from its name to its own 最后核实 line, says today; its button calls the new number
    own_line = re.escape(name) + r"(?:(?!最后核实)[\s\S])*最后核实 " + server.today.isoformat()
    expect(phone.get_by_test_id("stMain")).to_contain_text(re.compile(own_line))
    expect(phone.get_by_role("link", name=re.compile("0566-2023456"))).to_be_visible()


def test_the_scorecard_moves_when_the_coordinator_verifies_stale_entries(server, new_page):
    leader = new_page(1400, 1000)
    login(leader, server, "leader")
    _open(leader, server, "/scorecard")
    period = leader.get_by_role("radiogroup", name="考核期")
    period.get_by_text("上季度").click()  # two changes in a row: both hold
    wait_for_app(leader)
    period.get_by_text("本年度").click()
    wait_for_app(leader)
    expect(leader.get_by_text(f"{server.today.year}-01-01 至 {server.today.isoformat()}")).to_be_visible()
    db = _db(server)
    coord = actor_for(db, "coordinator")
    stale = db.execute("SELECT COUNT(*) FROM outlets WHERE community_id = ? AND status != 'closed' AND"
                       " (last_verified IS NULL OR last_verified < ?)",
                       [coord.community_id, (server.today - timedelta(days=365)).isoformat()]).fetchone()[0]
    assert stale, "the demo city has entries not verified for a year"
    before = _scorecard_rows(leader)
    desk = new_page(1300, 1400)
    login(desk, server, "coordinator")
    _open(desk, server, "/outlets_admin")
    desk.get_by_role("tab", name="待核实").click()
    wait_for_app(desk)
    for _ in range(stale):
        desk.get_by_role("button", name="信息无误").first.click()
        wait_for_app(desk)
    expect(desk.get_by_text("所有网点都在一年内核实过。")).to_be_visible()
    leader.reload()  # the coordinator's write, seen at the leader's next look (writes clear the cache)
    wait_for_app(leader)
    leader.get_by_role("radiogroup", name="考核期").get_by_text("本年度").click()
    wait_for_app(leader)
    after = _scorecard_rows(leader)
    assert before["秋浦社区"]["网点信息核实率"] != "100%" and after["秋浦社区"]["网点信息核实率"] == "100%"
    assert float(after["秋浦社区"]["网点信息核实率得分"]) > float(before["秋浦社区"]["网点信息核实率得分"])


def _scorecard_rows(page) -> dict[str, dict]:
    """The scorecard as the leader downloads it for the meeting (openpyxl reads the .xlsx)."""
    from openpyxl import load_workbook

    with page.expect_download() as download:
        page.get_by_role("button", name="导出考核表（Excel）").click()
    sheet = load_workbook(open(download.value.path(), "rb")).active  # the saved file has no .xlsx name
    rows = list(sheet.iter_rows(values_only=True))
    return {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
