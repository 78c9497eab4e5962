"""Import and export of volunteers and hours. An import is previewed row by row with every error;
only a confirmed preview is written, in one transaction, and rows with errors never are."""

import re
import unicodedata
from datetime import date

from sqlite_utils import Database

from db import keys
from db.store import write
from db.errors import InputError, LinliError
from db.identity import mask_phone
from db.importing import commit_rows, numbered
from db.permissions import community_filter, may, require_any
from db.ledger import insert_records
from db.models import Actor, RecordIn, VolunteerIn, parse
from db.volunteers import insert_volunteer
from db.text import iso_day
from db import clock
from catalogue import translate

# Accepted headers → field: ours, and what office spreadsheets call the same column. Headers are
# compared after NFKC (full-width brackets become ASCII), without spaces or a leading *.
VOLUNTEER_HEADERS = {
    "姓名": "real_name", "name": "real_name", "志愿者姓名": "real_name",
    "性别": "gender", "gender": "gender",
    "出生日期": "birth_date", "出生年月日": "birth_date", "出生年月": "birth_date", "birthdate": "birth_date",
    "身份证号": "id_number", "身份证号码": "id_number", "公民身份号码": "id_number", "证件号码": "id_number",
    "身份证": "id_number", "idnumber": "id_number",
    "手机": "phone", "手机号": "phone", "手机号码": "phone", "联系电话": "phone", "联系方式": "phone",
    "电话": "phone", "phone": "phone",
    "社区": "community", "所属社区": "community", "社区名称": "community", "所在社区": "community",
    "community": "community",
    "技能": "skills", "技能特长": "skills", "服务技能": "skills", "特长": "skills", "skills": "skills",
    "党员": "party_member", "是否党员": "party_member", "partymember": "party_member",
    "政治面貌": "politics",
    "备注": "notes", "notes": "notes",
}
HOURS_HEADERS = {
    "志愿者编号": "number", "编号": "number", "volunteernumber": "number",
    "活动": "activity", "活动名称": "activity", "activity": "activity",
    "日期": "service_date", "服务日期": "service_date", "活动日期": "service_date", "date": "service_date",
    "开始": "start_time", "开始时间": "start_time", "start": "start_time",
    "结束": "end_time", "结束时间": "end_time", "end": "end_time",
    "时长(分钟)": "minutes", "服务时长(分钟)": "minutes", "分钟": "minutes", "minutes": "minutes",
    "地点": "place", "服务地点": "place", "place": "place",
    "服务对象": "beneficiary", "beneficiary": "beneficiary",
    "内容": "content", "服务内容": "content", "content": "content",
    "类别": "category", "服务类别": "category", "服务类型": "category", "category": "category",
}
TEMPLATES = {"volunteers": ["姓名", "性别", "出生日期", "身份证号", "手机", "社区", "技能", "党员", "备注"],
             "hours": ["志愿者编号", "活动", "日期", "开始", "结束", "时长(分钟)", "地点", "服务对象", "内容", "类别"]}
GENDERS = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
YES = {"是", "yes", "y", "true", "1"}


def _fields(raw: dict, headers: dict) -> dict:
    out = {}
    for k, v in raw.items():
        key = unicodedata.normalize("NFKC", k).replace(" ", "").lstrip("*").lower()
        if key in headers:
            out[headers[key]] = v
    return out


def _id_as_number(text: str) -> bool:
    """3.41702E+17: how Excel shows, and saves to CSV, an ID number typed into a number cell."""
    return bool(re.fullmatch(r"[0-9](\.[0-9]+)?E\+?[0-9]+", text.strip(), re.IGNORECASE))


def _categories(db: Database) -> dict[str, str]:
    """Category code, Chinese name or English name → code."""
    lookup = {}
    for r in db.query("SELECT code, name_zh, name_en FROM service_categories"):
        lookup.update({r["code"]: r["code"], r["name_zh"]: r["code"], r["name_en"].lower(): r["code"]})
    return lookup


# --- volunteers --------------------------------------------------------------------------------

def preview_volunteers(db: Database, actor: Actor, rows: list[dict]) -> list[dict]:
    """Each row with its parsed data and every error; nothing is written."""
    require_any(actor, "volunteers.import")
    communities = {r["name"]: r["id"] for r in db.query("SELECT id, name FROM communities")}
    categories = _categories(db)
    seen_ids, seen_phones, preview = set(), set(), []
    for n, raw in numbered(rows):
        f = _fields(raw, VOLUNTEER_HEADERS)
        errors = []
        if "party_member" not in f and "politics" in f:  # 政治面貌: 中共党员 / 中共预备党员
            f["party_member"] = "是" if "党员" in f["politics"] and "共" in f["politics"] else "否"
        community_id = communities.get(f.get("community", "").strip())
        if community_id is None:
            errors.append(("community", "err.unknown_community", {"name": f.get("community", "")}))
        elif not may(actor, "volunteers.import", community_id):
            errors.append(("community", "err.outside_community", {}))
        skills = [s.strip() for s in f.get("skills", "").replace("，", ",").replace("、", ",").split(",") if s.strip()]
        unknown = [s for s in skills if s.lower() not in categories and s not in categories]
        errors += [("skills", "err.unknown_category", {"code": s}) for s in unknown]
        id_number = f.get("id_number", "")
        if _id_as_number(id_number):
            errors.append(("id_number", "err.id_as_number", {}))
        gender, born = f.get("gender", "").strip(), f.get("birth_date", "").strip()
        # Columns left empty are read from the ID number; filled ones must agree with it.
        data = {"real_name": f.get("real_name", ""), "gender": GENDERS.get(gender.lower(), gender) or None,
                "birth_date": iso_day(born) if born else None, "id_number": id_number,
                "phone": f.get("phone", ""), "community_id": community_id or 0,
                "skills": [categories.get(s, categories.get(s.lower())) for s in skills if s not in unknown],
                "party_member": f.get("party_member", "").strip().lower() in YES, "notes": f.get("notes", "")}
        try:
            v = parse(VolunteerIn, data)
            id_hash = keys.lookup_hash(v.id_number)
            if id_hash in seen_ids or list(db.query("SELECT 1 FROM volunteers WHERE id_hash = ?", [id_hash])):
                errors.append(("id_number", "err.duplicate_id_in_import", {}))
            if v.phone in seen_phones or list(db.query("SELECT 1 FROM volunteers WHERE phone = ?", [v.phone])):
                errors.append(("phone", "err.duplicate_phone_in_import", {}))
            seen_ids.add(id_hash)
            seen_phones.add(v.phone)
        except InputError as exc:
            # A number-mangled ID is already explained; its format error would only repeat it.
            errors += [p for p in exc.problems if p[0] != "community_id"
                       and not (p[1].startswith("err.id_") and _id_as_number(id_number))]
        shown = {"real_name": data["real_name"], "community": f.get("community", ""),
                 "phone": mask_phone(data["phone"]) if data["phone"] else ""}
        preview.append({"row": n, "data": data, "shown": shown, "errors": errors})
    return preview


def commit_volunteers(db: Database, actor: Actor, preview: list[dict]) -> int:
    """Write the error-free rows of a preview, all in one transaction (active, numbered)."""
    return commit_rows(db, actor, "volunteers.import", preview, VolunteerIn, lambda v: insert_volunteer(db, actor, v, "active", "import"))


# --- hours -------------------------------------------------------------------------------------

def preview_hours(db: Database, actor: Actor, rows: list[dict]) -> list[dict]:
    require_any(actor, "volunteers.import")
    categories = _categories(db)
    preview = []
    for n, raw in numbered(rows):
        f = _fields(raw, HOURS_HEADERS)
        errors = []
        found = list(db.query("SELECT id, community_id, status, real_name FROM volunteers WHERE number = ?",
                              [f.get("number", "").strip().upper()]))
        if not found:
            errors.append(("number", "err.unknown_volunteer", {"id": f.get("number", "")}))
        elif not may(actor, "hours.record", found[0]["community_id"], found[0]["id"]):
            errors.append(("number", "err.outside_community", {}))
        elif found[0]["status"] != "active":
            errors.append(("number", "err.volunteer_not_active", {"name": found[0]["real_name"]}))
        category = categories.get(f.get("category", "").strip(), categories.get(f.get("category", "").strip().lower()))
        if category is None:
            errors.append(("category", "err.unknown_category", {"code": f.get("category", "")}))
        data = {"volunteer_ids": [found[0]["id"] if found else 0], "activity": f.get("activity", ""),
                "service_date": iso_day(f.get("service_date", "")), "start_time": f.get("start_time") or None,
                "end_time": f.get("end_time") or None, "minutes": f.get("minutes") or None,
                "place": f.get("place", ""), "beneficiary": f.get("beneficiary", ""),
                "content": f.get("content", ""), "category": category or ""}
        try:
            parse(RecordIn, data)
        except InputError as exc:
            errors += exc.problems
        shown = {"number": f.get("number", ""), "activity": data["activity"], "service_date": data["service_date"]}
        preview.append({"row": n, "data": data, "shown": shown, "errors": errors})
    return preview


def commit_hours(db: Database, actor: Actor, preview: list[dict]) -> int:
    """Write the error-free rows as pending records, in one transaction. A rule that only shows
    against the ledger (a duplicate, over 24 hours) refuses the whole import with its row number.
    Each record is checked against the actor's rights as it is written (insert_records)."""
    require_any(actor, "volunteers.import")
    good = [p for p in preview if not p["errors"]]
    with write(db):
        for p in good:
            try:
                insert_records(db, actor, parse(RecordIn, p["data"]), "import")
            except LinliError as exc:
                raise LinliError("err.import_row", row=p["row"], reason=exc.key) from exc
    return len(good)


# --- export ------------------------------------------------------------------------------------

def export_volunteers(db: Database, actor: Actor, community_id: int | None = None) -> list[dict]:
    """The roster for a coordinator's community (or any, for admins). ID numbers masked."""
    scope = community_filter(actor, "volunteers.import", community_id)
    sql = ("SELECT v.number AS 志愿者编号, v.real_name AS 姓名, CASE v.gender WHEN 'M' THEN '男' ELSE '女' END AS 性别,"
           " v.birth_year AS 出生年份, v.id_masked AS 身份证号, v.phone AS 手机, c.name AS 社区, v.status AS 状态,"
           " v.approved_minutes / 6 / 10.0 AS 累计时长（小时）, v.notes AS 备注"
           " FROM volunteers v JOIN communities c ON c.id = v.community_id")
    params = []
    if scope is not None:
        sql += " WHERE v.community_id = ?"
        params.append(scope)
    return [_readable(r, {"状态": "status."}) for r in db.query(sql + " ORDER BY v.id", params)]


def _readable(row: dict, coded: dict[str, str]) -> dict:
    """A stored code (active, self) as the Chinese word an office reads (在册, 本人申报)."""
    for column, prefix in coded.items():
        if row.get(column):
            row[column] = translate(prefix + row[column], "zh")
    return row


def export_records(db: Database, actor: Actor, period: tuple[str, str], community_id: int | None = None) -> list[dict]:
    scope = community_filter(actor, "volunteers.import", community_id)
    sql = ("SELECT r.id AS 记录号, v.number AS 志愿者编号, v.real_name AS 姓名, r.activity AS 活动,"
           " r.service_date AS 日期, r.start_time AS 开始, r.end_time AS 结束, r.minutes AS 时长（分钟）,"
           " r.place AS 地点, r.beneficiary AS 服务对象, r.content AS 内容, k.name_zh AS 类别,"
           " r.status AS 状态, r.source AS 来源, r.reverses_id AS 冲正记录"
           " FROM service_records r JOIN volunteers v ON v.id = r.volunteer_id"
           " JOIN service_categories k ON k.code = r.category"
           " WHERE r.service_date BETWEEN ? AND ?")
    params: list = list(period)
    if scope is not None:
        sql += " AND r.community_id = ?"
        params.append(scope)
    return [_readable(r, {"状态": "status.", "来源": "source."})
            for r in db.query(sql + " ORDER BY r.service_date, r.id", params)]


def default_period() -> tuple[str, str]:
    today = clock.today()
    return date(today.year, 1, 1).isoformat(), today.isoformat()
