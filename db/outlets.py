"""The directory of convenience outlets (the 15-minute life circle): search, open now, near me,
coverage gaps and the service card. Everyone reads; coordinators edit their community, admins all."""

from datetime import datetime

import numpy as np
from pypinyin import Style, lazy_pinyin
from sqlite_utils import Database

from db import audit
from db.calendar import overrides
from db.store import write
from db.errors import InputError, NotFound
from db.models import Actor, OutletIn, PauseIn, parse
from db.opening import holiday_in_words, hours_in_words, is_open, next_change, week_in_words
from db.permissions import require
from db.text import contains
from db import clock

WALK_RADIUS_M = 1000  # a 15-minute walk
EARTH_M = 6_371_000
COLUMNS = ("o.id, o.name, o.category, o.services, o.community_id, c.name AS community, c.district, o.address,"
           " o.lat, o.lon, o.phones, o.opening_hours, o.status, o.accessibility, o.last_verified, o.source,"
           " o.paused_until, o.pause_reason")
ALWAYS = "24/7"
# The numbers every card carries beside the community's own (catalogue keys card.national.*).
NATIONAL_NUMBERS = ("110", "119", "120", "12345", "12349")


def initials(name: str) -> str:
    """Pinyin initials for search: 人民药房 → rmyf."""
    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()


def categories(db: Database) -> list[dict]:
    return list(db.query("SELECT code, name_zh, name_en, basic, hotline FROM outlet_categories ORDER BY sort"))


# --- editing -----------------------------------------------------------------------------------

def validated(db: Database, data: dict) -> OutletIn:
    outlet = parse(OutletIn, data)
    problems = []
    if not list(db.query("SELECT 1 FROM outlet_categories WHERE code = ?", [outlet.category])):
        problems.append(("category", "err.unknown_category", {"code": outlet.category}))
    if not list(db.query("SELECT 1 FROM communities WHERE id = ?", [outlet.community_id])):
        problems.append(("community_id", "err.unknown_community", {"name": outlet.community_id}))
    if problems:
        raise InputError(problems)
    return outlet


def _row(outlet: OutletIn) -> dict:
    row = outlet.model_dump()
    row["last_verified"] = outlet.last_verified.isoformat() if outlet.last_verified else None
    row["initials"] = initials(outlet.name)
    row["updated_at"] = clock.stamp()
    return row


def create_outlet(db: Database, actor: Actor, data: dict) -> int:
    outlet = validated(db, data)
    require(actor, "outlets.manage", outlet.community_id)
    with write(db):
        return insert_outlet(db, actor, outlet)


def insert_outlet(db: Database, actor: Actor, outlet: OutletIn) -> int:
    row = _row(outlet)
    outlet_id = db["outlets"].insert(row).last_pk
    audit.record(db, actor, "create", "outlets", outlet_id, after=row, community_id=outlet.community_id)
    return outlet_id


def get_outlet(db: Database, outlet_id: int) -> dict:
    rows = list(db.query(f"SELECT {COLUMNS} FROM outlets o JOIN communities c ON c.id = o.community_id"
                         " WHERE o.id = ?", [outlet_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


def update_outlet(db: Database, actor: Actor, outlet_id: int, data: dict) -> None:
    outlet = validated(db, data)
    with write(db):
        replace_outlet(db, actor, outlet_id, outlet)


def replace_outlet(db: Database, actor: Actor, outlet_id: int, outlet: OutletIn) -> None:
    """Overwrite an outlet with validated data, inside the caller's write transaction."""
    before = get_outlet(db, outlet_id)
    require(actor, "outlets.manage", before["community_id"])
    require(actor, "outlets.manage", outlet.community_id)
    row = _row(outlet)
    db["outlets"].update(outlet_id, row)
    audit.record(db, actor, "update", "outlets", outlet_id, before=before, after=row,
                 community_id=outlet.community_id)


def set_status(db: Database, actor: Actor, outlet_id: int, status: str) -> None:
    """Open again, or closed for good (已停业). A pause has its own reason and end: `pause`."""
    if status not in ("open", "closed"):
        raise InputError([("status", "err.invalid_choice", {})])
    _change_status(db, actor, outlet_id, {"status": status, "paused_until": None, "pause_reason": ""})


def pause(db: Database, actor: Actor, outlet_id: int, data: dict) -> None:
    """暂停营业 for a reason, until a day (inclusive) or further notice."""
    p = parse(PauseIn, data)
    _change_status(db, actor, outlet_id, {"status": "temporarily_closed", "pause_reason": p.reason,
                                          "paused_until": p.until.isoformat() if p.until else None})


def _change_status(db: Database, actor: Actor, outlet_id: int, change: dict) -> None:
    with write(db):
        before = get_outlet(db, outlet_id)
        require(actor, "outlets.manage", before["community_id"])
        db["outlets"].update(outlet_id, {**change, "updated_at": clock.stamp()})
        audit.record(db, actor, "set_status", "outlets", outlet_id,
                     before={k: before[k] for k in change}, after=change, community_id=before["community_id"])


def state_on(outlet: dict, day) -> str:
    """What a resident is told on `day`: "closed" (已停业, for good), "paused" (暂停营业 that day) or
    "open" (the outlet's own hours apply). A pause ends by itself after its last day."""
    if outlet["status"] == "closed":
        return "closed"
    if outlet["status"] == "temporarily_closed" and (not outlet["paused_until"] or day.isoformat() <= outlet["paused_until"]):
        return "paused"
    return "open"


def verify(db: Database, actor: Actor, outlet_id: int) -> None:
    """Someone checked the entry is still true today."""
    with write(db):
        before = get_outlet(db, outlet_id)
        require(actor, "outlets.manage", before["community_id"])
        today = clock.today().isoformat()
        db["outlets"].update(outlet_id, {"last_verified": today, "updated_at": clock.stamp()})
        audit.record(db, actor, "verify", "outlets", outlet_id, before={"last_verified": before["last_verified"]},
                     after={"last_verified": today}, community_id=before["community_id"])


# --- reading -----------------------------------------------------------------------------------

def search(db: Database, text: str = "", district: str | None = None, community_id: int | None = None,
           category: str | None = None, include_closed: bool = False) -> list[dict]:
    """Outlets matching the filters. Text matches name, address or services, or pinyin initials."""
    where, params = ["1=1"], []
    text = text.strip()
    if text:
        like = "LIKE ? ESCAPE '\\'"
        clause = f"(o.name {like} OR o.address {like} OR o.services {like}"
        params += [contains(text)] * 3
        if text.isascii() and text.isalpha():
            clause += f" OR o.initials {like}"
            params.append(contains(text.lower()))
        where.append(clause + ")")
    for column, value in (("c.district", district), ("o.community_id", community_id), ("o.category", category)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if not include_closed:  # closed for good; a pause stays listed with its reason and end
        where.append("o.status != 'closed'")
    return list(db.query(f"SELECT {COLUMNS} FROM outlets o JOIN communities c ON c.id = o.community_id"
                         f" WHERE {' AND '.join(where)} ORDER BY o.category, o.name", params))


def with_hours(db: Database, rows: list[dict], when: datetime | None = None) -> list[dict]:
    """Add open_now, today's hours and the next change to each row, evaluated at `when` (local)."""
    when = when or clock.now()
    added = overrides(db)
    # Thousands of outlets share a few dozen expressions: evaluate each expression once.
    seen: dict[str, tuple] = {}
    for r in rows:
        expression = r["opening_hours"]
        if expression not in seen:
            seen[expression] = (is_open(expression, when, added), hours_in_words(expression, when.date(), added),
                                next_change(expression, when, added))
        r["state"] = state_on(r, when.date())
        is_open_now, today, change = seen[expression] if r["state"] == "open" else (False, [], None)
        r["open_now"], r["today"], r["next_change"] = is_open_now, today, change
        r["always_open"] = r["state"] == "open" and expression.strip() == ALWAYS
    return rows


def distances_m(lat: float, lon: float, lats, lons) -> np.ndarray:
    """Haversine distances in metres from one point to many."""
    lat1, lon1 = np.radians(lat), np.radians(lon)
    lat2, lon2 = np.radians(np.asarray(lats, dtype=float)), np.radians(np.asarray(lons, dtype=float))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_M * np.arcsin(np.sqrt(a))


def nearest_first(rows: list[dict], lat: float, lon: float) -> list[dict]:
    """Rows sorted by walking distance (straight-line haversine), with `distance_m` added."""
    if not rows:
        return rows
    meters = distances_m(lat, lon, [r["lat"] for r in rows], [r["lon"] for r in rows])
    for r, m in zip(rows, meters):
        r["distance_m"] = int(round(m))
    return sorted(rows, key=lambda r: r["distance_m"])


def coverage(db: Database, radius_m: int = WALK_RADIUS_M, district: str | None = None,
             community_id: int | None = None) -> list[dict]:
    """For every community × basic category: open outlets within `radius_m` of the community
    centroid, and the distance to the nearest one (None if there is none at all)."""
    sql, params = "SELECT id, name, district, lat, lon FROM communities WHERE 1=1", []
    if district:
        sql += " AND district = ?"
        params.append(district)
    if community_id:
        sql += " AND id = ?"
        params.append(community_id)
    communities = list(db.query(sql + " ORDER BY district, name", params))
    basic = [c["code"] for c in db.query("SELECT code FROM outlet_categories WHERE basic = 1 ORDER BY sort")]
    points = {code: ([], []) for code in basic}
    for r in db.query("SELECT category, lat, lon FROM outlets WHERE status = 'open'"):
        if r["category"] in points:
            points[r["category"]][0].append(r["lat"])
            points[r["category"]][1].append(r["lon"])
    cells = []
    for c in communities:
        for code in basic:
            lats, lons = points[code]
            d = distances_m(c["lat"], c["lon"], lats, lons) if lats else np.array([])
            cells.append({"community_id": c["id"], "community": c["name"], "district": c["district"],
                          "category": code, "within": int((d <= radius_m).sum()),
                          "nearest_m": int(round(d.min())) if len(d) else None})
    return cells


def coverage_gaps(db: Database, radius_m: int = WALK_RADIUS_M, district: str | None = None,
                  community_id: int | None = None) -> list[dict]:
    """The community × category cells with no open outlet within the walking radius."""
    return [c for c in coverage(db, radius_m, district, community_id) if c["within"] == 0]


def service_card(db: Database, community_id: int, when: datetime | None = None) -> dict:
    """What the 便民服务卡 prints: the community's hotlines, and the nearest open outlet of each
    basic category with phone, today's hours and distance from the community centre."""
    community = next(db.query("SELECT id, name, district, lat, lon FROM communities WHERE id = ?", [community_id]), None)
    if community is None:
        raise NotFound("err.not_found")
    cats = categories(db)
    rows = [r for r in search(db) if state_on(r, (when or clock.now()).date()) == "open"]
    hotlines, nearest = [], []
    for cat in cats:
        of_kind = [r for r in rows if r["category"] == cat["code"]]
        if cat["hotline"]:
            own = [r for r in of_kind if r["community_id"] == community_id and r["phones"]]
            pick = own or nearest_first([r for r in of_kind if r["phones"]], community["lat"], community["lon"])[:1]
            hotlines += nearest_first(pick[:1], community["lat"], community["lon"])
        elif cat["basic"] and of_kind:
            nearest.append(nearest_first(of_kind, community["lat"], community["lon"])[0])
    start = (when or clock.now()).date()
    added = overrides(db)
    for r in nearest:  # a card lives on the fridge for months: the week's hours, not today's
        r["week"] = week_in_words(r["opening_hours"], start, added)
        r["holiday"] = holiday_in_words(r["opening_hours"], start, added)
    return {"community": community, "hotlines": with_hours(db, hotlines, when), "nearest": with_hours(db, nearest, when),
            "national": NATIONAL_NUMBERS}
