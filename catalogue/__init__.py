"""The one catalogue of UI text, Chinese and English, written per area (foundation, volunteers,
directory, exchange, day care, dashboard); a key defined twice is an error. Free of Streamlit, so
db/ (the command line) and components/ (the pages, through components.i18n.t) read the same text."""

from catalogue import activities, daycare, dashboard, directory, exchange, foundation, voice, volunteers

LANGS = {"zh": "中文", "en": "English"}
DEFAULT_LANG = "zh"

CATALOGUE: dict[str, tuple[str, str]] = {}


def extend(entries: dict[str, tuple[str, str]]) -> None:
    clash = set(entries) & set(CATALOGUE)
    if clash:
        raise KeyError(f"catalogue keys defined twice: {sorted(clash)}")
    CATALOGUE.update(entries)


for _area in (foundation, volunteers, activities, directory, exchange, daycare, dashboard, voice):
    extend(_area.TEXT)


class _Blank(dict):
    # A placeholder the caller did not fill renders empty, never as a KeyError on screen.
    def __missing__(self, key):
        return ""


def translate(key: str, lang: str, **params) -> str:
    zh, en = CATALOGUE.get(key, (key, key))
    text = zh if lang == "zh" else en
    return text.format_map(_Blank(params)) if params else text
