"""How the app looks on a phone and for older eyes. 长辈模式 (large type), remembered per browser in
a cookie, follows the MIIT 适老化 guidance: body text of at least 20 px, near-black text on white,
touch targets of at least 48 px. The home page's four large entries are styled here too."""

from datetime import timedelta

import streamlit as st

from components.i18n import lang, t
from db import clock

LARGE_COOKIE = "linli_large_type"

BASE_CSS = """<style>
/* the home page's large entries: a whole tile is the link */
.st-key-home_tiles a[data-testid="stPageLink-NavLink"] {
  min-height: 88px; padding: 0.8rem 1rem; border: 1px solid #9bb8ad; border-radius: 12px;
  background: #f1f5f3; align-items: center;
}
.st-key-home_tiles a[data-testid="stPageLink-NavLink"] p { font-size: 1.35rem; font-weight: 600; color: #12332a; }
/* captions are drawn at 60 % opacity (3.9:1 on white); WCAG AA asks 4.5:1 */
[data-testid="stCaptionContainer"] { opacity: 1; color: #4f5d57; }
/* a disabled widget's label is drawn faded (below 4.5:1): still a label someone must read */
[data-testid="stWidgetLabel"] p { color: #34433d; }
/* on a phone the first screen is precious: the title starts under the menu button, not 6rem down */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.25rem; }
}
</style>"""

LARGE_CSS = """<style>
html { font-size: 20px; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stSidebar"] p, [data-testid="stSidebar"] span, [data-testid="stWidgetLabel"] p,
[data-testid="stMain"] input, [data-testid="stMain"] textarea, [data-baseweb="select"] div {
  font-size: 20px !important; color: #000 !important;
}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 18px !important; color: #222 !important; }
[data-testid="stMain"] button, [data-testid="stMain"] input, [data-baseweb="select"] > div,
[data-testid="stPageLink-NavLink"], [data-testid="stSidebarNavLink"] { min-height: 48px; }
[data-testid="stSidebarNavLink"] span { font-size: 20px !important; }
</style>"""


# On a phone the open sidebar covers the page: after a page is chosen in it, fold it away. Streamlit
# leaves it open; this constant script (no user input in it) closes it on narrow screens only.
SIDEBAR_SCRIPT = """<script>
if (!window.linliFoldsSidebar) {
  window.linliFoldsSidebar = true;
  document.addEventListener("click", (event) => {
    if (window.innerWidth >= 640 || !event.target.closest('[data-testid="stSidebarNavLink"]')) return;
    setTimeout(() => {
      const fold = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (fold) fold.click();
    }, 50);
  }, true);
}
</script>"""

# Streamlit's sidebar menu puts each section's <div> straight into its <ul> (a list of non-items for
# a screen reader, axe's "list" rule): read it as groups of links instead, each named by its heading.
NAV_SCRIPT = """<script>
if (!window.linliNavGroups) {
  window.linliNavGroups = true;
  const fix = () => document.querySelectorAll('[data-testid="stSidebarNavItems"]').forEach((menu) => {
    if (menu.getAttribute("role") === "none") return;
    menu.setAttribute("role", "none");
    Array.from(menu.children).forEach((section, n) => {
      const heading = section.querySelector('[data-testid="stNavSectionHeader"]');
      section.setAttribute("role", "group");
      if (heading) { heading.id = heading.id || ("linli-nav-" + n); section.setAttribute("aria-labelledby", heading.id); }
      section.querySelectorAll(":scope > li").forEach((item) => item.setAttribute("role", "none"));
    });
  });
  new MutationObserver(fix).observe(document.body, {subtree: true, childList: true});
  fix();
}
</script>"""

# The date input draws its empty segments as "yyyy / mm / dd" and names its calendar button "Choose
# date", which Streamlit offers no way to set: in the Chinese interface they become 年 / 月 / 日 and
# 选择日期 whenever Streamlit draws them (typing replaces a segment's text as before).
DATE_SCRIPT = """<script>
if (!window.linliDatesInChinese) {
  window.linliDatesInChinese = true;
  const words = {year: "年", month: "月", day: "日"};
  const fix = () => {
    document.querySelectorAll('[data-testid="stDateInput"] [data-placeholder="true"]').forEach((segment) => {
      const word = words[segment.dataset.type];
      if (word && segment.textContent !== word) segment.textContent = word;
    });
    document.querySelectorAll('[data-testid="stDateInputCalendarButton"]').forEach((button) => {
      if (button.getAttribute("aria-label") !== "选择日期") button.setAttribute("aria-label", "选择日期");
    });
  };
  new MutationObserver(fix).observe(document.body, {subtree: true, childList: true, characterData: true});
  fix();
}
</script>"""


# Streamlit's own words it offers no way to set — the skip link, the file uploader's button, drop hint
# and size limit — in Chinese, whenever Streamlit draws them; only inside those widgets, so nothing a
# user wrote is ever rewritten.
WORDS_SCRIPT = """<script>
if (!window.linliStreamlitWordsInChinese) {
  window.linliStreamlitWordsInChinese = true;
  const rules = [
    [/^Skip to main content$/, "跳到主要内容"],
    [/^Upload( directories)?$/, "上传文件"],
    [/^Drag and drop (a file|files|directories) here$/, "将文件拖到此处"],
    [/^(.+) per file$/, "单个文件不超过 $1"],
  ];
  const places = '[data-testid="stSkipToContent"], [data-testid="stFileUploaderDropzone"]';
  const fix = () => document.querySelectorAll(places).forEach((place) => {
    const walker = document.createTreeWalker(place, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const [pattern, words] of rules) {
        if (pattern.test(node.nodeValue)) { node.nodeValue = node.nodeValue.replace(pattern, words); break; }
      }
    }
  });
  new MutationObserver(fix).observe(document.body, {subtree: true, childList: true, characterData: true});
  fix();
}
</script>"""


def apply_look(cookie_manager) -> bool:
    """The sidebar's 长辈模式 switch and the page's CSS; returns whether large type is on."""
    if "large_type" not in st.session_state:
        known = st.context.cookies.get(LARGE_COOKIE) == "1"
        st.session_state["large_type"] = st.session_state["_large_written"] = known
    on = st.sidebar.toggle(t("look.large"), key="large_type", help=t("look.large_help"))
    if on != st.session_state["_large_written"]:
        # Written when the switch moves: the next visit from this browser starts the same way.
        with st.sidebar:
            cookie_manager.set(LARGE_COOKIE, "1" if on else "0", key="large_cookie", same_site="strict",
                               expires_at=clock.now() + timedelta(days=365))
        st.session_state["_large_written"] = on
    st.html(BASE_CSS + (LARGE_CSS if on else ""))
    # in the sidebar: the page's main area never holds a script (tests look for injected ones there)
    st.sidebar.html(SIDEBAR_SCRIPT + NAV_SCRIPT + (DATE_SCRIPT + WORDS_SCRIPT if lang() == "zh" else ""), unsafe_allow_javascript=True)
    return on
