"""The directory: open-now in China's calendar with a fixed clock, coverage by hand, editing rules."""

from datetime import date, datetime, timedelta

import pytest

from db import outlet_transfer
from db import clock
from db.calendar import HOLIDAY, MAKEUP, WEEKEND, WORKDAY, day_status, overrides
from db.calendar_days import add_range
from db.communities import create_community
from db.errors import Conflict, InputError, PermissionDenied
from db.models import SYSTEM, Actor
from catalogue import translate
from db.opening import hours_in_words, is_open, next_change, parse_problem
from db.outlets import (coverage, coverage_gaps, create_outlet, initials, pause, search, service_card, set_status,
                        state_on, update_outlet, with_hours)

pytestmark = pytest.mark.both_engines

OFFICE = "Mo-Fr 09:00-17:00; PH off"
ADMIN = Actor("admin", "admin", user_id=1)


@pytest.mark.parametrize("expression, when, open_", [
    ("Mo-Fr 08:00-12:00,14:00-18:00", datetime(2025, 3, 4, 11, 59), True),    # Tuesday morning
    ("Mo-Fr 08:00-12:00,14:00-18:00", datetime(2025, 3, 4, 12, 30), False),   # lunch break
    ("Mo-Fr 08:00-12:00,14:00-18:00", datetime(2025, 3, 4, 14, 0), True),
    ("Mo-Fr 08:00-12:00,14:00-18:00", datetime(2025, 3, 8, 10, 0), False),    # Saturday
    ("Mo-Su 22:00-02:00", datetime(2025, 3, 4, 23, 30), True),                # overnight, before midnight
    ("Mo-Su 22:00-02:00", datetime(2025, 3, 5, 1, 30), True),                 # overnight, after midnight
    ("Mo-Su 22:00-02:00", datetime(2025, 3, 5, 2, 30), False),
    ("24/7", datetime(2025, 1, 29, 3, 0), True),                               # even on Spring Festival
    (OFFICE, datetime(2025, 1, 28, 10, 0), False),   # 除夕 (Tuesday): opening-hours-py alone says open
    (OFFICE, datetime(2025, 1, 29, 10, 0), False),   # Spring Festival
    (OFFICE, datetime(2025, 10, 3, 10, 0), False),   # National Day (Friday): opening-hours-py alone says open
    (OFFICE, datetime(2025, 9, 28, 10, 0), True),    # 调休 Sunday: a working day
    (OFFICE, datetime(2025, 10, 11, 10, 0), True),   # 调休 Saturday
    (OFFICE, datetime(2025, 10, 12, 10, 0), False),  # an ordinary Sunday
    ("Mo-Su 08:00-20:00; PH 09:00-12:00", datetime(2025, 10, 2, 13, 0), False),  # shorter holiday hours
    ("Mo-Su 08:00-20:00; PH 09:00-12:00", datetime(2025, 10, 2, 10, 0), True),
])
def test_open_at_fixed_times(expression, when, open_):
    assert is_open(expression, when) is open_


def test_day_status():
    assert [day_status(d) for d in (date(2025, 1, 29), date(2025, 9, 28), date(2025, 10, 12), date(2025, 10, 9))] \
        == [HOLIDAY, MAKEUP, WEEKEND, WORKDAY]


def test_hours_in_words_and_next_change():
    assert hours_in_words("Mo-Fr 08:00-12:00,14:00-18:00", date(2025, 3, 4)) == ["08:00–12:00", "14:00–18:00"]
    assert hours_in_words("24/7", date(2025, 3, 4)) == ["00:00–24:00"]
    assert hours_in_words(OFFICE, date(2025, 10, 3)) == []
    assert next_change("Mo-Fr 08:00-12:00,14:00-18:00", datetime(2025, 3, 4, 12, 30)) == datetime(2025, 3, 4, 14, 0)
    # Closed over the National Day week (1–8 October): it next opens on Thursday the 9th.
    assert next_change(OFFICE, datetime(2025, 10, 1, 10, 0)) == datetime(2025, 10, 9, 9, 0)
    assert next_change("24/7", datetime(2025, 3, 4)) is None


def test_admin_adds_days_for_years_chinesecalendar_lacks(db):
    newyear, makeup = date(2027, 2, 8), date(2027, 2, 14)  # a Monday holiday and a Sunday worked
    assert day_status(newyear, overrides(db)) == WORKDAY
    with pytest.raises(PermissionDenied):
        add_range(db, Actor("leader", "leader"), {"start": newyear, "end": newyear, "kind": "holiday"})
    assert add_range(db, ADMIN, {"start": date(2027, 2, 6), "end": newyear, "kind": "holiday", "name": "春节"}) == 3
    add_range(db, ADMIN, {"start": makeup, "end": makeup, "kind": "workday", "name": "春节调休"})
    count = db["calendar_days"].count
    with pytest.raises(Conflict) as exc:  # the run overlaps a day already entered: nothing of it is added
        add_range(db, ADMIN, {"start": date(2027, 2, 8), "end": date(2027, 2, 12), "kind": "holiday"})
    assert exc.value.params == {"day": "2027-02-08"} and db["calendar_days"].count == count
    for bad, key in (({"start": newyear, "end": date(2027, 2, 1)}, "err.period_order"),
                     ({"start": newyear, "end": date(2027, 3, 20)}, "err.range_too_long")):
        with pytest.raises(InputError) as exc:
            add_range(db, ADMIN, {**bad, "kind": "holiday"})
        assert [(f, k) for f, k, _ in exc.value.problems] == [("end", key)]
    assert day_status(date(2027, 2, 7), overrides(db)) == HOLIDAY  # a Sunday inside the run
    added = overrides(db)
    assert not is_open(OFFICE, datetime(2027, 2, 8, 10), added)
    assert is_open(OFFICE, datetime(2027, 2, 14, 10), added)


def test_parser_message_is_shown():
    assert parse_problem("Mo-Fr 08:00-18:00") is None
    # what belongs where the expression stops, told in words (the parser's own names are its grammar's)
    assert parse_problem("Mo-Fx 08:00-12:00") == {"at": 4, "near": "Fx 08:00-1", "expect": "weekday"}
    assert parse_problem("Mo-Fr 08:60-12:00")["expect"] == "time"
    assert parse_problem("Mo-Fr 08:00-")["expect"] == "time"
    assert parse_problem("Mo-Fr 08:00-12:00;; Sa") == {"at": 19, "near": "; Sa", "expect": "separator"}
    assert parse_problem("24/7 xx") == {"at": 6, "near": "xx", "expect": "end"}
    assert parse_problem("Mo-Fr 9-17h") == {"at": 7, "near": "9-17h", "expect": "time"}  # after the days, a time
    assert parse_problem("每天 8 点")["expect"] == "start"


def community(db, name="秋浦社区"):
    return next(db.query("SELECT id, lat, lon FROM communities WHERE name = ?", [name]))


def outlet(db, **change):
    c = community(db)
    return {"name": "新开药房", "category": "pharmacy", "community_id": c["id"], "address": "秋浦路 1 号",
            "lat": c["lat"], "lon": c["lon"], "phones": "0566-2021111, 13905660000",
            "opening_hours": "Mo-Su 08:00-20:00", **change}


def coordinator(db, name="秋浦社区"):
    return Actor("coordinator", "coordinator", community_id=community(db, name)["id"], user_id=3)


@pytest.mark.parametrize("change, key", [
    ({"opening_hours": "Mo-Fr 9-17h"}, "err.opening_hours.time"),
    ({"phones": "12345"}, "err.phone_kind"),
    ({"lat": 39.9, "lon": 116.4}, "err.outside_city"),
    ({"name": ""}, "err.required"),
])
def test_bad_outlet_input_refused_with_reason(db, change, key):
    count = db["outlets"].count
    with pytest.raises(InputError) as exc:
        create_outlet(db, coordinator(db), outlet(db, **change))
    assert key in [k for _, k, _ in exc.value.problems]
    if key.startswith("err.opening_hours"):
        assert exc.value.problems[0][2]["at"] == 7
        assert translate(key, "zh", **exc.value.problems[0][2]) == \
            "营业时间第 7 个字符处（“9-17h”）应为时间：两位小时和分钟，如 08:00-12:00。"
    assert db["outlets"].count == count


def test_outlet_permissions(db):
    oid = create_outlet(db, coordinator(db), outlet(db))
    other = coordinator(db, "尧渡社区")
    with pytest.raises(PermissionDenied):
        update_outlet(db, other, oid, outlet(db))
    with pytest.raises(PermissionDenied):
        set_status(db, other, oid, "closed")
    with pytest.raises(PermissionDenied):
        create_outlet(db, Actor("leader", "leader"), outlet(db))
    with pytest.raises(PermissionDenied):  # moving an outlet into another community
        update_outlet(db, coordinator(db), oid, outlet(db, community_id=community(db, "尧渡社区")["id"]))
    update_outlet(db, ADMIN, oid, outlet(db, name="新开大药房"))
    assert db["outlets"].get(oid)["name"] == "新开大药房"
    assert db["outlets"].get(oid)["initials"] == "xkdyf"


def test_a_pause_has_a_reason_and_ends_by_itself(db):
    c = coordinator(db)
    oid = create_outlet(db, c, outlet(db, name="装修药房"))  # Mo-Su 08:00-20:00
    today = clock.today()
    last = today + timedelta(days=3)
    audits = db["audit_log"].count
    for bad, key in (({"reason": " ", "until": last}, "err.required"),
                     ({"reason": "装修", "until": today - timedelta(days=1)}, "err.past_date")):
        with pytest.raises(InputError) as exc:
            pause(db, c, oid, bad)
        assert [(f, k) for f, k, _ in exc.value.problems] == [("reason" if key == "err.required" else "until", key)]
    with pytest.raises(PermissionDenied):
        pause(db, coordinator(db, "尧渡社区"), oid, {"reason": "装修", "until": last})
    assert db["outlets"].get(oid)["status"] == "open" and db["audit_log"].count == audits
    pause(db, c, oid, {"reason": "装修", "until": last})
    assert db["audit_log"].count == audits + 1
    row = next(r for r in search(db, "装修药房"))  # still listed, with why and until when
    assert (row["status"], row["pause_reason"], row["paused_until"]) == ("temporarily_closed", "装修", last.isoformat())
    assert [state_on(row, today + timedelta(days=n)) for n in (0, 3, 4)] == ["paused", "paused", "open"]
    noon = datetime.combine(today, datetime.min.time()).replace(hour=12)
    [shown] = with_hours(db, [row], noon)
    assert (shown["state"], shown["open_now"], shown["today"]) == ("paused", False, [])
    [later] = with_hours(db, [dict(row)], noon + timedelta(days=4))
    assert (later["state"], later["open_now"], later["today"]) == ("open", True, ["08:00–20:00"])
    set_status(db, c, oid, "open")
    assert (db["outlets"].get(oid)["pause_reason"], db["outlets"].get(oid)["paused_until"]) == ("", None)


def test_closed_for_good_leaves_the_default_list_and_24_hours_is_said(db):
    c = coordinator(db)
    oid = create_outlet(db, c, outlet(db, name="关门杂货铺"))
    set_status(db, c, oid, "closed")
    assert [r["name"] for r in search(db, "关门杂货铺")] == []
    [row] = with_hours(db, search(db, "关门杂货铺", include_closed=True), datetime(2025, 3, 4, 12))
    assert (row["state"], row["open_now"], row["always_open"]) == ("closed", False, False)
    with pytest.raises(InputError):
        set_status(db, c, oid, "temporarily_closed")  # a pause needs its reason: pause()
    [always] = with_hours(db, search(db, "仁和"), datetime(2025, 1, 29, 3))
    assert (always["state"], always["open_now"], always["always_open"]) == ("open", True, True)
    [office] = with_hours(db, search(db, "秋浦大药房"), datetime(2025, 3, 4, 12))
    assert office["always_open"] is False


def test_search_by_text_and_initials(db):
    found = [r["name"] for r in search(db, "qpdy")]
    assert "秋浦大药房" in found
    assert [r["name"] for r in search(db, "仁和")] == ["仁和24小时药房"]
    assert initials("益民药店") == "ymyd"


def test_pharmacies_open_on_spring_festival_in_qiupu(db):
    rows = search(db, community_id=community(db)["id"], category="pharmacy")
    open_rows = [r["name"] for r in with_hours(db, rows, datetime(2025, 1, 29, 10)) if r["open_now"]]
    assert sorted(open_rows) == ["仁和24小时药房", "秋浦大药房"]


def test_coverage_on_a_hand_built_city(empty_db):
    db = empty_db
    a = create_community(db, SYSTEM, {"name": "甲社区", "district": "贵池区", "kind": "urban", "households": 1,
                                      "population": 3, "lat": 30.60, "lon": 117.40})
    b = create_community(db, SYSTEM, {"name": "乙社区", "district": "贵池区", "kind": "urban", "households": 1,
                                      "population": 3, "lat": 30.60, "lon": 117.50})
    base = {"address": "一号", "opening_hours": "24/7", "community_id": a}
    # 0.005° of latitude is 556 m; 0.0095° is 1,056 m.
    create_outlet(db, SYSTEM, {**base, "name": "甲药房", "category": "pharmacy", "lat": 30.605, "lon": 117.40})
    create_outlet(db, SYSTEM, {**base, "name": "乙超市", "category": "supermarket", "lat": 30.6095, "lon": 117.50,
                               "community_id": b})
    closed = create_outlet(db, SYSTEM, {**base, "name": "乙药房", "category": "pharmacy", "lat": 30.60,
                                        "lon": 117.50, "community_id": b})
    set_status(db, SYSTEM, closed, "closed")
    cells = {(c["community"], c["category"]): c for c in coverage(db, 1000)}
    assert len(cells) == 2 * 13
    assert cells[("甲社区", "pharmacy")]["within"] == 1 and cells[("甲社区", "pharmacy")]["nearest_m"] == 556
    assert cells[("乙社区", "pharmacy")]["within"] == 0  # the only one near is closed
    # 甲药房 across town: 0.1° of longitude at 30.6° is 9,570 m; with the 556 m north, 9,587 m.
    assert cells[("乙社区", "pharmacy")]["nearest_m"] == 9587
    assert cells[("乙社区", "supermarket")]["within"] == 0 and cells[("乙社区", "supermarket")]["nearest_m"] == 1056
    assert cells[("甲社区", "bank")]["nearest_m"] is None
    assert len(coverage_gaps(db, 1000)) == 2 * 13 - 1
    assert len(coverage_gaps(db, 1100)) == 2 * 13 - 2  # a wider radius reaches 乙超市


def test_service_card_has_hotlines_and_nearest(db):
    card = service_card(db, community(db)["id"], datetime(2025, 3, 4, 10))
    assert {h["category"] for h in card["hotlines"]} >= {"committee"}
    assert all(h["phones"] for h in card["hotlines"])
    pharmacy = next(r for r in card["nearest"] if r["category"] == "pharmacy")
    assert pharmacy["name"] in ("秋浦大药房", "益民药店", "仁和24小时药房") and pharmacy["distance_m"] < 1000
    assert pharmacy["today"]


def test_csv_import_reports_bad_rows(db):
    coord = coordinator(db)
    rows = [{"name": "好邻居便利店", "category": "convenience_store", "community": "秋浦社区", "address": "秋浦路 8 号",
             "lat": "30.66", "lon": "117.49", "phones": "0566-2020000", "opening_hours": "07:00-23:00"},
            {"name": "坏时间", "category": "convenience_store", "community": "秋浦社区", "address": "秋浦路 9 号",
             "lat": "30.66", "lon": "117.49", "phones": "", "opening_hours": "every day"},
            {"name": "外社区", "category": "bank", "community": "尧渡社区", "address": "一号",
             "lat": "30.10", "lon": "117.03", "phones": "", "opening_hours": "24/7"}]
    preview = outlet_transfer.preview(db, coord, rows)
    assert [sorted(k for _, k, _ in p["errors"]) for p in preview] == [
        [], ["err.opening_hours.start"], ["err.outside_community"]]
    before = db["outlets"].count
    assert outlet_transfer.commit(db, coord, preview) == 1
    assert db["outlets"].count == before + 1


@pytest.mark.parametrize("expression, words", [
    ("Mo-Fr 08:30-12:00,14:00-18:00; Sa 09:00-12:00; PH off",
     "周一至周五 08:30–12:00、14:00–18:00；周六 09:00–12:00；周日休息；节假日休息"),
    ("24/7", "24小时营业"),
    ("Mo-Su 08:00-20:00; PH 09:00-12:00", "周一至周日 08:00–20:00；节假日 09:00–12:00"),
    ("Mo,We,Fr 14:00-17:00", "周一 14:00–17:00；周二休息；周三 14:00–17:00；周四休息；周五 14:00–17:00；周六、周日休息"),
])
def test_the_cards_week_in_words_by_hand(expression, words):
    from components.opening_text import week_text
    from db.opening import holiday_in_words, week_in_words

    # The week of 29 Sept 2025 holds National Day and a 调休 Sunday: the card reads a plain week.
    week = week_in_words(expression, date(2025, 9, 29))
    assert week_text(week, holiday_in_words(expression, date(2025, 9, 29))) == words


@pytest.mark.parametrize("expression", [
    "Mo-Fr 08:30-12:00,14:00-18:00; Sa 09:00-12:00; PH off",
    "24/7",
    "Mo-Su 08:00-20:00; PH 09:00-12:00",
    "Tu-Su 09:00-20:00",
])
def test_the_editors_grid_gives_back_the_expression_it_was_read_from(expression):
    from db.opening import expression_for, grid_of

    assert expression_for(*grid_of(expression, date(2025, 9, 29))) == expression


def test_a_grid_written_by_hand_and_what_a_grid_cannot_say():
    from datetime import time as t_

    from db.opening import expression_for, grid_of

    week = {d: [(t_(8), t_(12)), (t_(14), t_(18))] for d in range(1, 6)} | {6: [(t_(9), t_(0))], 7: []}
    assert expression_for(week, "off") == "Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-24:00; PH off"
    assert expression_for({1: [(t_(9), t_(17))], 3: [(t_(9), t_(17))]}) == "Mo 09:00-17:00; We 09:00-17:00"
    assert expression_for({}) == "off"
    assert grid_of("Mo-Fr 08:00-10:00,11:00-12:00,13:00-14:00", date(2025, 9, 29)) is None  # three ranges a day
    assert grid_of("Mo-Fr 9点", date(2025, 9, 29)) is None
