"""AppTest: the dashboard for each role, URL filters, meeting mode."""

import re

import pytest

from tests.conftest import login, new_app

pytestmark = pytest.mark.both_engines


def open_dashboard(who: str = "leader", **link):
    """The dashboard as `who` opens it from a link carrying `link` as its query."""
    at = new_app().run()
    login(at, who)
    for key, value in link.items():
        at.query_params[key] = value
    return at.switch_page("app_pages/dashboard.py").run()


@pytest.mark.parametrize("role", ["leader", "admin", "coordinator"])
def test_dashboard_renders_with_tiles_and_charts(app_env, role):
    at = open_dashboard(role)
    assert not at.exception
    assert len(at.metric) == 16  # four groups of four
    if role == "coordinator":
        # Own community against the city: each tile says the city's figure.
        assert all(m.help and m.help.startswith("全市：") for m in at.metric)
        assert at.caption[0].value.endswith("· 秋浦社区 · 全部")


def test_filters_come_from_the_url(app_env):
    at = open_dashboard(period="year", district="东至县")
    assert not at.exception
    assert "东至县" in at.caption[0].value
    assert at.query_params["district"] == "东至县"


def test_meeting_mode_shows_one_idea_per_screen(app_env):
    at = open_dashboard(meeting="1", district="东至县")
    assert not at.exception
    assert [h.value for h in at.header] == ["志愿服务"] and len(at.metric) == 4
    assert not at.main.selectbox and not at.main.toggle  # no filters in meeting mode, only the corner line
    assert "东至县" in at.caption[0].value
    total = int(re.findall(r"\d+", at.caption[1].value)[-1])
    assert total >= 10
    for n in range(2, total + 2):
        at.button(key="slide_next").click().run()
        assert not at.exception
        assert at.caption[1].value == f"第 {min(n, total)} 屏，共 {total} 屏"  # the last screen stays the last
        figures, drawn = len(at.metric), len(at.get("vega_lite_chart"))
        assert (figures, drawn) in ((4, 0), (0, 1)), (n, figures, drawn)  # a group of figures or one chart
    assert "coverage" not in str(at.session_state)  # the ranked gaps, not the 92-row grid
    at.button(key="slide_pageup").click().run()
    assert at.caption[1].value == f"第 {total - 1} 屏，共 {total} 屏"
    at.button(key="slide_exit").click().run()
    assert at.toggle(key="meeting").value is False
    assert at.selectbox(key="db_district").value == "东至县"  # the filters survived meeting mode


def test_brief_is_made_on_request_for_the_view_on_screen(app_env):
    import io

    from openpyxl import load_workbook

    from db.connection import connect
    from tests.viewers import poppler_pages, poppler_text

    at = open_dashboard(period="year", district="石台县")
    assert not at.get("download_button") or all("简报" not in b.label for b in at.get("download_button"))
    at.button(key="brief_make").click().run()
    files = {b.label: b for b in at.get("download_button")}
    assert "下载简报（PDF）" in files and "下载数据（Excel）" in files
    _, pdf_bytes, xlsx_bytes, _ = at.session_state["brief"]  # what the two buttons serve
    served = {"下载简报（PDF）": pdf_bytes, "下载数据（Excel）": xlsx_bytes}
    # The expected figure comes from the database by hand, not from the page.
    db = connect(app_env, migrate=False)
    registered = next(db.query(
        "SELECT COUNT(*) AS n FROM volunteers v JOIN communities c ON c.id = v.community_id"
        " WHERE c.district = '石台县' AND v.status IN ('active', 'inactive') AND v.created_at < ?",
        [f"{at.session_state['db_to'].year + 1}-01-01"]))["n"]
    text = poppler_text(served["下载简报（PDF）"])
    assert f"注册志愿者 {registered:,}" in " ".join(text.split())
    pages = poppler_pages(served["下载简报（PDF）"])
    assert f"第 {pages} 页，共 {pages} 页" in text and "石台县" in text
    book = load_workbook(io.BytesIO(served["下载数据（Excel）"]))
    figures = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert figures["注册志愿者"] == f"{registered:,}"
    assert len(book.worksheets) == pages  # the figures, then one sheet per chart page
    # the scorecard of 石台县's communities, ranked, in both (each name as the communities table has it)
    assert "社区考核综合得分" in text and "社区考核综合得分" in book.sheetnames
    shitai = [r["name"] for r in db.query("SELECT name FROM communities WHERE district = '石台县'")]
    ranked = [row[0] for row in book["社区考核综合得分"].iter_rows(min_row=5, values_only=True) if row[0]]
    assert sorted(ranked) == sorted(shitai)
    # Another view: the brief on offer is gone until it is made for this one.
    at.selectbox(key="db_district").select("贵池区").run()
    assert all("简报" not in b.label for b in at.get("download_button"))
