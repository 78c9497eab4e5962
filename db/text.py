"""Turning what a person typed into what the data layer reads: clean text, a safe LIKE pattern,
a date."""

import re
import unicodedata
from datetime import date

# Bidi overrides and isolates (a name that displays reversed), and the invisible marks around them.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))


# Chinese writing's own punctuation (，：；！？（）…) is full-width: NFKC would turn 到达，扫码 into
# 到达,扫码. It is kept, except between digits or letters (or a digit and the text's edge or a
# space: ０８：００, ３０．６, （0566）1234567), where it is a typing habit and becomes ASCII like them.
_FULL_PUNCTUATION = "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e"
_ALNUM = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_CHINESE_PUNCTUATION = re.compile(rf"(?<![{_ALNUM}])(?<!^)(?<!\s)[{_FULL_PUNCTUATION}]"
                                  rf"|[{_FULL_PUNCTUATION}](?![{_ALNUM}])(?!$)(?!\s)")
_HALF_PAIR = re.compile(r"（([^（）()]*)\)|\(([^（）()]*)）")


def clean(text: str) -> str:
    """What a person typed, as we store it: NFKC (full-width letters and digits become ordinary
    ones; Chinese punctuation within Chinese stays), without control characters (NUL, escape codes;
    line breaks and tabs stay) or bidi overrides."""
    kept, last = [], 0
    for match in _CHINESE_PUNCTUATION.finditer(text):  # NFKC between them, the punctuation as typed
        kept += [unicodedata.normalize("NFKC", text[last:match.start()]), match.group()]
        last = match.end()
    text = ("".join(kept) + unicodedata.normalize("NFKC", text[last:])).translate(_BIDI)
    # a pair of brackets one of which was kept and the other made ASCII: both ASCII
    text = _HALF_PAIR.sub(lambda m: f"({m.group(1) or m.group(2) or ''})", text)
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
