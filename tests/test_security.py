"""Security at the data layer: a coordinator of one community can neither read nor change
another's data through any db function; search boxes take SQL metacharacters as text; personal
data stays out of the audit log and the file."""

from datetime import date, datetime, timedelta

import pytest

from db import daycare, exchange, ledger, outlet_transfer, outlets, timebank, transfer, volunteers
from db.certificates import issue_certificate
from db.errors import PermissionDenied
from db.models import Actor
from db import clock


@pytest.fixture
def world(db):
    """秋浦社区's objects, and the coordinator of 尧渡社区 who must not touch them."""
    qiupu = next(db.query("SELECT id FROM communities WHERE name = '秋浦社区'"))["id"]
    mine = Actor("coordinator", "coordinator", community_id=qiupu, user_id=3)
    outsider = Actor("coordinator2", "coordinator",
                     community_id=next(db.query("SELECT id FROM communities WHERE name = '尧渡社区'"))["id"], user_id=4)
    vid = next(db.query("SELECT id FROM volunteers WHERE community_id = ? AND status = 'active' LIMIT 1", [qiupu]))["id"]
    [record] = ledger.record_hours(db, mine, {"volunteer_ids": [vid], "activity": "x", "minutes": 60,
                                              "service_date": clock.today() - timedelta(days=1), "category": "safety"})
    need = exchange.post_need(db, mine, {"title": "need", "category": "medicine", "community_id": qiupu,
                                         "expires_at": clock.now() + timedelta(days=2)})
    outlet = next(db.query("SELECT id FROM outlets WHERE community_id = ? LIMIT 1", [qiupu]))["id"]
    centre = next(c for c in daycare.centres(db) if c["community_id"] == qiupu)
    programme = daycare.programmes(db, centre["id"])[0]
    member = daycare.members(db, mine, centre["id"])[0]["id"]
    return {"db": db, "qiupu": qiupu, "outsider": outsider, "vid": vid, "record": record, "need": need,
            "outlet": outlet, "centre": centre, "programme": programme, "member": member}


def outlet_data(w):
    return {"name": "x", "category": "pharmacy", "community_id": w["qiupu"], "address": "x", "lat": 30.66,
            "lon": 117.49, "opening_hours": "24/7"}


CROSSINGS = {
    "volunteers.search": lambda w, a: volunteers.search(w["db"], a, community_id=w["qiupu"]),
    "volunteers.get_volunteer": lambda w, a: volunteers.get_volunteer(w["db"], a, w["vid"]),
    "volunteers.register": lambda w, a: volunteers.register(w["db"], a, {
        "real_name": "x", "gender": "F", "birth_date": date(1990, 1, 1), "id_number": "341702199001011029",
        "phone": "13912345671", "community_id": w["qiupu"]}),
    "volunteers.set_active": lambda w, a: volunteers.set_active(w["db"], a, w["vid"], False),
    "volunteers.active_volunteers": lambda w, a: volunteers.active_volunteers(w["db"], a, w["qiupu"]),
    "ledger.record_hours": lambda w, a: ledger.record_hours(w["db"], a, {
        "volunteer_ids": [w["vid"]], "activity": "y", "minutes": 30, "service_date": clock.today(), "category": "safety"}),
    "ledger.approve": lambda w, a: ledger.approve(w["db"], a, [w["record"]]),
    "ledger.reject": lambda w, a: ledger.reject(w["db"], a, [w["record"]], "no"),
    "ledger.reverse": lambda w, a: ledger.reverse(w["db"], a, w["record"], "no"),
    "certificates.issue_certificate": lambda w, a: issue_certificate(w["db"], a, w["vid"], {
        "period_from": date(2020, 1, 1), "period_to": clock.today()}),
    "transfer.export_volunteers": lambda w, a: transfer.export_volunteers(w["db"], a, w["qiupu"]),
    "transfer.export_records": lambda w, a: transfer.export_records(w["db"], a, ("2020-01-01", "2030-01-01"), w["qiupu"]),
    "exchange.moderate": lambda w, a: exchange.moderate(w["db"], a, w["need"], True),
    "exchange.claim(assign)": lambda w, a: exchange.claim(w["db"], a, w["need"], w["vid"]),
    "exchange.cancel": lambda w, a: exchange.cancel(w["db"], a, w["need"], "no"),
    "exchange.post_need": lambda w, a: exchange.post_need(w["db"], a, {
        "title": "x", "category": "medicine", "community_id": w["qiupu"], "expires_at": clock.now() + timedelta(days=1)}),
    "exchange.suggestions": lambda w, a: exchange.suggestions(w["db"], a, w["need"]),
    "timebank.statement": lambda w, a: timebank.statement(w["db"], a, w["vid"]),
    "outlets.create_outlet": lambda w, a: outlets.create_outlet(w["db"], a, outlet_data(w)),
    "outlets.update_outlet": lambda w, a: outlets.update_outlet(w["db"], a, w["outlet"], outlet_data(w)),
    "outlets.set_status": lambda w, a: outlets.set_status(w["db"], a, w["outlet"], "closed"),
    "outlets.verify": lambda w, a: outlets.verify(w["db"], a, w["outlet"]),
    "outlet_transfer.commit": lambda w, a: outlet_transfer.commit(w["db"], a, [
        {"row": 2, "data": {**outlet_data(w), "phones": "", "services": "", "status": "open", "accessibility": "",
                            "last_verified": None, "source": ""}, "errors": []}]),
    "daycare.members": lambda w, a: daycare.members(w["db"], a, w["centre"]["id"]),
    "daycare.add_member": lambda w, a: daycare.add_member(w["db"], a, {
        "centre_id": w["centre"]["id"], "name": "x", "birth_year": 1940, "community_id": w["qiupu"],
        "emergency_contact": "x", "emergency_phone": "13800000000"}),
    "daycare.add_programme": lambda w, a: daycare.add_programme(w["db"], a, {
        "centre_id": w["centre"]["id"], "title": "x", "kind": "other", "room": "r", "capacity": 1, "byday": ["MO"],
        "opens_at": "07:00", "closes_at": "07:30", "valid_from": clock.today()}),
    "daycare.add_closure": lambda w, a: daycare.add_closure(w["db"], a, {
        "centre_id": w["centre"]["id"], "day": clock.today(), "reason": "x"}),
    "daycare.book": lambda w, a: daycare.book(w["db"], a, w["programme"]["id"], clock.today(), w["member"]),
    "daycare.cancel_booking": lambda w, a: daycare.cancel_booking(w["db"], a, w["programme"]["id"], clock.today(), w["member"]),
    "daycare.roster": lambda w, a: daycare.roster(w["db"], a, w["programme"]["id"], clock.today()),
    "daycare.check_in": lambda w, a: daycare.check_in(w["db"], a, w["programme"]["id"], clock.today(), w["member"], True),
    "daycare.record_helpers": lambda w, a: daycare.record_helpers(w["db"], a, w["programme"]["id"], clock.today(), [w["vid"]]),
}


@pytest.mark.parametrize("name", sorted(CROSSINGS))
def test_coordinator_cannot_cross_into_another_community(world, name):
    db = world["db"]
    before = (db["audit_log"].count, db["service_records"].count, db["volunteers"].count, db["outlets"].count)
    with pytest.raises(PermissionDenied):
        CROSSINGS[name](world, world["outsider"])
    assert (db["audit_log"].count, db["service_records"].count, db["volunteers"].count, db["outlets"].count) == before


@pytest.mark.parametrize("text", ["' OR 1=1 --", "%", "_", "\"; DROP TABLE volunteers; --", "\\", "秋浦' UNION SELECT * FROM users --"])
def test_sql_metacharacters_in_search_boxes_are_text(db, text):
    admin = Actor("admin", "admin", user_id=1)
    rows, total = volunteers.search(db, admin, text=text)
    assert total == 0 and rows == []
    assert outlets.search(db, text) == []
    assert db["volunteers"].count > 0 and db["users"].count > 0  # nothing dropped


def test_wildcards_typed_are_literal(db):
    admin = Actor("admin", "admin", user_id=1)
    db.execute("UPDATE volunteers SET real_name = '百分%号' WHERE id = 2")
    db.conn.commit()
    rows, total = volunteers.search(db, admin, text="%")
    assert total == 1 and rows[0]["real_name"] == "百分%号"


def test_no_plain_id_numbers_or_phones_in_the_audit_log(db):
    numbers = [volunteers.keys.decrypt(r["id_cipher"]) for r in db.query("SELECT id_cipher FROM volunteers LIMIT 50")]
    log = " ".join(str(r) for r in db.query("SELECT before, after FROM audit_log"))
    assert not any(n in log for n in numbers)


def test_leaders_get_no_personal_rows(db):
    leader = Actor("leader", "leader", user_id=2)
    for call in (lambda: volunteers.search(db, leader), lambda: transfer.export_volunteers(db, leader),
                 lambda: transfer.export_records(db, leader, ("2020-01-01", "2030-01-01")),
                 lambda: ledger.list_records(db, leader), lambda: daycare.members(db, leader, 1)):
        with pytest.raises(PermissionDenied):
            call()
