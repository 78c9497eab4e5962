"""What every import shares: numbered rows, and writing a preview's error-free rows."""

from sqlite_utils import Database

from db.store import write
from db.models import Actor, parse
from db.permissions import require, require_any


ROW = "__row__"  # the row number a spreadsheet shows, carried by each row read from a file


def numbered(rows: list[dict]):
    """(row number as the spreadsheet shows it, row without it); rows that did not come from a
    file count from 2, under a header row."""
    for n, raw in enumerate(rows, start=2):
        raw = dict(raw)
        yield raw.pop(ROW, n), raw


def commit_rows(db: Database, actor: Actor, action: str, preview: list[dict], model, insert) -> int:
    """Validate again and insert every error-free row of a preview, in one transaction; each row
    must be one the actor may `action` (a coordinator's, in their own community). Returns how
    many were written."""
    require_any(actor, action)
    good = [p for p in preview if not p["errors"]]
    with write(db):
        for p in good:
            item = parse(model, p["data"])
            require(actor, action, item.community_id)
            insert(item)
    return len(good)
