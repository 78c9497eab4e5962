"""Outlet import and export: our own CSV columns, and Open Referral HSDS (a zip of CSV files:
organizations, locations, services, phones, schedules, physical_addresses). Imports are
previewed with per-row errors; only error-free rows are written, in one transaction."""

import csv
import io
import zipfile

from sqlite_utils import Database

from db.errors import InputError, LinliError
from db.importing import check_importer, commit_rows, numbered
from db.models import Actor, OutletIn, parse
from db.outlets import COLUMNS, distances_m, insert_outlet

LINLI_COLUMNS = ["name", "category", "services", "community", "address", "lat", "lon", "phones",
                 "opening_hours", "status", "accessibility", "last_verified", "source"]
HSDS_FILES = ("organizations", "locations", "services", "phones", "schedules", "physical_addresses")


def export_rows(db: Database, actor: Actor) -> list[dict]:
    """Our CSV: a coordinator exports their community, an admin the city."""
    check_importer(actor)
    sql = f"SELECT {COLUMNS} FROM outlets o JOIN communities c ON c.id = o.community_id"
    params = []
    if actor.role == "coordinator":
        sql += " WHERE o.community_id = ?"
        params.append(actor.community_id)
    rows = list(db.query(sql + " ORDER BY o.id", params))
    return [{k: r[k] for k in ["id", *LINLI_COLUMNS]} for r in rows]


def export_hsds(db: Database, actor: Actor, neutralise) -> bytes:
    """The same outlets as an HSDS zip. Custom columns x_category and x_community keep what HSDS
    has no field for, so a round trip loses nothing."""
    rows = export_rows(db, actor)
    tables = {name: [] for name in HSDS_FILES}
    for r in rows:
        oid = f"linli-{r['id']}"
        tables["organizations"].append({"id": oid, "name": r["name"], "description": r["services"]})
        tables["locations"].append({"id": oid, "organization_id": oid, "name": r["name"], "latitude": r["lat"],
                                    "longitude": r["lon"], "accessibility": r["accessibility"],
                                    "x_category": r["category"], "x_community": r["community"],
                                    "x_last_verified": r["last_verified"] or "", "x_source": r["source"]})
        tables["services"].append({"id": oid, "organization_id": oid, "name": r["name"],
                                   "description": r["services"], "status": "active" if r["status"] == "open" else
                                   ("inactive" if r["status"] == "temporarily_closed" else "defunct")})
        tables["physical_addresses"].append({"id": oid, "location_id": oid, "address_1": r["address"],
                                             "city": "池州市", "country": "CN"})
        for n, phone in enumerate(p for p in r["phones"].split(", ") if p):
            tables["phones"].append({"id": f"{oid}-{n}", "location_id": oid, "service_id": oid, "number": phone})
        tables["schedules"].append({"id": oid, "service_id": oid, "location_id": oid,
                                    "description": r["opening_hours"]})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, table in tables.items():
            text = io.StringIO()
            if table:
                writer = csv.DictWriter(text, fieldnames=list(table[0]))
                writer.writeheader()
                writer.writerows({k: neutralise(v) for k, v in row.items()} for row in table)
            z.writestr(f"{name}.csv", text.getvalue())
    return out.getvalue()


def read_hsds(content: bytes) -> list[dict]:
    """An HSDS zip back into rows with our columns (the community is the nearest one if absent)."""
    try:
        z = zipfile.ZipFile(io.BytesIO(content))
        tables = {}
        for name in HSDS_FILES:
            member = next((m for m in z.namelist() if m.rsplit("/", 1)[-1] == f"{name}.csv"), None)
            text = z.read(member).decode("utf-8-sig") if member else ""
            tables[name] = list(csv.DictReader(io.StringIO(text))) if text.strip() else []
    except (zipfile.BadZipFile, UnicodeDecodeError, KeyError) as exc:
        raise LinliError("err.file_unreadable", detail=type(exc).__name__) from exc
    if not tables["locations"]:
        raise LinliError("err.file_empty")
    services = {s.get("id"): s for s in tables["services"]}
    addresses = {a.get("location_id"): a for a in tables["physical_addresses"]}
    schedules = {s.get("location_id") or s.get("service_id"): s for s in tables["schedules"]}
    phones: dict[str, list[str]] = {}
    for p in tables["phones"]:
        phones.setdefault(p.get("location_id") or p.get("service_id"), []).append(p.get("number", ""))
    status = {"active": "open", "inactive": "temporarily_closed", "defunct": "closed"}
    rows = []
    for loc in tables["locations"]:
        lid = loc.get("id")
        service = services.get(lid, {})
        rows.append({"name": loc.get("name", ""), "category": loc.get("x_category", ""),
                     "services": service.get("description", ""), "community": loc.get("x_community", ""),
                     "address": addresses.get(lid, {}).get("address_1", ""), "lat": loc.get("latitude", ""),
                     "lon": loc.get("longitude", ""), "phones": ", ".join(phones.get(lid, [])),
                     "opening_hours": schedules.get(lid, {}).get("description", ""),
                     "status": status.get(service.get("status", "active"), "open"),
                     "accessibility": loc.get("accessibility", ""), "last_verified": loc.get("x_last_verified", ""),
                     "source": loc.get("x_source", "") or "HSDS"})
    return rows


def preview(db: Database, actor: Actor, rows: list[dict]) -> list[dict]:
    check_importer(actor)
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
        elif actor.role == "coordinator" and community_id != actor.community_id:
            errors.append(("community_id", "err.outside_community", {}))
        data = {k: str(raw.get(k) if raw.get(k) is not None else "").strip() for k in LINLI_COLUMNS if k != "community"}
        data["community_id"] = community_id or 0
        data["status"] = data.get("status") or "open"
        data["last_verified"] = data.get("last_verified") or None
        try:
            parse(OutletIn, data)
        except InputError as exc:
            errors += exc.problems
        if not list(db.query("SELECT 1 FROM outlet_categories WHERE code = ?", [data.get("category")])):
            errors.append(("category", "err.unknown_category", {"code": data.get("category") or ""}))
        result.append({"row": n, "data": data, "shown": {"name": data.get("name", ""), "address": data.get("address", "")},
                       "errors": errors})
    return result


def _nearest_community(communities, lat, lon):
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    d = distances_m(lat, lon, [c["lat"] for c in communities], [c["lon"] for c in communities])
    return communities[int(d.argmin())]["id"] if len(d) else None


def commit(db: Database, actor: Actor, rows: list[dict]) -> int:
    return commit_rows(db, actor, rows, OutletIn, lambda outlet: insert_outlet(db, actor, outlet))
