"""Corrections from residents (信息有误？): anyone reports that an outlet's or hotline's entry is
wrong (closed, moved, wrong phone, wrong hours, other), rate-limited like every anonymous write.
Reports queue for the outlet's community; its coordinator accepts one (editing the outlet, which
is then verified today) or rejects it with a reason. Entries not verified for a year are flagged."""

from datetime import date, timedelta

from sqlite_utils import Database

from db import audit, clock
from db.errors import Conflict, NotFound
from db.models import Actor, CorrectionIn, Reason, parse
from db.outlets import COLUMNS, get_outlet, replace_outlet, validated
from db.permissions import community_sql, require
from db.ratelimit import throttle
from db.store import write

STALE_DAYS = 365  # verified longer ago than this (or never): flagged to the coordinator


def stale_before(day: date | None = None) -> str:
    """The last_verified below which an entry counts as stale on `day` (ISO date; NULL is stale too)."""
    return ((day or clock.today()) - timedelta(days=STALE_DAYS)).isoformat()


def report(db: Database, actor: Actor, outlet_id: int, data: dict) -> int:
    correction = parse(CorrectionIn, data)
    with write(db):
        outlet = get_outlet(db, outlet_id)
        require(actor, "outlets.report", outlet["community_id"])
        throttle(db, actor, "correction", correction.contact)
        row = {"outlet_id": outlet_id, "community_id": outlet["community_id"], **correction.model_dump(),
               "status": "pending", "reported_by": actor.username, "reported_at": clock.stamp()}
        correction_id = db["outlet_corrections"].insert(row).last_pk
        audit.record(db, actor, "report", "outlet_corrections", correction_id, after=row, community_id=outlet["community_id"])
    return correction_id


def _pending(db: Database, actor: Actor, correction_id: int) -> dict:
    row = next(db.query("SELECT * FROM outlet_corrections WHERE id = ?", [correction_id]), None)
    if row is None:
        raise NotFound("err.not_found")
    require(actor, "outlets.manage", row["community_id"])
    if row["status"] != "pending":
        raise Conflict("err.correction_settled")
    return row


def _settle(db: Database, actor: Actor, row: dict, status: str, reason: str | None) -> None:
    change = {"status": status, "reason": reason, "handled_by": actor.username, "handled_at": clock.stamp()}
    db["outlet_corrections"].update(row["id"], change)
    audit.record(db, actor, {"accepted": "accept", "rejected": "reject"}[status], "outlet_corrections", row["id"],
                 before={"status": "pending"}, after=change, community_id=row["community_id"])


def accept(db: Database, actor: Actor, correction_id: int, outlet_data: dict) -> None:
    """The report was right: the outlet as the coordinator corrected it, verified today, and the
    report settled, in one write. (Closed for good is a status in the same form.)"""
    outlet = validated(db, {**outlet_data, "last_verified": clock.today()})
    with write(db):
        row = _pending(db, actor, correction_id)
        replace_outlet(db, actor, row["outlet_id"], outlet)
        _settle(db, actor, row, "accepted", None)


def reject(db: Database, actor: Actor, correction_id: int, reason: str) -> None:
    """The entry was right (or the report is not about it): settled with the reason why."""
    why = parse(Reason, {"reason": reason}).reason
    with write(db):
        _settle(db, actor, _pending(db, actor, correction_id), "rejected", why)


def queue(db: Database, actor: Actor) -> list[dict]:
    """Pending reports in the actor's scope, oldest first, with the outlet's entry as it stands."""
    where, params = community_sql(actor, "outlets.manage", "k.community_id")
    return list(db.query(
        f"SELECT k.id AS correction_id, k.kind, k.detail, k.contact, k.reported_at, {COLUMNS}"
        " FROM outlet_corrections k JOIN outlets o ON o.id = k.outlet_id JOIN communities c ON c.id = o.community_id"
        f" WHERE k.status = 'pending' AND {where} ORDER BY k.reported_at, k.id", params))


def stale(db: Database, actor: Actor, day: date | None = None) -> list[dict]:
    """Outlets still listed (not closed for good) whose entry nobody has verified for a year."""
    where, params = community_sql(actor, "outlets.manage", "o.community_id")
    return list(db.query(
        f"SELECT {COLUMNS} FROM outlets o JOIN communities c ON c.id = o.community_id"
        f" WHERE o.status != 'closed' AND (o.last_verified IS NULL OR o.last_verified < ?) AND {where}"
        " ORDER BY o.last_verified IS NOT NULL, o.last_verified, o.name", [stale_before(day), *params]))
