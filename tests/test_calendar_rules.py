"""China's calendar in opening hours and day care, checked against chinesecalendar itself and
rules worked out by hand from the OSM opening_hours specification (never against our own output)."""

from datetime import date, datetime, time, timedelta

import chinese_calendar
import pytest
import recurring_ical_events
from icalendar import Calendar

from db import clock
from db.calendar import overrides, unknown_years, year_known
from db.calendar_days import import_arrangement
from db.daycare_schedule import sessions, to_ical
from db.errors import InputError, PermissionDenied
from db.models import Actor
from db.opening import _merged, _subtract, day_spans, hours_in_words, is_open, next_change

pytestmark = pytest.mark.both_engines

ADMIN = Actor("admin", "admin", user_id=1)


def statutory_holidays(years=(2024, 2025, 2026)):
    """Every day off chinesecalendar names a holiday, weekends inside holidays included."""
    return [d for d in chinese_calendar.get_holidays(date(years[0], 1, 1), date(years[-1], 12, 31))
            if chinese_calendar.get_holiday_detail(d)[1]]


def makeup_days(years=(2024, 2025, 2026)):
    return [d for d in chinese_calendar.get_workdays(date(years[0], 1, 1), date(years[-1], 12, 31))
            if d.weekday() >= 5]


def next_regular_workday(day):
    """By hand from chinesecalendar: the next Monday–Friday that is a working day."""
    d = day + timedelta(days=1)
    while not (d.weekday() < 5 and chinese_calendar.is_workday(d)):
        d += timedelta(days=1)
    return d


@pytest.mark.parametrize("expression", ["Mo-Sa 08:00-20:00; Su,PH 09:00-17:00",
                                        "Mo-Sa 08:00-20:00; PH,Su 09:00-17:00",
                                        "Mo-Fr 08:00-20:00; Sa,Su,PH 09:00-17:00"])
def test_ph_inside_a_selector_list_applies_on_every_statutory_holiday(expression):
    days = statutory_holidays()
    assert len(days) > 60
    for day in days:
        assert hours_in_words(expression, day) == ["09:00–17:00"], day
        assert is_open(expression, datetime.combine(day, time(10)))
        assert next_change(expression, datetime.combine(day, time(7))) == datetime.combine(day, time(9))


def test_ph_off_closes_and_ph_on_ordinary_days_matches_nothing():
    assert hours_in_words("Mo-Su 08:00-20:00; PH off", date(2025, 10, 1)) == []
    assert hours_in_words("Mo-Su 08:00-20:00; PH off", date(2025, 10, 9)) == ["08:00–20:00"]
    assert hours_in_words("PH 09:00-12:00", date(2025, 10, 9)) == []  # Thursday after National Day


def test_make_up_days_follow_the_next_regular_working_day():
    expression = "Mo 07:00-09:00; Tu 10:00-12:00; We 13:00-15:00; Th 16:00-18:00; Fr 19:00-21:00; Sa,Su off"
    by_weekday = ["07:00–09:00", "10:00–12:00", "13:00–15:00", "16:00–18:00", "19:00–21:00"]
    days = makeup_days()
    assert len(days) >= 10
    for day in days:
        assert hours_in_words(expression, day) == [by_weekday[next_regular_workday(day).weekday()]], day


# Overnight ranges, worked out by hand on the 2025 Spring Festival: Tuesday 28 January to Tuesday
# 4 February off; Sunday 26 January and Saturday 8 February worked.
@pytest.mark.parametrize("expression, moment, expected", [
    # The evening before is a holiday that is "off": nothing carries past its midnight.
    ("Mo-Su 22:00-02:00; PH off", datetime(2025, 2, 5, 0, 30), False),
    # The evening before the holiday is an ordinary Monday: its range runs on past midnight.
    ("Mo-Su 22:00-02:00; PH off", datetime(2025, 1, 28, 1, 0), True),
    ("Mo-Su 22:00-02:00; PH off", datetime(2025, 1, 28, 22, 30), False),
    # A holiday evening with its own hours carries them into the next (ordinary) morning.
    ("Sa 09:00-12:00; PH 20:00-02:00", datetime(2025, 2, 5, 1, 0), True),
    ("Sa 09:00-12:00; PH 20:00-02:00", datetime(2025, 1, 28, 1, 0), False),  # Monday evening: nothing
    # Sunday 26 January is worked as a Monday, so its night runs past midnight into Monday.
    ("Mo-Fr 22:00-02:00", datetime(2025, 1, 27, 0, 30), True),
    ("Mo-Fr 22:00-02:00", datetime(2025, 1, 26, 22, 30), True),
    ("Mo-Fr 22:00-02:00", datetime(2025, 1, 26, 0, 30), False),  # Saturday night: nothing
    # Saturday 8 February is worked: Friday night still runs into its morning.
    ("Mo-Fr 22:00-02:00", datetime(2025, 2, 8, 0, 30), True),
])
def test_overnight_ranges_across_holiday_and_make_up_boundaries(expression, moment, expected):
    assert is_open(expression, moment) is expected


def test_day_care_follows_the_same_rule_as_the_directory():
    saturday = {"id": 1, "byday": "SA", "opens_at": "09:00", "closes_at": "10:00", "valid_from": "2024-01-01",
                "valid_to": None}
    for day in makeup_days():
        follows = next_regular_workday(day)
        listed = {s["date"]: s for s in sessions(saturday, day, day)}
        if day.weekday() == 5:  # a Saturday worked runs a weekday's timetable: no Saturday programme
            assert not listed[day]["held"] and listed[day]["reason"] == f"workday:{follows}", day
        for code, weekday in (("MO", 0), ("TU", 1), ("WE", 2), ("TH", 3), ("FR", 4)):
            weekly = {**saturday, "byday": code}
            held = [s["date"] for s in sessions(weekly, day, day) if s["held"]]
            assert held == ([day] if follows.weekday() == weekday else []), (day, code)


def test_years_without_holiday_data_are_named_and_an_admin_imports_them(db):
    assert not year_known(2027) and year_known(2026)
    assert unknown_years([date(2026, 12, 31), date(2027, 2, 6)], overrides(db)) == [2027]
    with pytest.raises(PermissionDenied):
        import_arrangement(db, Actor("coordinator", "coordinator", community_id=1, user_id=3), "")
    notice = ("开始,结束,类型,名称\n"
              "2027/1/1,2027/1/3,放假,元旦\n"
              "2027年2月6日,2027年2月13日,放假,春节\n"
              "2027-02-14,,上班,春节调休\n")
    audit_before = db["audit_log"].count
    assert import_arrangement(db, ADMIN, notice) == 12
    assert db["audit_log"].count == audit_before + 12
    added = overrides(db)
    assert unknown_years([date(2027, 2, 6)], added) == []
    assert added["2027-02-10"] == "holiday" and added["2027-02-14"] == "workday"
    # Spring Festival 2027 is now closed for a Mo-Su shop with PH off; the Sunday is worked as a Monday.
    assert hours_in_words("Mo-Fr 08:00-18:00; Sa,Su 10:00-16:00; PH off", date(2027, 2, 10), added) == []
    assert hours_in_words("Mo-Fr 08:00-18:00; Sa,Su 10:00-16:00; PH off", date(2027, 2, 14), added) == ["08:00–18:00"]
    # A corrected notice replaces a day; JSON works as well.
    assert import_arrangement(db, ADMIN, '[{"start": "2027-02-14", "kind": "holiday", "name": "春节"}]') == 1
    assert overrides(db)["2027-02-14"] == "holiday"


def test_a_bad_line_refuses_the_whole_arrangement_with_its_line_number(db):
    before = db["calendar_days"].count
    with pytest.raises(InputError) as exc:
        import_arrangement(db, ADMIN, "开始,结束,类型,名称\n2027-01-01,2027-01-03,放假,元旦\n2027-13-01,,放假,x\n"
                                      "2027-02-01,2027-01-01,放假,y\n2027-03-01,,休假吗,z\n")
    assert [(key, params.get("row")) for _, key, params in exc.value.problems] == [
        ("err.range_date", 3), ("err.range_order", 4), ("err.range_kind", 5)]
    assert db["calendar_days"].count == before


def test_ics_carries_dtstamp_utc_until_and_stops_where_the_calendar_is_unknown():
    monday = {"id": 7, "title": "讲座", "kind": "culture", "room": "讲堂", "notes": "", "byday": "MO",
              "opens_at": "09:00", "closes_at": "10:00", "valid_from": "2026-09-01", "valid_to": None}
    centre = {"name": "秋浦照料中心"}
    with clock.frozen(datetime(2026, 11, 28, 0, 30)):
        ics = to_ical(centre, [monday], (date(2026, 9, 1), date(2027, 6, 30)))
    text = ics.decode()
    assert "DTSTAMP:20261127T163000Z" in text  # 00:30 Beijing is 16:30 UTC the day before
    assert "UNTIL=20261231T155959Z" in text     # stops with 2026, the last year whose holidays are known
    assert "2027" in Calendar.from_ical(ics)["X-WR-CALDESC"]
    events = recurring_ical_events.of(Calendar.from_ical(ics)).between(datetime(2026, 9, 1), datetime(2027, 7, 1))
    days = sorted(e["DTSTART"].dt.date() for e in events)
    expected = [d for d in (date(2026, 9, 7) + timedelta(weeks=n) for n in range(17))
                if chinese_calendar.is_workday(d)]  # Mondays of 2026 that are not holidays
    extra = [d for d in makeup_days((2026,)) if d >= date(2026, 9, 1) and next_regular_workday(d).weekday() == 0]
    assert days == sorted(expected + extra)


def test_pages_warn_residents_and_tell_admins_when_a_year_is_missing(app_env):
    from tests.conftest import login, new_app

    with clock.frozen(datetime(2027, 1, 5, 10, 0)):
        at = new_app()
        at.run()
        at.switch_page("app_pages/directory.py").run()
        assert not at.exception
        assert [w.value for w in at.warning] == [
            "2027 年的节假日安排还没有录入：节假日和调休期间显示的营业时间、课表可能不准，请先电话确认。"]
        at.switch_page("app_pages/daycare.py").run()
        assert any("2027 年的节假日安排还没有录入" in w.value for w in at.warning)
    with clock.frozen(datetime(2026, 11, 28, 0, 30)):
        at = new_app()
        at.run()
        login(at, "admin")
        at.switch_page("app_pages/holidays.py").run()
        assert not at.exception
        assert any(w.value.startswith("2027 年节假日安排尚未录入") and "系统管理 → 节假日安排" in w.value for w in at.warning)
        at.text_area(key="arrangement_text").input("开始,结束,类型,名称\n2027-01-01,2027-01-03,放假,元旦\n")
        at.button(key="arrangement_import").click().run()
        assert not at.exception and not at.warning


def at(d: int, h: int, m: int = 0, month: int = 1) -> datetime:
    return datetime(2025, month, d, h, m)


# Exact spans across the 2025 Spring Festival, by hand (see the dates above): what a day's card shows.
@pytest.mark.parametrize("expression, day, expected", [
    # Sunday 26 January works as Monday 27: Monday's 08:00–10:00, and not Sunday's 22:00–03:00 that the
    # parser carries into a Monday (the Saturday before has no night).
    ("Su 22:00-03:00; Mo 08:00-10:00", date(2025, 1, 26), [(at(26, 8), at(26, 10))]),
    # One rule for both nights: the parser carries Sunday's into the Monday that the make-up day
    # follows, but the real evening before (Saturday 25th) was closed; Monday's own night remains.
    ("Su-Mo 22:00-03:00", date(2025, 1, 26), [(at(26, 22), at(27, 0))]),
    # Monday's first hours start at midnight: they are the make-up day's own, not carried from the night before.
    ("Mo 00:00-02:00", date(2025, 1, 26), [(at(26, 0), at(26, 2))]),
    # The make-up Sunday's Monday night runs into the real Monday's morning, until 02:00 and no later.
    ("Mo 22:00-02:00", date(2025, 1, 27), [(at(27, 0), at(27, 2)), (at(27, 22), at(28, 0))]),
    # An evening that ends at midnight carries nothing into the holiday (no empty 00:00–00:00).
    ("Mo-Su 18:00-24:00", date(2025, 1, 28), [(at(28, 18), at(29, 0))]),
    # Always open stays one span on a holiday.
    ("24/7", date(2025, 1, 28), [(at(28, 0), at(29, 0))]),
])
def test_a_days_spans_across_holiday_and_make_up_days(expression, day, expected):
    assert day_spans(expression, day) == expected


def test_interval_arithmetic():
    # merging: touching and overlapping spans join, a span inside another disappears, order does not matter
    assert _merged([(5, 6), (1, 3), (3, 4), (2, 3.5), (8, 9), (8.5, 10), (8.6, 8.7)]) == [(1, 4), (5, 6), (8, 10)]
    assert _merged([(1, 10), (2, 3), (4, 5)]) == [(1, 10)]
    assert _merged([(3, 4), (1, 3)]) == [(1, 4)]
    # holes: inside, at the edges, over a whole span
    assert _subtract([(0, 10), (20, 30)], [(2, 3), (5, 6), (25, 40)]) == [(0, 2), (3, 5), (6, 10), (20, 25)]
    assert _subtract([(0, 10)], [(0, 2), (10, 12)]) == [(2, 10)]
    assert _subtract([(0, 10), (11, 12)], [(-1, 10)]) == [(11, 12)]


def test_open_until_the_closing_minute_and_the_next_change_either_way():
    rule = "Mo-Su 08:00-18:00"
    assert is_open(rule, datetime(2025, 3, 4, 17, 59)) and not is_open(rule, datetime(2025, 3, 4, 18, 0))
    assert is_open(rule, datetime(2025, 3, 4, 8, 0))
    assert next_change(rule, datetime(2025, 3, 4, 10, 0)) == datetime(2025, 3, 4, 18, 0)  # open → closes
    assert next_change(rule, datetime(2025, 3, 4, 19, 0)) == datetime(2025, 3, 5, 8, 0)  # closed → opens
    # Looked for within two weeks: 13 days ahead is found, 14 days ahead is not.
    once = "Mar 16 08:00-12:00"
    assert next_change(once, datetime(2026, 3, 3, 9, 0)) == datetime(2026, 3, 16, 8, 0)
    assert next_change(once, datetime(2026, 3, 2, 9, 0)) is None
