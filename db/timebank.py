"""Time bank: balance = approved minutes earned − minutes redeemed (debited), and what is free
to redeem also leaves out minutes reserved by needs not yet confirmed."""

from sqlite_utils import Database

from db.errors import NotFound, PermissionDenied
from db.models import Actor
from db.permissions import OWN, require, scope
from db import clock


def _sums(db: Database, volunteer_id: int) -> tuple[int, int, int]:
    earned = next(db.query("SELECT approved_minutes FROM volunteers WHERE id = ?", [volunteer_id]))["approved_minutes"]
    spent = {r["status"]: r["m"] for r in db.query(
        "SELECT status, SUM(minutes) AS m FROM redemptions WHERE volunteer_id = ? GROUP BY status", [volunteer_id])}
    return earned, spent.get("debited", 0), spent.get("reserved", 0)


def balance(db: Database, volunteer_id: int) -> int:
    earned, debited, _ = _sums(db, volunteer_id)
    return earned - debited


def available_minutes(db: Database, volunteer_id: int) -> int:
    earned, debited, reserved = _sums(db, volunteer_id)
    return earned - debited - reserved


def statement(db: Database, actor: Actor, volunteer_id: int | None = None) -> list[dict]:
    """Every credit (approved ledger minutes) and debit (confirmed redemption), oldest first,
    with the running balance. A volunteer reads their own; coordinators their community's."""
    if volunteer_id is None and scope(actor, "timebank.read") is OWN:
        volunteer_id = actor.volunteer_id  # a volunteer's own, unless they ask for another's (refused)
    if volunteer_id is None:
        raise PermissionDenied("err.permission")
    found = next(db.query("SELECT community_id FROM volunteers WHERE id = ?", [volunteer_id]), None)
    if found is None:
        raise NotFound("err.not_found")
    require(actor, "timebank.read", found["community_id"], volunteer_id)
    rows = list(db.query(
        "SELECT service_date AS day, approved_at AS at, 'credit' AS kind, minutes, activity AS what, id AS ref"
        " FROM service_records WHERE volunteer_id = ? AND status = 'approved'"
        " UNION ALL SELECT substr(d.settled_at, 1, 10), d.settled_at, 'debit', -d.minutes, r.title, r.id"
        " FROM redemptions d JOIN service_requests r ON r.id = d.request_id"
        " WHERE d.volunteer_id = ? AND d.status = 'debited'"
        " ORDER BY day, at, ref", [volunteer_id, volunteer_id]))
    running = 0
    for r in rows:
        running += r["minutes"]
        r["balance"] = running
    return rows


def add_family_member(db: Database, actor: Actor, data: dict) -> int:
    """A volunteer registers a family member they may spend their time bank on."""
    from db import audit
    from db.store import write
    from db.models import FamilyMemberIn, parse

    member = parse(FamilyMemberIn, data)
    require(actor, "volunteers.own", volunteer_id=actor.volunteer_id)
    volunteer_id = actor.volunteer_id
    with write(db):
        row = {**member.model_dump(), "volunteer_id": volunteer_id, "created_at": clock.stamp()}
        member_id = db["family_members"].insert(row).last_pk
        audit.record(db, actor, "create", "family_members", member_id, after={"relation": member.relation})
    return member_id


def family(db: Database, actor: Actor) -> list[dict]:
    """The signed-in volunteer's registered family."""
    require(actor, "volunteers.own", volunteer_id=actor.volunteer_id)
    return list(db.query("SELECT id, name, relation, phone, address FROM family_members WHERE volunteer_id = ?"
                         " ORDER BY id", [actor.volunteer_id]))
