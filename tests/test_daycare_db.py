"""Day care: recurrence over the National Day week and 调休 days, closures, valid_to, capacity
and waitlist, room clashes, the .ics round trip, meals, helpers, and who sees members."""

from datetime import date, datetime, timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar

from db.daycare import (add_closure, add_member, add_programme, book, calendar_context, cancel_booking, centres,
                        check_in, meals, members, programmes, record_helpers, roster)
from db.daycare_schedule import sessions, to_ical
from db.errors import Conflict, PermissionDenied
from db.models import Actor
from db import clock

pytestmark = pytest.mark.both_engines


def qiupu_centre(db):
    return next(c for c in centres(db) if c["community"] == "秋浦社区")


def coordinator(db, community_id):
    return Actor("coordinator", "coordinator", community_id=community_id, user_id=3)


def programme(centre, **change):
    return {"centre_id": centre["id"], "title": "八段锦", "kind": "exercise", "room": "多功能厅", "capacity": 2,
            "byday": ["TU", "TH"], "opens_at": "09:00", "closes_at": "10:00", "valid_from": date(2025, 9, 22),
            "valid_to": date(2025, 10, 17), **change}


def held_days(rows):
    return [(s["date"], s["reason"]) for s in rows if s["held"]]


def test_recurrence_over_national_day_and_makeup_days(db):
    c = qiupu_centre(db)
    coord = coordinator(db, c["community_id"])
    pid = add_programme(db, coord, programme(c))
    tuth = next(p for p in programmes(db, c["id"]) if p["id"] == pid)
    add_closure(db, coord, {"centre_id": c["id"], "day": date(2025, 10, 14), "reason": "设备检修"})
    ctx = calendar_context(db, c["id"])
    rows = sessions(tuth, date(2025, 9, 1), date(2025, 12, 31), ctx["added"], ctx["closures"], ctx["names"])
    assert held_days(rows) == [(date(2025, 9, 23), ""), (date(2025, 9, 25), ""), (date(2025, 9, 30), ""),
                               (date(2025, 10, 9), ""), (date(2025, 10, 16), "")]
    not_held = {s["date"]: s["reason"] for s in rows if not s["held"]}
    assert not_held == {date(2025, 10, 2): "holiday:National Day", date(2025, 10, 7): "holiday:National Day",
                        date(2025, 10, 14): "closure:设备检修"}
    assert max(s["date"] for s in rows) <= date(2025, 10, 17)  # valid_to honoured

    monday = {"id": 0, "byday": "MO", "opens_at": "09:00", "closes_at": "10:00", "valid_from": "2025-09-22",
              "valid_to": None}
    rows = sessions(monday, date(2025, 9, 22), date(2025, 10, 13))
    # The 调休 Sunday 28 Sept and Saturday 11 Oct are worked on the next regular working day's
    # timetable (Mondays); Monday 6 Oct is a holiday.
    assert held_days(rows) == [(date(2025, 9, 22), ""), (date(2025, 9, 28), "makeup"), (date(2025, 9, 29), ""),
                               (date(2025, 10, 11), "makeup"), (date(2025, 10, 13), "")]
    assert [s["date"] for s in rows if not s["held"]] == [date(2025, 10, 6)]


def test_room_clash_is_refused_naming_the_clash(db):
    c = qiupu_centre(db)
    coord = coordinator(db, c["community_id"])
    add_programme(db, coord, programme(c))
    with pytest.raises(Conflict) as exc:
        add_programme(db, coord, programme(c, title="瑜伽", byday=["TH", "FR"], opens_at="09:30", closes_at="10:30"))
    assert exc.value.key == "err.room_clash"
    assert exc.value.params == {"room": "多功能厅", "title": "八段锦", "day": "TH", "time": "09:00–10:00"}
    add_programme(db, coord, programme(c, title="瑜伽", byday=["TH"], opens_at="10:00", closes_at="11:00"))
    add_programme(db, coord, programme(c, title="瑜伽", room="二楼", byday=["TH"]))
    add_programme(db, coord, programme(c, title="秋季班后", valid_from=date(2025, 10, 18), valid_to=None))


def test_capacity_waitlist_and_promotion(db):
    c = qiupu_centre(db)
    coord = coordinator(db, c["community_id"])
    pid = add_programme(db, coord, programme(c, valid_from=clock.today(), valid_to=None, byday=["MO", "TU", "WE", "TH", "FR", "SA", "SU"]))
    day = next(s["date"] for s in sessions(next(p for p in programmes(db, c["id"]) if p["id"] == pid),
                                            clock.today(), date(2099, 1, 1)) if s["held"])
    ids = [m["id"] for m in members(db, coord, c["id"])][:4]
    assert [book(db, coord, pid, day, m) for m in ids[:2]] == ["booked", "booked"]
    with pytest.raises(Conflict) as exc:
        book(db, coord, pid, day, ids[2])
    assert exc.value.key == "err.session_full" and exc.value.params == {"capacity": 2}
    assert book(db, coord, pid, day, ids[2], waitlist=True) == "waitlist"
    assert book(db, coord, pid, day, ids[3], waitlist=True) == "waitlist"
    with pytest.raises(Conflict):
        book(db, coord, pid, day, ids[0])  # already booked
    assert cancel_booking(db, coord, pid, day, ids[0]) == ids[2]
    states = [(r["member_id"], r["status"], r["position"]) for r in roster(db, coord, pid, day)]
    assert sorted(s for s in states if s[1] == "booked") == sorted([(ids[1], "booked", None), (ids[2], "booked", None)])
    assert [s for s in states if s[1] == "waitlist"] == [(ids[3], "waitlist", 2)]


def test_booking_on_a_holiday_is_refused_with_the_reason(db):
    c = qiupu_centre(db)
    coord = coordinator(db, c["community_id"])
    pid = add_programme(db, coord, programme(c))
    member = members(db, coord, c["id"])[0]["id"]
    with pytest.raises(Conflict) as exc:
        book(db, coord, pid, date(2025, 10, 2), member)
    assert exc.value.key == "err.session_not_held" and exc.value.params["reason"] == "National Day"
    with pytest.raises(Conflict) as exc:
        book(db, coord, pid, date(2025, 10, 3), member)  # a Friday: no session at all
    assert exc.value.key == "err.no_session"


def test_ics_round_trip_matches_our_sessions(db):
    c = qiupu_centre(db)
    coord = coordinator(db, c["community_id"])
    add_programme(db, coord, programme(c))
    add_closure(db, coord, {"centre_id": c["id"], "day": date(2025, 10, 14), "reason": "设备检修"})
    monday = dict(programme(c, title="周一讲座", room="讲堂", byday=["MO"]))
    add_programme(db, coord, monday)
    ctx = calendar_context(db, c["id"])
    horizon = (date(2025, 9, 1), date(2025, 12, 31))
    progs = [p for p in programmes(db, c["id"]) if p["title"] in ("八段锦", "周一讲座")]
    ics = to_ical(c, progs, horizon, ctx["added"], ctx["closures"])
    cal = Calendar.from_ical(ics)
    events = recurring_ical_events.of(cal).between(datetime(2025, 9, 1), datetime(2026, 1, 1))
    from_ics = sorted((e["SUMMARY"], e["DTSTART"].dt.replace(tzinfo=None)) for e in events)
    ours = sorted((p["title"], datetime.combine(s["date"], s["start"]))
                  for p in progs for s in sessions(p, *horizon, ctx["added"], ctx["closures"]) if s["held"])
    assert from_ics == ours
    assert ("周一讲座", datetime(2025, 9, 28, 9, 0)) in from_ics       # RDATE: the 调休 Sunday
    assert ("八段锦", datetime(2025, 10, 2, 9, 0)) not in from_ics      # EXDATE: National Day
    assert ("八段锦", datetime(2025, 10, 14, 9, 0)) not in from_ics     # EXDATE: the centre's closure


def test_check_in_changes_the_meal_count(db):
    c = qiupu_centre(db)
    coord = coordinator(db, c["community_id"])
    pid = add_programme(db, coord, programme(c, valid_from=date(2025, 9, 22)))
    member = add_member(db, coord, {"centre_id": c["id"], "name": "测试老人", "birth_year": 1940,
                                    "community_id": c["community_id"], "emergency_contact": "儿子",
                                    "emergency_phone": "13800001234"})
    day = date(2025, 9, 23)
    book(db, coord, pid, day, member)
    assert meals(db, c["id"], day)["present"] == 0
    check_in(db, coord, pid, day, member, True)
    assert meals(db, c["id"], day)["present"] == 1
    check_in(db, coord, pid, day, member, False)  # corrected to a no-show
    assert meals(db, c["id"], day)["present"] == 0


def test_members_only_for_their_centre(db):
    c = qiupu_centre(db)
    other = next(x for x in centres(db) if x["id"] != c["id"])
    with pytest.raises(PermissionDenied):
        members(db, coordinator(db, other["community_id"]), c["id"])
    with pytest.raises(PermissionDenied):
        members(db, Actor("leader", "leader"), c["id"])
    with pytest.raises(PermissionDenied):
        add_programme(db, coordinator(db, other["community_id"]), programme(c))
    assert members(db, Actor("admin", "admin", user_id=1), c["id"])


def test_helpers_get_pending_daycare_records(db):
    c = qiupu_centre(db)
    coord = coordinator(db, c["community_id"])
    pid = add_programme(db, coord, programme(c))
    vid = next(db.query("SELECT id FROM volunteers WHERE community_id = ? AND status = 'active' LIMIT 1",
                        [c["community_id"]]))["id"]
    [rid] = record_helpers(db, coord, pid, date(2025, 9, 23), [vid])
    row = db["service_records"].get(rid)
    assert (row["status"], row["source"], row["minutes"], row["activity"]) == ("pending", "daycare", 60, "八段锦")


def test_attendance_by_week_stays_inside_the_community_or_district(db):
    from db.daycare import attendance_by_week

    start, end = clock.today() - timedelta(days=120), clock.today()
    everyone = {r["centre"] for r in attendance_by_week(db, start, end)}
    qiupu = qiupu_centre(db)
    own = {r["centre"] for r in attendance_by_week(db, start, end, community_id=qiupu["community_id"])}
    assert len(everyone) > 1 and own == {qiupu["name"]}
    district = next(db.query("SELECT district FROM communities WHERE id = ?", [qiupu["community_id"]]))["district"]
    in_district = {r["centre"] for r in attendance_by_week(db, start, end, district=district)}
    districts = {r["name"]: r["district"] for r in db.query(
        "SELECT d.name, c.district FROM daycare_centres d JOIN communities c ON c.id = d.community_id")}
    assert own <= in_district <= everyone and {districts[c] for c in in_district} == {district}


def test_occupancy_is_places_booked_over_places_offered(db):
    """By hand from the sessions themselves: a centre's occupancy, and the city's as the ratio of
    the sums."""
    from db.daycare import centre_sessions, occupancy

    start, end = clock.today() - timedelta(days=20), clock.today()
    rows = occupancy(db, start, end)
    booked = places = 0
    for c in centres(db):
        held = [s for s in centre_sessions(db, c["id"], start, end) if s["held"]]
        mine = next(r for r in rows if r["centre_id"] == c["id"])
        assert mine["places"] == sum(s["capacity"] for s in held) > 0
        assert mine["booked"] == sum(s["booked"] for s in held) > 0
        assert mine["occupancy"] == pytest.approx(mine["booked"] / mine["places"])
        booked, places = booked + mine["booked"], places + mine["places"]
    from db.dashboard import Scope, kpis

    assert kpis(db, Scope(start, end))["occupancy"] == pytest.approx(booked / places)


def test_room_clashes_at_their_edges(db):
    """Times and validity periods that touch share no minute and no day; sharing one is a clash."""
    c = qiupu_centre(db)
    coord = coordinator(db, c["community_id"])
    add_programme(db, coord, programme(c, title="秋季班后", valid_from=date(2025, 11, 1), valid_to=None))
    add_programme(db, coord, programme(c))  # TU TH 09:00–10:00, 22 Sept – 17 Oct: ends before it begins
    add_programme(db, coord, programme(c, title="早操", opens_at="08:00", closes_at="09:00"))  # ends as it opens
    add_programme(db, coord, programme(c, title="午前", opens_at="11:00", closes_at="12:00"))  # after a gap
    add_programme(db, coord, programme(c, title="接着", valid_from=date(2025, 10, 18), valid_to=date(2025, 10, 31)))
    for clash in ({"valid_from": date(2025, 10, 17), "valid_to": date(2025, 10, 17)},   # its last day
                  {"valid_from": date(2025, 9, 1), "valid_to": date(2025, 9, 22)},    # its first day
                  {"opens_at": "09:59", "closes_at": "10:30"}):                       # one minute
        with pytest.raises(Conflict) as exc:
            add_programme(db, coord, programme(c, title="冲突", **clash))
        assert exc.value.key == "err.room_clash"
    with pytest.raises(Conflict) as exc:  # two shared weekdays: the first is named
        add_programme(db, coord, programme(c, title="冲突", byday=["TU", "TH"], opens_at="09:30", closes_at="09:45"))
    assert exc.value.params["day"] == "TU"


def test_who_may_be_booked_and_booked_again(db):
    everyone = sorted(centres(db), key=lambda x: x["id"])
    c = everyone[len(everyone) // 2]  # a centre with others numbered below and above it
    coord = coordinator(db, c["community_id"])
    pid = add_programme(db, coord, programme(c, capacity=3, valid_from=clock.today(), valid_to=None,
                                             byday=["MO", "TU", "WE", "TH", "FR", "SA", "SU"]))
    day = next(s["date"] for s in sessions(next(p for p in programmes(db, c["id"]) if p["id"] == pid),
                                            clock.today(), date(2099, 1, 1)) if s["held"])
    here = [m["id"] for m in members(db, coord, c["id"])]
    others = [r["id"] for r in db.query("SELECT id FROM daycare_members WHERE centre_id != ? ORDER BY centre_id",
                                        [c["id"]])]
    below = db.execute("SELECT centre_id FROM daycare_members WHERE id = ?", [others[0]]).fetchone()[0]
    above = db.execute("SELECT centre_id FROM daycare_members WHERE id = ?", [others[-1]]).fetchone()[0]
    assert below < c["id"] < above
    from db.errors import InputError

    for stranger in (others[0], others[-1], 999_999):  # members of centres on either side, and nobody
        with pytest.raises(InputError) as exc:
            book(db, coord, pid, day, stranger)
        assert exc.value.problems == [("member_id", "err.unknown_member", {})]
    assert book(db, coord, pid, day, here[0]) == "booked"
    with pytest.raises(Conflict) as exc:
        book(db, coord, pid, day, here[0])  # booked already, with places left
    assert exc.value.key == "err.already_booked"
    cancel_booking(db, coord, pid, day, here[0])
    assert book(db, coord, pid, day, here[0]) == "booked"  # cancelled, then booked again
    book(db, coord, pid, day, here[1])
    book(db, coord, pid, day, here[2])
    assert book(db, coord, pid, day, here[3], waitlist=True) == "waitlist"
    assert book(db, coord, pid, day, here[4], waitlist=True) == "waitlist"
    with pytest.raises(Conflict) as exc:
        book(db, coord, pid, day, here[3], waitlist=True)  # already waiting
    assert exc.value.key == "err.already_booked"
    # leaving the waitlist promotes nobody: the places are still all taken
    assert cancel_booking(db, coord, pid, day, here[3]) is None
    assert sorted(r["member_id"] for r in roster(db, coord, pid, day) if r["status"] == "booked") == sorted(here[:3])


def test_occupancy_keeps_to_the_centre_community_or_district_asked_for(db):
    from db.daycare import occupancy

    start, end = clock.today() - timedelta(days=20), clock.today()
    every = {r["centre_id"] for r in occupancy(db, start, end)}
    by_place = list(db.query("SELECT d.id, d.community_id, c.district FROM daycare_centres d"
                             " JOIN communities c ON c.id = d.community_id"))
    assert every == {r["id"] for r in by_place}
    for district in sorted({r["district"] for r in by_place}):
        assert {r["centre_id"] for r in occupancy(db, start, end, district=district)} \
            == {r["id"] for r in by_place if r["district"] == district}
    one = by_place[len(by_place) // 2]
    assert [r["centre_id"] for r in occupancy(db, start, end, community_id=one["community_id"])] \
        == [r["id"] for r in by_place if r["community_id"] == one["community_id"]]
    assert [r["centre_id"] for r in occupancy(db, start, end, centre_id=one["id"])] == [one["id"]]
