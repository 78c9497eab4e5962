"""The service-hour ledger: record, approve, reject, reverse. Approved rows are final (a trigger
enforces it); volunteers.approved_minutes is kept equal to their approved sum in the same transaction."""

from sqlite_utils import Database

from db import audit
from db.store import write
from db.errors import Conflict, InputError, NotFound, PermissionDenied
from db.models import Actor, FourEyesIn, Period, Reason, RecordIn, parse
from db.permissions import OWN, community_filter, require, scope
from db import clock
from db.notifications import notify_hours

MAX_MINUTES_PER_DAY = 24 * 60
PAGE_SIZE = 100
RECORD_COLUMNS = ("r.id, r.volunteer_id, v.number, v.real_name, r.community_id, r.activity, r.service_date,"
                  " r.start_time, r.end_time, r.minutes, r.place, r.beneficiary, r.content, r.category,"
                  " r.status, r.reject_reason, r.source, r.recorded_by, r.recorded_at, r.approved_by,"
                  " r.approved_at, r.reverses_id,"
                  " (SELECT x.id FROM service_records x WHERE x.reverses_id = r.id) AS reversed_by")


def record_hours(db: Database, actor: Actor, data: dict, source: str | None = None) -> list[int]:
    """Record one activity for one or more volunteers, all or nothing, as pending.
    Coordinators record for their community; a volunteer reports only their own hours."""
    rec = parse(RecordIn, data)
    if scope(actor, "hours.record") is OWN:
        source = "self"  # self-reported: the table lets a volunteer record their own hours only
    with write(db):
        return insert_records(db, actor, rec, source or "manual")


def insert_records(db: Database, actor: Actor, rec: RecordIn, source: str, status: str = "pending",
                   credit_for_need: bool = False) -> list[int]:
    """Insert a validated record for each volunteer inside the caller's transaction, if the actor
    may record hours for each. credit_for_need: a confirmed need credits its claimer, whoever
    confirms it (the caller has checked the confirmer)."""
    if not list(db.query("SELECT 1 FROM service_categories WHERE code = ?", [rec.category])):
        raise InputError([("category", "err.unknown_category", {"code": rec.category})])
    ids = []
    for volunteer_id in dict.fromkeys(rec.volunteer_ids):
        v = _volunteer(db, volunteer_id)
        if not credit_for_need:
            require(actor, "hours.record", v["community_id"], volunteer_id)
        if v["status"] != "active":
            raise Conflict("err.volunteer_not_active", name=v["real_name"])
        day = rec.service_date.isoformat()
        start = rec.start_time.strftime("%H:%M") if rec.start_time else None
        end = rec.end_time.strftime("%H:%M") if rec.end_time else None
        if list(db.query(
                "SELECT 1 FROM service_records r WHERE volunteer_id = ? AND service_date = ? AND activity = ?"
                " AND minutes = ? AND category = ? AND start_time IS ? AND end_time IS ?"
                " AND status != 'rejected' AND reverses_id IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM service_records x WHERE x.reverses_id = r.id)",
                [volunteer_id, day, rec.activity, rec.minutes, rec.category, start, end])):
            raise Conflict("err.duplicate_record", name=v["real_name"], date=day)
        already = next(db.query(
            "SELECT COALESCE(SUM(minutes), 0) AS m FROM service_records WHERE volunteer_id = ?"
            " AND service_date = ? AND status != 'rejected'", [volunteer_id, day]))["m"]
        if already + rec.minutes > MAX_MINUTES_PER_DAY:
            raise Conflict("err.over_24h", name=v["real_name"], date=day, hours=round(already / 60, 1))
        row = {"volunteer_id": volunteer_id, "community_id": v["community_id"], "activity": rec.activity,
               "service_date": day, "start_time": start, "end_time": end, "minutes": rec.minutes,
               "place": rec.place, "beneficiary": rec.beneficiary, "content": rec.content,
               "category": rec.category, "status": status, "source": source,
               "recorded_by": actor.username, "recorded_at": clock.stamp()}
        if status == "approved":
            row.update(approved_by=actor.username, approved_at=row["recorded_at"])
        record_id = db["service_records"].insert(row).last_pk
        if status == "approved":
            _add_minutes(db, volunteer_id, rec.minutes)
        audit.record(db, actor, "create", "service_records", record_id, after=row, community_id=v["community_id"])
        ids.append(record_id)
    return ids


def _volunteer(db: Database, volunteer_id: int) -> dict:
    rows = list(db.query("SELECT id, real_name, community_id, status FROM volunteers WHERE id = ?", [volunteer_id]))
    if not rows:
        raise InputError([("volunteer_ids", "err.unknown_volunteer", {"id": volunteer_id})])
    return rows[0]


def _record(db: Database, record_id: int) -> dict:
    rows = list(db.query("SELECT * FROM service_records WHERE id = ?", [record_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


def _add_minutes(db: Database, volunteer_id: int, minutes: int) -> None:
    db.execute("UPDATE volunteers SET approved_minutes = approved_minutes + ? WHERE id = ?", [minutes, volunteer_id])


def _pending(db: Database, actor: Actor, record_ids: list[int]) -> list[dict]:
    """The records to approve or reject, all checked before any changes."""
    records = [_record(db, rid) for rid in dict.fromkeys(record_ids)]
    for r in records:
        require(actor, "hours.approve", r["community_id"])
        if r["status"] != "pending":
            raise Conflict("err.record_not_pending", id=r["id"])
    return records


# Hours typed by a person, as opposed to derived from attendance (activities, day care) or from a
# confirmed need: these need a second person's approval (四眼原则).
TYPED = ("manual", "self", "import")
FOUR_EYES_KEY = "four_eyes_minutes"


def four_eyes_minutes(db: Database) -> int:
    """Typed hours up to this many minutes a record may be approved by whoever entered them (an
    office with one coordinator sets it for everyday entries); above it, always a second person.
    0, the default: every typed record needs someone else."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [FOUR_EYES_KEY]).fetchone()
    return int(row[0]) if row else 0


def set_four_eyes_minutes(db: Database, actor: Actor, minutes: int) -> None:
    require(actor, "settings.edit")
    new = parse(FourEyesIn, {"minutes": minutes}).minutes
    with write(db):
        before = four_eyes_minutes(db)
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   [FOUR_EYES_KEY, str(new)])
        audit.record(db, actor, "update", "settings", FOUR_EYES_KEY, before={"minutes": before}, after={"minutes": new})


def may_approve(actor: Actor, record: dict, limit: int) -> str | None:
    """Why the actor may not approve this record themselves (a catalogue key), or None."""
    if actor.volunteer_id is not None and record["volunteer_id"] == actor.volunteer_id:
        return "err.own_hours_approval"
    if record["source"] in TYPED and record["recorded_by"] == actor.username and record["minutes"] > limit:
        return "err.four_eyes"
    return None


def approve(db: Database, actor: Actor, record_ids: list[int]) -> int:
    """Approve pending records (bulk). All are checked before any is approved; nobody approves
    their own hours, nor typed hours they entered themselves (above the four-eyes limit)."""
    with write(db):
        records = _pending(db, actor, record_ids)
        limit = four_eyes_minutes(db)
        for r in records:
            why = may_approve(actor, r, limit)
            if why:
                raise PermissionDenied(why, id=r["id"], date=r["service_date"], hours=round(r["minutes"] / 60, 1))
        now = clock.stamp()
        for r in records:
            db.execute("UPDATE service_records SET status = 'approved', approved_by = ?, approved_at = ?"
                       " WHERE id = ?", [actor.username, now, r["id"]])
            _add_minutes(db, r["volunteer_id"], r["minutes"])
            audit.record(db, actor, "approve", "service_records", r["id"], before={"status": "pending"},
                         after={"status": "approved"}, community_id=r["community_id"])
            notify_hours(db, "hours_approved", r["volunteer_id"], r["minutes"], r["activity"], r["service_date"])
    return len(records)


def reject(db: Database, actor: Actor, record_ids: list[int], reason: str) -> int:
    why = parse(Reason, {"reason": reason})
    with write(db):
        records = _pending(db, actor, record_ids)
        for r in records:
            db.execute("UPDATE service_records SET status = 'rejected', reject_reason = ?, approved_by = ?,"
                       " approved_at = ? WHERE id = ?", [why.reason, actor.username, clock.stamp(), r["id"]])
            audit.record(db, actor, "reject", "service_records", r["id"], before={"status": "pending"},
                         after={"status": "rejected", "reason": why.reason}, community_id=r["community_id"])
            notify_hours(db, "hours_rejected", r["volunteer_id"], r["minutes"], r["activity"], r["service_date"],
                         reason=why.reason)
    return len(records)


def reverse(db: Database, actor: Actor, record_id: int, reason: str) -> int:
    """Correct an approved record: a reversing record (negative minutes, approved at once) that
    points to the original. Both stay; the volunteer's total drops by the original minutes."""
    return reverse_all(db, actor, [record_id], reason)[0]


def reverse_all(db: Database, actor: Actor, record_ids: list[int], reason: str) -> list[int]:
    """Reverse several approved records, all or none (undoing a batch approved by mistake: the
    approvals stay on record, each with its reversal beside it)."""
    why = parse(Reason, {"reason": reason})
    with write(db):
        return [_reverse(db, actor, record_id, why.reason) for record_id in dict.fromkeys(record_ids)]


def _reverse(db: Database, actor: Actor, record_id: int, reason: str) -> int:
    r = _record(db, record_id)
    require(actor, "hours.approve", r["community_id"])
    if r["status"] != "approved" or r["reverses_id"] is not None:
        raise Conflict("err.only_approved_reversed")
    if list(db.query("SELECT 1 FROM service_records WHERE reverses_id = ?", [record_id])):
        raise Conflict("err.already_reversed")
    now = clock.stamp()
    row = {"volunteer_id": r["volunteer_id"], "community_id": r["community_id"],
           "activity": r["activity"], "service_date": r["service_date"], "start_time": None,
           "end_time": None, "minutes": -r["minutes"], "place": r["place"], "beneficiary": r["beneficiary"],
           "content": reason, "category": r["category"], "status": "approved", "source": "correction",
           "recorded_by": actor.username, "recorded_at": now, "approved_by": actor.username,
           "approved_at": now, "reverses_id": record_id}
    new_id = db["service_records"].insert(row).last_pk
    _add_minutes(db, r["volunteer_id"], -r["minutes"])
    from db.timebank import available_minutes

    left = available_minutes(db, r["volunteer_id"])
    if left < 0:  # hours already spent from the time bank: the reversal would leave a debt
        raise Conflict("err.reversal_overdraws", hours=round((left + r["minutes"]) / 60, 1),
                       minutes=r["minutes"])
    audit.record(db, actor, "reverse", "service_records", new_id, before={"reverses": record_id},
                 after=row, community_id=r["community_id"])
    return new_id


# --- reading -----------------------------------------------------------------------------------

def list_records(db: Database, actor: Actor, volunteer_id: int | None = None, status: str | None = None,
                 period: tuple[str, str] | None = None, page: int = 0, page_size: int = PAGE_SIZE) -> tuple[list[dict], int]:
    """Records, newest first, with who reversed what; and the total count."""
    where, params = _reader_where(db, actor)
    if volunteer_id is not None:
        where.append("r.volunteer_id = ?")
        params.append(volunteer_id)
    if status:
        where.append("r.status = ?")
        params.append(status)
    if period:
        where.append("r.service_date BETWEEN ? AND ?")
        params += list(period)
    clause = " AND ".join(where)
    total = next(db.query(f"SELECT COUNT(*) AS n FROM service_records r WHERE {clause}", params))["n"]
    rows = list(db.query(f"SELECT {RECORD_COLUMNS} FROM service_records r JOIN volunteers v ON v.id = r.volunteer_id"
                         f" WHERE {clause} ORDER BY r.service_date DESC, r.id DESC LIMIT ? OFFSET ?",
                         params + [page_size, page * page_size]))
    return rows, total


def _reader_where(db: Database, actor: Actor) -> tuple[list[str], list]:
    if scope(actor, "hours.read") is OWN:
        return ["r.volunteer_id = ?"], [actor.volunteer_id]
    community = community_filter(actor, "hours.read")
    return (["1=1"], []) if community is None else (["r.community_id = ?"], [community])


def approved_minutes(db: Database, volunteer_id: int, period: tuple[str, str] | None = None) -> int:
    """Approved minutes (reversals included) of one volunteer, in SQL."""
    sql = "SELECT COALESCE(SUM(minutes), 0) AS m FROM service_records WHERE volunteer_id = ? AND status = 'approved'"
    params: list = [volunteer_id]
    if period:
        sql += " AND service_date BETWEEN ? AND ?"
        params += list(period)
    return next(db.query(sql, params))["m"]


def minutes_by_category(db: Database, volunteer_id: int, period: tuple[str, str]) -> list[dict]:
    """Approved minutes per category in a period: the certificate's summary of service content."""
    # A reversed record and its reversal cancel out: neither is counted as service.
    return list(db.query(
        "SELECT category, SUM(minutes) AS minutes, COUNT(*) AS records"
        " FROM service_records r WHERE volunteer_id = ? AND status = 'approved' AND service_date BETWEEN ? AND ?"
        " AND reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM service_records x WHERE x.reverses_id = r.id)"
        " GROUP BY category HAVING SUM(minutes) > 0 ORDER BY minutes DESC",
        [volunteer_id, *period]))


def check_period(data: dict) -> tuple[str, str]:
    p = parse(Period, data)
    return p.period_from.isoformat(), p.period_to.isoformat()
