"""Import with preview and per-row errors; export that neutralises spreadsheet formulas."""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from components.spreadsheet import MAX_UPLOAD_BYTES, neutralise, read_table, to_csv, to_xlsx
from db import clock
from db.errors import LinliError, PermissionDenied
from db.identity import make_id
from db.models import Actor
from db.transfer import (commit_hours, commit_volunteers, export_records, export_volunteers, preview_hours,
                         preview_volunteers)

pytestmark = pytest.mark.both_engines

HEADERS = ["姓名", "性别", "出生日期", "身份证号", "手机", "社区", "技能", "党员", "备注"]


def coordinator(db, name="秋浦社区"):
    cid = next(db.query("SELECT id FROM communities WHERE name = ?", [name]))["id"]
    return Actor("coordinator", "coordinator", community_id=cid, user_id=3)


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def volunteer_rows():
    good = make_id("341702", date(1990, 5, 17), 3, "M")
    good2 = make_id("341702", date(1985, 2, 1), 4, "F")
    return [
        HEADERS,
        ["周建国", "男", date(1990, 5, 17), good, "13966660001", "秋浦社区", "助老、维修", "是", ""],   # ok
        ["吴秀兰", "女", "1985-02-01", good2, "13966660002", "秋浦社区", "配医", "否", "=HYPERLINK(1)"],  # ok
        ["错号码", "男", "1990-05-17", good[:-1] + "0" if good[-1] != "0" else good[:-1] + "1",
         "13966660003", "秋浦社区", "", "", ""],                                                          # check digit
        ["外社区", "女", "1985-02-01", good2, "13966660004", "尧渡社区", "", "", ""],                      # other community + dup id
        ["", "女", "1985-02-01", "", "1396666", "火星社区", "飞行", "", ""],                               # many errors
    ]


def test_volunteer_import_previews_every_error_and_writes_nothing(db):
    c = coordinator(db)
    before = db["volunteers"].count
    preview = preview_volunteers(db, c, read_table("名单.xlsx", xlsx(volunteer_rows())))
    assert db["volunteers"].count == before
    errors = {p["row"]: {k for _, k, _ in p["errors"]} for p in preview}
    assert errors[2] == set() and errors[3] == set()
    assert errors[4] == {"err.id_check_digit"}
    assert errors[5] == {"err.outside_community", "err.duplicate_id_in_import"}
    assert {"err.unknown_community", "err.unknown_category", "err.required"} <= errors[6]
    assert commit_volunteers(db, c, preview) == 2
    assert db["volunteers"].count == before + 2
    imported = list(db.query("SELECT real_name, status, number, party_member FROM volunteers WHERE source = 'import'"
                             " ORDER BY id"))
    assert [(r["real_name"], r["status"], r["party_member"]) for r in imported] == \
        [("周建国", "active", 1), ("吴秀兰", "active", 0)]
    assert all(r["number"] for r in imported)


def test_hours_import_from_csv(db):
    c = coordinator(db)
    number = next(db.query("SELECT number FROM volunteers WHERE real_name='陈晓雨'"))["number"]
    day = (clock.today() - timedelta(days=2)).isoformat()
    content = "\n".join([
        "志愿者编号,活动,日期,开始,结束,时长（分钟）,类别",
        f"{number},读书会,{day},14:00,16:00,,文化",
        f"{number},读书会,{day},16:00,15:00,,文化",          # end before start
        f"CZ9999999,读书会,{day},14:00,16:00,,文化",          # unknown volunteer
        f"{number},读书会,2999-01-01,,,60,culture",           # future date
    ]).encode("utf-8")
    preview = preview_hours(db, c, read_table("hours.csv", content))
    assert [sorted(k for _, k, _ in p["errors"]) for p in preview] == [
        [], ["err.end_before_start"], ["err.unknown_volunteer"], ["err.future_date"]]
    before = db["service_records"].count
    assert commit_hours(db, c, preview) == 1
    assert db["service_records"].count == before + 1
    # The same file again: the good row is now an exact duplicate, so nothing is written.
    with pytest.raises(LinliError) as exc:
        commit_hours(db, c, preview_hours(db, c, read_table("hours.csv", content)))
    assert exc.value.key == "err.import_row" and exc.value.params["row"] == 2
    assert db["service_records"].count == before + 1


def test_only_coordinators_and_admins_import_or_export(db):
    leader = Actor("leader", "leader")
    with pytest.raises(PermissionDenied):
        preview_volunteers(db, leader, [])
    with pytest.raises(PermissionDenied):
        export_volunteers(db, leader)
    with pytest.raises(PermissionDenied):
        export_records(db, Actor("volunteer", "volunteer", user_id=5), ("2020-01-01", "2030-01-01"))


def test_exports_are_scoped_masked_and_neutralised(db):
    c = coordinator(db)
    rows = export_volunteers(db, c)
    assert {r["社区"] for r in rows} == {"秋浦社区"}
    assert all("********" in r["身份证号"] for r in rows)
    db.execute("UPDATE volunteers SET notes = '=cmd|'' /C calc''!A0' WHERE id = 1")
    db.conn.commit()
    rows = export_volunteers(db, c)
    text = to_csv(rows).decode("utf-8-sig")
    cell = next(r for r in csv.DictReader(io.StringIO(text)) if r["姓名"] == "陈晓雨")["备注"]
    assert cell == "'=cmd|' /C calc'!A0"
    sheet = load_workbook(io.BytesIO(to_xlsx(rows))).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "'=cmd|' /C calc'!A0" in values and not any(str(v).startswith("=") for v in values if v)


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("正常文本", "正常文本"), (-60, -60), (None, None),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_bad_uploads_get_clear_errors():
    with pytest.raises(LinliError) as exc:
        read_table("a.pdf", b"%PDF")
    assert exc.value.key == "err.file_type"
    with pytest.raises(LinliError) as exc:
        read_table("a.csv", b"x" * (MAX_UPLOAD_BYTES + 1))
    assert exc.value.key == "err.file_too_large"
    with pytest.raises(LinliError) as exc:
        read_table("a.xlsx", b"this is not a zip file")
    assert exc.value.key == "err.file_unreadable"
    with pytest.raises(LinliError) as exc:
        read_table("a.csv", b"")
    assert exc.value.key == "err.file_empty"
