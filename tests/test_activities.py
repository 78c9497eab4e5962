"""Volunteer activities: publishing, 报名 with slots and a waitlist, rotating QR codes, 签到/签退,
and hours derived from attendance. Times are Beijing's, from a frozen clock; expected minutes are
computed by hand in each test's comment."""

import multiprocessing
from datetime import date, datetime, time, timedelta

import pytest

from db import attendance, clock
from db.activities import activity, cancel_activity, cancel_signup, mine, publish, roster, sign_up, upcoming
from db.connection import connect
from db.errors import Conflict, InputError, PermissionDenied
from db.models import Actor
from db.users import actor_for

pytestmark = pytest.mark.both_engines

# A Saturday morning: publishing happens the Monday before.
MONDAY = datetime(2026, 12, 7, 10, 0)
SATURDAY = date(2026, 12, 12)


def _publish(db, coordinator, **changes):
    data = {"community_id": coordinator.community_id, "title": "敬老院探访", "category": "elderly",
            "place": "秋浦敬老院", "day": SATURDAY, "starts": time(9, 0), "ends": time(12, 0),
            "shifts": [{"name": "陪伴", "starts": time(9, 0), "ends": time(11, 0), "slots": 2},
                       {"name": "清洁", "starts": time(10, 0), "ends": time(12, 0), "slots": 5}]}
    data.update(changes)
    with clock.frozen(MONDAY):
        return publish(db, coordinator, data)


def _volunteers(db, community_id, n):
    rows = db.execute("SELECT id FROM volunteers WHERE community_id = ? AND status = 'active' AND user_id IS NULL"
                      " ORDER BY id LIMIT ?", [community_id, n]).fetchall()
    return [Actor(f"v{vid}", "volunteer", community_id=community_id, user_id=10_000 + vid, volunteer_id=vid)
            for (vid,) in rows]


@pytest.fixture
def db(db):
    """The demo city without its demo activities: these tests count every row they make."""
    db.executescript("DELETE FROM activity_signups; DELETE FROM activity_shifts; DELETE FROM activities;")
    return db


@pytest.fixture
def w(db):
    coordinator = actor_for(db, "coordinator")
    [activity_id] = _publish(db, coordinator)
    shifts = activity(db, activity_id)["shifts"]
    return {"db": db, "coordinator": coordinator, "me": actor_for(db, "volunteer"), "id": activity_id,
            "care": shifts[0]["id"], "clean": shifts[1]["id"], "others": _volunteers(db, coordinator.community_id, 25)}


def _count(db, sql, args=()):
    return db.execute(sql, args).fetchone()[0]


def test_a_published_activity_repeats_weekly_with_its_shifts(db):
    coordinator = actor_for(db, "coordinator")
    last_audit = _count(db, "SELECT MAX(id) FROM audit_log")
    ids = _publish(db, coordinator, repeat_weeks=3)
    starts = [activity(db, i)["starts_at"] for i in ids]
    assert starts == ["2026-12-12T09:00", "2026-12-19T09:00", "2026-12-26T09:00"]
    assert [s["starts_at"] for s in activity(db, ids[2])["shifts"]] == ["2026-12-26T09:00", "2026-12-26T10:00"]
    assert {activity(db, i)["series_id"] for i in ids[1:]} == {ids[0]}
    assert _count(db, "SELECT COUNT(*) FROM audit_log WHERE table_name = 'activities' AND action = 'create'"
                      " AND id > ?", [last_audit]) == 3
    with clock.frozen(MONDAY):
        assert [a["id"] for a in upcoming(db, coordinator.community_id)] == ids


@pytest.mark.parametrize("changes, field, key", [
    ({"day": date(2026, 12, 6)}, "day", "err.activity_past"),
    ({"ends": time(8, 0)}, "ends", "err.end_before_start"),
    ({"shifts": [{"name": "陪伴", "starts": time(8, 0), "ends": time(10, 0), "slots": 2}]}, "shifts.0.starts",
     "err.shift_outside"),
    ({"shifts": [{"name": "陪伴", "starts": time(9, 0), "ends": time(10, 0), "slots": 0}]}, "shifts.0.slots",
     "err.too_small"),
    ({"shifts": []}, "shifts", "err.required"),
    ({"title": "  "}, "title", "err.required"),
    ({"skills": ["elderly", "juggling"]}, "skills", "err.unknown_category"),
])
def test_a_bad_activity_is_refused_field_by_field_and_nothing_is_written(db, changes, field, key):
    with pytest.raises(InputError) as refused:
        _publish(db, actor_for(db, "coordinator"), **changes)
    assert (field, key) in [(f, k) for f, k, _ in refused.value.problems]
    assert _count(db, "SELECT COUNT(*) FROM activities") == 0


def test_only_the_communitys_coordinator_or_an_admin_publishes(db):
    coordinator = actor_for(db, "coordinator")
    with pytest.raises(PermissionDenied):
        _publish(db, actor_for(db, "coordinator2"), community_id=coordinator.community_id)
    with pytest.raises(PermissionDenied):
        _publish(db, actor_for(db, "volunteer"), community_id=coordinator.community_id)
    assert _publish(db, actor_for(db, "admin"), community_id=coordinator.community_id)


def test_slots_fill_then_a_waitlist_moves_up_when_someone_cancels(w):
    db, a, b, c = w["db"], *w["others"][:3]
    with clock.frozen(MONDAY):
        assert sign_up(db, a, w["care"])["status"] == "confirmed"
        assert sign_up(db, b, w["care"])["status"] == "confirmed"
        third = sign_up(db, c, w["care"])
        assert (third["status"], third["place_in_line"]) == ("waitlist", 1)
        first = next(r for r in mine(db, a) if r["shift_id"] == w["care"])
        promoted = cancel_signup(db, a, first["id"])
    assert promoted["id"] == third["id"]
    statuses = {r["volunteer_id"]: r["status"] for r in roster(db, w["coordinator"], w["id"])}
    assert statuses == {b.volunteer_id: "confirmed", c.volunteer_id: "confirmed"}


def test_a_volunteer_cancels_only_before_the_cut_off_and_staff_until_the_start(w):
    db, a = w["db"], w["others"][0]
    with clock.frozen(MONDAY):
        signup = sign_up(db, a, w["care"])["id"]
    with clock.frozen(datetime(2026, 12, 12, 7, 0)):  # 2 h before 09:00: the default cut-off
        with pytest.raises(Conflict) as late:
            cancel_signup(db, a, signup)
        assert late.value.key == "err.cancel_too_late"
    with clock.frozen(datetime(2026, 12, 12, 6, 59)):
        cancel_signup(db, a, signup)
        sign_up(db, w["coordinator"], w["care"], a.volunteer_id)  # the coordinator puts them back
        again = next(r for r in mine(db, a) if r["shift_id"] == w["care"])
        assert again["status"] == "confirmed" and again["id"] == signup
    with clock.frozen(datetime(2026, 12, 12, 8, 59)):
        cancel_signup(db, w["coordinator"], signup)


def test_sign_up_refusals(w):
    db, a = w["db"], w["others"][0]
    yaodu = _volunteers(db, actor_for(db, "coordinator2").community_id, 1)[0]
    with clock.frozen(MONDAY):
        sign_up(db, a, w["care"])
        for who, shift, key in [(a, w["care"], "err.already_signed_up"),
                                (a, w["clean"], "err.shift_clash"),  # 10–12 overlaps 9–11
                                (yaodu, w["care"], "err.activity_other_community")]:
            with pytest.raises((Conflict, PermissionDenied)) as refused:
                sign_up(db, who, shift)
            assert refused.value.key == key
        with pytest.raises(PermissionDenied):  # another volunteer's name
            sign_up(db, a, w["clean"], w["others"][1].volunteer_id)
        cancel_activity(db, w["coordinator"], w["id"], "下雨")
        with pytest.raises(Conflict, match="err.activity_cancelled"):
            sign_up(db, w["others"][1], w["clean"])
    assert _count(db, "SELECT COUNT(*) FROM activity_signups") == 1


def _sign_up_in_a_process(args):
    path, shift_id, actor = args
    db = connect(path)
    with clock.frozen(MONDAY):
        return sign_up(db, actor, shift_id)["status"]


def test_twenty_volunteers_signing_up_at_once_for_ten_places_get_exactly_ten(db, db_file):
    coordinator = actor_for(db, "coordinator")
    [activity_id] = _publish(db, coordinator, shifts=[{"name": "布置", "starts": time(9, 0), "ends": time(10, 0),
                                                         "slots": 10}])
    shift = activity(db, activity_id)["shifts"][0]["id"]
    people = _volunteers(db, coordinator.community_id, 20)
    assert len(people) == 20
    with multiprocessing.get_context("spawn").Pool(20) as pool:
        results = pool.map(_sign_up_in_a_process, [(db_file, shift, p) for p in people])
    assert sorted(results) == ["confirmed"] * 10 + ["waitlist"] * 10
    counts = dict(db.execute("SELECT status, COUNT(*) FROM activity_signups GROUP BY status").fetchall())
    assert counts == {"confirmed": 10, "waitlist": 10}


# --- the rotating code ---------------------------------------------------------------------------

def test_a_code_is_good_for_sixty_to_ninety_seconds_and_cannot_be_forged(w):
    made = datetime(2026, 12, 12, 9, 0, 0)  # the start of a half minute
    code = attendance.token(w["id"], made)
    assert attendance.read_token(code, made + timedelta(seconds=89)) == w["id"]
    for late in (90, 120):
        with pytest.raises(Conflict, match="err.qr_expired"):
            attendance.read_token(code, made + timedelta(seconds=late))
    with pytest.raises(Conflict, match="err.qr_expired"):  # made "in the future": not this server's
        attendance.read_token(attendance.token(w["id"], made + timedelta(minutes=5)), made)
    activity_id, step, signature = code.split(".")
    for forged in (f"{int(activity_id) + 1}.{step}.{signature}", f"{activity_id}.{int(step) + 1}.{signature}",
                   f"{activity_id}.{step}.{signature[:-2]}AA", "https://example.com", ""):
        with pytest.raises(Conflict, match="err.qr_forged"):
            attendance.read_token(forged, made)


def test_a_scanned_code_must_be_used_within_ten_minutes_of_opening_it(w):
    scanned = datetime(2026, 12, 12, 8, 50)
    code = attendance.token(w["id"], scanned)
    with clock.frozen(MONDAY):
        sign_up(w["db"], w["me"], w["care"])
    with clock.frozen(scanned + timedelta(minutes=10, seconds=1)):
        with pytest.raises(Conflict, match="err.qr_expired"):
            attendance.sign_in(w["db"], w["me"], code, scanned)
    with clock.frozen(scanned + timedelta(minutes=10)):  # logged in first, then pressed 签到: just in time
        attendance.sign_in(w["db"], w["me"], code, scanned)


def _scan(w, actor, at, which="in"):
    with clock.frozen(at):
        do = attendance.sign_in if which == "in" else attendance.sign_out
        return do(w["db"], actor, attendance.token(w["id"]), clock.now())


def test_sign_in_and_out_refusals_each_leave_an_audit_row_and_change_nothing(w):
    db, me = w["db"], w["me"]
    stranger = _volunteers(db, w["coordinator"].community_id, 30)[-1]
    yaodu = _volunteers(db, actor_for(db, "coordinator2").community_id, 1)[0]
    with clock.frozen(MONDAY):
        sign_up(db, me, w["care"])
        for p in w["others"][:2]:
            sign_up(db, p, w["care"])  # the care shift (2 places) is now full …
        sign_up(db, w["others"][2], w["care"])  # … so this one waits
    cases = [(me, datetime(2026, 12, 12, 8, 29), "in", "err.too_early"),
             (me, datetime(2026, 12, 12, 8, 40), "out", "err.out_before_in"),
             (stranger, datetime(2026, 12, 12, 8, 40), "in", "err.not_signed_up"),
             (yaodu, datetime(2026, 12, 12, 8, 40), "in", "err.activity_other_community"),
             (w["others"][2], datetime(2026, 12, 12, 8, 40), "in", "err.still_waiting"),
             (me, datetime(2026, 12, 12, 11, 0), "in", "err.shift_over")]
    for actor, at, which, key in cases:
        with pytest.raises((Conflict, PermissionDenied)) as refused:
            _scan(w, actor, at, which)
        assert refused.value.key == key
    assert _count(db, "SELECT COUNT(*) FROM activity_signups WHERE signed_in_at IS NOT NULL") == 0
    refusals = db.execute("SELECT actor, after FROM audit_log WHERE action LIKE 'refused_sign_%' ORDER BY id").fetchall()
    assert [(a, key in after) for (a, after), (_, _, _, key) in zip(refusals, cases)] == \
        [(actor.username, True) for actor, *_ in cases]
    _scan(w, me, datetime(2026, 12, 12, 8, 45))
    with pytest.raises(Conflict, match="err.already_signed_in"):
        _scan(w, me, datetime(2026, 12, 12, 8, 46))
    _scan(w, me, datetime(2026, 12, 12, 11, 5), "out")
    with pytest.raises(Conflict, match="err.already_signed_out"):
        _scan(w, me, datetime(2026, 12, 12, 11, 6), "out")


@pytest.mark.parametrize("signed_in, signed_out, minutes", [
    ("08:45:00", "11:05:00", 120),  # early and late count only inside 09:00–11:00
    ("09:02:40", "10:40:30", 97),  # 09:03 (a begun minute counts from its end) to 10:40
    ("09:00:00", "09:00:59", 0),
    ("10:59:00", "12:00:00", 1),
    ("11:30:00", "12:00:00", 0),  # came after the shift: nothing, not a negative
])
def test_minutes_are_the_whole_minutes_of_attendance_inside_the_shift(signed_in, signed_out, minutes):
    day = "2026-12-12T"
    assert attendance.derived_minutes(day + signed_in + "+08:00", day + signed_out + "+08:00",
                                      day + "09:00", day + "11:00") == minutes
    assert attendance.derived_minutes(None, day + signed_out + "+08:00", day + "09:00", day + "11:00") == 0
    assert attendance.derived_minutes(day + signed_in + "+08:00", None, day + "09:00", day + "11:00") == 0


def test_the_organiser_approves_an_activity_in_one_batch_with_each_records_source(w):
    db, me, coordinator = w["db"], w["me"], w["coordinator"]
    hand, forgetful = w["others"][:2]
    with clock.frozen(MONDAY):
        for p in (me, hand, forgetful):
            sign_up(db, p, w["care"] if p is not forgetful else w["clean"])
    minutes_before = _count(db, "SELECT approved_minutes FROM volunteers WHERE id = ?", [me.volunteer_id])
    _scan(w, me, datetime(2026, 12, 12, 9, 2, 40))
    _scan(w, forgetful, datetime(2026, 12, 12, 9, 55))
    rows = {r["volunteer_id"]: r for r in roster(db, coordinator, w["id"])}
    with clock.frozen(datetime(2026, 12, 12, 9, 10)):
        attendance.tick(db, coordinator, rows[hand.volunteer_id]["id"], "in", datetime(2026, 12, 12, 9, 5))
        with pytest.raises(Conflict, match="err.future_time"):
            attendance.tick(db, coordinator, rows[hand.volunteer_id]["id"], "out", datetime(2026, 12, 12, 9, 30))
    _scan(w, me, datetime(2026, 12, 12, 10, 40, 30), "out")
    with clock.frozen(datetime(2026, 12, 12, 11, 30)):
        attendance.tick(db, coordinator, rows[hand.volunteer_id]["id"], "out")  # now: 11:30, after the 11:00 end
        with pytest.raises(PermissionDenied):
            attendance.approve_activity(db, actor_for(db, "coordinator2"), w["id"])
        done = attendance.approve_activity(db, coordinator, w["id"])
    # me: 09:03–10:40 = 97 min; hand: 09:05–11:00 = 115 min; forgetful never signed out
    assert done == {"records": 2, "minutes": 212, "waiting": 1}
    records = db.execute("SELECT volunteer_id, minutes, source, status, start_time, end_time, content FROM service_records"
                         " WHERE id IN (SELECT record_id FROM activity_signups WHERE activity_id = ?) ORDER BY minutes",
                         [w["id"]]).fetchall()
    assert records == [(me.volunteer_id, 97, "activity_qr", "approved", "09:03", "10:40", "陪伴"),
                       (hand.volunteer_id, 115, "activity_manual", "approved", "09:05", "11:00", "陪伴")]
    assert _count(db, "SELECT approved_minutes FROM volunteers WHERE id = ?", [me.volunteer_id]) == minutes_before + 97
    from db.notifications import inbox
    assert [i["params"] for i in inbox(db, me)["items"] if i["kind"] == "hours_approved"] == [
        {"hours": 1.6, "activity": "敬老院探访", "day": "2026-12-12"}]  # 97 minutes
    with clock.frozen(datetime(2026, 12, 12, 13, 0)):
        with pytest.raises(Conflict, match="err.nothing_to_approve"):
            attendance.approve_activity(db, coordinator, w["id"])
        attendance.tick(db, coordinator, rows[forgetful.volunteer_id]["id"], "out", datetime(2026, 12, 12, 11, 50))
        # forgetful: 09:55 in, clean shift 10:00–12:00, out 11:50 → 110 min, now by hand
        assert attendance.approve_activity(db, coordinator, w["id"]) == {"records": 1, "minutes": 110, "waiting": 0}


# --- notifications -------------------------------------------------------------------------------

def test_a_volunteer_is_told_of_a_place_come_free_a_reminder_a_cancellation_and_approved_hours(w):
    from db.notifications import inbox, mark_read

    db, a, b, c = w["db"], *w["others"][:3]
    with clock.frozen(MONDAY):
        first = sign_up(db, a, w["care"])["id"]
        sign_up(db, b, w["care"])
        sign_up(db, c, w["care"])  # waits
        assert inbox(db, c) == {"unread": 0, "items": []}
        cancel_signup(db, a, first)
        box = inbox(db, c)
    assert box["unread"] == 1
    assert [(i["kind"], i["params"]) for i in box["items"]] == [
        ("promoted", {"title": "敬老院探访", "day": "2026-12-12", "starts": "09:00"})]
    with clock.frozen(datetime(2026, 12, 11, 9, 30)):  # the day before: a reminder, worked out, not stored
        assert [i["kind"] for i in inbox(db, c)["items"]] == ["activity_soon", "promoted"]
        assert mark_read(db, c) == 1
        assert inbox(db, c)["unread"] == 1  # the reminder stays until the activity starts
        with pytest.raises(PermissionDenied):
            inbox(db, w["coordinator"])
        cancel_activity(db, w["coordinator"], w["id"], "暴雨预警")
        assert [(i["kind"], i["params"]["reason"]) for i in inbox(db, b)["items"]] == [("activity_cancelled", "暴雨预警")]
        assert inbox(db, a)["items"] == []  # a had cancelled: not told


def test_approved_hours_are_announced_to_the_volunteer(w):
    from db.notifications import inbox

    db, me = w["db"], w["me"]
    with clock.frozen(MONDAY):
        sign_up(db, me, w["care"])
    _scan(w, me, datetime(2026, 12, 12, 8, 58))
    _scan(w, me, datetime(2026, 12, 12, 11, 0), "out")
    with clock.frozen(datetime(2026, 12, 12, 12, 0)):
        attendance.approve_activity(db, w["coordinator"], w["id"])
        [note] = [i for i in inbox(db, me)["items"] if i["kind"] == "hours_approved"]
    assert note["params"] == {"hours": 2.0, "activity": "敬老院探访", "day": "2026-12-12"}


def test_the_calendar_file_puts_the_activity_at_beijing_time_and_says_when_it_is_called_off(w):
    from datetime import timezone

    from icalendar import Calendar

    from db.activities import to_ical

    db = w["db"]

    def event():
        [found] = Calendar.from_ical(to_ical(activity(db, w["id"]), "秋浦社区", "http://x/activities?id=1")).walk("VEVENT")
        return found

    e = event()
    # 09:00–12:00 in Beijing is 01:00–04:00 UTC, whatever zone the reading calendar is in
    assert e.decoded("dtstart").astimezone(timezone.utc) == datetime(2026, 12, 12, 1, 0, tzinfo=timezone.utc)
    assert e.decoded("dtend").astimezone(timezone.utc) == datetime(2026, 12, 12, 4, 0, tzinfo=timezone.utc)
    assert (str(e["summary"]), str(e["location"]), str(e["status"])) == ("敬老院探访", "秋浦社区 秋浦敬老院", "CONFIRMED")
    assert "陪伴 09:00–11:00" in str(e["description"]) and str(e["uid"]) == f"linli-activity-{w['id']}@linli"
    with clock.frozen(MONDAY):
        cancel_activity(db, w["coordinator"], w["id"], "下雨")
    assert str(event()["status"]) == "CANCELLED"


def test_ticks_by_hand_are_refused_in_words_for_what_cannot_have_happened(w):
    db, coordinator, me, waiting = w["db"], w["coordinator"], w["me"], w["others"][2]
    with clock.frozen(MONDAY):
        sign_up(db, me, w["care"])
        for p in w["others"][:2]:
            sign_up(db, p, w["care"])
        sign_up(db, waiting, w["care"])
    rows = {r["volunteer_id"]: r["id"] for r in roster(db, coordinator, w["id"])}
    mine_, line = rows[me.volunteer_id], rows[waiting.volunteer_id]

    def refused(at, signup, which, moment=None):
        with clock.frozen(at):
            with pytest.raises(Conflict) as exc:
                attendance.tick(db, coordinator, signup, which, moment)
        return exc.value.key, exc.value.params

    saturday = datetime(2026, 12, 12)
    assert refused(saturday.replace(hour=8, minute=29), mine_, "in") == ("err.too_early", {"starts": "09:00", "minutes": 30})
    assert refused(saturday.replace(hour=9), line, "in") == ("err.still_waiting", {})
    assert refused(saturday.replace(hour=9), mine_, "out") == ("err.out_before_in", {})
    with clock.frozen(saturday.replace(hour=8, minute=30)):  # the first minute it opens
        attendance.tick(db, coordinator, mine_, "in")
    assert refused(saturday.replace(hour=9), mine_, "in") == ("err.already_signed_in", {"at": "08:30"})
    assert refused(saturday.replace(hour=9), mine_, "out", saturday.replace(hour=8, minute=30)) == ("err.out_before_in", {})
    with clock.frozen(saturday.replace(hour=11, minute=15)):
        attendance.tick(db, coordinator, mine_, "out", saturday.replace(hour=10, minute=50, second=40))  # to the minute
    assert refused(saturday.replace(hour=12), mine_, "out") == ("err.already_signed_out", {"at": "10:50"})
    first, second = (rows[p.volunteer_id] for p in w["others"][:2])
    with clock.frozen(saturday.replace(hour=9, minute=10)):
        attendance.tick(db, coordinator, first, "in")
    assert refused(saturday.replace(hour=9, minute=20), first, "out", saturday.replace(hour=9)) == ("err.out_before_in", {})
    with clock.frozen(MONDAY):
        cancel_signup(db, coordinator, second)  # the slot goes to the one waiting
    assert refused(saturday.replace(hour=9), second, "in") == ("err.signup_cancelled", {})
    with pytest.raises(PermissionDenied):
        attendance.tick(db, actor_for(db, "coordinator2"), line, "in")
    # 08:30 → 09:00 the start, 10:50 the end: 110 minutes, marked as ticked by hand
    [row] = [r for r in attendance.hours_to_approve(db, coordinator, w["id"]) if r["id"] == mine_]
    assert (row["minutes"], row["source"], row["start"].time(), row["end"].time()) == (110, "activity_manual", time(9, 0),
                                                                                     time(10, 50))


def test_scan_refusals_say_when(w):
    db, me = w["db"], w["me"]
    with clock.frozen(MONDAY):
        sign_up(db, me, w["care"])
    with clock.frozen(datetime(2026, 12, 12, 8, 40)):  # what a scan would do: 签到 first
        state = attendance.scan_state(db, me, w["id"])
        assert (state["next"], state["signup"]["shift"]) == ("in", "陪伴")

    def refused(at, which="in"):
        with pytest.raises(Conflict) as exc:
            _scan(w, me, at, which)
        return exc.value.key, exc.value.params

    assert refused(datetime(2026, 12, 12, 8, 29)) == ("err.too_early", {"starts": "09:00", "minutes": 30})
    assert refused(datetime(2026, 12, 12, 11, 0)) == ("err.shift_over", {"ends": "11:00"})
    assert refused(datetime(2026, 12, 12, 11, 30)) == ("err.shift_over", {"ends": "11:00"})
    _scan(w, me, datetime(2026, 12, 12, 8, 30))  # opens half an hour before
    with clock.frozen(datetime(2026, 12, 12, 8, 40)):
        assert attendance.scan_state(db, me, w["id"])["next"] == "out"
    assert refused(datetime(2026, 12, 12, 8, 31)) == ("err.already_signed_in", {"at": "08:30"})
    assert refused(datetime(2026, 12, 12, 15, 1), "out") == ("err.sign_out_closed", {"ends": "11:00"})  # 4 h after 11:00
    _scan(w, me, datetime(2026, 12, 12, 15, 0), "out")
    assert refused(datetime(2026, 12, 12, 15, 5), "out") == ("err.already_signed_out", {"at": "15:00"})
    with clock.frozen(datetime(2026, 12, 12, 15, 5)):
        state = attendance.scan_state(db, me, w["id"])
        assert state == {"next": "done", "at": "15:00"}
        assert attendance.look(db, me, attendance.token(w["id"]), clock.now())["next"] == "done"


def test_a_genuine_code_for_no_activity_is_a_forged_one_and_is_written_down(w):
    db, me = w["db"], w["me"]
    with clock.frozen(datetime(2026, 12, 12, 9, 0)):
        for do in (attendance.sign_in, attendance.look):
            with pytest.raises(Conflict, match="err.qr_forged"):
                do(db, me, attendance.token(999_999), clock.now())
        with pytest.raises(Conflict, match="err.qr_expired"):  # a stale code: its activity is named
            attendance.look(db, me, attendance.token(w["id"], clock.now() - timedelta(minutes=2)), clock.now())
    rows = db.execute("SELECT action, row_id, community_id, after FROM audit_log WHERE action LIKE 'refused_%'"
                      " ORDER BY id").fetchall()
    assert [(a, r, c) for a, r, c, _ in rows] == [("refused_sign_in", None, None), ("refused_scan", None, None),
                                                   ("refused_scan", None, None)]
    assert all('"reason": "err.qr_' in after for *_, after in rows)


def test_a_scan_of_another_communitys_or_a_called_off_activity_is_refused(w):
    db, me = w["db"], w["me"]
    yaodu = actor_for(db, "coordinator2")  # 尧渡社区 (a larger id than 秋浦社区's: no order decides)
    with clock.frozen(MONDAY):
        [theirs] = publish(db, yaodu, {"community_id": yaodu.community_id, "title": "河道清洁", "category": "safety",
                                       "place": "河边", "day": SATURDAY, "starts": time(9, 0), "ends": time(11, 0),
                                       "shifts": [{"name": "清洁", "starts": time(9, 0), "ends": time(11, 0), "slots": 5}]})
        sign_up(db, me, w["care"])
        cancel_activity(db, w["coordinator"], w["id"], "暴雨")
    with clock.frozen(datetime(2026, 12, 12, 9, 0)):
        with pytest.raises(PermissionDenied, match="err.activity_other_community"):
            attendance.sign_in(db, me, attendance.token(theirs), clock.now())
        with pytest.raises(Conflict, match="err.activity_cancelled"):
            attendance.sign_in(db, me, attendance.token(w["id"]), clock.now())


def test_lists_filter_by_community_and_category(w):
    db = w["db"]
    yaodu = actor_for(db, "coordinator2")
    [theirs] = _publish(db, yaodu, community_id=yaodu.community_id, category="safety")
    with clock.frozen(MONDAY):
        assert [a["id"] for a in upcoming(db, w["coordinator"].community_id)] == [w["id"]]
        assert [a["id"] for a in upcoming(db, yaodu.community_id)] == [theirs]
        assert [a["id"] for a in upcoming(db)] == [w["id"], theirs]  # same start: by id
        assert [a["id"] for a in upcoming(db, category="safety")] == [theirs]


def test_sign_up_edges_the_line_the_end_of_a_shift_and_another_communitys_activity(w):
    db, (a, b, c, d) = w["db"], w["others"][:4]
    with clock.frozen(MONDAY):
        assert sign_up(db, a, w["care"]) == {"id": ANY_ID, "status": "confirmed", "place_in_line": 0}
        sign_up(db, b, w["care"])
        sign_up(db, c, w["care"])
        waiting_d = sign_up(db, d, w["care"])
        assert (waiting_d["status"], waiting_d["place_in_line"]) == ("waitlist", 2)
        with pytest.raises(Conflict) as again:
            sign_up(db, c, w["care"])
        assert again.value.key == "err.already_waiting"
        with pytest.raises(Conflict) as clash:
            sign_up(db, a, w["clean"])
        assert clash.value.params == {"title": "敬老院探访", "starts": "09:00", "ends": "11:00"}
        # leaving the line frees no place: nobody moves up
        assert cancel_signup(db, c, next(r["id"] for r in mine(db, c))) is None
    assert {r["volunteer_id"]: r["status"] for r in roster(db, w["coordinator"], w["id"])}[d.volunteer_id] == "waitlist"
    with clock.frozen(datetime(2026, 12, 12, 11, 59)):  # the clean shift runs to 12:00
        sign_up(db, w["others"][4], w["clean"])
    with clock.frozen(datetime(2026, 12, 12, 12, 0)):
        with pytest.raises(Conflict, match="err.activity_over"):
            sign_up(db, w["others"][5], w["clean"])
    yaodu = actor_for(db, "coordinator2")
    [theirs] = _publish(db, yaodu, community_id=yaodu.community_id)
    with clock.frozen(MONDAY), pytest.raises(PermissionDenied, match="err.activity_other_community"):
        sign_up(db, a, activity(db, theirs)["shifts"][0]["id"])  # 秋浦's volunteer, 尧渡's activity


def test_staff_cannot_cancel_once_the_shift_has_started(w):
    db, a = w["db"], w["others"][0]
    with clock.frozen(MONDAY):
        signup = sign_up(db, a, w["care"])["id"]
    with clock.frozen(datetime(2026, 12, 12, 9, 0)):
        with pytest.raises(Conflict, match="err.cancel_too_late"):
            cancel_signup(db, w["coordinator"], signup)


class _AnyId:
    def __eq__(self, other):
        return isinstance(other, int) and other > 0


ANY_ID = _AnyId()


def test_what_cannot_be_done_twice_or_too_late(w):
    db, coordinator, a = w["db"], w["coordinator"], w["others"][0]
    with clock.frozen(MONDAY):
        signup = sign_up(db, a, w["care"])["id"]
    with clock.frozen(datetime(2026, 12, 12, 8, 0)):  # an hour past the volunteer's cut-off
        with pytest.raises(Conflict, match="err.cancel_too_late"):
            cancel_signup(db, a, signup)
    with clock.frozen(datetime(2026, 12, 12, 8, 45)):
        attendance.sign_in(db, a, attendance.token(w["id"]), clock.now())
        with pytest.raises(Conflict) as came:
            cancel_signup(db, coordinator, signup)  # they came: the sign-up stays
        assert (came.value.key, came.value.params) == ("err.already_signed_in", {"at": "08:45"})
    with clock.frozen(datetime(2026, 12, 12, 9, 0)):
        with pytest.raises(Conflict, match="err.activity_started"):
            cancel_activity(db, coordinator, w["id"], "太晚了")
    [later] = _publish(db, coordinator, day=SATURDAY + timedelta(days=7))
    b = w["others"][1]
    with clock.frozen(MONDAY):
        other = sign_up(db, b, activity(db, later)["shifts"][0]["id"])["id"]
        cancel_signup(db, b, other)
        with pytest.raises(Conflict, match="err.signup_cancelled"):
            cancel_signup(db, b, other)
        cancel_activity(db, coordinator, later, "下雨")
        with pytest.raises(Conflict, match="err.activity_cancelled"):
            cancel_activity(db, coordinator, later, "又下雨")


def test_an_inactive_volunteer_is_not_signed_up(w):
    from db.volunteers import set_active

    db, a = w["db"], w["others"][0]
    set_active(db, w["coordinator"], a.volunteer_id, False)
    with clock.frozen(MONDAY), pytest.raises(Conflict, match="err.volunteer_not_active"):
        sign_up(db, w["coordinator"], w["care"], a.volunteer_id)
