"""Open Referral HSDS 3.0 (the Human Services Data Specification) as a zip of CSV files, the
"tabular" form: organizations, locations, services, service_at_location, addresses, phones,
schedules, attributes, taxonomies, taxonomy_terms, accessibility.

An outlet is a physical location with the services offered there. Our category and community are
attributes (taxonomy terms of the taxonomies `linli-outlet-category` and `linli-community`), the
OSM opening hours are the schedule's description (simple weekly hours are also written as HSDS
fields), so our own export comes back unchanged. Files from other HSDS tools import too: names
and ids from HSDS 2.x are accepted, a missing or unknown category becomes 其他 with a warning that
names the column, every phone of the location, its services and organisation is kept.

Reading is bounded (db.archive): a zip bomb is refused, not unpacked."""

import csv
import io
import re
import zipfile

from db.archive import MAX_MEMBER_BYTES, MAX_TOTAL_BYTES, open_zip
from db.errors import LinliError
from db.opening import parse_problem

CATEGORY_TAXONOMY, COMMUNITY_TAXONOMY = "linli-outlet-category", "linli-community"
OTHER = "other"
ALIASES = {  # HSDS 3.0 file → the same table's names in earlier versions
    "organizations": ("organizations",), "locations": ("locations",), "services": ("services",),
    "service_at_location": ("service_at_location", "services_at_location", "service_at_locations"),
    "addresses": ("addresses", "physical_addresses"), "phones": ("phones",), "schedules": ("schedules",),
    "attributes": ("attributes",), "taxonomy_terms": ("taxonomy_terms",), "taxonomies": ("taxonomies",),
    "accessibility": ("accessibility", "accessibility_for_disabilities"),
}
MAX_LOCATIONS = 20_000
CITY = ("池州市", "安徽省", "247000", "CN")  # city, province, postal code, country of our addresses
STATUS_IN = {"active": "open", "inactive": "temporarily_closed", "temporarily closed": "temporarily_closed",
             "temporarily_closed": "temporarily_closed", "defunct": "closed"}
STATUS_OUT = {"open": "active", "temporarily_closed": "temporarily closed", "closed": "defunct"}
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# --- reading -------------------------------------------------------------------------------------

def read_tables(content: bytes) -> dict[str, list[dict]]:
    """The zip's CSV tables by HSDS 3.0 name (any folder inside the zip), after the size checks."""
    z = open_zip(content)
    members = [m for m in z.infolist() if not m.is_dir()]
    by_name = {m.filename.rsplit("/", 1)[-1].lower(): m for m in members}
    tables = {}
    for name, aliases in ALIASES.items():
        member = next((by_name[f"{a}.csv"] for a in aliases if f"{a}.csv" in by_name), None)
        tables[name] = _csv(z, member) if member else []
    if not tables["locations"]:
        raise LinliError("err.hsds_no_locations")
    if len(tables["locations"]) > MAX_LOCATIONS:
        raise LinliError("err.file_too_many_rows", max=MAX_LOCATIONS)
    return tables


def _csv(z: zipfile.ZipFile, member: zipfile.ZipInfo) -> list[dict]:
    try:
        with z.open(member) as raw:
            data = raw.read(MAX_MEMBER_BYTES + 1)  # never more than the header promised
    except (RuntimeError, NotImplementedError, zipfile.BadZipFile, OSError, EOFError) as exc:
        # encrypted, an unknown compression, or a corrupt member
        raise LinliError("err.file_unreadable", detail=type(exc).__name__) from exc
    if len(data) > MAX_MEMBER_BYTES:
        raise LinliError("err.zip_too_large", mb=MAX_TOTAL_BYTES // (1024 * 1024))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LinliError("err.file_unreadable", detail="encoding")
    return [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(io.StringIO(text))]


def outlets_from(tables: dict[str, list[dict]], categories: list[dict]) -> list[dict]:
    """One row per physical location, in our columns, with `hsds_id`, `warnings` (imported anyway)
    and `problems` (the row cannot be imported as it is)."""
    orgs = {o.get("id"): o for o in tables["organizations"]}
    services = {s.get("id"): s for s in tables["services"]}
    at = {}  # location id → its service ids
    sal_ids = {}
    for link in tables["service_at_location"]:
        at.setdefault(link.get("location_id"), []).append(link.get("service_id"))
        sal_ids.setdefault(link.get("location_id"), []).append(link.get("id"))
    terms = {t.get("id"): t for t in tables["taxonomy_terms"]}
    attributes = {}
    for a in tables["attributes"]:
        attributes.setdefault(a.get("link_id"), []).append(terms.get(a.get("taxonomy_term_id"), {}))
    category_codes = _category_lookup(categories)
    rows = []
    for loc in tables["locations"]:
        lid = loc.get("id", "")
        if loc.get("location_type", "physical") not in ("physical", ""):
            continue  # a postal or virtual location is no place a resident walks to
        mine = [services[s] for s in at.get(lid, []) if s in services]
        if not mine and lid in services:  # files that give a location and its service one id
            mine = [services[lid]]
        org = orgs.get(loc.get("organization_id")) or (orgs.get(mine[0].get("organization_id")) if mine else None) or {}
        linked = {lid, org.get("id"), *[s.get("id") for s in mine], *sal_ids.get(lid, [])} - {None, ""}
        warnings = []
        name = loc.get("name") or org.get("name") or (mine[0].get("name") if mine else "")
        category = loc.get("x_category") or _term(attributes, linked, CATEGORY_TAXONOMY, category_codes)
        if category not in category_codes.values():
            warnings.append(("category", "warn.hsds_category",
                             {"value": category or "", "column": "attributes.csv / taxonomy_terms.csv"}))
            category = OTHER
        community = loc.get("x_community") or _term(attributes, linked, COMMUNITY_TAXONOMY, None) or ""
        phones, dropped = _phones(tables["phones"], linked)
        if dropped:
            warnings.append(("phones", "warn.hsds_phones", {"numbers": "、".join(dropped)}))
        hours = _hours(tables["schedules"], linked)
        problems = [] if hours else [("opening_hours", "err.hsds_no_hours", {})]
        description = "；".join(x for x in [*(s.get("description") or s.get("name", "") for s in mine),
                                            loc.get("description", "")] if x and x != name)
        if len(description) > 500:
            warnings.append(("services", "warn.hsds_truncated", {"chars": 500}))
            description = description[:496] + "…"  # NFKC (at the boundary) makes it "...": 499 in all
        verified = (loc.get("x_last_verified") or next((s.get("assured_date") for s in mine if s.get("assured_date")), "")
                    or next((s.get("last_modified", "")[:10] for s in mine if s.get("last_modified")), ""))
        rows.append({
            "hsds_id": lid, "name": name, "category": category, "services": description, "community": community,
            "address": _address(tables["addresses"], lid), "lat": loc.get("latitude", ""),
            "lon": loc.get("longitude", ""), "phones": ", ".join(phones), "opening_hours": hours,
            "status": _status(mine), "accessibility": _accessibility(tables["accessibility"], loc, lid),
            "last_verified": verified, "source": loc.get("x_source", "") or "HSDS", "warnings": warnings,
            "problems": problems})
    return rows


def _category_lookup(categories: list[dict]) -> dict[str, str]:
    lookup = {}
    for c in categories:
        for key in (c["code"], c["name_zh"], c["name_en"]):
            lookup[key.lower()] = c["code"]
    return lookup


def _term(attributes: dict, linked: set, taxonomy: str, lookup: dict | None) -> str | None:
    """The first term of `taxonomy` (ours), or with `lookup` any term naming a known category."""
    for link in sorted(linked):
        for term in attributes.get(link, []):
            if term.get("taxonomy_id") == taxonomy or term.get("taxonomy") == taxonomy:
                return term.get("code") or term.get("name")
            if lookup is not None:
                for key in (term.get("code", ""), term.get("name", "")):
                    if key.lower() in lookup:
                        return lookup[key.lower()]
    return None


def _phones(phones: list[dict], linked: set) -> tuple[list[str], list[str]]:
    """Every number of the location, its services and organisation, as we write Chinese numbers;
    numbers that are not Chinese mobiles or landlines are returned apart, to be named."""
    from db.models import PHONE_LANDLINE
    from db.identity import MOBILE

    kept, dropped = [], []
    for p in phones:
        owners = {p.get(k) for k in ("location_id", "service_id", "organization_id", "service_at_location_id")}
        if not owners & linked:
            continue
        number = re.sub(r"[\s()（）]", "", p.get("number", ""))
        if number.startswith(("+86", "0086")):  # international form: the trunk 0 comes back
            number = number.removeprefix("+86").removeprefix("0086").lstrip("-")
            if not MOBILE.match(number) and re.fullmatch(r"[1-9][0-9]{8,10}", number):
                area = 2 if number[0] in "12" else 3  # 010, 021–029; else 0566 and the like
                number = f"0{number[:area]}-{number[area:]}"
        if MOBILE.match(number) or PHONE_LANDLINE.match(number):
            if number not in kept:
                kept.append(number)
        elif p.get("number"):
            dropped.append(p["number"])
    return kept, dropped


def _hours(schedules: list[dict], linked: set) -> str:
    """OSM opening hours: the description when it is one (our export), else built from the
    weekly fields (byday, opens_at, closes_at)."""
    mine = [s for s in schedules if {s.get("location_id"), s.get("service_id"), s.get("service_at_location_id")} & linked]
    for s in mine:
        if s.get("description") and parse_problem(s["description"]) is None:
            return s["description"]
    rules = []
    for s in mine:
        opens, closes = s.get("opens_at", "")[:5], s.get("closes_at", "")[:5]
        if not (re.fullmatch(r"\d\d:\d\d", opens) and re.fullmatch(r"\d\d:\d\d", closes)):
            continue
        if s.get("freq", "WEEKLY").upper() not in ("WEEKLY", ""):
            continue
        days = [d.strip().upper()[-2:] for d in s.get("byday", "").split(",") if d.strip()] or list(DAYS)
        days = [d for d in DAYS if d in days]
        rules.append(f"{','.join(d.title() for d in days)} {opens}-{closes}")
    expression = "; ".join(dict.fromkeys(rules))
    return expression if expression and parse_problem(expression) is None else ""


def _status(services: list[dict]) -> str:
    states = [STATUS_IN.get(s.get("status", "").lower(), "open") for s in services]
    for state in ("open", "temporarily_closed", "closed"):
        if state in states:
            return state
    return "open"


def _address(addresses: list[dict], lid: str) -> str:
    mine = [a for a in addresses if a.get("location_id") == lid]
    mine.sort(key=lambda a: a.get("address_type", "physical") != "physical")
    if not mine:
        return ""
    a = mine[0]
    return " ".join(x for x in (a.get("address_1", ""), a.get("address_2", "")) if x)


def _accessibility(rows: list[dict], loc: dict, lid: str) -> str:
    found = [r.get("description") or r.get("details") or r.get("accessibility", "") for r in rows
             if r.get("location_id") == lid]
    return "；".join(x for x in found if x) or loc.get("accessibility", "")


# --- writing -------------------------------------------------------------------------------------

def package(outlets: list[dict], category_names: dict[str, str], neutralise) -> bytes:
    """Our outlets as an HSDS 3.0 tabular zip (ids linli-<n>, so importing it again updates)."""
    t = {name: [] for name in ALIASES}
    t["taxonomies"] = [
        {"id": CATEGORY_TAXONOMY, "name": "Linli outlet categories",
         "description": "商务部城市一刻钟便民生活圈业态分类（Linli 网点类别）", "uri": "", "version": "1"},
        {"id": COMMUNITY_TAXONOMY, "name": "Linli communities", "description": "社区（居委会）", "uri": "", "version": "1"}]
    used_terms = {}
    for r in outlets:
        oid = f"linli-{r['id']}"
        description = r["services"] or category_names.get(r["category"], r["category"])
        t["organizations"].append({"id": oid, "name": r["name"], "description": description})
        t["locations"].append({"id": oid, "location_type": "physical", "organization_id": oid, "name": r["name"],
                               "description": "", "latitude": r["lat"], "longitude": r["lon"]})
        t["services"].append({"id": oid, "organization_id": oid, "name": r["name"], "description": r["services"],
                              "status": STATUS_OUT[r["status"]], "assured_date": r["last_verified"] or "",
                              "last_modified": ""})
        t["service_at_location"].append({"id": oid, "service_id": oid, "location_id": oid, "description": ""})
        t["addresses"].append({"id": oid, "location_id": oid, "address_1": r["address"], "address_2": "",
                               "city": CITY[0], "region": r["district"], "state_province": CITY[1],
                               "postal_code": CITY[2], "country": CITY[3], "address_type": "physical"})
        for n, phone in enumerate(p for p in r["phones"].split(", ") if p):
            t["phones"].append({"id": f"{oid}-{n}", "location_id": oid, "service_id": oid, "number": phone,
                                "type": "voice"})
        for n, s in enumerate(_weekly(r["opening_hours"])):
            t["schedules"].append({"id": f"{oid}-{n}", "service_id": oid, "location_id": oid, "timezone": "8",
                                   "freq": "WEEKLY" if s else "", "byday": s.get("byday", ""),
                                   "opens_at": s.get("opens_at", ""), "closes_at": s.get("closes_at", ""),
                                   "description": r["opening_hours"]})
        for taxonomy, code, name in ((CATEGORY_TAXONOMY, r["category"], category_names.get(r["category"], r["category"])),
                                     (COMMUNITY_TAXONOMY, r["community"], r["community"])):
            term_id = f"{taxonomy}-{code}"
            used_terms[term_id] = {"id": term_id, "code": code, "name": name, "description": name,
                                   "taxonomy": taxonomy, "taxonomy_id": taxonomy}
            t["attributes"].append({"id": f"{oid}-{taxonomy}", "link_id": oid, "taxonomy_term_id": term_id,
                                    "link_type": "", "link_entity": "location", "value": ""})
        if r["accessibility"]:
            t["accessibility"].append({"id": oid, "location_id": oid, "description": r["accessibility"],
                                       "details": "", "url": ""})
    t["taxonomy_terms"] = list(used_terms.values())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows in t.items():
            text = io.StringIO()
            if rows:
                writer = csv.DictWriter(text, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
            z.writestr(f"{name}.csv", text.getvalue())
    return out.getvalue()


def _weekly(expression: str) -> list[dict]:
    """Simple weekly hours ("Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00") as HSDS schedule
    fields, one per time range; anything richer (PH, off, months) as one row whose description
    holds the OSM expression (an empty dict)."""
    rows = []
    for rule in (r.strip() for r in expression.split(";") if r.strip()):
        match = re.fullmatch(r"((?:Mo|Tu|We|Th|Fr|Sa|Su)(?:[-,](?:Mo|Tu|We|Th|Fr|Sa|Su))*) "
                             r"(\d\d:\d\d-\d\d:\d\d(?:,\d\d:\d\d-\d\d:\d\d)*)", rule)
        if not match:
            return [{}]
        days = _expand(match.group(1))
        for span in match.group(2).split(","):
            opens, closes = span.split("-")
            rows.append({"byday": ",".join(days), "opens_at": opens, "closes_at": closes})
    return rows or [{}]


def _expand(selector: str) -> list[str]:
    codes = [d.title() for d in DAYS]
    out = []
    for part in selector.split(","):
        if "-" in part:
            a, b = (codes.index(x) for x in part.split("-"))
            out += [DAYS[i % 7] for i in range(a, a + (b - a) % 7 + 1)]
        else:
            out.append(DAYS[codes.index(part)])
    return list(dict.fromkeys(out))
