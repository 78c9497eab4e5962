"""Open Referral HSDS 3.0: files shaped like the specification's own examples and like other
tools' exports import; our export meets the 3.0 tabular schema (required fields and enums as the
specification's datapackage states them, written out here by hand); importing our export again
updates instead of adding every outlet twice; a zip bomb is refused unread."""

import csv
import io
import zipfile

import pytest

from components.spreadsheet import neutralise
from db import hsds, outlet_transfer
from db.errors import LinliError
from db.models import Actor

pytestmark = pytest.mark.both_engines

ADMIN = Actor("admin", "admin", user_id=1)

# From the HSDS 3.0.0 datapackage (resource → file, required fields, enums).
REQUIRED = {
    "organizations.csv": ["id", "name", "description"],
    "locations.csv": ["id", "location_type"],
    "services.csv": ["id", "organization_id", "name", "status"],
    "service_at_location.csv": ["id", "service_id", "location_id"],
    "addresses.csv": ["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"],
    "phones.csv": ["id", "number"],
    "schedules.csv": ["id"],
    "attributes.csv": ["id", "link_id", "taxonomy_term_id", "link_entity"],
    "taxonomy_terms.csv": ["id", "name", "description"],
    "taxonomies.csv": ["id", "name", "description"],
}
ENUMS = {("services.csv", "status"): {"active", "inactive", "defunct", "temporarily closed"},
         ("locations.csv", "location_type"): {"physical", "postal", "virtual"},
         ("addresses.csv", "address_type"): {"physical", "postal", "virtual"},
         ("schedules.csv", "freq"): {"WEEKLY", "MONTHLY", ""}}


def zip_of(files: dict[str, list[dict]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows in files.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
            z.writestr(name, text.getvalue())
    return out.getvalue()


def tables(content: bytes) -> dict[str, list[dict]]:
    z = zipfile.ZipFile(io.BytesIO(content))
    return {n: list(csv.DictReader(io.StringIO(z.read(n).decode("utf-8")))) for n in z.namelist()}


ORG, LOC, SVC = "d9d5e0f5-0000-4ce7-9679-000000000001", "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "ac148810-d857-441c-9679-408f346de14b"


def other_tool_file(version3=True) -> bytes:
    """Three locations the way another HSDS publisher writes them: UUIDs, service_at_location,
    phones on the organisation and the service, weekly schedules, no category we know."""
    locations, services, links, addresses, phones, schedules = [], [], [], [], [], []
    for n, (name, status) in enumerate((("清溪社区卫生服务站", "active"), ("秋浦长者助餐点", "inactive"),
                                         ("老街修鞋铺", "defunct"))):
        loc, svc = f"{LOC[:-1]}{n}", f"{SVC[:-1]}{n}"
        locations.append({"id": loc, "location_type": "physical", "url": "", "organization_id": ORG, "name": name,
                          "alternate_name": "", "description": "", "transportation": "乘 1 路公交",
                          "latitude": f"{30.66 + n / 1000}", "longitude": "117.49"})
        services.append({"id": svc, "organization_id": ORG, "program_id": "", "name": f"{name}服务",
                         "alternate_name": "", "description": f"为社区居民提供服务。{'很长的说明' * 120}",
                         "url": "", "email": "", "status": status, "assured_date": "2026-05-04", "last_modified": ""})
        links.append({"id": f"sal-{n}", "service_id": svc, "location_id": loc, "description": ""})
        addresses.append({"id": f"addr-{n}", "location_id": loc, "attention": "", "address_1": f"秋浦路 {n + 1} 号",
                          "address_2": "", "city": "池州市", "region": "贵池区", "state_province": "安徽省",
                          "postal_code": "247000", "country": "CN", "address_type": "physical"})
        phones.append({"id": f"ph-{n}", "location_id": "", "service_id": svc, "organization_id": "", "contact_id": "",
                       "service_at_location_id": "", "number": f"+86 566 202{n}234", "extension": "", "type": "voice",
                       "description": ""})
        schedules.append({"id": f"sch-{n}", "service_id": svc, "location_id": "", "service_at_location_id": "",
                          "valid_from": "", "valid_to": "", "dtstart": "", "timezone": "", "until": "", "count": "",
                          "wkst": "", "freq": "WEEKLY", "interval": "1", "byday": "MO,TU,WE,TH,FR",
                          "byweekno": "", "bymonthday": "", "byyearday": "", "description": "工作日开放",
                          "opens_at": "08:00:00", "closes_at": "17:30:00", "schedule_link": "", "attending_type": "",
                          "notes": ""})
    phones.append({**phones[0], "id": "ph-org", "service_id": "", "organization_id": ORG, "number": "13955660000"})
    phones.append({**phones[0], "id": "ph-uk", "number": "+44 1234 234567"})
    organizations = [{"id": ORG, "name": "清溪街道便民服务中心", "alternate_name": "", "description": "街道便民服务",
                      "email": "", "website": "", "tax_status": "", "tax_id": "", "year_incorporated": "",
                      "legal_status": "", "logo": "", "uri": "", "parent_organization_id": ""}]
    if version3:
        names = {"organizations.csv": organizations, "locations.csv": locations, "services.csv": services,
                 "service_at_location.csv": links, "addresses.csv": addresses, "phones.csv": phones,
                 "schedules.csv": schedules}
    else:  # HSDS 2.x names, in a folder as some tools zip them
        names = {"data/organizations.csv": organizations, "data/locations.csv": locations,
                 "data/services.csv": services, "data/services_at_location.csv": links,
                 "data/physical_addresses.csv": addresses, "data/phones.csv": phones,
                 "data/schedules.csv": schedules}
    return zip_of(names)


@pytest.mark.parametrize("version3", [True, False])
def test_another_tools_file_imports_with_every_phone_description_and_status(db, version3):
    rows = outlet_transfer.read_hsds(db, other_tool_file(version3))
    preview = outlet_transfer.preview(db, ADMIN, rows)
    assert [p["errors"] for p in preview] == [[], [], []]
    first = preview[0]
    assert first["data"]["category"] == "other"
    assert [(k, p["column"]) for _, k, p in first["warnings"] if k == "warn.hsds_category"] == [
        ("warn.hsds_category", "attributes.csv / taxonomy_terms.csv")]
    assert any(k == "warn.hsds_phones" and "+44 1234 234567" in p["numbers"] for _, k, p in first["warnings"])
    assert first["data"]["phones"] == "0566-2020234, 13955660000"
    assert first["data"]["services"].startswith("为社区居民提供服务。") and first["data"]["services"].endswith("…")
    assert first["data"]["opening_hours"] == "Mo,Tu,We,Th,Fr 08:00-17:30"
    assert [p["data"]["status"] for p in preview] == ["open", "temporarily_closed", "closed"]
    assert first["data"]["last_verified"] == "2026-05-04"
    before = db["outlets"].count
    assert outlet_transfer.commit(db, ADMIN, preview) == 3
    assert db["outlets"].count == before + 3
    # The publisher sends the same file again next month: nothing is added twice.
    again = outlet_transfer.preview(db, ADMIN, outlet_transfer.read_hsds(db, other_tool_file(version3)))
    assert [p["shown"]["action"] for p in again] == ["update"] * 3
    outlet_transfer.commit(db, ADMIN, again)
    assert db["outlets"].count == before + 3


def test_a_location_without_hours_is_refused_naming_the_file(db):
    content = other_tool_file()
    files = tables(content)
    files["schedules.csv"] = [files["schedules.csv"][1]]  # only the second location keeps its hours
    rows = outlet_transfer.read_hsds(db, zip_of(files))
    preview = outlet_transfer.preview(db, ADMIN, rows)
    assert [[k for _, k, _ in p["errors"]] for p in preview] == [["err.hsds_no_hours"], [], ["err.hsds_no_hours"]]


def test_our_export_meets_hsds_3_and_comes_back_as_updates(db):
    coord = Actor("coordinator", "coordinator", community_id=next(
        db.query("SELECT id FROM communities WHERE name = '秋浦社区'"))["id"], user_id=3)
    content = outlet_transfer.export_hsds(db, coord, neutralise)
    files = tables(content)
    for name, required in REQUIRED.items():
        assert name in files, name
        for row in files[name]:
            assert all(row.get(f) for f in required), (name, row)
    for (name, field), allowed in ENUMS.items():
        assert {r[field] for r in files[name]} <= allowed, (name, field)
    ids = {r["id"] for r in files["locations.csv"]}
    assert {r["location_id"] for r in files["service_at_location.csv"]} == ids
    mine = list(db.query("SELECT * FROM outlets WHERE community_id = ? ORDER BY id", [coord.community_id]))
    assert len(ids) == len(mine)
    pharmacy = next(r for r in files["locations.csv"] if r["name"] == "仁和24小时药房")
    assert [p["number"] for p in files["phones.csv"] if p["location_id"] == pharmacy["id"]] == ["13805661111"]

    before = {r["id"]: r for r in mine}
    preview = outlet_transfer.preview(db, coord, outlet_transfer.read_hsds(db, content))
    assert [p["errors"] for p in preview] == [[] for _ in preview]
    assert [p["warnings"] for p in preview] == [[] for _ in preview]
    assert {p["shown"]["action"] for p in preview} == {"update"}
    assert outlet_transfer.commit(db, coord, preview) == len(mine)
    after = {r["id"]: r for r in db.query("SELECT * FROM outlets WHERE community_id = ?", [coord.community_id])}
    assert after.keys() == before.keys()
    keep = ("name", "category", "services", "address", "lat", "lon", "phones", "opening_hours", "status",
            "accessibility", "last_verified", "community_id")
    assert {i: {k: r[k] for k in keep} for i, r in after.items()} == {i: {k: r[k] for k in keep} for i, r in before.items()}


def test_our_own_csv_export_reimported_updates(db):
    rows = outlet_transfer.export_rows(db, ADMIN)[:5]
    rows = [{**r, "lat": str(r["lat"]), "lon": str(r["lon"])} for r in rows]
    preview = outlet_transfer.preview(db, ADMIN, rows)
    assert {p["shown"]["action"] for p in preview} == {"update"}


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("locations.csv", "id,name\n" + "a,b\n" * 5_000_000)  # 20 MB of CSV in a few KB
    assert len(out.getvalue()) < 200_000
    with pytest.raises(LinliError) as exc:
        hsds.read_tables(out.getvalue())
    assert exc.value.key == "err.zip_too_large"


def test_not_an_hsds_zip_says_so():
    with pytest.raises(LinliError) as exc:
        hsds.read_tables(zip_of({"readme.csv": [{"a": "1"}]}))
    assert exc.value.key == "err.hsds_no_locations"
    with pytest.raises(LinliError) as exc:
        hsds.read_tables(b"not a zip")
    assert exc.value.key == "err.file_unreadable"
