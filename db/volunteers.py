"""The volunteer register: sign-up, direct entry, approval, roster search, star levels."""

import json
from datetime import date

from sqlite_utils import Database

from db import audit, keys
from db.store import write
from db.errors import Conflict, InputError, NotFound
from db.identity import mask_id, mask_phone
from db.models import PUBLIC, Actor, Reason, StarThresholds, UserIn, VolunteerIn, parse
from db.permissions import community_filter, require
from db.ratelimit import throttle
from db.text import contains
from db.users import insert_user, one_time_password
from db import clock

DEFAULT_STARS = [100, 300, 600, 1000, 1500]  # hours, 中国社区志愿者注册管理办法 art. 18
PAGE_SIZE = 50
LIST_COLUMNS = ("v.id, v.number, v.real_name, v.gender, v.birth_year, v.id_masked, v.phone, v.community_id,"
                " c.name AS community, v.status, v.party_member, v.approved_minutes, v.created_at")


# --- star levels -------------------------------------------------------------------------------

def star_thresholds(db: Database) -> list[int]:
    rows = list(db.query("SELECT value FROM settings WHERE key = 'star_hours'"))
    return json.loads(rows[0]["value"]) if rows else DEFAULT_STARS


def set_star_thresholds(db: Database, actor: Actor, hours: list[int]) -> None:
    require(actor, "settings.edit")
    new = parse(StarThresholds, {"hours": hours})
    with write(db):
        before = star_thresholds(db)
        db.execute("INSERT INTO settings (key, value) VALUES ('star_hours', ?)"
                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [json.dumps(new.hours)])
        audit.record(db, actor, "update", "settings", "star_hours", before={"hours": before},
                     after={"hours": new.hours})


# The rule, once: a volunteer has one star for each threshold their approved hours reach. The
# roster filter and the dashboard apply it in SQL through the two functions below it.
def star_level(hours: float, thresholds: list[int]) -> int:
    return sum(1 for h in thresholds if hours >= h)


def star_level_sql(thresholds: list[int], minutes: str = "approved_minutes") -> str:
    """The star level of a minutes column, in SQL."""
    return " + ".join(f"(CASE WHEN {minutes} >= {int(h) * 60} THEN 1 ELSE 0 END)" for h in thresholds) or "0"


def star_minutes(thresholds: list[int], stars: int) -> tuple[int, int | None]:
    """[low, high) approved minutes of a star level (high None at the top): an index range."""
    low = thresholds[stars - 1] * 60 if stars > 0 else 0
    return low, thresholds[stars] * 60 if stars < len(thresholds) else None


def next_star(hours: float, thresholds: list[int]) -> tuple[int, float] | None:
    """(hours needed for the next star, share of the way there) or None at the top star."""
    level = star_level(hours, thresholds)
    if level >= len(thresholds):
        return None
    floor = thresholds[level - 1] if level else 0
    target = thresholds[level]
    return target, (hours - floor) / (target - floor)


# --- registration ------------------------------------------------------------------------------

def sign_up(db: Database, data: dict, actor: Actor = PUBLIC) -> int:
    """A resident's own sign-up: consent required, lands as pending for the coordinator; a few an
    hour from one address or phone (db.ratelimit)."""
    require(actor, "volunteers.sign_up")
    volunteer = parse(VolunteerIn, data)
    if not volunteer.consent:
        raise InputError([("consent", "err.consent_required", {})])
    with write(db):
        throttle(db, actor, "signup", volunteer.phone)
        return insert_volunteer(db, actor, volunteer, "pending", "signup")


def register(db: Database, actor: Actor, data: dict, source: str = "coordinator") -> int:
    """Direct entry by a coordinator (own community) or admin: active and numbered at once."""
    volunteer = parse(VolunteerIn, data)
    require(actor, "volunteers.manage", volunteer.community_id)
    with write(db):
        return insert_volunteer(db, actor, volunteer, "active", source)


def insert_volunteer(db: Database, actor: Actor, v: VolunteerIn, status: str, source: str) -> int:
    _check_refs(db, v)
    id_hash = keys.lookup_hash(v.id_number)
    for column, value in (("id_hash", id_hash), ("phone", v.phone)):
        clash = list(db.query(f"SELECT number, id_masked, phone FROM volunteers WHERE {column} = ?", [value]))
        if clash:
            if actor.role == "public":  # a stranger learns nothing about who is registered
                raise Conflict("err.duplicate_signup")
            c = clash[0]
            raise Conflict("err.duplicate_volunteer_id" if column == "id_hash" else "err.duplicate_volunteer_phone",
                           number=c["number"] or "—", masked=c["id_masked"], phone=mask_phone(c["phone"]))
    now = clock.stamp()
    # Only the birth year is kept in clear: the full date is part of the ID number (encrypted).
    row = {"real_name": v.real_name, "gender": v.gender, "birth_year": v.birth_date.year,
           "id_cipher": keys.encrypt(v.id_number), "id_hash": id_hash, "id_masked": mask_id(v.id_number),
           "phone": v.phone, "community_id": v.community_id,
           "availability": v.availability.model_dump_json(), "party_member": int(v.party_member),
           "notes": v.notes, "status": status, "source": source,
           "consent_at": now if v.consent else None, "created_at": now,
           "approved_at": now if status == "active" else None,
           "approved_by": actor.username if status == "active" else None}
    volunteer_id = db["volunteers"].insert(row).last_pk
    if status == "active":
        _assign_number(db, volunteer_id)
    db["volunteer_skills"].insert_all([{"volunteer_id": volunteer_id, "category": c} for c in set(v.skills)])
    public = {k: v for k, v in row.items() if k not in ("id_cipher", "id_hash")}
    audit.record(db, actor, "create", "volunteers", volunteer_id, after={**public, "skills": sorted(v.skills)},
                 community_id=v.community_id)
    return volunteer_id


def _check_refs(db: Database, v: VolunteerIn) -> None:
    problems = []
    if not list(db.query("SELECT 1 FROM communities WHERE id = ?", [v.community_id])):
        problems.append(("community_id", "err.unknown_community", {"name": v.community_id}))
    known = {r["code"] for r in db.query("SELECT code FROM service_categories")}
    for skill in v.skills:
        if skill not in known:
            problems.append(("skills", "err.unknown_category", {"code": skill}))
    if problems:
        raise InputError(problems)


def _assign_number(db: Database, volunteer_id: int) -> str:
    number = f"CZ{volunteer_id:07d}"
    db.execute("UPDATE volunteers SET number = ? WHERE id = ?", [number, volunteer_id])
    return number


def _row(db: Database, volunteer_id: int) -> dict:
    rows = list(db.query("SELECT * FROM volunteers WHERE id = ?", [volunteer_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


def approve_signup(db: Database, actor: Actor, volunteer_id: int, create_login: bool = False) -> dict:
    """Approve a pending sign-up: number assigned; optionally a volunteer login whose one-time
    password is returned here and shown once (only its hash is stored)."""
    with write(db):
        v = _row(db, volunteer_id)
        require(actor, "volunteers.manage", v["community_id"])
        if v["status"] != "pending":
            raise Conflict("err.not_pending")
        now = clock.stamp()
        db.execute("UPDATE volunteers SET status = 'active', approved_at = ?, approved_by = ? WHERE id = ?",
                   [now, actor.username, volunteer_id])
        number = _assign_number(db, volunteer_id)
        result = {"number": number, "username": None, "password": None}
        if create_login:
            password = one_time_password()
            community = next(db.query("SELECT name FROM communities WHERE id = ?", [v["community_id"]]))["name"]
            user_id = insert_user(db, actor, UserIn(username=number.lower(), display_name=v["real_name"],
                                                    role="volunteer", community=community, password=password))
            db.execute("UPDATE volunteers SET user_id = ? WHERE id = ?", [user_id, volunteer_id])
            result.update(username=number.lower(), password=password)
        audit.record(db, actor, "approve", "volunteers", volunteer_id, before={"status": "pending"},
                     after={"status": "active", "number": number, "login": result["username"]},
                     community_id=v["community_id"])
    return result


def reject_signup(db: Database, actor: Actor, volunteer_id: int, reason: str) -> None:
    why = parse(Reason, {"reason": reason})
    with write(db):
        v = _row(db, volunteer_id)
        require(actor, "volunteers.manage", v["community_id"])
        if v["status"] != "pending":
            raise Conflict("err.not_pending")
        db.execute("UPDATE volunteers SET status = 'rejected', reject_reason = ? WHERE id = ?",
                   [why.reason, volunteer_id])
        audit.record(db, actor, "reject", "volunteers", volunteer_id, before={"status": "pending"},
                     after={"status": "rejected", "reason": why.reason}, community_id=v["community_id"])


def set_active(db: Database, actor: Actor, volunteer_id: int, active: bool) -> None:
    with write(db):
        v = _row(db, volunteer_id)
        require(actor, "volunteers.manage", v["community_id"])
        if v["status"] not in ("active", "inactive"):
            raise Conflict("err.not_registered")
        new = "active" if active else "inactive"
        db.execute("UPDATE volunteers SET status = ? WHERE id = ?", [new, volunteer_id])
        audit.record(db, actor, "set_status", "volunteers", volunteer_id, before={"status": v["status"]},
                     after={"status": new}, community_id=v["community_id"])


# --- reading -----------------------------------------------------------------------------------

def search(db: Database, actor: Actor, text: str = "", community_id: int | None = None,
           skill: str | None = None, status: str | None = None, stars: int | None = None,
           page: int = 0, page_size: int = PAGE_SIZE) -> tuple[list[dict], int]:
    """One page of the roster and the total count. Phones and ID numbers come back masked."""
    scope = community_filter(actor, "volunteers.read", community_id)
    where, params = ["1=1"], []
    if scope is not None:
        where.append("v.community_id = ?")
        params.append(scope)
    text = text.strip()
    if text:
        if text.upper().startswith("CZ"):
            where.append("v.number = ?")
            params.append(text.upper())
        elif text.isdigit():
            where.append("v.phone LIKE ? ESCAPE '\\'")
            params.append(contains(text))
        else:
            where.append("v.real_name LIKE ? ESCAPE '\\'")
            params.append(contains(text))
    if skill:
        where.append("v.id IN (SELECT volunteer_id FROM volunteer_skills WHERE category = ?)")
        params.append(skill)
    if status:
        where.append("v.status = ?")
        params.append(status)
    if stars is not None:
        low, high = star_minutes(star_thresholds(db), stars)
        where.append("v.approved_minutes >= ?")
        params.append(low)
        if high is not None:
            where.append("v.approved_minutes < ?")
            params.append(high)
    clause = " AND ".join(where)
    total = next(db.query(f"SELECT COUNT(*) AS n FROM volunteers v WHERE {clause}", params))["n"]
    rows = list(db.query(
        f"SELECT {LIST_COLUMNS} FROM volunteers v JOIN communities c ON c.id = v.community_id"
        f" WHERE {clause} ORDER BY v.id DESC LIMIT ? OFFSET ?",
        params + [page_size, page * page_size]))
    for r in rows:
        r["phone"] = mask_phone(r["phone"])
    return rows, total


def pending_signups(db: Database, actor: Actor) -> list[dict]:
    """Sign-ups waiting for the coordinator, with what they offer: skills, availability, notes."""
    rows, _ = search(db, actor, status="pending", page_size=500)
    ids = [r["id"] for r in rows]
    marks = ", ".join("?" * len(ids))
    extra = {r["id"]: r for r in db.query(f"SELECT id, availability, notes FROM volunteers WHERE id IN ({marks})", ids)}
    skills: dict[int, list[str]] = {}
    for r in db.query(f"SELECT volunteer_id, category FROM volunteer_skills WHERE volunteer_id IN ({marks})"
                      " ORDER BY category", ids):
        skills.setdefault(r["volunteer_id"], []).append(r["category"])
    for r in rows:
        r.update(skills=skills.get(r["id"], []), availability=json.loads(extra[r["id"]]["availability"]),
                 notes=extra[r["id"]]["notes"])
    return rows


def get_volunteer(db: Database, actor: Actor, volunteer_id: int) -> dict:
    """A volunteer's profile for their coordinator, an admin, or the volunteer themself.
    The full phone is shown here (to call them); the ID number stays masked."""
    rows = list(db.query(
        f"SELECT {LIST_COLUMNS}, v.availability, v.notes, v.user_id, v.reject_reason, v.approved_at"
        " FROM volunteers v JOIN communities c ON c.id = v.community_id WHERE v.id = ?", [volunteer_id]))
    if not rows:
        raise NotFound("err.not_found")
    v = rows[0]
    require(actor, "volunteers.read", v["community_id"], volunteer_id)
    v["skills"] = [r["category"] for r in db.query(
        "SELECT category FROM volunteer_skills WHERE volunteer_id = ? ORDER BY category", [volunteer_id])]
    v["availability"] = json.loads(v["availability"])
    return v


def active_volunteers(db: Database, actor: Actor, community_id: int | None = None) -> list[dict]:
    """Active volunteers a coordinator may record hours for (number and name only)."""
    scope = community_filter(actor, "hours.record", community_id)
    sql = "SELECT id, number, real_name FROM volunteers WHERE status = 'active'"
    params = []
    if scope is not None:
        sql += " AND community_id = ?"
        params.append(scope)
    return list(db.query(sql + " ORDER BY real_name", params))


def age(birth_year: int, on: date | None = None) -> int:
    """Age as of this year's birthday (the full birth date is not kept in clear)."""
    return (on or clock.today()).year - birth_year
