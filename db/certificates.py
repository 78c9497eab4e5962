"""Proof certificates (志愿服务记录证明): each one issued is recorded with its figures."""

import json
import re
import secrets

from sqlite_utils import Database

from db import audit
from db.store import write
from db.errors import Conflict, NotFound, PermissionDenied
from db.identity import mask_name
from db.ratelimit import throttle
from db.ledger import approved_minutes, check_period, minutes_by_category
from db.models import Actor, Reason, parse
from db.permissions import require
from db import clock


def issue_certificate(db: Database, actor: Actor, volunteer_id: int, period: dict) -> dict:
    """Record a certificate for one volunteer and period; returns what the PDF shows.
    The volunteer may issue their own; a coordinator for their community; an admin for anyone."""
    period_from, period_to = check_period(period)
    with write(db):
        v = _volunteer(db, volunteer_id)
        require(actor, "certificates.issue", v["community_id"], volunteer_id)
        if v["number"] is None:
            raise PermissionDenied("err.not_registered")
        total = approved_minutes(db, volunteer_id, (period_from, period_to))
        summary = minutes_by_category(db, volunteer_id, (period_from, period_to))
        issued_at = clock.stamp()
        cert_id = db["certificates"].insert({
            "number": f"pending-{volunteer_id}-{issued_at}", "volunteer_id": volunteer_id,
            "community_id": v["community_id"], "period_from": period_from, "period_to": period_to,
            "total_minutes": total, "issued_by": actor.username, "issued_at": issued_at,
            "by_category": json.dumps(summary, ensure_ascii=False), "verify_code": new_code()}).last_pk
        number = f"ZYFW-{clock.today().year}-{cert_id:06d}"
        db.execute("UPDATE certificates SET number = ? WHERE id = ?", [number, cert_id])
        audit.record(db, actor, "issue", "certificates", cert_id,
                     after={"number": number, "volunteer_id": volunteer_id, "total_minutes": total,
                            "period": [period_from, period_to]}, community_id=v["community_id"])
    return certificate(db, cert_id)


def certificate(db: Database, cert_id: int) -> dict:
    """Everything a certificate shows, from the recorded row (the figures never change)."""
    rows = list(db.query(
        "SELECT k.*, v.real_name, v.id_masked, v.number AS volunteer_number, c.name AS community,"
        " c.district FROM certificates k JOIN volunteers v ON v.id = k.volunteer_id"
        " JOIN communities c ON c.id = k.community_id WHERE k.id = ?", [cert_id]))
    if not rows:
        raise NotFound("err.not_found")
    cert = rows[0]
    cert["by_category"] = (json.loads(cert["by_category"]) if cert["by_category"] is not None  # frozen at issue
                           else minutes_by_category(db, cert["volunteer_id"], (cert["period_from"], cert["period_to"])))
    return cert


def certificates_of(db: Database, volunteer_id: int) -> list[dict]:
    return list(db.query("SELECT id, number, community_id, period_from, period_to, total_minutes, issued_by, issued_at,"
                         " revoked_at"
                         " FROM certificates WHERE volunteer_id = ? ORDER BY id DESC", [volunteer_id]))


def revoke(db: Database, actor: Actor, cert_id: int, reason: str) -> None:
    """Withdraw a certificate issued in error (wrong person, wrong period). The row stays, as does
    the paper: its check says it was revoked and when. The reason is kept for the audit, not shown."""
    reason = parse(Reason, {"reason": reason}).reason  # the one check of a reason: required, at most 200
    with write(db):
        row = next(db.query("SELECT id, community_id, revoked_at FROM certificates WHERE id = ?", [cert_id]), None)
        if row is None:
            raise NotFound("err.not_found")
        require(actor, "certificates.revoke", row["community_id"])
        if row["revoked_at"]:
            raise Conflict("err.already_revoked")
        at = clock.stamp()
        db.execute("UPDATE certificates SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ?",
                   [at, actor.username, reason, cert_id])
        audit.record(db, actor, "revoke", "certificates", cert_id, after={"reason": reason},
                     community_id=row["community_id"])


def _volunteer(db: Database, volunteer_id: int) -> dict:
    rows = list(db.query("SELECT id, number, community_id FROM volunteers WHERE id = ?", [volunteer_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


# 核验码: 12 symbols from 32 that cannot be misread for each other (no 0/O, 1/I), 60 random bits;
# printed in groups of four (K7QM-3XPA-W9RT) and typed back with or without the dashes.
CODE_SYMBOLS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(CODE_SYMBOLS) for _ in range(CODE_LENGTH))


def code_text(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def verify(db: Database, actor: Actor, code: str) -> dict:
    """What anyone holding a certificate may check by its code: that it was issued, for whom
    (masked name and volunteer number), the hours and period it certifies, by which community,
    and whether the ledger still holds those hours — approved records reversed since bring the
    period's hours below the certificate's, and the answer says so. Nothing else about the person.
    A code not found gets one answer; attempts count against the hourly limit."""
    typed = re.sub(r"[\s-]", "", str(code or "")).upper()
    with write(db):
        throttle(db, actor, "verify")
    row = next(db.query(
        "SELECT k.id, k.number, k.volunteer_id, k.period_from, k.period_to, k.total_minutes, k.issued_at, k.revoked_at,"
        " v.real_name, v.number AS volunteer_number, c.name AS community, c.district FROM certificates k"
        " JOIN volunteers v ON v.id = k.volunteer_id JOIN communities c ON c.id = k.community_id"
        " WHERE k.verify_code = ?", [typed]), None) if len(typed) == CODE_LENGTH else None
    if row is None:
        raise NotFound("err.verify_not_found")
    now = approved_minutes(db, row["volunteer_id"], (row["period_from"], row["period_to"]))
    return {"number": row["number"], "name": mask_name(row["real_name"]), "volunteer_number": row["volunteer_number"],
            "period_from": row["period_from"], "period_to": row["period_to"], "total_minutes": row["total_minutes"],
            "community": row["community"], "district": row["district"], "issued_on": row["issued_at"][:10],
            "status": "revoked" if row["revoked_at"] else "valid" if now >= row["total_minutes"] else "reduced",
            "revoked_on": (row["revoked_at"] or "")[:10], "minutes_now": now}
