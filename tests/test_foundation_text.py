"""The catalogue: every key has Chinese and English, every key the code uses exists."""

import re

from catalogue import CATALOGUE, translate
from db.taxonomy import service_category_rows
from seed import chizhou
from tests.conftest import ROOT

KEY_USE = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]*[a-z0-9_])["']""")


def test_every_key_has_chinese_and_english():
    for key, (zh, en) in CATALOGUE.items():
        assert (zh.strip() and en.strip()) or (key.startswith("ui.") and zh and en), key  # a gap is a space
        # (punctuation keys are Chinese punctuation: full-width, no characters)
        assert re.search(r"[\u4e00-\u9fff]", zh) or key == "app.language" or (
            key.startswith("ui.") and re.search(r"[\u3000-\u303f\uff00-\uffef]", zh)), f"{key} has no Chinese"
        # Placeholders agree, so neither language drops a number.
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), key


def test_every_literal_key_in_the_code_exists():
    used = set()
    for folder in ("app.py", "app_pages", "components"):
        for path in (ROOT / folder).rglob("*.py") if (ROOT / folder).is_dir() else [ROOT / folder]:
            used |= set(KEY_USE.findall(path.read_text()))
    missing = sorted(k for k in used if k not in CATALOGUE)
    assert not missing


def test_translate_fills_and_tolerates_missing_parameters():
    assert translate("err.password_length", "en", ignored=2) == "Passwords are 8–72 characters."
    assert translate("dc.places", "en", booked=2) == "2/ booked"  # a missing parameter renders empty
    assert translate("err.too_small", "zh", ge=0) == "不能小于 0。"


def test_demo_city_is_deterministic_and_inside_districts():
    first, second = chizhou.communities(7), chizhou.communities(7)
    assert first == second
    assert sum(c["kind"] == "urban" for c in first) == 60 and sum(c["kind"] == "rural" for c in first) == 32
    assert {c["district"] for c in first} == set(chizhou.DISTRICTS)
    for c in first:
        seat = chizhou.DISTRICTS[c["district"]]
        assert abs(c["lat"] - seat["lat"]) <= seat["spread"] * 6 and abs(c["lon"] - seat["lon"]) <= seat["spread"] * 6
        assert c["population"] > c["households"] > 0
    codes = [c["code"] for c in service_category_rows()]
    assert {"elderly", "medicine", "repair", "errands", "legal"} <= set(codes)
