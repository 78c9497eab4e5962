"""Turning what a person typed into a safe LIKE pattern."""


def contains(text: str) -> str:
    """A LIKE pattern matching `text` literally anywhere (use with ESCAPE '\\'): % and _ typed
    in a search box are characters, not wildcards."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
