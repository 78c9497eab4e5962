"""Security at the data layer: search boxes take SQL metacharacters as text; personal data stays
out of the audit log and the file; leaders get no personal rows. (Who may touch what, for every
role and db function: tests/test_permissions.py, generated from the permission table.)"""


import pytest

from db import daycare, ledger, outlets, transfer, volunteers
from db.errors import PermissionDenied
from db.models import Actor

pytestmark = pytest.mark.both_engines


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
