"""Service categories (助老, 家政, 配医 …): shared by volunteers' skills, needs and records."""

from sqlite_utils import Database


def list_categories(db: Database) -> list[dict]:
    return list(db.query("SELECT code, name_zh, name_en FROM service_categories ORDER BY sort, code"))


def category_names(db: Database, lang: str) -> dict[str, str]:
    """code → name in the given language."""
    column = "name_zh" if lang == "zh" else "name_en"
    return {r["code"]: r[column] for r in db.query(f"SELECT code, {column} FROM service_categories")}
