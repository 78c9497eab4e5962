"""No English in the Chinese interface: every page every role can open, read in Chromium as a
person sees it (visible text and input placeholders; icons are pictures, not words)."""

import re
from pathlib import Path

from tests.e2e.conftest import login, wait_for_app
from components.navigation import pages_for

# Words that are Chinese usage (file types, abbreviations), Streamlit strings it offers no way to
# set (see README), and the language switch's own "English".
ALLOWED = {"PDF", "CSV", "Excel", "PNG", "SVG", "XLSX", "xlsx", "csv", "ics", "OSM", "QR", "HSDS", "ZIP", "zip",
           "Skip to main content", "Upload", "upload", "MB per file", "Language", "English", "Linli", "ID"}
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
    text = re.sub(r"https?://\S+|[\w.-]+@[\w.-]+", " ", text)  # addresses are not words of the UI
    text = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|off)\b", " ", text)  # opening hours as stored (OSM syntax)
    return {w.strip() for w in re.findall(r"[A-Za-z][A-Za-z ]{2,}", text)} - ALLOWED


def test_every_page_speaks_chinese_for_every_role(server, new_page):
    leaks = {}
    for role in ("public", "volunteer", "coordinator", "leader", "admin"):
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
                leaks.setdefault(word, []).append(f"{role}{path}")
    assert leaks == {}
