"""Every page every role can open, in Chromium as a person meets it: no English in the Chinese
interface (visible text and placeholders; icons are pictures, not words), and no critical or serious
accessibility violation found by axe-core (bundled with axe-playwright-python, nothing fetched)."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import login, wait_for_app
from components.navigation import pages_for
from db.transfer import TEMPLATES

AXE = Axe()

# Words that are Chinese usage (file types, abbreviations) and the language switch's own "English".
ALLOWED = {"PDF", "CSV", "Excel", "PNG", "SVG", "XLSX", "xlsx", "csv", "ics", "OSM", "QR", "HSDS", "ZIP", "zip", "JSON", "TXT",
           "Language", "English", "Linli", "ID", "MB"}
VISIBLE_TEXT = """() => {
  const hide = document.createElement("style");  // icons are drawn from their names: not words
  hide.textContent = '[data-testid="stIconMaterial"] { display: none !important; }';
  document.head.appendChild(hide);
  const text = document.body.innerText;  // rendered text only: what is on screen or read aloud
  hide.remove();
  const holders = Array.from(document.querySelectorAll('[placeholder]')).map(e => e.getAttribute('placeholder'));
  return text + "\\n" + holders.join("\\n");
}"""


def english_words(text: str) -> set[str]:
    text = re.sub(r"https?:\u2060?//\S+|[\w.-]+@[\w.-]+", " ", text)  # addresses (shown with a word joiner) are not words
    text = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|off)\b", " ", text)  # opening hours as stored (OSM syntax)
    return {w.strip() for w in re.findall(r"[A-Za-z][A-Za-z ]{2,}", text)} - ALLOWED


@pytest.mark.parametrize("role", ["public", "volunteer", "coordinator", "leader", "admin"])
def test_every_page_speaks_chinese_and_passes_axe(server, new_page, role):
    leaks, violations = {}, {}
    page = new_page()
    if role != "public":
        login(page, server, role)
    for spec in pages_for(role):
        if spec.path.endswith(("login.py", "password.py")):
            continue
        path = "/" + Path(spec.path).stem.replace("home", "")
        page.goto(server.url + path)
        wait_for_app(page)
        for word in english_words(page.evaluate(VISIBLE_TEXT)):
            leaks.setdefault(word, []).append(path)
        for v in AXE.run(page).response["violations"]:
            if v["impact"] in ("critical", "serious"):
                violations.setdefault(f"{v['id']}: {v['help']}", []).append(f"{path} {v['nodes'][0]['target']}")
    assert leaks == {}
    assert violations == {}


def test_large_type_passes_axe_on_residents_pages(server, new_page):
    page = new_page(390, 844)
    page.context.add_cookies([{"name": "linli_large_type", "value": "1", "url": server.url}])
    violations = {}
    for path in ("/", "/directory", "/exchange", "/service_card", "/daycare"):
        page.goto(server.url + path)
        wait_for_app(page)
        for v in AXE.run(page).response["violations"]:
            if v["impact"] in ("critical", "serious"):
                violations.setdefault(v["id"], []).append(path)
    assert violations == {}


CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def data_texts(db_path) -> list[str]:
    """Every text value in the database: names, addresses and what users wrote are data, shown as
    entered in either language; anything Chinese left on an English page besides them is a leak."""
    import sqlite3

    db = sqlite3.connect(db_path)
    texts = set()
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        columns = [c[1] for c in db.execute(f"PRAGMA table_info([{table}])") if c[2].upper() in ("TEXT", "")]
        for column in columns:
            texts |= {v for (v,) in db.execute(f"SELECT DISTINCT [{column}] FROM [{table}]")
                      if isinstance(v, str) and CJK.search(v)}
    db.close()
    return sorted(texts, key=len, reverse=True)  # longest first: a name is removed before a part of it


# Not interface text: each language's own name in the switch, the bilingual switch label, and the
# import headers an office's spreadsheet carries (the file is Chinese whatever the interface speaks).
FILE_WORDS = ["中文", "语言 / Language", "、".join(TEMPLATES["volunteers"]), "、".join(TEMPLATES["hours"]), "放假/holiday"]


@pytest.mark.parametrize("role", ["public", "volunteer", "coordinator", "leader", "admin"])
def test_every_page_in_english_has_no_chinese_but_data(server, new_page, role):
    page = new_page()
    if role != "public":
        login(page, server, role)
    data, leaks = None, {}
    for spec in pages_for(role):
        if spec.path.endswith(("login.py", "password.py")):
            continue
        path = "/" + Path(spec.path).stem.replace("home", "")
        page.goto(server.url + path + "?lang=en")
        wait_for_app(page)
        text = page.evaluate(VISIBLE_TEXT).replace("\u2060", "")
        data = data or data_texts(server.db_path)  # the demo city is seeded by the first visit
        for value in data:
            text = text.replace(value, " ")
        text = re.sub(r"[\u3400-\u9fff]\*+", " ", text)  # a masked name (邱**) is data too
        for line in text.splitlines():
            if CJK.search(line) and not any(word in line for word in FILE_WORDS):
                leaks.setdefault(line.strip()[:80], []).append(path)
    assert leaks == {}
