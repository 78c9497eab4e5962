"""Turning what a person typed into what the data layer reads: clean text, a safe LIKE pattern,
a date."""

import re
import unicodedata
from datetime import date

# Bidi overrides and isolates (a name that displays reversed), and the invisible marks around them.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))


def clean(text: str) -> str:
    """What a person typed, as we store it: NFKC (full-width letters and digits become ordinary
    ones), without control characters (NUL, escape codes; line breaks and tabs stay) or bidi
    overrides."""
    text = unicodedata.normalize("NFKC", text).translate(_BIDI)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")

_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_day(text: str) -> date:
    """A date as Chinese offices write it: 1985-03-05, 1985-3-5, 1985/3/5, 1985.3.5, 1985年3月5日,
    19850305. Raises ValueError for anything else (or an impossible date)."""
    value = text.strip()
    match = _DAY.match(value) or _COMPACT.match(value)
    if not match:
        raise ValueError(text)
    return date(*(int(x) for x in match.groups()))


def iso_day(text: str) -> str:
    """parse_day as ISO text, or the text unchanged for the validator to refuse by name."""
    try:
        return parse_day(text).isoformat()
    except ValueError:
        return text


def contains(text: str) -> str:
    """A LIKE pattern matching `text` literally anywhere (use with ESCAPE '\\'): % and _ typed
    in a search box are characters, not wildcards."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
