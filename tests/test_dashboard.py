"""Dashboard figures against answers computed by hand on a small city, and the chart specs."""

import re
from datetime import date, datetime, timedelta

import altair as alt
import pandas as pd
import pytest

from components import charts
from db import dashboard as figures
from db.communities import create_community
from db.errors import PermissionDenied
from db.identity import make_id
from db.ledger import approve, record_hours
from db.models import SYSTEM, Actor
from db.volunteers import register
from db import clock
from tests.viewers import poppler_pages, poppler_text

pytestmark = pytest.mark.both_engines

REVIEWER = Actor("reviewer", "admin", user_id=99)  # a second person approves what SYSTEM typed


@pytest.fixture
def town(empty_db):
    """Two communities (1,000 and 3,000 residents), three volunteers, hours in March and April 2025."""
    db = empty_db
    a = create_community(db, SYSTEM, {"name": "甲社区", "district": "贵池区", "kind": "urban", "households": 400,
                                      "population": 1000, "lat": 30.6, "lon": 117.4})
    b = create_community(db, SYSTEM, {"name": "乙社区", "district": "东至县", "kind": "urban", "households": 1200,
                                      "population": 3000, "lat": 30.1, "lon": 117.0})
    people = []
    for n, community in enumerate([a, a, b], start=1):
        born = date(1980, 1, n)
        people.append(register(db, SYSTEM, {"real_name": f"人{n}", "gender": "F", "birth_date": born,
                                            "id_number": make_id("341702", born, n, "F"), "phone": f"1390000000{n}",
                                            "community_id": community}))
    def hours(volunteer, day, minutes, category="elderly"):
        approve(db, REVIEWER, record_hours(db, SYSTEM, {"volunteer_ids": [volunteer], "activity": f"活动{day}",
                                                      "service_date": day, "minutes": minutes, "category": category}))
    hours(people[0], date(2025, 3, 3), 120)
    hours(people[1], date(2025, 3, 4), 60, "repair")
    hours(people[2], date(2025, 3, 5), 300)
    hours(people[0], date(2025, 4, 2), 90)
    hours(people[0], date(2024, 3, 9), 30)  # a year earlier
    # A pending record never counts.
    record_hours(db, SYSTEM, {"volunteer_ids": [people[2]], "activity": "未审", "service_date": date(2025, 3, 6),
                              "minutes": 600, "category": "elderly"})
    return db, a, b


MARCH = figures.Scope(date(2025, 3, 1), date(2025, 3, 31))


def test_hours_and_rates_by_hand(town):
    db, a, b = town
    # March: 120 + 60 + 300 = 480 minutes = 8 hours, by 3 volunteers, for 4,000 residents.
    assert figures.ledger(db, MARCH) == {"hours": 8.0, "active_volunteers": 3, "derived_share": 0.0}
    k = figures.kpis(db, MARCH)
    assert k["hours_per_1000"] == pytest.approx(2.0)
    # 甲社区 alone: 3 hours for 1,000 residents.
    only_a = figures.Scope(MARCH.start, MARCH.end, community_id=a)
    assert figures.kpis(db, only_a)["hours_per_1000"] == pytest.approx(3.0)
    assert figures.kpis(db, figures.Scope(MARCH.start, MARCH.end, district="东至县"))["hours"] == 5.0
    assert figures.kpis(db, figures.Scope(MARCH.start, MARCH.end, category="repair"))["hours"] == 1.0
    areas = {r["area"]: r for r in figures.by_area(db, MARCH, "community")}
    assert areas["甲社区"]["hours_per_1000"] == pytest.approx(3.0) and areas["乙社区"]["hours_per_1000"] == pytest.approx(5 / 3)


def test_previous_period_and_change(town):
    db, _, _ = town
    april = figures.Scope(date(2025, 4, 1), date(2025, 4, 30))
    assert april.previous() == figures.Scope(date(2025, 3, 2), date(2025, 3, 31))
    now, before = figures.kpis(db, april)["hours"], figures.kpis(db, april.previous())["hours"]
    assert (now, before) == (1.5, 8.0)
    assert figures.change(now, before) == pytest.approx(-0.8125)
    assert figures.change(5, 0) is None and figures.change(None, 3) is None


def test_hours_by_month_has_the_year_before(town):
    db, _, _ = town
    rows = figures.hours_by_month(db, MARCH)
    assert {(r["month"], r["category"], r["hours"], r["year_ago"]) for r in rows} == {
        ("2025-03", "elderly", 7.0, False), ("2025-03", "repair", 1.0, False), ("2024-03", "elderly", 0.5, True)}


def test_empty_period_is_zeros_not_an_error(town):
    db, _, _ = town
    empty = figures.Scope(date(2020, 1, 1), date(2020, 1, 31))
    k = figures.kpis(db, empty)
    assert (k["hours"], k["active_volunteers"], k["needs_posted"]) == (0.0, 0, 0)
    assert k["fulfilment_rate"] is None and k["median_hours_to_claim"] is None and k["occupancy"] is None
    assert figures.hours_by_month(db, empty) == [] and figures.time_to_claim(db, empty) == []
    assert [f["needs"] for f in figures.funnel(db, empty)] == [0, 0, 0, 0]


def test_star_distribution_and_registrations(town):
    db, _, _ = town
    stars = figures.star_distribution(db, MARCH)
    assert [s["volunteers"] for s in stars] == [3, 0, 0, 0, 0, 0]
    assert sum(r["registrations"] for r in figures.registrations_by_month(
        db, figures.Scope(date(2000, 1, 1), clock.today()))) == 3


def test_coordinator_sees_own_community_and_the_city_only(town):
    db, a, b = town
    coordinator = Actor("c", "coordinator", community_id=a)
    figures.check_scope(coordinator, figures.Scope(MARCH.start, MARCH.end, community_id=a))
    figures.check_scope(coordinator, MARCH)
    with pytest.raises(PermissionDenied):
        figures.check_scope(coordinator, figures.Scope(MARCH.start, MARCH.end, community_id=b))
    with pytest.raises(PermissionDenied):
        figures.check_scope(coordinator, figures.Scope(MARCH.start, MARCH.end, district="东至县"))
    with pytest.raises(PermissionDenied):
        figures.check_scope(Actor("v", "volunteer"), MARCH)
    figures.check_scope(Actor("l", "leader"), figures.Scope(MARCH.start, MARCH.end, community_id=b))


LABELS = {"month": "月份", "hours": "小时", "category": "类别", "year_ago": "去年同期", "area": "地区", "active": "活跃",
          "hours_per_1000": "每千人时长", "active_per_1000": "每千人活跃", "community": "社区", "within": "网点数",
          "nearest": "最近", "week": "周", "attended": "到场", "centre": "中心", "lon": "经度", "lat": "纬度",
          "name": "名称", "address": "地址", "phones": "电话", "hours_text": "营业",
          "week_expr": "toNumber(slice(datum.value, 5, 7)) + '月' + toNumber(slice(datum.value, 8, 10)) + '日'"}


def encoded_fields(spec: dict) -> set[str]:
    found = set()
    for layer in [spec, *spec.get("layer", [])]:
        for channel in layer.get("encoding", {}).values():
            if isinstance(channel, dict) and "field" in channel:
                found.add(channel["field"])
    return found


def test_chart_specs(town):
    db, _, _ = town
    months = pd.DataFrame(figures.hours_by_month(db, MARCH)).assign(category_name=lambda d: d["category"])
    spec = charts.styled(charts.hours_by_month(months, "按月", LABELS)).to_dict()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["title"] == "按月" and {"month", "hours", "category_name"} <= encoded_fields(spec)
    areas = pd.DataFrame(figures.by_area(db, MARCH))
    spec = charts.by_area(areas, "地区", LABELS, "hours_per_1000").to_dict()
    assert {"area", "hours_per_1000"} <= encoded_fields(spec) and spec["encoding"]["y"]["sort"] == "-x"
    spec = charts.simple_bars(pd.DataFrame(figures.funnel(db, MARCH)), "漏斗", "stage", "needs", "环节", "数").to_dict()
    assert encoded_fields(spec) == {"stage", "needs"}
    cells = pd.DataFrame([{"community": "甲", "category_name": "药店", "within": 0, "nearest_m": None},
                          {"community": "甲", "category_name": "超市", "within": 2, "nearest_m": 300}])
    spec = charts.coverage_heatmap(cells, "覆盖", LABELS).to_dict()
    assert {"community", "category_name", "within"} <= encoded_fields(spec)
    assert spec["layer"][0]["encoding"]["color"]["scale"]["scheme"] == "viridis"
    weeks = pd.DataFrame([{"week_start": "2025-03-03", "centre": "中心", "attended": 5}])
    assert encoded_fields(charts.weekly_lines(weeks, "周", LABELS).to_dict()) == {"week_start", "attended", "centre"}
    for chart in (charts.by_area(areas, "t", LABELS, "active_per_1000"),):
        assert isinstance(chart, alt.Chart)


def test_chart_exports_render_offline_with_chinese(town):
    from components.dashboard.brief import Brief
    from components.dashboard.sections import Chart
    from components.export import chart_png, chart_svg

    stages = pd.DataFrame([{"label": "发布", "needs": 5}, {"label": "确认", "needs": 2}])
    chart = charts.styled(charts.simple_bars(stages, "需求处理漏斗", "label", "needs", "环节", "需求数"))
    png = chart_png(chart)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    svg = chart_svg(chart.to_dict())
    assert svg.lstrip().startswith("<svg") and "需求处理漏斗" in svg
    brief = Brief("会议简报", "筛选条件：全市", "生成时间：2026-11-28 00:30", ("指标", "本期", "上期", "变化"),
                  [("审核时长", "8", "1.5", "+433%"), ("需求完成率", "29%", "71%", "-42 个百分点")],
                  [Chart("funnel", "漏斗", "读数一句", chart.to_dict(), [])], "{title} · {made} · 第 {n} 页，共 {total} 页")
    pdf = brief.pdf()
    assert poppler_pages(pdf) == 2
    text = poppler_text(pdf)
    # The figures table as a viewer shows it: every cell filled, on its own row.
    assert re.search(r"审核时长\s+8\s+1\.5\s+\+433%", text)
    assert re.search(r"需求完成率\s+29%\s+71%\s+-42 个百分点", text)
    assert "会议简报" in text and "读数一句" in text
    assert "第 1 页，共 2 页" in text and "第 2 页，共 2 页" in text


@pytest.mark.parametrize("start, end", [(date(1986, 1, 1), date(2026, 1, 1)), (date(1, 1, 1), date(2026, 1, 1)),
                                        (date(2026, 2, 1), date(2026, 1, 1))])
def test_a_period_too_long_or_too_early_is_refused_not_computed(start, end):
    from db.errors import InputError

    with pytest.raises(InputError) as exc:
        figures.check_scope(Actor("leader", "leader"), figures.Scope(start, end))
    assert exc.value.problems[0][1] == "err.period_range"


def test_a_forty_year_dashboard_url_gives_a_message(app_env):
    from tests.conftest import login, new_app

    at = new_app().run()
    login(at, "leader")
    at.switch_page("app_pages/dashboard.py")
    at.query_params["period"] = "custom"
    at.query_params["from"] = "0001-01-01"
    at.query_params["to"] = "2026-01-01"
    at.run(timeout=20)
    assert not at.exception
    assert any("时段须在 2000" in e.value and "不超过 3 年" in e.value for e in at.error)


def test_filters_hold_across_changes_and_rates_change_in_points(app_env):
    from tests.conftest import login, new_app

    at = new_app().run()
    login(at, "leader")
    at.switch_page("app_pages/dashboard.py").run(timeout=60)
    for district in ("贵池区", "石台县"):
        at.selectbox(key="db_district").select(district).run(timeout=60)
        assert at.selectbox(key="db_district").value == district
        assert any(f"· {district} ·" in c.value for c in at.caption)
    at.selectbox(key="db_period").select("year").run(timeout=60)
    assert (at.selectbox(key="db_period").value, at.selectbox(key="db_district").value) == ("year", "石台县")
    assert at.query_params["district"] in ("石台县", ["石台县"]) and at.query_params["period"] in ("year", ["year"])
    at.selectbox(key="db_district").select("").run(timeout=60)
    rates, counts = [], []
    for period in ("this_month", "last_month", "quarter"):
        at.selectbox(key="db_period").select(period).run(timeout=60)
        rates += [m.delta for m in at.metric if m.label in ("需求完成率", "生活圈覆盖率", "日间照料上座率") and m.delta]
        counts += [m.delta for m in at.metric if m.label == "审核时长（小时）" and m.delta]
    assert rates and all(d.endswith("个百分点") for d in rates), rates
    assert counts and all(d.endswith("%") for d in counts), counts


def test_one_month_is_shown_by_category_not_as_a_trend(app_env):
    from tests.conftest import login, new_app

    at = new_app().run()
    login(at, "leader")
    at.switch_page("app_pages/dashboard.py").run(timeout=60)
    at.selectbox(key="db_period").select("last_month").run(timeout=60)
    texts = [m.value for m in at.markdown]
    assert any("本期只有一个月" in x for x in texts)


def test_meeting_mode_prints_no_none(app_env):
    from tests.conftest import login, new_app, texts

    at = new_app().run()
    login(at, "leader")
    at.switch_page("app_pages/dashboard.py").run(timeout=60)
    at.toggle(key="meeting").set_value(True).run(timeout=60)
    for _ in range(14):  # every screen
        assert not at.exception and at.session_state["meeting"]
        shown = texts(at).splitlines() + [str(t.value) for t in at.text]
        assert "None" not in shown and "`None`" not in shown
        at.button(key="slide_next").click().run(timeout=60)


def test_every_bar_keeps_its_label():
    areas = pd.DataFrame([{"area": d, "hours": 1, "active": 1, "hours_per_1000": n, "active_per_1000": 1}
                          for n, d in enumerate(["贵池区", "东至县", "石台县", "青阳县", "九华山风景区"])])
    labels = {"area": "区县", "hours": "h", "active": "a", "hours_per_1000": "h/1000", "active_per_1000": "a/1000"}
    spec = charts.by_area(areas, "t", labels, "hours_per_1000").to_dict()
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False and spec["encoding"]["y"]["axis"]["labelLimit"] == 0
    bars = charts.simple_bars(areas, "t", "area", "hours", "区县", "h").to_dict()
    assert bars["encoding"]["x"]["axis"]["labelOverlap"] is False


def test_meeting_mode_chart_text_is_projector_sized_and_months_read_in_chinese():
    months = pd.DataFrame([{"month": m, "category_name": "助老", "hours": h, "year_ago": False}
                           for m, h in (("2026-02", 10), ("2026-03", 12))])
    labels = {"month": "月份", "hours": "小时", "category": "类别", "year_ago": "去年同期",
              "month_expr": "slice(datum.value, 0, 4) + '年' + toNumber(slice(datum.value, 5)) + '月'"}
    chart = charts.hours_by_month(months, "按月", labels)
    config = charts.styled(chart, meeting=True).to_dict()["config"]
    assert min(config["axis"]["labelFontSize"], config["axis"]["titleFontSize"], config["title"]["fontSize"],
               config["legend"]["labelFontSize"]) >= 18  # px at 1920×1080
    from components.export import chart_svg

    svg = chart_svg(charts.styled(chart))  # drawn by Vega itself
    assert ">2026年3月</text>" in svg and ">2026年2月</text>" in svg and ">2026-03</text>" not in svg


def test_weeks_read_in_chinese_and_every_centre_shares_the_monday(db):
    from components.export import chart_svg
    from db.daycare import attendance_by_week

    from db import clock

    weeks = attendance_by_week(db, clock.today() - timedelta(days=60), clock.today())
    assert weeks and {date.fromisoformat(w["week_start"]).weekday() for w in weeks} == {0}  # Mondays
    svg = chart_svg(charts.styled(charts.weekly_lines(pd.DataFrame(weeks), "每周到场人次", LABELS)))
    mondays = {date.fromisoformat(w["week_start"]) for w in weeks}
    assert all(f">{d.month}月{d.day}日</text>" in svg for d in mondays)  # each point's own Monday
    assert not re.search(r">(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", svg)


@pytest.mark.usefixtures("app_env")  # the demo city, opened by the page helpers
@pytest.mark.parametrize("meeting", [False, True])
def test_every_dashboard_chart_is_valid_vega_lite(meeting):
    """The page skips schema validation for speed; this is where every chart is validated."""
    from components.dashboard import sections
    from db import dashboard as figures

    year = figures.Scope(date(2026, 1, 1), date(2026, 11, 30))
    built = [c for name in sections.SECTIONS for c in sections.build(name, year, sections.figures_key(*sections.SECTION_AREAS[name]),
                                                                    sections.category_names(), meeting)]
    assert len(built) >= 10
    for chart in built:
        charts.styled(chart.spec, meeting).to_dict(validate=True)


def test_coverage_is_the_share_of_community_and_basic_category_cells_with_an_outlet_in_reach(town):
    from db.outlets import create_outlet

    db, a, b = town
    basic = [r["code"] for r in db.query("SELECT code FROM outlet_categories WHERE basic = 1")]
    # One pharmacy 100 m from 甲社区's centre (30.6, 117.4); 乙社区 is 60 km away: 1 cell of 2 × len(basic).
    create_outlet(db, SYSTEM, {"name": "甲药房", "category": "pharmacy", "community_id": a, "address": "甲路 1 号",
                               "lat": 30.6009, "lon": 117.4, "opening_hours": "24/7"})
    assert "pharmacy" in basic
    assert figures.kpis(db, MARCH)["coverage"] == pytest.approx(1 / (2 * len(basic)))
    assert figures.kpis(db, figures.Scope(MARCH.start, MARCH.end, community_id=b))["coverage"] == 0
    # Cells the page already has are used, not computed again.
    given = [{"within": 2}, {"within": 0}, {"within": 1}, {"within": 0}]
    assert figures.kpis(db, MARCH, cells=given)["coverage"] == 0.5


def test_areas_by_district_rated_per_1000_and_ranked(town):
    db, a, b = town
    quiet = create_community(db, SYSTEM, {"name": "丙社区", "district": "石台县", "kind": "rural", "households": 0,
                                          "population": 0, "lat": 30.2, "lon": 117.5})
    assert quiet
    rows = figures.by_area(db, MARCH, "district")
    # By hand: 贵池区 (甲) 3 h by 2 volunteers for 1,000; 东至县 (乙) 5 h by 1 for 3,000; 石台县 nothing, nobody.
    assert [r["area"] for r in rows] == ["贵池区", "东至县", "石台县"]  # most hours per 1,000 first
    got = {r["area"]: (r["hours"], r["active"], r["hours_per_1000"], r["active_per_1000"]) for r in rows}
    assert got["贵池区"] == (3.0, 2, pytest.approx(3.0), pytest.approx(2.0))
    assert got["东至县"] == (5.0, 1, pytest.approx(5 / 3), pytest.approx(1 / 3))
    assert got["石台县"] == (0.0, 0, 0.0, 0.0)
    assert {r["area"] for r in figures.by_area(db, MARCH, "community")} == {"甲社区", "乙社区", "丙社区"}


def test_registered_by_the_periods_last_day_not_the_day_after(empty_db):
    db = empty_db
    c = create_community(db, SYSTEM, {"name": "甲社区", "district": "贵池区", "kind": "urban", "households": 1,
                                      "population": 10, "lat": 30.6, "lon": 117.4})
    for n, moment in enumerate([datetime(2025, 3, 31, 23, 50), datetime(2025, 4, 1, 0, 10)], start=1):
        born = date(1980, 1, n)
        with clock.frozen(moment):
            register(db, SYSTEM, {"real_name": f"人{n}", "gender": "F", "birth_date": born, "phone": f"1390000000{n}",
                                  "id_number": make_id("341702", born, n, "F"), "community_id": c})
    assert figures.registered(db, MARCH) == 1
    assert figures.registrations_by_month(db, MARCH) == [{"month": "2025-03", "registrations": 1}]
    assert figures.registered(db, figures.Scope(date(2025, 4, 1), date(2025, 4, 1))) == 2


def test_the_earliest_day_and_the_longest_period_are_allowed_one_more_is_not():
    from db.errors import InputError

    leader = Actor("leader", "leader")
    figures.check_scope(leader, figures.Scope(date(2000, 1, 1), date(2000, 1, 31)))
    start = date(2020, 1, 1)
    figures.check_scope(leader, figures.Scope(start, start + timedelta(days=3 * 366 - 1)))
    for refused in (figures.Scope(date(1999, 12, 31), date(2000, 1, 31)),
                    figures.Scope(start, start + timedelta(days=3 * 366))):
        with pytest.raises(InputError):
            figures.check_scope(leader, refused)


def test_activities_and_the_share_of_hours_not_typed_in_by_hand(town):
    db, a, b = town
    people = [r["id"] for r in db.query("SELECT id FROM volunteers ORDER BY id")]

    def held(community, starts, status="published", signups=()):
        activity_id = db["activities"].insert({"community_id": community, "title": "探访", "category": "elderly",
                                               "place": "x", "starts_at": starts, "ends_at": starts[:11] + "11:00",
                                               "status": status, "created_by": "c", "created_at": "2025-01-01"}).last_pk
        shift = db["activity_shifts"].insert({"activity_id": activity_id, "name": "陪伴", "starts_at": starts,
                                              "ends_at": starts[:11] + "11:00", "slots": 2}).last_pk
        for volunteer, state, came in signups:
            db["activity_signups"].insert({"activity_id": activity_id, "shift_id": shift, "volunteer_id": volunteer,
                                           "status": state, "queued_at": "2025-01-01", "added_by": "c",
                                           "signed_in_at": "2025-03-08T09:00:00+08:00" if came else None})

    # 甲社区, 8 March: two confirmed (one came, one did not), one waiting (not counted)
    held(a, "2025-03-08T09:00", signups=[(people[0], "confirmed", True), (people[1], "confirmed", False),
                                         (people[2], "waitlist", False)])
    held(b, "2025-03-15T09:00", status="cancelled", signups=[(people[2], "confirmed", False)])  # called off
    held(b, "2025-04-01T09:00", signups=[(people[2], "confirmed", True)])  # April
    db["service_records"].insert({"volunteer_id": people[0], "community_id": a, "activity": "探访",
                                  "service_date": "2025-03-08", "minutes": 120, "category": "elderly",
                                  "status": "approved", "source": "activity_qr", "recorded_by": "c",
                                  "recorded_at": "2025-03-08", "approved_by": "c", "approved_at": "2025-03-08"})
    k = figures.kpis(db, MARCH)
    assert (k["activities_held"], k["signups"], k["attendance_rate"]) == (1, 2, 0.5)
    # March's approved minutes: 480 typed + 120 from the activity's attendance → 120 / 600
    assert k["derived_share"] == pytest.approx(0.2)
    only_a = figures.kpis(db, figures.Scope(MARCH.start, MARCH.end, community_id=a))
    assert only_a["derived_share"] == pytest.approx(120 / 300)  # 甲: 120 + 60 typed, 120 derived
    shares = {r["area"]: r["derived_share"] for r in figures.by_area(db, MARCH, "community")}
    assert shares == {"甲社区": pytest.approx(0.4), "乙社区": 0.0}
    assert [r["derived_share"] for r in figures.by_area(db, figures.Scope(date(2025, 6, 1), date(2025, 6, 30)))] \
        == [None, None]  # no hours: no share
    assert figures.kpis(db, figures.Scope(MARCH.start, MARCH.end, community_id=b))["activities_held"] == 0
    nothing = figures.kpis(db, figures.Scope(date(2025, 6, 1), date(2025, 6, 30)))
    assert (nothing["attendance_rate"], nothing["derived_share"]) == (None, None)
