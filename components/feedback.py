"""Telling the user why something was refused, in their language."""

import time

import streamlit as st

from components.usertext import plain
from components.i18n import t
from db.errors import InputError, LinliError


def _message(key: str, params: dict) -> str:
    """A catalogue message; a multi-line parameter (a parser's report with its caret under the
    fault) keeps its layout in a code block under the sentence."""
    blocks = {k: v for k, v in params.items() if isinstance(v, str) and "\n" in v}
    # Parameters are often what the user typed (“{phone}” is not a phone): shown as text.
    short = {k: (v.splitlines()[0] if k in blocks else plain(v) if isinstance(v, str) else v) for k, v in params.items()}
    text = t(key, **short)
    for value in blocks.values():
        text += "\n\n  ```\n" + "\n".join("  " + line for line in value.splitlines()) + "\n  ```"
    return text


def show_error(exc: LinliError) -> None:
    if isinstance(exc, InputError):
        lines = [t("err.input", count=len(exc.problems))]
        for field, key, params in exc.problems:
            lines.append(f"- **{t('field.' + field.split('.')[0])}**: {_message(key, params)}")
        st.error("\n".join(lines))
    else:
        st.error(_message(exc.key, exc.params))


class Fields:
    """A form's fields, keyed "<form>.<field>" with the db's field names, each with room beneath it
    for what is wrong with it. A refused submit keeps everything typed (forms are never cleared on
    submit) and puts each message under its field; a saved one empties the fields for the next entry."""

    def __init__(self, form: str):
        self.form = form
        self._slots: dict[str, object] = {}

    def __call__(self, widget, label: str, name: str, **kwargs):
        """`widget` is st.text_input, a column's selectbox, …: the field and its message slot go there."""
        value = widget(label, key=f"{self.form}.{name}", **kwargs)
        self._slots[name] = widget.__self__.empty()
        return value

    def slot(self, name: str) -> None:
        """Room for the messages of a field drawn by a component of several widgets (the hours editor)."""
        self._slots[name] = st.empty()

    def show(self, problems: list[tuple[str, str, dict]]) -> None:
        for field, key, params in problems:
            parts = field.split(".")
            slot = next((self._slots[n] for n in (field, parts[-1], parts[0]) if n in self._slots), None)
            if slot is not None:
                slot.error(_message(key, params))

    def clear(self) -> None:
        for key in [k for k in st.session_state if str(k).startswith(self.form + ".")]:
            del st.session_state[key]


def attempt(action, success_key=None, rerun: bool = True, fields: Fields | None = None, **success_params):
    """Run a db write. Refused: show why (nothing was written; beside each field of `fields` too) and
    return None. Done: clear the read caches (and the form's fields), keep the success message for
    the next run, and rerun so every view shows it. `success_key` is a catalogue key, or a function of
    the action's result giving the message."""
    from components.data import after_write

    try:
        result = action()
    except LinliError as exc:
        st.session_state.pop("_flash", None)  # the last success is not this one
        show_error(exc)
        if fields is not None and isinstance(exc, InputError):
            fields.show(exc.problems)
        return None
    after_write()
    if fields is not None:
        fields.clear()
    if callable(success_key):
        st.session_state["_flash"] = success_key(result)
    elif success_key:
        st.session_state["_flash"] = t(success_key, **success_params)
    if rerun:
        st.rerun()
    return True if result is None else result


FLASH_SECONDS = 6


def show_flash() -> None:
    """The success message of the last write, on every run for a few seconds after it. Shown for
    one run only, it vanished whenever another rerun followed at once (a component in the page
    reporting in), before anyone had read it."""
    flash = st.session_state.get("_flash")
    if not flash:
        return
    if isinstance(flash, str):  # set by attempt(): stamp it at its first showing
        flash = st.session_state["_flash"] = (flash, time.monotonic())
    message, since = flash
    if time.monotonic() - since > FLASH_SECONDS:
        del st.session_state["_flash"]
    else:
        st.success(message)
