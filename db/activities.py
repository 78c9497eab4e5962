"""Volunteer activities (志愿活动): a coordinator publishes one for their community with shifts
(岗位/时段) and slots; volunteers 报名 in one tap, past the slots onto a waitlist that moves up by
itself when someone cancels; coordinators add people (those without a smartphone) and cancel.
Attendance and the hours derived from it are db.attendance's."""

import json
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlite_utils import Database

from db import audit, clock
from db.errors import Conflict, InputError, NotFound, PermissionDenied
from db.models import Actor, ActivityIn, Reason, parse
from db.notifications import notify
from db.permissions import OWN, community_sql, require, scope
from db.store import write

LIST_LIMIT = 200  # activity and shift times are stored as clock.minute() writes them


def activity(db: Database, activity_id: int) -> dict:
    """One activity with its shifts and their counts (public facts: no names)."""
    rows = list(db.query("SELECT * FROM activities WHERE id = ?", [activity_id]))
    if not rows:
        raise NotFound("err.not_found")
    found = rows[0]
    found["skills"] = json.loads(found["skills"])
    found["shifts"] = shifts_of(db, [activity_id]).get(activity_id, [])
    return found


def _shift(db: Database, shift_id: int) -> dict:
    rows = list(db.query("SELECT s.*, a.community_id, a.status AS activity_status, a.cancel_hours, a.title FROM activity_shifts s JOIN activities a ON a.id = s.activity_id"
                         " WHERE s.id = ?", [shift_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


# --- publishing --------------------------------------------------------------------------------

def publish(db: Database, actor: Actor, data: dict) -> list[int]:
    """Publish an activity (and, repeated weekly, its series) for the actor's community; returns
    the new activities' ids, the first first."""
    new = parse(ActivityIn, data)
    require(actor, "activities.manage", new.community_id)
    known = {r["code"] for r in db.query("SELECT code FROM service_categories")}
    for field, code in [("category", new.category), *(("skills", k) for k in new.skills)]:
        if code not in known:
            raise InputError([(field, "err.unknown_category", {"code": code})])
    ids: list[int] = []
    with write(db):
        for week in range(new.repeat_weeks):
            day = new.day + timedelta(weeks=week)
            row = {"community_id": new.community_id, "title": new.title, "category": new.category,
                   "place": new.place, "notes": new.notes, "skills": json.dumps(new.skills),
                   "starts_at": clock.minute(datetime.combine(day, new.starts)), "ends_at": clock.minute(datetime.combine(day, new.ends)),
                   "cancel_hours": new.cancel_hours, "series_id": ids[0] if ids else None, "status": "published",
                   "created_by": actor.username, "created_at": clock.stamp()}
            activity_id = db["activities"].insert(row).last_pk
            for shift in new.shifts:
                db["activity_shifts"].insert({"activity_id": activity_id, "name": shift.name, "slots": shift.slots,
                                              "starts_at": clock.minute(datetime.combine(day, shift.starts)),
                                              "ends_at": clock.minute(datetime.combine(day, shift.ends))})
            audit.record(db, actor, "create", "activities", activity_id,
                         after={**row, "shifts": [s.model_dump(mode="json") for s in new.shifts]},
                         community_id=new.community_id)
            ids.append(activity_id)
    return ids


def cancel_activity(db: Database, actor: Actor, activity_id: int, reason: str) -> None:
    """Call an activity off before it starts; its sign-ups stay on record (and are told)."""
    why = parse(Reason, {"reason": reason})
    with write(db):
        found = activity(db, activity_id)
        require(actor, "activities.manage", found["community_id"])
        if found["status"] == "cancelled":
            raise Conflict("err.activity_cancelled")
        if found["starts_at"] <= clock.minute():
            raise Conflict("err.activity_started")
        db.execute("UPDATE activities SET status = 'cancelled' WHERE id = ?", [activity_id])
        for (volunteer_id,) in db.execute("SELECT DISTINCT volunteer_id FROM activity_signups WHERE activity_id = ?"
                                          " AND status != 'cancelled'", [activity_id]).fetchall():
            notify(db, volunteer_id, "activity_cancelled", title=found["title"], day=found["starts_at"][:10],
                   reason=why.reason)
        audit.record(db, actor, "cancel", "activities", activity_id, before={"status": found["status"]},
                     after={"status": "cancelled", "reason": why.reason}, community_id=found["community_id"])


# --- listing -----------------------------------------------------------------------------------

def upcoming(db: Database, community_id: int | None = None, category: str | None = None,
             days: int = 60) -> list[dict]:
    """Published activities not yet over, soonest first, with slots taken and waiting per
    activity (everyone may read this: no names)."""
    now = clock.now()
    where, args = ["a.status = 'published'", "a.ends_at > ?", "a.starts_at < ?"], [clock.minute(now), clock.minute(now + timedelta(days=days))]
    if community_id is not None:
        where.append("a.community_id = ?")
        args.append(community_id)
    if category:
        where.append("a.category = ?")
        args.append(category)
    rows = list(db.query(
        "SELECT a.id, a.community_id, c.name AS community, a.title, a.category, a.place, a.notes, a.skills, a.starts_at,"
        " a.ends_at, a.status, a.created_at, (SELECT SUM(slots) FROM activity_shifts s WHERE s.activity_id = a.id) AS slots,"
        " (SELECT COUNT(*) FROM activity_signups u WHERE u.activity_id = a.id AND u.status = 'confirmed') AS confirmed,"
        " (SELECT COUNT(*) FROM activity_signups u WHERE u.activity_id = a.id AND u.status = 'waitlist') AS waiting"
        " FROM activities a JOIN communities c ON c.id = a.community_id"
        f" WHERE {' AND '.join(where)} ORDER BY a.starts_at, a.id LIMIT {LIST_LIMIT}", args))
    for r in rows:
        r["skills"] = json.loads(r["skills"])
    return rows


def shifts_of(db: Database, activity_ids: list[int]) -> dict[int, list[dict]]:
    """The shifts of listed activities with their counts, in one query: activity id → shifts."""
    if not activity_ids:
        return {}
    marks = ", ".join("?" * len(activity_ids))
    found: dict[int, list[dict]] = {}
    for s in db.query(
            "SELECT s.*, (SELECT COUNT(*) FROM activity_signups u WHERE u.shift_id = s.id AND u.status = 'confirmed')"
            " AS confirmed, (SELECT COUNT(*) FROM activity_signups u WHERE u.shift_id = s.id AND u.status = 'waitlist')"
            f" AS waiting FROM activity_shifts s WHERE s.activity_id IN ({marks}) ORDER BY s.starts_at, s.id",
            activity_ids):
        found.setdefault(s["activity_id"], []).append(s)
    return found


def to_ical(found: dict, community: str, url: str) -> bytes:
    """One activity as an .ics event in Beijing time, for a phone's calendar; cancelled, it says so
    (a calendar that imported it before updates the same UID)."""
    cal = Calendar()
    cal.add("prodid", "-//Linli//activities//ZH")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"linli-activity-{found['id']}@linli")
    event.add("dtstamp", clock.parse(found["created_at"]).replace(tzinfo=clock.TZ))
    event.add("summary", found["title"])
    event.add("location", f"{community} {found['place']}")
    shifts = "\n".join(f"{s['name']} {s['starts_at'][11:]}–{s['ends_at'][11:]}" for s in found.get("shifts", []))
    event.add("description", "\n".join(x for x in (found["notes"], shifts, url) if x))
    event.add("url", url)
    event.add("dtstart", datetime.fromisoformat(found["starts_at"]).replace(tzinfo=clock.TZ))
    event.add("dtend", datetime.fromisoformat(found["ends_at"]).replace(tzinfo=clock.TZ))
    event.add("status", "CANCELLED" if found["status"] == "cancelled" else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()


def places(db: Database, community_id: int) -> list[str]:
    """Where a community's activities usually are: its day-care centres and open outlets, each as
    "name（address）" (public facts, no permission needed)."""
    rows = list(db.query("SELECT name, address FROM daycare_centres WHERE community_id = ? ORDER BY name", [community_id]))
    rows += db.query("SELECT name, address FROM outlets WHERE community_id = ? AND status = 'open' ORDER BY name"
                     " LIMIT 100", [community_id])
    return [f"{r['name']}（{r['address']}）" if r["address"] else r["name"] for r in rows]


def managed(db: Database, actor: Actor, days_back: int = 30) -> list[dict]:
    """The activities a coordinator runs (an admin: every community's), from a month back on:
    those running or coming first, soonest first, then those held, latest first."""
    where, args = community_sql(actor, "activities.manage", "a.community_id")
    now = clock.now()
    since, now_text = clock.minute(now - timedelta(days=days_back)), clock.minute(now)
    return list(db.query(
        "SELECT a.id, a.title, a.starts_at, a.ends_at, a.status"
        f" FROM activities a WHERE {where} AND a.ends_at >= ?"
        # running and coming ones first, soonest first; then those held, latest first
        f" ORDER BY a.ends_at < ?, CASE WHEN a.ends_at >= ? THEN a.starts_at END, a.starts_at DESC LIMIT {LIST_LIMIT}",
        [*args, since, now_text, now_text]))


def mine(db: Database, actor: Actor) -> list[dict]:
    """The volunteer's own sign-ups: coming ones soonest first, then those held, latest first."""
    if actor.volunteer_id is None:
        raise PermissionDenied("err.permission")
    require(actor, "volunteers.own", volunteer_id=actor.volunteer_id)
    now = clock.minute()
    return list(db.query(
        "SELECT u.id, u.activity_id, u.shift_id, u.status, u.signed_in_at, u.signed_out_at, u.record_id,"
        " a.title, a.place, a.status AS activity_status, s.name AS shift, s.starts_at, s.ends_at,"
        " (SELECT COUNT(*) + 1 FROM activity_signups w WHERE w.shift_id = u.shift_id AND w.status = 'waitlist'"
        "  AND (w.queued_at, w.id) < (u.queued_at, u.id)) AS place_in_line,"
        " r.minutes"
        " FROM activity_signups u JOIN activity_shifts s ON s.id = u.shift_id JOIN activities a ON a.id = u.activity_id"
        " LEFT JOIN service_records r ON r.id = u.record_id"
        " WHERE u.volunteer_id = ? AND u.status != 'cancelled'"
        " ORDER BY s.ends_at < ?, CASE WHEN s.ends_at >= ? THEN s.starts_at END, s.starts_at DESC LIMIT 200",
        [actor.volunteer_id, now, now]))


# --- signing up --------------------------------------------------------------------------------

def sign_up(db: Database, actor: Actor, shift_id: int, volunteer_id: int | None = None) -> dict:
    """报名: the volunteer themselves, or a coordinator adding someone of their community. Slots are
    counted inside the write lock, so sign-ups at the same moment never exceed them: past the
    slots the volunteer waits in line. Returns {"id", "status", "place_in_line"}."""
    volunteer_id = actor.volunteer_id if volunteer_id is None else volunteer_id
    with write(db):
        shift = _shift(db, shift_id)
        _may_join(db, actor, shift, volunteer_id)
        if shift["activity_status"] != "published":
            raise Conflict("err.activity_cancelled")
        if shift["ends_at"] <= clock.minute():
            raise Conflict("err.activity_over")
        before = next(db.query("SELECT * FROM activity_signups WHERE shift_id = ? AND volunteer_id = ?",
                               [shift_id, volunteer_id]), None)
        if before and before["status"] != "cancelled":
            raise Conflict("err.already_signed_up" if before["status"] == "confirmed" else "err.already_waiting")
        taken = db.execute("SELECT COUNT(*) FROM activity_signups WHERE shift_id = ? AND status = 'confirmed'",
                           [shift_id]).fetchone()[0]
        clash = _clash(db, volunteer_id, shift)
        if clash:
            raise Conflict("err.shift_clash", title=clash["title"], starts=clash["starts_at"][11:], ends=clash["ends_at"][11:])
        status = "confirmed" if taken < shift["slots"] else "waitlist"
        row = {"activity_id": shift["activity_id"], "shift_id": shift_id, "volunteer_id": volunteer_id,
               "status": status, "queued_at": clock.stamp(), "added_by": actor.username, "cancelled_at": None}
        if before:
            db["activity_signups"].update(before["id"], row)
            signup_id = before["id"]
        else:
            signup_id = db["activity_signups"].insert(row).last_pk
        audit.record(db, actor, "sign_up", "activity_signups", signup_id, after=row, community_id=shift["community_id"])
        line = 0
        if status == "waitlist":
            line = db.execute("SELECT COUNT(*) FROM activity_signups WHERE shift_id = ? AND status = 'waitlist'",
                              [shift_id]).fetchone()[0]
    return {"id": signup_id, "status": status, "place_in_line": line}


def _may_join(db: Database, actor: Actor, shift: dict, volunteer_id: int | None) -> None:
    """A volunteer signs themselves up for their own community's activities; staff add anyone
    active of the activity's community."""
    if volunteer_id is None:
        raise PermissionDenied("err.permission")
    require(actor, "activities.join", shift["community_id"], volunteer_id)
    v = next(db.query("SELECT real_name, community_id, status FROM volunteers WHERE id = ?", [volunteer_id]), None)
    if v is None:
        raise NotFound("err.not_found")
    if v["community_id"] != shift["community_id"]:
        raise PermissionDenied("err.activity_other_community")
    if v["status"] != "active":
        raise Conflict("err.volunteer_not_active", name=v["real_name"])


def _clash(db: Database, volunteer_id: int, shift: dict) -> dict | None:
    """Another shift the volunteer holds (or waits for) that overlaps this one."""
    return next(db.query(
        "SELECT a.title, s.starts_at, s.ends_at FROM activity_signups u JOIN activity_shifts s ON s.id = u.shift_id"
        " JOIN activities a ON a.id = u.activity_id WHERE u.volunteer_id = ? AND u.status != 'cancelled'"
        " AND a.status = 'published' AND s.id != ? AND s.starts_at < ? AND s.ends_at > ?",
        [volunteer_id, shift["id"], shift["ends_at"], shift["starts_at"]]), None)


def cancel_signup(db: Database, actor: Actor, signup_id: int) -> dict | None:
    """Cancel a sign-up: the volunteer up to the activity's cut-off, staff until the shift starts.
    A freed slot goes to the first in line, at once; returns that sign-up (or None)."""
    with write(db):
        signup = next(db.query("SELECT * FROM activity_signups WHERE id = ?", [signup_id]), None)
        if signup is None:
            raise NotFound("err.not_found")
        shift = _shift(db, signup["shift_id"])
        require(actor, "activities.join", shift["community_id"], signup["volunteer_id"])
        staff = scope(actor, "activities.join") is not OWN
        if signup["status"] == "cancelled":
            raise Conflict("err.signup_cancelled")
        if signup["signed_in_at"]:
            raise Conflict("err.already_signed_in", at=clock.time_of(signup["signed_in_at"]))
        starts = datetime.fromisoformat(shift["starts_at"])
        cutoff = starts - timedelta(hours=0 if staff else shift["cancel_hours"])
        if signup["status"] == "confirmed" and clock.now() >= cutoff:
            raise Conflict("err.cancel_too_late", hours=shift["cancel_hours"])
        db.execute("UPDATE activity_signups SET status = 'cancelled', cancelled_at = ? WHERE id = ?",
                   [clock.stamp(), signup_id])
        audit.record(db, actor, "cancel", "activity_signups", signup_id, before={"status": signup["status"]},
                     after={"status": "cancelled"}, community_id=shift["community_id"])
        promoted = None
        if signup["status"] == "confirmed":
            promoted = next(db.query("SELECT * FROM activity_signups WHERE shift_id = ? AND status = 'waitlist'"
                                     " ORDER BY queued_at, id LIMIT 1", [shift["id"]]), None)
            if promoted:
                db.execute("UPDATE activity_signups SET status = 'confirmed' WHERE id = ?", [promoted["id"]])
                notify(db, promoted["volunteer_id"], "promoted", title=shift["title"], day=shift["starts_at"][:10],
                       starts=shift["starts_at"][11:])
                audit.record(db, actor, "promote", "activity_signups", promoted["id"], before={"status": "waitlist"},
                             after={"status": "confirmed"}, community_id=shift["community_id"])
    return promoted


def roster(db: Database, actor: Actor, activity_id: int) -> list[dict]:
    """Everyone signed up for an activity, by shift then line: for its community's coordinator."""
    found = activity(db, activity_id)
    require(actor, "activities.manage", found["community_id"])
    return list(db.query(
        "SELECT u.id, u.shift_id, s.name AS shift, s.starts_at, s.ends_at, u.volunteer_id, v.number, v.real_name,"
        " v.phone, u.status, u.added_by, u.signed_in_at, u.in_source, u.signed_out_at, u.out_source, u.record_id"
        " FROM activity_signups u JOIN activity_shifts s ON s.id = u.shift_id JOIN volunteers v ON v.id = u.volunteer_id"
        " WHERE u.activity_id = ? AND u.status != 'cancelled' ORDER BY s.starts_at, s.id,"
        " u.status = 'waitlist', u.queued_at, u.id", [activity_id]))

