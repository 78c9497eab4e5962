"""Proof certificates (志愿服务记录证明): each one issued is recorded with its figures."""

import json

from sqlite_utils import Database

from db import audit
from db.store import write
from db.errors import NotFound, PermissionDenied
from db.ledger import approved_minutes, check_period, minutes_by_category
from db.models import Actor
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
            "by_category": json.dumps(summary, ensure_ascii=False)}).last_pk
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
    return list(db.query("SELECT id, number, period_from, period_to, total_minutes, issued_by, issued_at"
                         " FROM certificates WHERE volunteer_id = ? ORDER BY id DESC", [volunteer_id]))


def _volunteer(db: Database, volunteer_id: int) -> dict:
    rows = list(db.query("SELECT id, number, community_id FROM volunteers WHERE id = ?", [volunteer_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]
