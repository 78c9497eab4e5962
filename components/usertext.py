"""User text is text. Streamlit renders Markdown in st.markdown, st.write, captions, alerts and
headers: a need titled `![x](http://other-host/p.png)` would make every browser that shows it
fetch from that host, `[link](…)` would offer a link, `$…$` would typeset, `:red[…]` would colour.
`plain()` escapes what a person typed before it reaches any of them."""

import re

# CommonMark lets any ASCII punctuation be escaped with a backslash, and an escaped character is
# shown as itself: that stops links, pictures, emphasis, maths, colours, emoji shortcodes and the
# line starts that make lists, quotes or headings. GitHub's autolinks (http://…, www.…, a@b.c) are
# found after escaping, so an invisible word joiner goes inside each trigger.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r"(?i)(://|www\\?\.|@)")
JOINER = "\u2060"


def plain(text) -> str:
    """`text` for a Markdown-rendering widget, shown as typed (and never as a link)."""
    if text is None:
        return ""
    lines = [_AUTOLINK.sub(lambda m: m.group(1)[0] + JOINER + m.group(1)[1:], line.strip())
             for line in str(text).split("\n")]
    return "  \n".join(_PUNCTUATION.sub(r"\\\1", line) for line in lines)
