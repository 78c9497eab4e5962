"""The audit log: every write appends who, when, what, which row, before and after."""

import json

from sqlite_utils import Database

from db.identity import mask_phone
from db.models import Actor
from db.permissions import require
from db import clock

PAGE_SIZE = 200


def record(db: Database, actor: Actor, action: str, table: str, row_id, before=None, after=None,
           community_id: int | None = None) -> None:
    """Append one audit row; call inside the write transaction it describes."""
    db.execute(
        "INSERT INTO audit_log (at, actor, action, table_name, row_id, community_id, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [clock.stamp(), actor.username, action, table, None if row_id is None else str(row_id), community_id,
         _json(before), _json(after)],
    )


def _json(value):
    if value is None:
        return None
    return json.dumps(_redact(value), ensure_ascii=False, default=str, sort_keys=True)


SECRET = ("password", "password_hash", "id_cipher", "id_hash", "id_number")
PHONES = ("phone", "requester_phone", "emergency_phone")


def _redact(value: dict) -> dict:
    # Secrets never reach the log, even hashed or encrypted; phones only masked.
    return {k: ("***" if k in SECRET else mask_phone(v) if k in PHONES and isinstance(v, str) and v else v)
            for k, v in value.items()}


def entries(db: Database, actor: Actor, *, actor_name: str | None = None, table: str | None = None,
            action: str | None = None, since: str | None = None, until: str | None = None,
            limit: int = PAGE_SIZE, offset: int = 0) -> list[dict]:
    """Audit rows, newest first, filtered. Admins only."""
    require(actor, "audit.read")
    where, params = ["1=1"], []
    for column, value in (("actor", actor_name), ("table_name", table), ("action", action)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if since:
        where.append("at >= ?")
        params.append(since)
    if until:
        where.append("at < ?")
        params.append(until)
    sql = (f"SELECT * FROM audit_log WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ? OFFSET ?")
    return list(db.query(sql, params + [limit, offset]))


def distinct_values(db: Database, actor: Actor, column: str) -> list[str]:
    """Choices for the audit filters."""
    require(actor, "audit.read")
    if column not in ("actor", "table_name", "action"):
        raise ValueError(column)
    return [r[column] for r in db.query(f"SELECT DISTINCT {column} FROM audit_log ORDER BY 1")]
