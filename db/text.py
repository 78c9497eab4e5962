"""Turning what a person typed into what the data layer reads: a safe LIKE pattern, a date."""

import re
from datetime import date

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
