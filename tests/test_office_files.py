"""Spreadsheets as Chinese offices really write them (built with openpyxl the way a 社区 roster
looks: a merged title row, their own headers, dates typed three ways, an ID column Excel turned
into numbers, blank rows), CSVs saved by Excel and WPS, and ID numbers typed in full width.
Valid ID numbers are computed here by hand from GB 11643, not with our own helper."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from components.spreadsheet import read_table, template_xlsx
from db.errors import InputError
from db.identity import id_problem
from db.models import Actor
from db.transfer import TEMPLATES, commit_volunteers, preview_hours, preview_volunteers
from db.volunteers import register

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def gb11643(first17: str) -> str:
    """The check character by the standard's own formula: ISO 7064 MOD 11-2."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


ID_A = gb11643("34170219850305001")  # born 1985-03-05, odd sequence: a man
ID_B = gb11643("34170219920718004")  # born 1992-07-18, even: a woman
ID_C = gb11643("34170219781130003")  # born 1978-11-30, a man


def coordinator(db):
    cid = next(db.query("SELECT id FROM communities WHERE name = '秋浦社区'"))["id"]
    return Actor("coordinator", "coordinator", community_id=cid, user_id=3)


def office_workbook() -> bytes:
    """秋浦社区志愿者花名册 the way a community office keeps it."""
    wb = Workbook()
    ws = wb.active
    ws.append(["秋浦社区志愿者花名册（2026年）"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "姓名", "性别", "出生年月", "身份证号码", "手机号码", "所属社区", "政治面貌"])
    ws.append([1, "周建国", "男", "1985/3/5", ID_A, "13966660011", "秋浦社区", "中共党员"])
    ws.append([])                                     # a blank row the office left in
    ws.append([2, "吴秀兰", "女", "1992年7月18日", ID_B, "13966660012", "秋浦社区", "群众"])
    ws.append([3, "陈立新", "男", datetime(1978, 11, 30), float(ID_C), "13966660013", "秋浦社区", "群众"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_office_roster_imports_with_its_own_headers_dates_and_row_numbers(db):
    c = coordinator(db)
    rows = read_table("花名册.xlsx", office_workbook())
    preview = preview_volunteers(db, c, rows)
    # Row numbers as Excel shows them: title in 1, headers in 2, a blank row 4.
    assert [p["row"] for p in preview] == [3, 5, 6]
    assert [[k for _, k, _ in p["errors"]] for p in preview] == [[], [], ["err.id_as_number"]]
    assert [p["data"]["birth_date"] for p in preview[:2]] == ["1985-03-05", "1992-07-18"]
    assert [p["data"]["party_member"] for p in preview[:2]] == [True, False]
    before = db["volunteers"].count
    assert commit_volunteers(db, c, preview) == 2
    assert db["volunteers"].count == before + 2


def test_a_date_cell_and_a_dashed_date_are_read_too(db):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生日期", "身份证号", "手机", "社区"])
    ws.append(["陈立新", "男", datetime(1978, 11, 30), ID_C, "13966660013", "秋浦社区"])
    ws.append(["周建国", "男", "1985-3-5", ID_A, "13966660011", "秋浦社区"])
    out = io.BytesIO()
    wb.save(out)
    preview = preview_volunteers(db, coordinator(db), read_table("x.xlsx", out.getvalue()))
    assert [p["errors"] for p in preview] == [[], []]


def test_csv_saved_by_excel_with_a_blank_first_line_and_gbk(db):
    text = ("\r\n志愿者编号,活动名称,服务日期,服务时长（分钟）,服务类别\r\n"
            "CZ0000001,敬老院慰问,2026/3/5,90,助老\r\n")
    for encoding in ("gbk", "utf-8-sig"):
        rows = read_table("台账.csv", text.encode(encoding))
        assert [r["__row__"] for r in rows] == [3]
        preview = preview_hours(db, coordinator(db), rows)
        assert preview[0]["data"]["service_date"] == "2026-03-05"
        assert preview[0]["data"]["minutes"] == "90"
        assert preview[0]["data"]["category"] == "elderly"


def test_an_id_number_excel_saved_as_a_number_in_csv_is_explained(db):
    text = "姓名,性别,出生日期,身份证号码,手机号码,所属社区\n周建国,男,1985-03-05,3.41702E+17,13966660011,秋浦社区\n"
    preview = preview_volunteers(db, coordinator(db), read_table("x.csv", text.encode("utf-8")))
    assert [k for _, k, _ in preview[0]["errors"]] == ["err.id_as_number"]


def test_the_template_keeps_id_numbers_as_text():
    wb = load_workbook(io.BytesIO(template_xlsx(TEMPLATES["volunteers"], "志愿者")))
    ws = wb.active
    assert [c.value for c in ws[1]] == TEMPLATES["volunteers"]
    id_column = TEMPLATES["volunteers"].index("身份证号") + 1
    assert ws.cell(row=2, column=id_column).number_format == "@"
    # The template's headers are ones the import reads.
    ws.append(["周建国", "男", "1985-03-05", ID_A, "13966660011", "秋浦社区", "", "", ""])


def test_full_width_and_other_unicode_digits_in_id_numbers():
    full = ID_A.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert id_problem(full, date(1985, 3, 5), "M") is None        # the same person, typed in full width
    ends_in_x = gb11643("34170219900101019")
    assert ends_in_x.endswith("X") and id_problem(ends_in_x[:-1] + "x", date(1990, 1, 1), "M") is None
    arabic = ID_A.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert id_problem(arabic) == "err.id_format"                     # not a different, "valid" number


def test_one_person_cannot_register_twice_with_full_width_digits(db):
    c = coordinator(db)
    data = {"real_name": "周建国", "gender": "M", "birth_date": date(1985, 3, 5), "id_number": ID_A,
            "phone": "13966660011", "community_id": c.community_id}
    register(db, c, data)
    full = ID_A.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    with pytest.raises(Exception) as exc:
        register(db, c, {**data, "id_number": full, "phone": "１３９６６６６００１２"})
    assert "duplicate" in getattr(exc.value, "key", "") or "duplicate" in str(getattr(exc.value, "problems", ""))


def test_full_width_phone_is_normalised(db):
    c = coordinator(db)
    vid = register(db, c, {"real_name": "吴秀兰", "gender": "F", "birth_date": date(1992, 7, 18), "id_number": ID_B,
                           "phone": "１３９ ６６６６ ００１２", "community_id": c.community_id})
    assert next(db.query("SELECT phone FROM volunteers WHERE id = ?", [vid]))["phone"] == "13966660012"
    with pytest.raises(InputError):
        register(db, c, {"real_name": "某", "gender": "F", "birth_date": date(1992, 7, 18), "id_number": ID_C,
                         "phone": "١٣٩٦٦٦٦٠٠١٢", "community_id": c.community_id})


def test_exports_read_as_an_office_expects(db):
    """Chinese words instead of stored codes, dates as dates, a frozen and filterable header,
    columns as wide as their text: checked in the workbook itself, opened with openpyxl."""
    import io as _io
    from datetime import date as _date

    from openpyxl import load_workbook

    from components.spreadsheet import to_xlsx
    from db.models import Actor
    from db.transfer import export_records, export_volunteers

    admin = Actor("admin", "admin", user_id=1)
    rows = export_records(db, admin, ("2000-01-01", "2100-12-31"))
    assert {r["状态"] for r in rows} <= {"已审核", "待审核", "未通过"}
    assert {r["来源"] for r in rows} <= {"协调员录入", "本人申报", "服务需求", "日间照料", "导入", "冲正",
                                     "活动扫码签到", "活动人工签到"}
    assert {r["类别"] for r in rows} == {r["name_zh"] for r in db.query(
        "SELECT DISTINCT k.name_zh FROM service_records r JOIN service_categories k ON k.code = r.category")}
    assert {r["状态"] for r in export_volunteers(db, admin)} <= {"在册", "待审核", "停用", "未通过"}
    sheet = load_workbook(_io.BytesIO(to_xlsx(rows[:50], "台账"))).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    headers = [c.value for c in sheet[1]]
    day = sheet.cell(2, headers.index("日期") + 1)
    assert isinstance(day.value, _date) and day.number_format == "yyyy-mm-dd"
    activity = headers.index("活动") + 1
    longest = max(len(sheet.cell(r, activity).value or "") for r in range(2, sheet.max_row + 1))
    assert sheet.column_dimensions[chr(64 + activity)].width >= 2 * longest  # Chinese characters are wide
