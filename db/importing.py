"""What every import shares: who may import, and writing a preview's error-free rows."""

from sqlite_utils import Database

from db.connection import write
from db.errors import PermissionDenied
from db.models import Actor, parse


ROW = "__row__"  # the row number a spreadsheet shows, carried by each row read from a file


def numbered(rows: list[dict]):
    """(row number as the spreadsheet shows it, row without it); rows that did not come from a
    file count from 2, under a header row."""
    for n, raw in enumerate(rows, start=2):
        raw = dict(raw)
        yield raw.pop(ROW, n), raw


def check_importer(actor: Actor) -> None:
    if actor.role not in ("coordinator", "admin"):
        raise PermissionDenied("err.permission")


def commit_rows(db: Database, actor: Actor, preview: list[dict], model, insert) -> int:
    """Validate again and insert every error-free row of a preview, in one transaction; a
    coordinator's rows must all be in their own community. Returns how many were written."""
    check_importer(actor)
    good = [p for p in preview if not p["errors"]]
    with write(db):
        for p in good:
            item = parse(model, p["data"])
            if actor.role == "coordinator" and item.community_id != actor.community_id:
                raise PermissionDenied("err.outside_community")
            insert(item)
    return len(good)
