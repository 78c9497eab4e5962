"""Outlet import and export: our own CSV columns, and Open Referral HSDS 3.0 (db.hsds). Imports
are previewed with per-row errors and warnings; only error-free rows are written, in one
transaction; a row that is an outlet we already have updates it instead of adding it twice."""

import re

from sqlite_utils import Database

from db import hsds
from db.store import write
from db.errors import InputError
from db.importing import numbered
from db.models import Actor, OutletIn, parse
from db.outlets import COLUMNS, categories, distances_m, insert_outlet, replace_outlet
from db.permissions import community_filter, may, require, require_any

LINLI_COLUMNS = ["name", "category", "services", "community", "address", "lat", "lon", "phones",
                 "opening_hours", "status", "accessibility", "last_verified", "source"]


def _exportable(db: Database, actor: Actor) -> list[dict]:
    """The outlets an actor may export: a coordinator their community, an admin the city."""
    sql = f"SELECT {COLUMNS} FROM outlets o JOIN communities c ON c.id = o.community_id"
    params = []
    community = community_filter(actor, "outlets.manage")
    if community is not None:
        sql += " WHERE o.community_id = ?"
        params.append(community)
    return list(db.query(sql + " ORDER BY o.id", params))


def export_rows(db: Database, actor: Actor) -> list[dict]:
    """Our CSV columns."""
    return [{k: r[k] for k in ["id", *LINLI_COLUMNS]} for r in _exportable(db, actor)]


def export_hsds(db: Database, actor: Actor, neutralise) -> bytes:
    """The same outlets as an HSDS 3.0 zip (db.hsds)."""
    names = {c["code"]: c["name_zh"] for c in categories(db)}
    return hsds.package(_exportable(db, actor), names, neutralise)


def read_hsds(db: Database, content: bytes) -> list[dict]:
    """An HSDS zip (ours or another tool's) as rows in our columns, with hsds_id and warnings."""
    return hsds.outlets_from(hsds.read_tables(content), categories(db))


def preview(db: Database, actor: Actor, rows: list[dict]) -> list[dict]:
    require_any(actor, "outlets.manage")
    communities = list(db.query("SELECT id, name, lat, lon FROM communities"))
    by_name = {c["name"]: c["id"] for c in communities}
    result = []
    for n, raw in numbered(rows):
        errors = []
        community_id = by_name.get((raw.get("community") or "").strip())
        if community_id is None and not raw.get("community"):
            community_id = _nearest_community(communities, raw.get("lat"), raw.get("lon"))
        if community_id is None:
            errors.append(("community_id", "err.unknown_community", {"name": raw.get("community", "")}))
        elif not may(actor, "outlets.manage", community_id):
            errors.append(("community_id", "err.outside_community", {}))
        data = {k: str(raw.get(k) if raw.get(k) is not None else "").strip() for k in LINLI_COLUMNS if k != "community"}
        data["community_id"] = community_id or 0
        data["status"] = data.get("status") or "open"
        data["last_verified"] = data.get("last_verified") or None
        errors += raw.get("problems", [])
        try:
            parse(OutletIn, data)
        except InputError as exc:
            explained = {field for field, _, _ in errors}  # the file's own reason says it better
            errors += [p for p in exc.problems if not (p[0] in explained and p[1] == "err.required")]
        if not list(db.query("SELECT 1 FROM outlet_categories WHERE code = ?", [data.get("category")])):
            errors.append(("category", "err.unknown_category", {"code": data.get("category") or ""}))
        own_id = str(raw.get("id") or "").strip()  # our own CSV export carries the outlet id
        hsds_id = raw.get("hsds_id") or (f"linli-{own_id}" if own_id.isdigit() else "")
        update_id = _existing(db, hsds_id, data.get("name", ""))
        if update_id:  # an update keeps where the outlet first came from
            data["source"] = next(db.query("SELECT source FROM outlets WHERE id = ?", [update_id]))["source"]
        result.append({"row": n, "data": data, "errors": errors, "warnings": raw.get("warnings", []),
                       "update_id": update_id, "hsds_id": hsds_id or None,
                       "shown": {"name": data.get("name", ""), "address": data.get("address", ""),
                                 "action": "update" if update_id else "add"}})
    return result


def _existing(db: Database, hsds_id: str, name: str) -> int | None:
    """The outlet an imported row is: ours by linli-<id> (when the name agrees, so another
    installation's linli-7 never overwrites our 7), or one imported before under the same id."""
    match = re.fullmatch(r"linli-(\d+)", hsds_id)
    if match:
        found = list(db.query("SELECT id FROM outlets WHERE id = ? AND name = ?", [int(match.group(1)), name]))
        if found:
            return found[0]["id"]
    if hsds_id:
        found = list(db.query("SELECT id FROM outlets WHERE hsds_id = ? ORDER BY id LIMIT 1", [hsds_id]))
        if found:
            return found[0]["id"]
    return None


def _nearest_community(communities, lat, lon):
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    d = distances_m(lat, lon, [c["lat"] for c in communities], [c["lon"] for c in communities])
    return communities[int(d.argmin())]["id"] if len(d) else None


def commit(db: Database, actor: Actor, rows: list[dict]) -> int:
    """Write every error-free row in one transaction: known outlets are updated, new ones added
    (remembering their HSDS id, so the same file imported again updates them)."""
    require_any(actor, "outlets.manage")
    good = [p for p in rows if not p["errors"]]
    with write(db):
        for p in good:
            outlet = parse(OutletIn, p["data"])
            if p.get("update_id"):
                replace_outlet(db, actor, p["update_id"], outlet)
            else:
                require(actor, "outlets.manage", outlet.community_id)
                outlet_id = insert_outlet(db, actor, outlet)
                if p.get("hsds_id") and not p["hsds_id"].startswith("linli-"):
                    db["outlets"].update(outlet_id, {"hsds_id": p["hsds_id"]})
    return len(good)
