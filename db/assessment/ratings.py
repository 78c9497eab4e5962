"""A resident's 1–5 rating of a need done for them, once per need, after it is confirmed: given by
the resident (their 受理编号 and phone, as when they follow it), by the volunteer who posted it
for themselves or family, or entered by staff after a phone call (marked on_behalf). A volunteer
sees their average; a comment reaches them only when the coordinator shares it."""

from datetime import timedelta

from sqlite_utils import Database

from db import audit, clock
from db.errors import Conflict, NotFound
from db.exchange import reference, request_number
from db.identity import normalise_phone
from db.models import Actor, RatingIn, parse
from db.permissions import OWN, community_sql, require, scope
from db.ratelimit import throttle
from db.store import write


def rate(db: Database, actor: Actor, request_id: int, data: dict, phone: str = "") -> int:
    """Rate a confirmed need: the resident (the public, proving it is theirs with the phone the need
    was posted with), the volunteer who posted it, or staff entering it for the resident (marked)."""
    rating = parse(RatingIn, data)
    if actor.role == "public":
        with write(db):  # counted in its own write: a refusal below must not undo the count
            throttle(db, actor, "track", normalise_phone(phone))  # numbers and phones cannot be tried in turn
    with write(db):
        r = next(db.query("SELECT id, community_id, status, claimed_by, created_by, redeemer_id, requester_phone"
                          " FROM service_requests WHERE id = ? AND kind = 'need'", [request_id]), None)
        if actor.role == "public" and (r is None or not phone or normalise_phone(phone) != normalise_phone(r["requester_phone"])):
            raise NotFound("err.track_not_found")  # a wrong number or phone: the same answer, nothing to learn
        if r is None:
            raise NotFound("err.not_found")
        require(actor, "needs.rate", r["community_id"], r["redeemer_id"], author=r["created_by"])
        on_behalf = actor.role != "public" and scope(actor, "needs.rate") is not OWN
        return _insert(db, actor, r, rating, on_behalf)


def rate_by_resident(db: Database, actor: Actor, number: str, phone: str, data: dict) -> int:
    """The resident rates by the 受理编号 and phone they follow it with (no account)."""
    return rate(db, actor, request_number(number) or 0, data, phone)


def _insert(db: Database, actor: Actor, r: dict, rating: RatingIn, on_behalf: bool) -> int:
    if r["status"] != "confirmed":
        raise Conflict("err.rate_not_done")
    if next(db.query("SELECT 1 FROM need_ratings WHERE request_id = ?", [r["id"]]), None):
        raise Conflict("err.already_rated", reference=reference(r["id"]))
    row = {"request_id": r["id"], "community_id": r["community_id"], "volunteer_id": r["claimed_by"],
           "stars": rating.stars, "comment": rating.comment, "on_behalf": int(on_behalf), "shared": 0,
           "rated_by": actor.username, "rated_at": clock.stamp()}
    rating_id = db["need_ratings"].insert(row).last_pk
    audit.record(db, actor, "rate", "need_ratings", rating_id, after=row, community_id=r["community_id"])
    return rating_id


def share(db: Database, actor: Actor, rating_id: int, shared: bool) -> None:
    """Show a rating's comment to the volunteer, or stop showing it."""
    with write(db):
        row = next(db.query("SELECT id, community_id, shared FROM need_ratings WHERE id = ?", [rating_id]), None)
        if row is None:
            raise NotFound("err.not_found")
        require(actor, "ratings.manage", row["community_id"])
        db.execute("UPDATE need_ratings SET shared = ? WHERE id = ?", [int(shared), rating_id])
        audit.record(db, actor, "share" if shared else "unshare", "need_ratings", rating_id,
                     before={"shared": row["shared"]}, after={"shared": int(shared)}, community_id=row["community_id"])


def of_community(db: Database, actor: Actor, community_id: int, limit: int = 200) -> list[dict]:
    """The community's ratings, newest first, with the need and the volunteer: for its coordinator."""
    require(actor, "ratings.manage", community_id)
    return list(db.query(
        "SELECT g.id, g.request_id, g.stars, g.comment, g.on_behalf, g.shared, g.rated_at, r.title, v.real_name AS volunteer"
        " FROM need_ratings g JOIN service_requests r ON r.id = g.request_id LEFT JOIN volunteers v ON v.id = g.volunteer_id"
        " WHERE g.community_id = ? ORDER BY g.rated_at DESC, g.id DESC LIMIT ?", [community_id, limit]))


def of_volunteer(db: Database, actor: Actor, volunteer_id: int) -> dict:
    """A volunteer's average and count, and only the comments their coordinator shared."""
    v = next(db.query("SELECT community_id FROM volunteers WHERE id = ?", [volunteer_id]), None)
    if v is None:
        raise NotFound("err.not_found")
    require(actor, "ratings.read", v["community_id"], volunteer_id)
    total = next(db.query("SELECT COUNT(*) AS n, AVG(stars) AS average FROM need_ratings WHERE volunteer_id = ?",
                          [volunteer_id]))
    shared = list(db.query("SELECT stars, comment, rated_at FROM need_ratings WHERE volunteer_id = ? AND shared = 1"
                           " AND comment != '' ORDER BY rated_at DESC LIMIT 20", [volunteer_id]))
    return {"count": total["n"], "average": total["average"], "shared": shared}


def to_rate(db: Database, actor: Actor, days: int = 60) -> list[dict]:
    """Needs confirmed in the last `days` days and not yet rated, newest first: the volunteer's own
    (posted by them or paid from their time bank), or staff's community's (to enter by phone)."""
    if actor.role == "volunteer":
        where, params = "(r.created_by = ? OR r.redeemer_id = ?)", [actor.username, actor.volunteer_id]
    else:
        where, params = community_sql(actor, "ratings.manage", "r.community_id")
    since = (clock.today() - timedelta(days=days)).isoformat()
    return list(db.query(
        "SELECT r.id, r.title, r.category, r.confirmed_at, r.requester_name, c.name AS community, v.real_name AS claimer"
        " FROM service_requests r JOIN communities c ON c.id = r.community_id LEFT JOIN volunteers v ON v.id = r.claimed_by"
        f" WHERE r.kind = 'need' AND r.status = 'confirmed' AND r.confirmed_at >= ? AND {where}"
        " AND NOT EXISTS (SELECT 1 FROM need_ratings g WHERE g.request_id = r.id)"
        " ORDER BY r.confirmed_at DESC LIMIT 100", [since, *params]))


def rated(db: Database, request_ids: list[int]) -> dict[int, int]:
    """request id → stars, for the needs of a list that are rated already (what to offer to rate)."""
    if not request_ids:
        return {}
    marks = ", ".join("?" * len(request_ids))
    return {r["request_id"]: r["stars"] for r in db.query(
        f"SELECT request_id, stars FROM need_ratings WHERE request_id IN ({marks})", request_ids)}
