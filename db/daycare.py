"""Elderly day-care centres: programmes, closures, members, bookings with a waitlist,
check-in, meals, and helpers whose hours go to the ledger. The centre's community coordinator
and admins manage; everyone reads the timetable; members' details stay with the centre."""

from datetime import date, datetime, timedelta

from sqlite_utils import Database

from db import audit
from db.calendar import added_names, overrides
from db.store import write
from db.daycare_schedule import sessions
from db.errors import Conflict, InputError, NotFound
from db.ledger import insert_records
from db.models import Actor, ClosureIn, MemberIn, ProgrammeIn, RecordIn, parse
from db.permissions import require
from db import clock


def centres(db: Database) -> list[dict]:
    return list(db.query("SELECT d.*, c.name AS community FROM daycare_centres d JOIN communities c"
                         " ON c.id = d.community_id ORDER BY d.id"))


def centre(db: Database, centre_id: int) -> dict:
    rows = list(db.query("SELECT d.*, c.name AS community FROM daycare_centres d JOIN communities c"
                         " ON c.id = d.community_id WHERE d.id = ?", [centre_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


def _manager(db: Database, actor: Actor, centre_id: int) -> dict:
    c = centre(db, centre_id)
    require(actor, "daycare.manage", c["community_id"])
    return c


def programmes(db: Database, centre_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM daycare_programmes WHERE centre_id = ? AND active = 1"
                         " ORDER BY opens_at, title", [centre_id]))


def _programme(db: Database, programme_id: int) -> dict:
    rows = list(db.query("SELECT * FROM daycare_programmes WHERE id = ?", [programme_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


def _overlap(a: ProgrammeIn, b: dict) -> str | None:
    """The first weekday on which two programmes in one room overlap in time and validity."""
    a_end = a.valid_to or date.max
    b_from = date.fromisoformat(b["valid_from"])
    b_end = date.fromisoformat(b["valid_to"]) if b["valid_to"] else date.max
    if a.valid_from > b_end or b_from > a_end:
        return None
    if not (a.opens_at.strftime("%H:%M") < b["closes_at"] and b["opens_at"] < a.closes_at.strftime("%H:%M")):
        return None
    common = [d for d in a.byday if d in b["byday"].split(",")]
    return common[0] if common else None


def add_programme(db: Database, actor: Actor, data: dict) -> int:
    """A weekly programme; refused when its sessions would overlap another's in the same room."""
    p = parse(ProgrammeIn, data)
    with write(db):
        _manager(db, actor, p.centre_id)
        for other in programmes(db, p.centre_id):
            if other["room"] == p.room:
                clash = _overlap(p, other)
                if clash:
                    raise Conflict("err.room_clash", room=p.room, title=other["title"], day=clash,
                                   time=f"{other['opens_at']}–{other['closes_at']}")
        row = {**p.model_dump(), "byday": ",".join(p.byday), "opens_at": p.opens_at.strftime("%H:%M"),
               "closes_at": p.closes_at.strftime("%H:%M"), "valid_from": p.valid_from.isoformat(),
               "valid_to": p.valid_to.isoformat() if p.valid_to else None, "created_by": actor.username}
        pid = db["daycare_programmes"].insert(row).last_pk
        audit.record(db, actor, "create", "daycare_programmes", pid, after=row)
    return pid


def add_closure(db: Database, actor: Actor, data: dict) -> None:
    c = parse(ClosureIn, data)
    with write(db):
        _manager(db, actor, c.centre_id)
        if list(db.query("SELECT 1 FROM daycare_closures WHERE centre_id = ? AND day = ?", [c.centre_id, c.day.isoformat()])):
            raise Conflict("err.day_exists", day=c.day.isoformat())
        db["daycare_closures"].insert({"centre_id": c.centre_id, "day": c.day.isoformat(), "reason": c.reason})
        audit.record(db, actor, "create", "daycare_closures", f"{c.centre_id}:{c.day}", after={"reason": c.reason})


def closures(db: Database, centre_id: int) -> dict[str, str]:
    return {r["day"]: r["reason"] for r in db.query("SELECT day, reason FROM daycare_closures WHERE centre_id = ?",
                                                     [centre_id])}


def calendar_context(db: Database, centre_id: int) -> dict:
    return {"added": overrides(db), "closures": closures(db, centre_id), "names": added_names(db)}


def centre_sessions(db: Database, centre_id: int, start: date, end: date) -> list[dict]:
    """Every session of the centre's programmes in [start, end], with booked counts."""
    ctx = calendar_context(db, centre_id)
    out = []
    progs = programmes(db, centre_id)
    counts = {(r["programme_id"], r["session_date"]): r for r in db.query(
        "SELECT programme_id, session_date, SUM(CASE WHEN status = 'booked' THEN 1 ELSE 0 END) AS booked, SUM(CASE WHEN status = 'waitlist' THEN 1 ELSE 0 END) AS waiting,"
        " SUM(CASE WHEN attended = 1 THEN 1 ELSE 0 END) AS attended FROM daycare_bookings b JOIN daycare_programmes p ON p.id = b.programme_id"
        " WHERE p.centre_id = ? AND session_date BETWEEN ? AND ? GROUP BY programme_id, session_date",
        [centre_id, start.isoformat(), end.isoformat()])}
    for p in progs:
        for s in sessions(p, start, end, ctx["added"], ctx["closures"], ctx["names"]):
            c = counts.get((p["id"], s["date"].isoformat()), {})
            out.append({**s, "title": p["title"], "kind": p["kind"], "room": p["room"], "capacity": p["capacity"],
                        "lead": p["lead"], "booked": c.get("booked") or 0, "waiting": c.get("waiting") or 0,
                        "attended": c.get("attended") or 0})
    return sorted(out, key=lambda s: (s["date"], s["start"], s["title"]))


def next_sessions(db: Database, programme_id: int, count: int = 5, today: date | None = None) -> list[dict]:
    p = _programme(db, programme_id)
    today = today or clock.today()
    ctx = calendar_context(db, p["centre_id"])
    return sessions(p, today, today + timedelta(days=120), ctx["added"], ctx["closures"], ctx["names"])[:count]


# --- members -----------------------------------------------------------------------------------

def add_member(db: Database, actor: Actor, data: dict) -> int:
    m = parse(MemberIn, data)
    with write(db):
        _manager(db, actor, m.centre_id)
        row = {**m.model_dump(), "created_at": clock.stamp()}
        mid = db["daycare_members"].insert(row).last_pk
        audit.record(db, actor, "create", "daycare_members", mid, after={"centre_id": m.centre_id})
    return mid


def members(db: Database, actor: Actor, centre_id: int) -> list[dict]:
    """Members with their personal details: the centre's coordinator and admins only."""
    _manager(db, actor, centre_id)
    return list(db.query("SELECT m.*, c.name AS community FROM daycare_members m JOIN communities c"
                         " ON c.id = m.community_id WHERE m.centre_id = ? AND m.active = 1 ORDER BY m.name", [centre_id]))


# --- bookings ----------------------------------------------------------------------------------

def _check_session(db: Database, p: dict, day: date) -> None:
    ctx = calendar_context(db, p["centre_id"])
    match = [s for s in sessions(p, day, day, ctx["added"], ctx["closures"], ctx["names"])]
    if not match:
        raise Conflict("err.no_session", day=day.isoformat())
    if not match[0]["held"]:
        raise Conflict("err.session_not_held", day=day.isoformat(), reason=match[0]["reason"].split(":", 1)[-1])


def book(db: Database, actor: Actor, programme_id: int, day: date, member_id: int, waitlist: bool = False) -> str:
    """Book a member into a session; when full, refused unless `waitlist`, then queued.
    Returns 'booked' or 'waitlist'."""
    with write(db):
        p = _programme(db, programme_id)
        _manager(db, actor, p["centre_id"])
        member = next(db.query("SELECT centre_id FROM daycare_members WHERE id = ? AND active = 1", [member_id]), None)
        if member is None or member["centre_id"] != p["centre_id"]:
            raise InputError([("member_id", "err.unknown_member", {})])
        _check_session(db, p, day)
        key = [programme_id, day.isoformat()]
        existing = next(db.query("SELECT id, status FROM daycare_bookings WHERE programme_id = ? AND session_date = ?"
                                 " AND member_id = ?", [*key, member_id]), None)
        if existing and existing["status"] != "cancelled":
            raise Conflict("err.already_booked")
        booked = next(db.query("SELECT COUNT(*) AS n FROM daycare_bookings WHERE programme_id = ? AND session_date = ?"
                               " AND status = 'booked'", key))["n"]
        if booked >= p["capacity"] and not waitlist:
            raise Conflict("err.session_full", capacity=p["capacity"])
        status = "booked" if booked < p["capacity"] else "waitlist"
        position = None
        if status == "waitlist":
            position = next(db.query("SELECT COALESCE(MAX(position), 0) + 1 AS n FROM daycare_bookings"
                                     " WHERE programme_id = ? AND session_date = ?", key))["n"]
        if existing:
            db.execute("UPDATE daycare_bookings SET status = ?, position = ?, attended = NULL WHERE id = ?",
                       [status, position, existing["id"]])
            booking_id = existing["id"]
        else:
            booking_id = db["daycare_bookings"].insert({"programme_id": programme_id, "session_date": day.isoformat(),
                                                        "member_id": member_id, "status": status, "position": position,
                                                        "created_at": clock.stamp()}).last_pk
        audit.record(db, actor, status, "daycare_bookings", booking_id, after={"programme_id": programme_id,
                                                                                 "day": day.isoformat()})
    return status


def cancel_booking(db: Database, actor: Actor, programme_id: int, day: date, member_id: int) -> int | None:
    """Cancel a booking; the first on the waitlist moves up. Returns the promoted member, if any."""
    with write(db):
        p = _programme(db, programme_id)
        _manager(db, actor, p["centre_id"])
        key = [programme_id, day.isoformat()]
        row = next(db.query("SELECT id, status FROM daycare_bookings WHERE programme_id = ? AND session_date = ?"
                            " AND member_id = ? AND status != 'cancelled'", [*key, member_id]), None)
        if row is None:
            raise NotFound("err.not_found")
        db.execute("UPDATE daycare_bookings SET status = 'cancelled', position = NULL WHERE id = ?", [row["id"]])
        audit.record(db, actor, "cancel", "daycare_bookings", row["id"], before={"status": row["status"]})
        if row["status"] != "booked":
            return None
        first = next(db.query("SELECT id, member_id FROM daycare_bookings WHERE programme_id = ? AND session_date = ?"
                              " AND status = 'waitlist' ORDER BY position LIMIT 1", key), None)
        if first is None:
            return None
        db.execute("UPDATE daycare_bookings SET status = 'booked', position = NULL WHERE id = ?", [first["id"]])
        audit.record(db, actor, "promote", "daycare_bookings", first["id"], before={"status": "waitlist"},
                     after={"status": "booked"})
        return first["member_id"]


def roster(db: Database, actor: Actor, programme_id: int, day: date) -> list[dict]:
    """The check-in list of one session: booked members first, then the waitlist in order."""
    p = _programme(db, programme_id)
    _manager(db, actor, p["centre_id"])
    return list(db.query(
        "SELECT b.member_id, m.name, m.diet, m.mobility, b.status, b.position, b.attended"
        " FROM daycare_bookings b JOIN daycare_members m ON m.id = b.member_id"
        " WHERE b.programme_id = ? AND b.session_date = ? AND b.status != 'cancelled'"
        " ORDER BY b.status = 'waitlist', b.position, m.name", [programme_id, day.isoformat()]))


def check_in(db: Database, actor: Actor, programme_id: int, day: date, member_id: int, present: bool) -> None:
    with write(db):
        p = _programme(db, programme_id)
        _manager(db, actor, p["centre_id"])
        row = next(db.query("SELECT id, attended FROM daycare_bookings WHERE programme_id = ? AND session_date = ?"
                            " AND member_id = ? AND status = 'booked'", [programme_id, day.isoformat(), member_id]), None)
        if row is None:
            raise Conflict("err.not_booked")
        db.execute("UPDATE daycare_bookings SET attended = ? WHERE id = ?", [int(present), row["id"]])
        audit.record(db, actor, "check_in", "daycare_bookings", row["id"], before={"attended": row["attended"]},
                     after={"attended": int(present)})


def record_helpers(db: Database, actor: Actor, programme_id: int, day: date, volunteer_ids: list[int]) -> list[int]:
    """Volunteers who helped at a session: pending ledger records (source "daycare")."""
    p = _programme(db, programme_id)
    _manager(db, actor, p["centre_id"])
    start, end = datetime.strptime(p["opens_at"], "%H:%M").time(), datetime.strptime(p["closes_at"], "%H:%M").time()
    record = parse(RecordIn, {"volunteer_ids": volunteer_ids, "activity": p["title"], "service_date": day,
                              "start_time": start, "end_time": end, "category": "elderly",
                              "place": centre(db, p["centre_id"])["name"]})
    with write(db):
        return insert_records(db, actor, record, "daycare")


# --- figures -----------------------------------------------------------------------------------

def meals(db: Database, centre_id: int, day: date) -> dict:
    """The kitchen's count for a day: members booked into meal sessions, and members checked in
    at the centre that day (everyone present eats)."""
    booked = next(db.query(
        "SELECT COUNT(DISTINCT b.member_id) AS n FROM daycare_bookings b JOIN daycare_programmes p ON p.id = b.programme_id"
        " WHERE p.centre_id = ? AND b.session_date = ? AND b.status = 'booked' AND p.kind IN ('meal')",
        [centre_id, day.isoformat()]))["n"]
    present = next(db.query(
        "SELECT COUNT(DISTINCT b.member_id) AS n FROM daycare_bookings b JOIN daycare_programmes p ON p.id = b.programme_id"
        " WHERE p.centre_id = ? AND b.session_date = ? AND b.attended = 1", [centre_id, day.isoformat()]))["n"]
    return {"booked_meals": booked, "present": present}


def occupancy_rate(booked: int, places: int) -> float | None:
    """The one occupancy rule: places booked ÷ places offered by held sessions (None: none held).
    A centre's figure and a district's or the city's (sums of both) use it alike."""
    return booked / places if places else None


def occupancy(db: Database, start: date, end: date, centre_id: int | None = None, district: str | None = None,
              community_id: int | None = None) -> list[dict]:
    """Per centre: held sessions, places offered, places booked, attended; occupancy = booked ÷ places."""
    out = []
    for c in centres(db):
        if (centre_id and c["id"] != centre_id) or (community_id and c["community_id"] != community_id):
            continue
        if district and next(db.query("SELECT district FROM communities WHERE id = ?", [c["community_id"]]))["district"] != district:
            continue
        held = [s for s in centre_sessions(db, c["id"], start, end) if s["held"]]
        places = sum(s["capacity"] for s in held)
        booked = sum(s["booked"] for s in held)
        out.append({"centre_id": c["id"], "centre": c["name"], "sessions": len(held), "places": places,
                    "booked": booked, "attended": sum(s["attended"] for s in held),
                    "occupancy": occupancy_rate(booked, places)})
    return out


def attendance_by_week(db: Database, start: date, end: date, centre_id: int | None = None,
                       district: str | None = None, community_id: int | None = None) -> list[dict]:
    """Members checked in per week (Monday to Sunday, named by its Monday, so every centre's point
    for a week stands at the same date) and centre, within a district or community if given."""
    sql = ("SELECT d.name AS centre, date(b.session_date, '-6 days', 'weekday 1') AS week_start,"
           " COUNT(*) AS attended FROM daycare_bookings b JOIN daycare_programmes p ON p.id = b.programme_id"
           " JOIN daycare_centres d ON d.id = p.centre_id JOIN communities c ON c.id = d.community_id"
           " WHERE b.attended = 1 AND b.session_date BETWEEN ? AND ?")
    params: list = [start.isoformat(), end.isoformat()]
    for column, value in (("d.id", centre_id), ("c.district", district), ("c.id", community_id)):
        if value:
            sql += f" AND {column} = ?"
            params.append(value)
    return list(db.query(sql + " GROUP BY d.name, week_start ORDER BY week_start, d.name", params))


def add_centre(db: Database, actor: Actor, data: dict, capacity: int) -> int:
    """A centre, also listed in the directory as a day-care outlet (one transaction)."""
    from db.models import OutletIn
    from db.outlets import insert_outlet

    outlet = parse(OutletIn, {**data, "category": "daycare"})
    if not 1 <= capacity <= 1000:
        raise InputError([("capacity", "err.too_small", {"ge": 1})])
    require(actor, "daycare.manage", outlet.community_id)
    with write(db):
        if list(db.query("SELECT 1 FROM daycare_centres WHERE name = ?", [outlet.name])):
            raise Conflict("err.duplicate_community", name=outlet.name)
        outlet_id = insert_outlet(db, actor, outlet)
        row = {"name": outlet.name, "community_id": outlet.community_id, "address": outlet.address, "lat": outlet.lat,
               "lon": outlet.lon, "hotline": outlet.phones, "opening_hours": outlet.opening_hours,
               "capacity": capacity, "outlet_id": outlet_id}
        centre_id = db["daycare_centres"].insert(row).last_pk
        audit.record(db, actor, "create", "daycare_centres", centre_id, after=row, community_id=outlet.community_id)
    return centre_id
